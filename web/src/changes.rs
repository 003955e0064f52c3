//! Under the timeline: what the last tick did — counts by effect and the change list (user,
//! tenant, job, Entra's action and status, attribute old → new) — and the provisioning log of every
//! tick so far, filterable, whose rows open the steps in Entra's wording with the job's events
//! beside them. One colour per effect everywhere (see `style.css`, `.effect-*`).

use ctsync_core::engine::event::{Effect, Event};
use leptos::prelude::*;
use serde_json::Value;

use crate::model::{self, ChangeRow};
use crate::state::Playground;

/// Rows drawn at once; more are a click away (a tick can hold tens of thousands of events).
const PAGE: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Changes,
    Log,
}

#[component]
pub fn ChangeView() -> impl IntoView {
    let tab = RwSignal::new(Tab::Changes);
    let selected = RwSignal::new(None::<usize>);
    let tab_button = move |which: Tab, label: &'static str, testid: &'static str| {
        view! {
            <button role="tab" class="tab" data-testid=testid
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| { tab.set(which); selected.set(None); }>
                {label}
            </button>
        }
    };
    view! {
        <div class="change-view">
            <div class="tabs" role="tablist">
                {tab_button(Tab::Changes, "Changes in the last tick", "tab-changes")}
                {tab_button(Tab::Log, "Provisioning logs", "tab-log")}
            </div>
            {move || match tab.get() {
                Tab::Changes => view! { <LastTick selected=selected/> }.into_any(),
                Tab::Log => view! { <ProvisioningLog selected=selected/> }.into_any(),
            }}
        </div>
    }
}

/// The counts chips of a list of events, every effect shown.
#[component]
fn EffectCounts(counts: Vec<(Effect, usize)>) -> impl IntoView {
    view! {
        <ul class="effect-counts" data-testid="effect-counts">
            {counts.into_iter().map(|(effect, n)| view! {
                <li class=format!("effect-chip effect-{}", model::effect_class(effect))
                    class:zero=n == 0 data-effect=effect.as_str()>
                    <span class="chip-count" data-testid="effect-count">{n}</span>
                    " "{model::effect_label(effect)}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn LastTick(selected: RwSignal<Option<usize>>) -> impl IntoView {
    let pg = Playground::get();
    let shown = RwSignal::new(PAGE);
    let hide_skipped = RwSignal::new(true);
    let data = Memo::new(move |_| {
        pg.with(|r| {
            let cursor = r.cursor();
            let head = r.head();
            let tick = cursor.checked_sub(1)?;
            let events = head.events_of_tick(tick);
            // The head has just run `tick`: its events end the stream.
            let first = head.events().len() - events.len();
            Some((
                tick,
                model::effect_counts(events),
                model::change_rows(head, first, events),
                model::job_event_lines(head, events, true),
            ))
        })
    });
    let pending = Memo::new(move |_| {
        pg.with(|r| {
            let entries: Vec<String> = r
                .pending_entries()
                .map(|e| {
                    e.note.clone().map_or_else(
                        || ctsync_core::engine::summarize_command(&e.command),
                        |note| {
                            format!(
                                "{note} ({})",
                                ctsync_core::engine::summarize_command(&e.command)
                            )
                        },
                    )
                })
                .collect();
            let view = r.view();
            let events = r.pending_events();
            let first = view.events().len() - events.len();
            (entries, model::change_rows(view, first, events))
        })
    });
    view! {
        <div class="change-pane">
            {move || {
                let (entries, rows) = pending.get();
                (!entries.is_empty()).then(|| view! {
                    <div class="pending" data-testid="pending">
                        <strong>{format!("Applies at tick {} before its sync cycles: ", pg.cursor())}</strong>
                        {entries.join(" · ")}
                        {(!rows.is_empty()).then(|| view! {
                            <ChangeTable rows=rows selected=selected limit=PAGE/>
                        })}
                    </div>
                })
            }}
            {move || match data.get() {
                None => view! {
                    <p class="empty" data-testid="no-changes">"No tick has run yet. Press Step to run the first sync cycle (tick 0)."</p>
                }.into_any(),
                Some((tick, counts, rows, job_lines)) => {
                    let total = rows.len();
                    let visible: Vec<ChangeRow> = rows
                        .into_iter()
                        .filter(|r| !hide_skipped.get() || r.effect != Effect::Skipped)
                        .collect();
                    let hidden = total - visible.len();
                    let count = visible.len();
                    view! {
                        <div class="change-summary">
                            <span class="change-title" data-testid="changes-tick">{format!("Tick {tick}")}</span>
                            <EffectCounts counts=counts/>
                            <label class="check-inline">
                                <input type="checkbox" data-testid="hide-skipped"
                                    prop:checked=move || hide_skipped.get()
                                    on:change=move |ev| hide_skipped.set(event_target_checked(&ev))/>
                                {format!("Hide skipped ({hidden})")}
                            </label>
                        </div>
                        {(!job_lines.is_empty()).then(|| view! { <JobEvents lines=job_lines/> })}
                        {if count == 0 {
                            view! { <p class="empty">"Nothing changed in any target tenant in this tick."</p> }.into_any()
                        } else {
                            view! {
                                <ChangeTable rows=visible selected=selected limit=shown.get()/>
                                {(count > shown.get()).then(|| view! {
                                    <button class="btn link" data-testid="show-more" on:click=move |_| shown.update(|s| *s += PAGE * 5)>
                                        {format!("Show more ({} of {count} shown)", shown.get())}
                                    </button>
                                })}
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </div>
        <StepsPanel selected=selected/>
    }
}

#[component]
fn JobEvents(lines: Vec<(u64, String, String, bool)>) -> impl IntoView {
    view! {
        <ul class="job-events" data-testid="job-events">
            {lines.into_iter().map(|(tick, job, text, problem)| view! {
                <li class:problem=problem>
                    <span class="job-event-job">{job}</span>
                    <span class="muted">{format!(" tick {tick} ")}</span>
                    {text}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn ChangeTable(
    rows: Vec<ChangeRow>,
    selected: RwSignal<Option<usize>>,
    limit: usize,
) -> impl IntoView {
    view! {
        <table class="change-table" data-testid="change-list">
            <thead>
                <tr>
                    <th scope="col">"Effect"</th>
                    <th scope="col">"User"</th>
                    <th scope="col">"Tenant"</th>
                    <th scope="col">"Job"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Changes"</th>
                    <th scope="col"><span class="visually-hidden">"Explain"</span></th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().take(limit).map(|row| {
                    let index = row.index;
                    let class = model::effect_class(row.effect);
                    let changes = if let Some((code, message)) = &row.error {
                        view! { <span class="error-code" title=message.clone()>{code.clone()}</span> }.into_any()
                    } else if !row.changes.is_empty() && row.action != "Create" {
                        row.changes.iter().map(|(attr, old, new)| view! {
                            <span class="attr-change"><span class="attr">{attr.clone()}</span>": "
                                <span class="old">{old.clone()}</span>" → "<span class="new">{new.clone()}</span></span>
                        }).collect_view().into_any()
                    } else if row.action == "Create" && !row.target_user.is_empty() {
                        view! { <span class="muted">{format!("as {}", row.target_user)}</span> }.into_any()
                    } else {
                        view! { <span class="muted">{row.skip_reason.map(str::to_string).or(row.detail.clone()).unwrap_or_default()}</span> }.into_any()
                    };
                    view! {
                        <tr class=format!("effect-row effect-{class}") data-testid="change-row"
                            data-effect=row.effect.as_str() data-user=row.user.clone() data-tenant=row.tenant.clone()
                            class:selected=move || selected.get() == Some(index)
                            tabindex="0"
                            on:click=move |_| selected.set(Some(index))
                            on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { selected.set(Some(index)) }>
                            <td><span class=format!("effect-pill effect-{class}")>{model::effect_label(row.effect)}</span></td>
                            <td title=row.user_name.clone()>{row.user.clone()}{row.on_demand.then_some(" (on demand)")}</td>
                            <td title=row.tenant.clone()>{row.tenant_name.clone()}</td>
                            <td>{row.job.clone()}</td>
                            <td>{row.action}</td>
                            <td>{row.status}</td>
                            <td class="changes-cell">{changes}</td>
                            <td class="explain-cell">{explain_button(&row)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// "Why?" for the row's user in the row's tenant: opens core's explanation in the tool panel.
fn explain_button(row: &ChangeRow) -> Option<impl IntoView> {
    let pg = Playground::get();
    let person = row.person.clone()?;
    let tenant = row.tenant.clone();
    let label = format!("Explain {} in {}", row.user, row.tenant_name);
    Some(view! {
        <button class="btn small link" data-testid="explain-row" title=label.clone() aria-label=label
            on:click=move |ev| { ev.stop_propagation(); pg.explain(person.clone(), tenant.clone()); }>"Why?"</button>
    })
}

/// The steps of the selected event, in Entra's wording, with the job's events of that tick.
/// A provisioning step as shown: name, status, description, details.
type StepView = (String, String, String, Vec<(String, String)>);

#[component]
fn StepsPanel(selected: RwSignal<Option<usize>>) -> impl IntoView {
    let pg = Playground::get();
    let detail = Memo::new(move |_| {
        let index = selected.get()?;
        pg.with(|r| {
            let sim = r.view();
            let event = sim.events().get(index)?;
            match event {
                Event::Object(e) => {
                    let steps: Vec<StepView> = sim
                        .steps(e)
                        .into_iter()
                        .map(|step| {
                            let text = |k: &str| {
                                step.get(k)
                                    .and_then(Value::as_str)
                                    .unwrap_or("")
                                    .to_string()
                            };
                            let details = step
                                .get("details")
                                .and_then(Value::as_object)
                                .map(|d| {
                                    d.iter()
                                        .map(|(k, v)| {
                                            (
                                                k.clone(),
                                                v.as_str()
                                                    .map_or_else(|| v.to_string(), str::to_string),
                                            )
                                        })
                                        .collect()
                                })
                                .unwrap_or_default();
                            (text("name"), text("status"), text("description"), details)
                        })
                        .collect();
                    let row = model::object_row(sim, index, e);
                    let job_lines = model::job_event_lines(sim, sim.events_of_tick(e.tick), false)
                        .into_iter()
                        .filter(|(_, job, _, _)| *job == row.job)
                        .collect::<Vec<_>>();
                    Some((row, steps, job_lines))
                }
                _ => None,
            }
        })
    });
    move || {
        detail.get().map(|(row, steps, job_lines)| {
            let class = model::effect_class(row.effect);
            view! {
                <div class="steps-panel" data-testid="steps-panel" role="region" aria-label="Provisioning steps">
                    <div class="steps-header">
                        <span class=format!("effect-pill effect-{class}")>{model::effect_label(row.effect)}</span>
                        <strong>{row.user.clone()}</strong>
                        <span class="muted">{format!("{} · {} · {} {}", row.job, row.tenant, row.action, row.status)}</span>
                        {row.person.clone().map(|person| {
                            let tenant = row.tenant.clone();
                            view! { <button class="btn small" data-testid="explain-steps" on:click=move |_| pg.explain(person.clone(), tenant.clone())>"Explain this user"</button> }
                        })}
                        <button class="btn icon-only close" aria-label="Close the steps" on:click=move |_| selected.set(None)>"×"</button>
                    </div>
                    <ol class="steps">
                        {steps.into_iter().enumerate().map(|(i, (name, status, description, details))| { let class = format!("step status-{}", status.to_lowercase()); view! {
                            <li class=class data-testid="step">
                                <div class="step-head">
                                    <span class="step-number">{i + 1}</span>
                                    <span class="step-name">{name}</span>
                                    <span class="step-status">{status}</span>
                                </div>
                                <p class="step-description">{description}</p>
                                {(!details.is_empty()).then(|| view! {
                                    <dl class="step-details">
                                        {details.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                                    </dl>
                                })}
                            </li>
                        }}).collect_view()}
                    </ol>
                    {(!row.changes.is_empty()).then(|| view! {
                        <h4>"Modified properties"</h4>
                        <table class="modified">
                            <thead><tr><th>"Attribute"</th><th>"Old value"</th><th>"New value"</th></tr></thead>
                            <tbody>
                                {row.changes.iter().map(|(a, o, n)| view! { <tr><td>{a.clone()}</td><td>{o.clone()}</td><td>{n.clone()}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    })}
                    {(!job_lines.is_empty()).then(|| view! {
                        <h4>"Job events in this tick"</h4>
                        <JobEvents lines=job_lines/>
                    })}
                </div>
            }
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct LogFilter {
    tenant: String,
    job: String,
    user: String,
    action: String,
    status: String,
    effect: String,
}

impl LogFilter {
    fn keeps(&self, row: &ChangeRow) -> bool {
        (self.tenant.is_empty() || row.tenant == self.tenant)
            && (self.job.is_empty() || row.job == self.job)
            && (self.action.is_empty() || row.action == self.action)
            && (self.status.is_empty() || row.status == self.status)
            && (self.effect.is_empty() || row.effect.as_str() == self.effect)
            && (self.user.is_empty() || {
                let needle = self.user.to_lowercase();
                row.user.to_lowercase().contains(&needle)
                    || row.user_name.to_lowercase().contains(&needle)
                    || row.target_user.to_lowercase().contains(&needle)
            })
    }
}

#[component]
fn ProvisioningLog(selected: RwSignal<Option<usize>>) -> impl IntoView {
    let pg = Playground::get();
    let filter = RwSignal::new(LogFilter::default());
    let shown = RwSignal::new(PAGE);
    let options = Memo::new(move |_| {
        pg.with_view(|sim| {
            let tenants: Vec<String> = sim.tenants.iter().map(|t| t.id.to_string()).collect();
            let jobs: Vec<String> = sim.jobs.iter().map(|j| j.config.id.clone()).collect();
            (tenants, jobs)
        })
    });
    let rows = Memo::new(move |_| {
        let f = filter.get();
        pg.with(|r| {
            let head = r.head();
            let rows: Vec<ChangeRow> = model::change_rows(head, 0, head.events())
                .into_iter()
                .rev()
                .filter(|row| f.keeps(row))
                .collect();
            rows
        })
    });
    let select = move |label: &'static str,
                       testid: &'static str,
                       choices: Vec<(String, String)>,
                       set: fn(&mut LogFilter, String)| {
        view! {
            <label class="filter">
                <span>{label}</span>
                <select data-testid=testid on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| set(f, v));
                    shown.set(PAGE);
                }>
                    <option value="">"All"</option>
                    {choices.into_iter().map(|(value, text)| view! { <option value=value>{text}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    let pairs = |items: &[&str]| {
        items
            .iter()
            .map(|s| (s.to_string(), s.to_string()))
            .collect::<Vec<_>>()
    };
    view! {
        <div class="log-pane" data-testid="provisioning-log">
            <div class="log-filters">
                {move || {
                    let (tenants, jobs) = options.get();
                    view! {
                        {select("Tenant", "filter-tenant", tenants.iter().map(|t| (t.clone(), t.clone())).collect(), |f, v| f.tenant = v)}
                        {select("Job", "filter-job", jobs.iter().map(|t| (t.clone(), t.clone())).collect(), |f, v| f.job = v)}
                    }
                }}
                <label class="filter">
                    <span>"User"</span>
                    <input type="search" data-testid="filter-user" placeholder="UPN or name"
                        on:input=move |ev| { let v = event_target_value(&ev); filter.update(|f| f.user = v); shown.set(PAGE); }/>
                </label>
                {select("Action", "filter-action", pairs(&["Create", "Update", "Delete", "Disable", "StagedDelete", "Other"]), |f, v| f.action = v)}
                {select("Status", "filter-status", pairs(&["Success", "Failure", "Skipped", "Warning"]), |f, v| f.status = v)}
                {select("Effect", "filter-effect", Effect::ALL.iter().map(|e| (e.as_str().to_string(), model::effect_label(*e).to_string())).collect(), |f, v| f.effect = v)}
                <span class="muted log-count" data-testid="log-count">{move || format!("{} entries", rows.with(Vec::len))}</span>
            </div>
            {move || {
                let rows = rows.get();
                let n = rows.len();
                if n == 0 {
                    view! { <p class="empty">"No provisioning events match."</p> }.into_any()
                } else {
                    view! {
                        <ChangeTable rows=rows selected=selected limit=shown.get()/>
                        {(n > shown.get()).then(|| view! {
                            <button class="btn link" data-testid="show-more" on:click=move |_| shown.update(|s| *s += PAGE * 5)>
                                {format!("Show more ({} of {n} shown)", shown.get())}
                            </button>
                        })}
                    }.into_any()
                }
            }}
        </div>
        <StepsPanel selected=selected/>
    }
}
