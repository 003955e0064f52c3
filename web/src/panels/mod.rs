//! The tool panels docked between the canvas and the inspector — an explanation ("why is this user
//! (not) here?"), the design review, the lessons — and the compare view (a dialog). Each shows what
//! core computes (`explain`, `lint`, `lessons`, `compare`); links in them select objects on the
//! canvas and in the inspector.

pub mod compare;
mod explain;
pub use explain::WhyNotHere;
pub mod lessons;
pub mod review;

use ctsync_core::scenario::UserRef;
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

/// A link that selects a tenant on the canvas and in the inspector.
pub fn tenant_link(id: String, label: String) -> impl IntoView {
    let pg = Playground::get();
    let target = id.clone();
    view! {
        <button class="btn link inline-link" data-testid="select-tenant" data-tenant=id
            title="Select this tenant on the canvas"
            on:click=move |_| pg.selection.set(Selection::Tenant(target.clone()))>{label}</button>
    }
}

/// A link that selects a sync job (its arrow) on the canvas and in the inspector.
pub fn job_link(id: String, label: String) -> impl IntoView {
    let pg = Playground::get();
    let target = id.clone();
    view! {
        <button class="btn link inline-link" data-testid="select-job" data-job=id
            title="Select this sync job on the canvas"
            on:click=move |_| pg.selection.set(Selection::Job(target.clone()))>{label}</button>
    }
}

/// A link that opens a user's details in their tenant's inspector (the Users tab).
pub fn user_link(tenant: String, user: UserRef, label: String) -> impl IntoView {
    let pg = Playground::get();
    let target = tenant.clone();
    view! {
        <button class="btn link inline-link" data-testid="select-user" data-tenant=tenant
            title="Show this user in their tenant"
            on:click=move |_| pg.selection.set(Selection::User { tenant: target.clone(), user: user.clone() })>{label}</button>
    }
}
