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
    view! {
        <div class="app">
            <header class="app-header" data-testid="app-header">
                <span class="product">"ctsync"</span>
                <span class="tagline">"Entra ID cross-tenant synchronization playground"</span>
                <span class="scenario-name" data-testid="scenario-name">{name}</span>
            </header>
            <main class="workspace">
                <section class="canvas-pane" aria-label="Topology">
                    <TopologyCanvas/>
                </section>
                <aside class="inspector" data-testid="inspector" aria-label="Inspector">
                    <h2>"Inspector"</h2>
                    <p class="empty">"Select a tenant or a sync job to see its settings."</p>
                </aside>
            </main>
            <section class="timeline" data-testid="timeline" aria-label="Timeline">
                <h2>"Timeline"</h2>
                <p class="empty">"No cycles run yet."</p>
            </section>
        </div>
    }
}
