//! The app shell: header, topology canvas, inspector and timeline, around one scenario held at the root.

use leptos::prelude::*;

use crate::canvas::TopologyCanvas;
use crate::examples;

/// The root component. The scenario lives here and reaches components through context.
#[component]
pub fn App() -> impl IntoView {
    match examples::default_scenario() {
        Ok(scenario) => {
            let scenario = RwSignal::new(scenario);
            provide_context(scenario);
            view! { <Shell/> }.into_any()
        }
        Err(message) => view! {
            <div class="load-error" data-testid="load-error" role="alert">
                <h1>"ctsync could not load its example scenario"</h1>
                <p>{message}</p>
            </div>
        }
        .into_any(),
    }
}

#[component]
fn Shell() -> impl IntoView {
    let scenario = expect_context::<RwSignal<ctsync_core::Scenario>>();
    let name = move || scenario.with(|s| s.name.clone());
    let description = move || scenario.with(|s| s.description.clone());
    view! {
        <div class="app">
            <header class="app-header" data-testid="app-header">
                <svg class="logo" viewBox="0 0 24 24" aria-hidden="true">
                    <rect x="1.5" y="6" width="8" height="12" rx="2"/>
                    <rect x="14.5" y="6" width="8" height="12" rx="2"/>
                    <path d="M9.5 12h5"/>
                </svg>
                <span class="product">"ctsync"</span>
                <span class="tagline">"Entra ID cross-tenant synchronization playground"</span>
                <span class="scenario-label">"Scenario"</span>
                <span class="scenario-name" data-testid="scenario-name">{name}</span>
            </header>
            <main class="workspace">
                <section class="canvas-pane" aria-label="Topology">
                    <div class="pane-header">
                        <h2>"Topology"</h2>
                        <p class="pane-subtitle" title=description>{description}</p>
                    </div>
                    <TopologyCanvas/>
                </section>
                <aside class="inspector" data-testid="inspector" aria-label="Inspector">
                    <div class="pane-header">
                        <h2>"Inspector"</h2>
                    </div>
                    <p class="empty">"Select a tenant or a sync job to see its settings."</p>
                </aside>
            </main>
            <section class="timeline" data-testid="timeline" aria-label="Timeline">
                <div class="pane-header">
                    <h2>"Timeline"</h2>
                    <p class="pane-subtitle">"Sync cycles run every 40 minutes"</p>
                </div>
                <p class="empty">"No cycles run yet."</p>
            </section>
        </div>
    }
}
