//! The tool panels docked between the canvas and the inspector — an explanation ("why is this user
//! (not) here?"), the design review, the lessons — and the compare view (a dialog). Each shows what
//! core computes (`explain`, `lint`, `lessons`, `compare`); links in them select objects on the
//! canvas and in the inspector.

pub mod compare;
mod explain;
pub use explain::WhyNotHere;
pub mod lessons;
pub mod review;

use ctsync_core::decisions::DecisionRow;
use leptos::prelude::*;

use crate::state::{Panel, Playground, Selection};

/// The open tool panel, if any.
#[component]
pub fn ToolPanel() -> impl IntoView {
    let pg = Playground::get();
    move || {
        pg.panel.get().map(|panel| {
            let body = match panel {
                Panel::Explain { user, tenant } => {
                    view! { <explain::ExplainPanel user=user tenant=tenant/> }.into_any()
                }
                Panel::Review => view! { <review::ReviewPanel/> }.into_any(),
                Panel::Lessons => view! { <lessons::LessonsPanel/> }.into_any(),
            };
            view! {
                <aside class="tool-panel" data-testid="tool-panel" aria-label="Tool panel">
                    {body}
                </aside>
            }
        })
    }
}

/// The panel's header: kind badge, title, close button.
pub fn panel_header(kind: &'static str, title: impl IntoView + 'static) -> impl IntoView {
    let pg = Playground::get();
    view! {
        <div class="inspector-header panel-header">
            <div class="inspector-kind">
                <span class="kind-badge panel">{kind}</span>
                <button class="btn icon-only push-right" data-testid="close-panel" aria-label="Close the panel"
                    on:click=move |_| pg.panel.set(None)>"×"</button>
            </div>
            <h2 data-testid="panel-title">{title}</h2>
        </div>
    }
}

/// A link that selects a tenant or a sync job (its arrow) on the canvas and in the inspector, or
/// opens a user's details in their tenant's inspector.
pub fn select_link(selection: Selection, label: String) -> impl IntoView {
    let pg = Playground::get();
    let (testid, title, tenant, job) = match &selection {
        Selection::Job(id) => (
            "select-job",
            "Select this sync job on the canvas",
            None,
            Some(id.clone()),
        ),
        Selection::User { tenant, .. } => (
            "select-user",
            "Show this user in their tenant",
            Some(tenant.clone()),
            None,
        ),
        other => (
            "select-tenant",
            "Select this tenant on the canvas",
            other.tenant().map(str::to_string),
            None,
        ),
    };
    view! {
        <button class="btn link inline-link" data-testid=testid data-tenant=tenant data-job=job title=title
            on:click=move |_| pg.selection.set(selection.clone())>{label}</button>
    }
}

/// A decision a reason rests on: its docs/decisions.md row, folded.
pub fn decision_note(d: DecisionRow) -> impl IntoView {
    view! {
        <details class="decision" on:click=|ev| ev.stop_propagation()>
            <summary>{format!("docs/decisions.md — {}", d.topic)}</summary>
            <p>{d.behaviour}</p>
        </details>
    }
}
