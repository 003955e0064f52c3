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
    move || {
        match pg.selection.get() {
        Selection::None => view! {
            <div class="pane-header"><h2>"Inspector"</h2></div>
            <div class="inspector-empty">
                <p class="empty">"Select a tenant or a sync job on the canvas to see its settings."</p>
                <ul class="hints">
                    <li>"Drag a tenant to move it; drag from the round handle on its right edge onto another tenant to create a configuration."</li>
                    <li>"Press Step to run one sync cycle (40 minutes). Edits apply at the tick you are looking at."</li>
                    <li>"Ctrl+Z undoes, Ctrl+Shift+Z redoes, Delete removes the selected configuration."</li>
                </ul>
            </div>
        }
        .into_any(),
        Selection::Tenant(id) => view! { <tenant::TenantInspector id=id/> }.into_any(),
        Selection::Job(id) => view! { <job::JobInspector id=id/> }.into_any(),
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
