//! The sync job inspector: overview (status with Entra's error, the readiness checklist with
//! one-click fixes, start / pause / restart / allow deletes), users and groups (scope, assigned
//! users and groups), scoping filters, attribute mappings, settings (target object actions,
//! accidental-deletion prevention) and provision on demand with the step-by-step result.

use ctsync_core::engine::event::Event;
use ctsync_core::readiness;
use ctsync_core::scenario::{
    AccidentalDeletionPrevention, Command, JobState, SyncScope, TargetObjectActions,
};
use leptos::prelude::*;
use serde_json::Value;

use super::tab_strip;
use crate::model;
use crate::state::Playground;

const TABS: &[(&str, &str)] = &[
    ("overview", "Overview"),
    ("assign", "Users and groups"),
    ("filters", "Scoping filters"),
    ("mappings", "Mappings"),
    ("settings", "Settings"),
    ("ondemand", "On demand"),
];

#[component]
pub fn JobInspector(id: String) -> impl IntoView {
    let pg = Playground::get();
    let tab = RwSignal::new("overview");
    let job = StoredValue::new(id);
    let header = move || {
        pg.with_view(|sim| {
            let j = sim.job_index(&job.get_value())?;
            let rt = sim.job(j);
            (!rt.deleted).then(|| {
                (
                    sim.job_display_name(j),
                    format!(
                        "{} → {}",
                        sim.tenant(rt.source).display_name,
                        sim.tenant(rt.target).display_name
                    ),
                )
            })
        })
    };
    view! {
        {move || match header() {
            None => view! {
                <div class="inspector-header"><span class="kind-badge job">"Cross-tenant sync"</span><h2>{job.get_value()}</h2></div>
                <p class="empty">"This configuration does not exist at this tick."</p>
            }.into_any(),
            Some((name, route)) => view! {
                <div class="inspector-header">
                    <div class="inspector-kind"><span class="kind-badge job">"Cross-tenant sync"</span><span class="pane-subtitle" title=route.clone()>{route.clone()}</span></div>
                    <h2 data-testid="inspector-title" title=name.clone()>{name.clone()}</h2>
                </div>
            }.into_any(),
        }}
        {move || header().is_some().then(|| view! {
            {tab_strip(tab, TABS)}
            <div class="inspector-body">
                {move || match tab.get() {
                    "assign" => view! { <AssignTab job=job.get_value()/> }.into_any(),
                    "filters" => view! { <super::filters::FiltersTab job=job.get_value()/> }.into_any(),
                    "mappings" => view! { <super::mappings::MappingsTab job=job.get_value()/> }.into_any(),
                    "settings" => view! { <SettingsTab job=job.get_value()/> }.into_any(),
                    "ondemand" => view! { <OnDemandTab job=job.get_value()/> }.into_any(),
                    _ => view! { <OverviewTab job=job.get_value()/> }.into_any(),
                }}
            </div>
        })}
    }
}

/// A readiness item as shown: requirement, ready, label, detail, fix (label, commands).
type ItemView = (String, bool, String, String, Option<(String, Vec<Command>)>);

#[component]
fn OverviewTab(job: String) -> impl IntoView {
    let pg = Playground::get();
    let job = StoredValue::new(job);
    let data = Memo::new(move |_| {
        pg.with(|r| {
            let sim = r.view();
            let j = sim.job_index(&job.get_value())?;
            let rt = sim.job(j);
            let items = readiness::job_readiness(sim, j);
            let items: Vec<ItemView> = items
                .into_iter()
                .map(|i| {
                    (
                        i.requirement.as_str().to_string(),
                        i.ready,
                        i.label,
                        i.detail,
                        i.fix.map(|f| (f.label, f.commands)),
                    )
                })
                .collect();
            let error = rt
                .quarantine
                .as_ref()
                .and_then(|q| q.error.clone())
                .or_else(|| rt.last_error.clone())
                .map(|e| (e.code.as_str().to_string(), e.message.to_string()));
            let quarantine = rt.quarantine.as_ref().map(|q| {
                format!(
                    "{} since tick {} · next attempt at tick {}",
                    q.reason.as_str(),
                    q.current_began,
                    q.next_attempt
                )
            });
            Some((
                rt.badge().as_str(),
                rt.status_code(),
                rt.config.state,
                rt.cycles_run,
                rt.escrows.len(),
                rt.held_deletes.len(),
                error,
                quarantine,
                items,
            ))
        })
    });
    move || {
        let Some((badge, code, state, cycles, escrows, held, error, quarantine, items)) =
            data.get()
        else {
            return ().into_any();
        };
        let id = job.get_value();
        let missing = items.iter().filter(|i| !i.1).count();
        let all_fixes: Vec<Command> = {
            let mut out: Vec<Command> = Vec::new();
            for c in items
                .iter()
                .filter_map(|i| i.4.as_ref())
                .flat_map(|(_, c)| c)
            {
                if !out.contains(c) {
                    out.push(c.clone());
                }
            }
            out
        };
        let (start_id, pause_id, restart_id, allow_id) =
            (id.clone(), id.clone(), id.clone(), id.clone());
        view! {
            <div class="status-line">
                <span class=format!("status-badge state-{}", badge.replace(' ', "-")) data-testid="job-status">{badge}</span>
                <span class="muted">{format!("synchronizationStatus.code: {code} · {cycles} cycle{} run · {escrows} escrowed", if cycles == 1 { "" } else { "s" })}</span>
            </div>
            {error.map(|(code, message)| view! {
                <div class="callout error" data-testid="job-error-detail">
                    <strong>{code}</strong>
                    <p>{message}</p>
                </div>
            })}
            {quarantine.map(|q| view! { <p class="callout warning">{format!("Quarantine: {q}")}</p> })}
            <div class="button-row">
                {if state == JobState::Started {
                    view! { <button class="btn" data-testid="pause-job" on:click=move |_| { pg.edit(Command::PauseJob { job: pause_id.clone() }); }>"Stop provisioning"</button> }.into_any()
                } else {
                    view! { <button class="btn primary" data-testid="start-job" on:click=move |_| { pg.edit(Command::StartJob { job: start_id.clone() }); }>"Start provisioning"</button> }.into_any()
                }}
                <button class="btn" data-testid="restart-job" title="Clears the watermark, escrows and quarantine; the next cycle is initial"
                    on:click=move |_| { pg.edit(Command::RestartJob { job: restart_id.clone() }); }>"Restart provisioning"</button>
                {(held > 0).then(|| view! {
                    <button class="btn danger" data-testid="allow-deletes" on:click=move |_| { pg.edit(Command::AllowDeletes { job: allow_id.clone() }); }>
                        {format!("Allow deletes ({held} held)")}
                    </button>
                })}
            </div>
            <h3>"Readiness"</h3>
            <div class="readiness-head">
                <span data-testid="readiness-summary">{if missing == 0 { "Everything Entra needs is in place.".to_string() } else { format!("{missing} of {} missing", items.len()) }}</span>
                {(all_fixes.len() > 1).then(|| view! {
                    <button class="btn small" data-testid="fix-all" on:click=move |_| { pg.edit_all(all_fixes.clone()); }>"Fix all"</button>
                })}
            </div>
            <ul class="readiness" data-testid="readiness">
                {items.into_iter().map(|(key, ready, label, detail, fix)| view! {
                    <li class:ready=ready class:missing=!ready data-testid="readiness-item" data-requirement=key data-ready=ready.to_string()>
                        <span class="readiness-icon" aria-hidden="true">{if ready { "✓" } else { "!" }}</span>
                        <div class="readiness-text">
                            <div class="readiness-label">{label}</div>
                            <div class="readiness-detail">{detail}</div>
                        </div>
                        {fix.map(|(label, commands)| view! {
                            <button class="btn small primary" data-testid="readiness-fix" on:click=move |_| { pg.edit_all(commands.clone()); }>{label}</button>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        }.into_any()
    }
}

#[component]
fn AssignTab(job: String) -> impl IntoView {
    let pg = Playground::get();
    let job = StoredValue::new(job);
    let data = Memo::new(move |_| {
        pg.with_view(|sim| {
            let j = sim.job_index(&job.get_value())?;
            let rt = sim.job(j);
            let dir = &sim.tenant(rt.source).dir;
            let users: Vec<(String, String)> = rt
                .config
                .assigned_users
                .iter()
                .map(|id| {
                    let name = dir
                        .user_by_local_id(id)
                        .map(|u| format!("{} ({})", dir.user(u).display_name(), dir.user(u).upn()))
                        .unwrap_or_else(|| id.clone());
                    (id.clone(), name)
                })
                .collect();
            let groups: Vec<(String, String, usize)> = rt
                .config
                .assigned_groups
                .iter()
                .map(|id| match dir.group_by_id(id) {
                    Some(g) => (
                        id.clone(),
                        dir.groups[g as usize].display_name.clone(),
                        dir.groups[g as usize].member_users.len(),
                    ),
                    None => (id.clone(), id.clone(), 0),
                })
                .collect();
            let all_groups: Vec<(String, String)> = dir
                .groups
                .iter()
                .filter(|g| !rt.config.assigned_groups.iter().any(|a| **a == *g.id))
                .map(|g| (g.id.to_string(), g.display_name.clone()))
                .collect();
            let candidates: Vec<(String, String)> = dir
                .users
                .iter()
                .filter(|u| u.is_active() && u.is_internal())
                .filter_map(|u| {
                    let id = u.local_id.as_ref()?.to_string();
                    (!rt.config.assigned_users.contains(&id))
                        .then(|| (id, format!("{} ({})", u.display_name(), u.upn())))
                })
                .take(2_000)
                .collect();
            Some((
                rt.config.scope,
                rt.effective_scope,
                users,
                groups,
                all_groups,
                candidates,
            ))
        })
    });
    move || {
        let Some((scope, effective, users, groups, all_groups, candidates)) = data.get() else {
            return ().into_any();
        };
        let id = job.get_value();
        let (scope_id, group_id) = (id.clone(), id.clone());
        view! {
            <h3>"Scope"</h3>
            <select data-testid="scope" prop:value=if scope == SyncScope::All { "all" } else { "assigned" } on:change=move |ev| {
                let scope = if event_target_value(&ev) == "all" { SyncScope::All } else { SyncScope::Assigned };
                pg.edit(Command::SetScope { job: scope_id.clone(), scope });
            }>
                <option value="assigned" selected=scope == SyncScope::Assigned>"Sync only assigned users and groups"</option>
                <option value="all" selected=scope == SyncScope::All>"Sync all users and groups"</option>
            </select>
            {(scope != effective).then(|| view! { <p class="callout warning">"The switch to \"Sync only assigned users and groups\" takes effect at the next restart."</p> })}
            <h3>"Assigned groups"</h3>
            <p class="help">"Only direct members are in scope."</p>
            <ul class="assigned" data-testid="assigned-groups">
                {groups.into_iter().map(|(gid, name, members)| {
                    let job = id.clone();
                    view! {
                        <li>
                            <span>{format!("{name} · {members} direct members")}</span>
                            <button class="btn small" aria-label=format!("Remove {name}") on:click=move |_| { pg.edit(Command::UnassignGroup { job: job.clone(), group: gid.clone() }); }>"Remove"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!all_groups.is_empty()).then(|| view! {
                <label class="field-inline">
                    "Add group"
                    <select data-testid="assign-group" on:change=move |ev| {
                        let group = event_target_value(&ev);
                        if !group.is_empty() { pg.edit(Command::AssignGroup { job: group_id.clone(), group }); }
                    }>
                        <option value="">"Select a group…"</option>
                        {all_groups.into_iter().map(|(g, name)| view! { <option value=g>{name}</option> }).collect_view()}
                    </select>
                </label>
            })}
            <h3>"Assigned users"</h3>
            <ul class="assigned" data-testid="assigned-users">
                {users.into_iter().map(|(uid, name)| {
                    let job = id.clone();
                    view! {
                        <li>
                            <span>{name.clone()}</span>
                            <button class="btn small" aria-label=format!("Remove {name}") on:click=move |_| { pg.edit(Command::UnassignUser { job: job.clone(), user: uid.clone() }); }>"Remove"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!candidates.is_empty()).then(|| {
                let candidates = Signal::derive(move || candidates.clone());
                view! {
                    <super::UserPicker candidates=candidates label="Find a user to assign" button="Assign" testid="assign-user"
                        on_pick=move |user| { pg.edit(Command::AssignUser { job: job.get_value(), user }); }/>
                }
            })}
        }.into_any()
    }
}

#[component]
fn SettingsTab(job: String) -> impl IntoView {
    let pg = Playground::get();
    let job = StoredValue::new(job);
    let data = move || {
        pg.with_view(|sim| {
            let j = sim.job_index(&job.get_value())?;
            let c = &sim.job(j).config;
            Some((c.target_object_actions, c.accidental_deletion_prevention))
        })
    };
    move || {
        let Some((actions, prevention)) = data() else {
            return ().into_any();
        };
        let id = job.get_value();
        let action = |label: &'static str,
                      testid: &'static str,
                      on: bool,
                      set: fn(&mut TargetObjectActions, bool)| {
            let id = id.clone();
            view! {
                <label class="check">
                    <input type="checkbox" data-testid=testid prop:checked=on on:change=move |ev| {
                        let mut next = actions;
                        set(&mut next, event_target_checked(&ev));
                        pg.edit(Command::SetTargetObjectActions { job: id.clone(), target_object_actions: next });
                    }/>
                    {label}
                </label>
            }
        };
        let (pid, tid) = (id.clone(), id.clone());
        view! {
            <h3>"Target Object Actions"</h3>
            {action("Create", "action-create", actions.create, |a, v| a.create = v)}
            {action("Update", "action-update", actions.update, |a, v| a.update = v)}
            {action("Delete", "action-delete", actions.delete, |a, v| a.delete = v)}
            <p class="help">"With Delete off, users who leave scope are not soft deleted in the target."</p>
            <h3>"Prevent accidental deletions"</h3>
            <label class="check">
                <input type="checkbox" data-testid="prevention-enabled" prop:checked=prevention.enabled on:change=move |ev| {
                    pg.edit(Command::SetAccidentalDeletionPrevention { job: pid.clone(), accidental_deletion_prevention: AccidentalDeletionPrevention { enabled: event_target_checked(&ev), ..prevention } });
                }/>
                "Prevent accidental deletion"
            </label>
            <label class="field-inline">
                "Accidental deletion threshold"
                <input type="number" min="1" class="days" data-testid="prevention-threshold" prop:value=prevention.threshold.to_string() on:change=move |ev| {
                    if let Ok(threshold) = event_target_value(&ev).parse::<u32>() {
                        pg.edit(Command::SetAccidentalDeletionPrevention { job: tid.clone(), accidental_deletion_prevention: AccidentalDeletionPrevention { threshold: threshold.max(1), ..prevention } });
                    }
                }/>
            </label>
            <p class="help">"A cycle whose deletes and disables exceed the threshold is held and the job quarantined (TooManyDeletes) until you allow deletes."</p>
        }.into_any()
    }
}

/// The steps of an on-demand provisioning, worded like Entra's, from an event.
fn step_rows(sim: &ctsync_core::Simulation, event: &Event) -> Vec<(String, String, String)> {
    match event {
        Event::Object(e) => sim
            .steps(e)
            .into_iter()
            .map(|s| {
                let text = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                (text("name"), text("status"), text("description"))
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[component]
fn OnDemandTab(job: String) -> impl IntoView {
    let pg = Playground::get();
    let job = StoredValue::new(job);
    let candidates = Memo::new(move |_| {
        pg.with_view(|sim| {
            let Some(j) = sim.job_index(&job.get_value()) else {
                return Vec::new();
            };
            let dir = &sim.tenant(sim.job(j).source).dir;
            dir.users
                .iter()
                .filter(|u| u.is_active() && u.is_internal())
                .filter_map(|u| {
                    Some((
                        u.local_id.as_ref()?.to_string(),
                        format!("{} ({})", u.display_name(), u.upn()),
                    ))
                })
                .collect::<Vec<_>>()
        })
    });
    // The result: on-demand events applied at the cursor (they show in the view at once).
    let results = Memo::new(move |_| {
        pg.with(|r| {
            let sim = r.view();
            let Some(j) = sim.job_index(&job.get_value()) else {
                return Vec::new();
            };
            r.pending_events()
                .iter()
                .filter(|e| matches!(e, Event::Object(o) if o.on_demand && o.job == j))
                .map(|e| {
                    let row = match e {
                        Event::Object(o) => model::object_row(sim, 0, o),
                        _ => unreachable!("filtered to object events"),
                    };
                    (row, step_rows(sim, e))
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <p class="help">"Provision one user now, whatever the job's state: the result shows at once, and the change is part of the next tick."</p>
        <super::UserPicker candidates=Signal::from(candidates) label="Find a user to provision" button="Provision" testid="on-demand-user"
            on_pick=move |user| { pg.edit(Command::ProvisionOnDemand { job: job.get_value(), user }); }/>
        {move || results.get().into_iter().map(|(row, steps)| view! {
            <div class="on-demand-result" data-testid="on-demand-result">
                <div class="steps-header">
                    <span class=format!("effect-pill effect-{}", model::effect_class(row.effect))>{model::effect_label(row.effect)}</span>
                    <strong>{row.user.clone()}</strong>
                    <span class="muted">{format!("{} {}", row.action, row.status)}</span>
                </div>
                <ol class="steps">
                    {steps.into_iter().enumerate().map(|(i, (name, status, description))| { let class = format!("step status-{}", status.to_lowercase()); view! {
                        <li class=class>
                            <div class="step-head"><span class="step-number">{i + 1}</span><span class="step-name">{name}</span><span class="step-status">{status}</span></div>
                            <p class="step-description">{description}</p>
                        </li>
                    }}).collect_view()}
                </ol>
                {row.error.map(|(code, message)| view! { <p class="callout error"><strong>{code}</strong>" "{message}</p> })}
            </div>
        }).collect_view()}
    }
}
