//! The inspector: the selected tenant's or sync job's settings, as the admin center shows them.
//! Every control sends a core command through the playground; nothing here decides sync rules.

mod filters;
mod job;
mod mappings;
mod tenant;

use leptos::prelude::*;

use crate::state::{Playground, Selection};

#[component]
pub fn Inspector() -> impl IntoView {
    let pg = Playground::get();
    // Selecting a user or a group keeps its tenant's inspector (and its search and page) in place.
    let shown = Memo::new(move |_| {
        pg.selection.with(|s| match s {
            Selection::Job(id) => Selection::Job(id.clone()),
            other => other
                .tenant()
                .map_or(Selection::None, |t| Selection::Tenant(t.to_string())),
        })
    });
    move || match shown.get() {
        Selection::Tenant(id) => view! { <tenant::TenantInspector id=id/> }.into_any(),
        Selection::Job(id) => view! { <job::JobInspector id=id/> }.into_any(),
        _ => view! { <ScenarioOverview/> }.into_any(),
    }
}

/// With nothing selected: the scenario — what it shows, its tenants and jobs, its scripted
/// timeline (each entry a way to go there) — and how to use the canvas.
#[component]
fn ScenarioOverview() -> impl IntoView {
    let pg = Playground::get();
    let data = Memo::new(move |_| {
        pg.with_scenario(|s| {
            let entries: Vec<(u64, String)> = s
                .timeline
                .iter()
                .map(|e| {
                    let summary = ctsync_core::engine::summarize_command(&e.command);
                    (
                        e.tick,
                        e.note
                            .clone()
                            .map_or(summary.clone(), |n| format!("{n} — {summary}")),
                    )
                })
                .collect();
            (
                s.name.clone(),
                s.description.clone(),
                s.tenants.len(),
                s.jobs.len(),
                entries,
            )
        })
    });
    move || {
        let (name, description, tenants, jobs, entries) = data.get();
        let shown = entries.len().min(12);
        let more = entries.len() - shown;
        view! {
            <div class="inspector-header">
                <div class="inspector-kind"><span class="kind-badge">"Scenario"</span></div>
                <h2>{name}</h2>
            </div>
            <div class="inspector-body" data-testid="scenario-overview">
                <p class="scenario-description">{description}</p>
                <p class="muted">{format!("{tenants} tenants · {jobs} sync jobs · {} timeline entries", entries.len())}</p>
                {(!entries.is_empty()).then(|| view! {
                    <h3>"Scripted timeline"</h3>
                    <ol class="script">
                        {entries.into_iter().take(shown).map(|(tick, text)| view! {
                            <li>
                                <button class="btn small link" on:click=move |_| crate::timeline::go_to(pg, tick)>{format!("Tick {tick}")}</button>
                                <span>{text}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                    {(more > 0).then(|| view! { <p class="muted">{format!("… and {more} more")}</p> })}
                })}
                <h3>"How to"</h3>
                <ul class="hints">
                    <li>"Select a tenant or an arrow (a sync job) to see and change its settings."</li>
                    <li>"Drag a tenant to move it; drag from the round handle on its right edge onto another tenant to create a configuration."</li>
                    <li>"Step runs one sync cycle (40 minutes). Edits apply at the tick you are looking at; going back and editing drops the later timeline."</li>
                    <li>"Ctrl+Z undoes, Ctrl+Shift+Z redoes, Delete removes the selected configuration."</li>
                </ul>
            </div>
        }
    }
}

/// A tab strip for an inspector; `tabs` are (key, label).
pub fn tab_strip(
    active: RwSignal<&'static str>,
    tabs: &'static [(&'static str, &'static str)],
) -> impl IntoView {
    view! {
        <div class="tabs inspector-tabs" role="tablist">
            {tabs.iter().map(|(key, label)| view! {
                <button role="tab" class="tab" data-testid=format!("inspector-tab-{key}")
                    aria-selected=move || (active.get() == *key).to_string()
                    on:click=move |_| active.set(key)>
                    {*label}
                </button>
            }).collect_view()}
        </div>
    }
}

/// Matches a picker offers at once.
const PICKER_MATCHES: usize = 50;

/// Picks a user among many (10,000 stay usable): a search field whose suggestions are the users
/// whose name or UPN contains what was typed; `on_pick` gets the chosen user's id.
#[component]
pub fn UserPicker(
    /// (user id, "Display name (UPN)").
    candidates: Signal<Vec<(String, String)>>,
    label: &'static str,
    button: &'static str,
    testid: &'static str,
    on_pick: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let pg = Playground::get();
    let text = RwSignal::new(String::new());
    let list_id = format!("{testid}-suggestions");
    let matches = move || {
        let needle = text.get().to_lowercase();
        candidates.with(|c| {
            c.iter()
                .filter(|(_, l)| l.to_lowercase().contains(&needle))
                .take(PICKER_MATCHES)
                .map(|(_, l)| l.clone())
                .collect::<Vec<_>>()
        })
    };
    let pick = move || {
        let typed = text.get_untracked();
        let id = candidates.with_untracked(|c| {
            c.iter()
                .find(|(id, l)| *l == typed || *id == typed)
                .or_else(|| {
                    let needle = typed.to_lowercase();
                    let mut hits = c.iter().filter(|(_, l)| l.to_lowercase().contains(&needle));
                    match (hits.next(), hits.next()) {
                        (Some(one), None) if !needle.is_empty() => Some(one),
                        _ => None,
                    }
                })
                .map(|(id, _)| id.clone())
        });
        match id {
            Some(id) => {
                on_pick(id);
                text.set(String::new());
            }
            None => pg.complain(format!("No single user matches \"{typed}\": type more of a name or UPN, or pick a suggestion.")),
        }
    };
    view! {
        <div class="table-toolbar picker">
            <input type="search" data-testid=testid list=list_id.clone() aria-label=label placeholder=label
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { ev.prevent_default(); pick() }/>
            <datalist id=list_id>
                {move || matches().into_iter().map(|l| view! { <option value=l></option> }).collect_view()}
            </datalist>
            <button class="btn" data-testid=format!("{testid}-go") on:click=move |_| pick()>{button}</button>
        </div>
    }
}
