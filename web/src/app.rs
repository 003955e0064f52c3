//! The app shell: header (scenario name and save status, local scenarios, templates, share links,
//! import/export, undo/redo, the design review's counts, Lessons, Compare, About), the topology
//! canvas with the tool panel and the inspector beside it, and the timeline with the change view
//! under it. The root state ([`Playground`]) and the local-scenario state ([`Local`]) are created
//! here and provided as context. A scenario that fails to load is an error panel with a way out,
//! never a blank page.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::about::AboutDialog;
use crate::canvas::{self, TopologyCanvas};
use crate::changes::ChangeView;
use crate::examples::{self, TEMPLATES};
use crate::files;
use crate::inspector::Inspector;
use crate::local::{self, BannerKind, Local, SaveStatus};
use crate::modal::Modal;
use crate::panels::review::ReviewButton;
use crate::panels::{
    self,
    compare::CompareDialog,
    lessons::{LessonTracking, Progress},
    ToolPanel,
};
use crate::scenarios::{self, ScenariosPanel};
use crate::share::{CopyLinkDialog, OpenLinkDialog};
use crate::state::{Panel, Playground, RunState};
use crate::timeline::TimeControls;

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    match examples::default_scenario() {
        Ok(scenario) => {
            let pg = Playground::new(scenario);
            pg.provide();
            local::start(pg);
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

/// A modal question: the scenario to open if the user confirms discarding their changes (asked
/// only when storage refuses both the new scenario and the changes).
#[derive(Debug, Clone, PartialEq)]
struct PendingLoad {
    title: String,
    scenario: ctsync_core::Scenario,
}

/// Whether keyboard focus is in a text field (its own undo and Delete apply there).
fn typing_in_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.get_attribute("contenteditable").is_some()
        })
        .unwrap_or(false)
}

/// Whether a key event comes from the canvas, or from no control in particular (the page body).
fn on_canvas_or_page(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| el.tag_name() == "BODY" || el.closest(".canvas-pane").ok().flatten().is_some())
        .unwrap_or(true)
}

#[component]
fn Shell() -> impl IntoView {
    let pg = Playground::get();
    let local = Local::get();
    let name = move || {
        let current = local.current.get();
        local
            .entries
            .with(|entries| {
                entries
                    .iter()
                    .find(|e| Some(&e.id) == current.as_ref())
                    .map(|e| e.name.clone())
            })
            .unwrap_or_else(|| pg.with_scenario(|s| s.name.clone()))
    };
    let description = move || pg.with_scenario(|s| s.description.clone());
    let templates_open = RwSignal::new(false);
    let about_open = RwSignal::new(false);
    let scenarios_open = RwSignal::new(false);
    let copy_link_open = RwSignal::new(false);
    let open_link_open = RwSignal::new(false);
    let pending_load = RwSignal::new(None::<PendingLoad>);
    let file_input = NodeRef::<leptos::html::Input>::new();
    panels::review::provide();
    Progress::provide();
    LessonTracking::provide();

    // A template or a file opens as a new local scenario (or the local one with the same content).
    let open_scenario = move |title: String, origin: String, scenario: ctsync_core::Scenario| {
        let view = ctsync_core::link::ViewState::default();
        match local.open_new(pg, scenario.clone(), view, &origin) {
            Ok(local::Opened::New(name)) => pg.say(format!(
                "Opened \"{title}\" as a new local scenario, \"{name}\"."
            )),
            Ok(local::Opened::Existing(name)) => pg.say(format!(
                "You already have \"{title}\" unchanged as \"{name}\": opened it."
            )),
            Ok(local::Opened::InPageOnly(_)) => {
                pg.say(format!("Opened \"{title}\" in this page only."))
            }
            Err(_) => pending_load.set(Some(PendingLoad { title, scenario })),
        }
    };

    // Keyboard shortcuts: undo/redo and Delete, except while typing in a field.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        // A field keeps its own keys; an open dialog keeps the page's (it handles Escape itself).
        if typing_in_field(&ev) || crate::modal::is_open() {
            return;
        }
        let ctrl = ev.ctrl_key() || ev.meta_key();
        match ev.key().as_str() {
            "z" | "Z" if ctrl && ev.shift_key() => {
                ev.prevent_default();
                pg.redo();
            }
            "z" | "Z" if ctrl => {
                ev.prevent_default();
                pg.undo();
            }
            "y" | "Y" if ctrl => {
                ev.prevent_default();
                pg.redo();
            }
            // Delete acts on the canvas's selection, from the canvas (or nowhere in particular).
            "Delete" if on_canvas_or_page(&ev) => {
                ev.prevent_default();
                canvas::delete_selection(pg);
            }
            "Escape" => {
                templates_open.set(false);
                about_open.set(false);
                scenarios_open.set(false);
                copy_link_open.set(false);
                open_link_open.set(false);
                pending_load.set(None);
                pg.compare_open.set(false);
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());

    let export_json = move |_| {
        let name = pg.with_scenario(|s| canvas::file_stem(&s.name));
        match files::download_text(
            &format!("{name}.json"),
            "application/json",
            &pg.scenario_json(),
        ) {
            Ok(()) => pg.dirty.set(false),
            Err(e) => pg.complain(format!("The scenario could not be saved: {e}")),
        }
    };
    let import = move |ev: leptos::ev::Event| {
        files::read_picked_scenario(&ev, move |result| match result {
            Ok((file, scenario)) => {
                let title = format!("{} ({file})", scenario.name);
                open_scenario(title, format!("Imported from {file}"), scenario);
            }
            Err(message) => pg.complain(message),
        });
    };

    view! {
        <div class="app">
            <header class="app-header" data-testid="app-header">
                <svg class="logo" viewBox="0 0 24 24" aria-hidden="true">
                    <rect x="1.5" y="6" width="8" height="12" rx="2"/>
                    <rect x="14.5" y="6" width="8" height="12" rx="2"/>
                    <path d="M9.5 12h5"/>
                </svg>
                <span class="product">"ctsync"</span>
                <span class="tagline">"Cross-tenant synchronization playground"</span>
                <span class="scenario-name" data-testid="scenario-name" title=description>{name}</span>
                {move || {
                    let (text, title, class) = match local.status.get() {
                        SaveStatus::Saved(at) => ("Saved", format!("Saved in this browser ({})", scenarios::when(at)), "save-status"),
                        SaveStatus::Pending => ("Saving…", "Changes are saved half a second after the last one".to_string(), "save-status"),
                        SaveStatus::Failed(why) => ("Not saved", format!("Not saved in this browser: {why}"), "save-status failed"),
                    };
                    view! { <span class=class data-testid="save-status" title=title>{text}</span> }
                }}
                <nav class="header-actions" aria-label="Scenario">
                    <button class="header-btn" data-testid="scenarios" aria-haspopup="dialog"
                        on:click=move |_| scenarios_open.set(true)>"Scenarios"</button>
                    <div class="menu">
                        <button class="header-btn" data-testid="templates" aria-haspopup="true"
                            aria-expanded=move || templates_open.get().to_string()
                            on:click=move |_| templates_open.update(|o| *o = !*o)>
                            "Templates ▾"
                        </button>
                        {move || templates_open.get().then(|| view! {
                            <div class="menu-dismiss" aria-hidden="true" on:click=move |_| templates_open.set(false)></div>
                            <ul class="menu-list" role="menu" data-testid="templates-menu">
                                {TEMPLATES.iter().map(|t| view! {
                                    <li role="none">
                                        <button role="menuitem" class="menu-item" data-testid="template" data-template=t.id
                                            on:click=move |_| {
                                                templates_open.set(false);
                                                match examples::load(t) {
                                                    Ok(s) => open_scenario(t.label.to_string(), format!("Template \"{}\"", t.label), s),
                                                    Err(e) => pg.complain(e),
                                                }
                                            }>
                                            <span class="menu-label">{t.label}</span>
                                            <span class="menu-summary">{t.summary}</span>
                                        </button>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
                    </div>
                    <button class="header-btn" data-testid="import" on:click=move |_| {
                        if let Some(input) = file_input.get_untracked() { input.click(); }
                    }>"Import"</button>
                    <input type="file" accept=".json,application/json" class="visually-hidden" tabindex="-1"
                        data-testid="import-file" node_ref=file_input on:change=import/>
                    <button class="header-btn" data-testid="export-json" on:click=export_json title="Save the scenario as JSON">"Export"</button>
                    <span class="header-sep" aria-hidden="true"></span>
                    <button class="header-btn" data-testid="copy-link" aria-haspopup="dialog" title="A link to this scenario at this tick"
                        on:click=move |_| copy_link_open.set(true)>"Copy link"</button>
                    <button class="header-btn" data-testid="open-link" aria-haspopup="dialog" title="Open a pasted ctsync link"
                        on:click=move |_| open_link_open.set(true)>"Open link"</button>
                    <span class="header-sep" aria-hidden="true"></span>
                    <button class="header-btn" data-testid="undo" title="Undo (Ctrl+Z)"
                        disabled=move || !pg.can_undo() on:click=move |_| pg.undo()>"↶ Undo"</button>
                    <button class="header-btn" data-testid="redo" title="Redo (Ctrl+Shift+Z)"
                        disabled=move || !pg.can_redo() on:click=move |_| pg.redo()>"↷ Redo"</button>
                    <span class="header-sep" aria-hidden="true"></span>
                    <ReviewButton/>
                    <button class="header-btn" data-testid="lessons" title="Guided lessons on the documented pitfalls"
                        aria-pressed=move || (pg.panel.get() == Some(Panel::Lessons)).to_string()
                        on:click=move |_| pg.panel.update(|p| *p = if *p == Some(Panel::Lessons) { None } else { Some(Panel::Lessons) })>"Lessons"</button>
                    <button class="header-btn" data-testid="compare" title="Compare two designs side by side"
                        on:click=move |_| pg.compare_open.set(true)>"Compare"</button>
                    <span class="header-sep" aria-hidden="true"></span>
                    <button class="header-btn" data-testid="about" on:click=move |_| about_open.set(true)>"About"</button>
                </nav>
            </header>
            <div class="banner-slot">
            {move || local.banner.get().map(|b| {
                let full = b.kind == BannerKind::StorageFull;
                view! {
                    <div class="banner" class:error=b.kind != BannerKind::Storage data-testid="banner" data-kind=format!("{:?}", b.kind) role="alert">
                        <span class="banner-text">{b.text}</span>
                        {full.then(|| view! {
                            <button class="btn small" data-testid="banner-export" on:click=export_json>"Export JSON"</button>
                            <button class="btn small" on:click=move |_| scenarios_open.set(true)>"Scenarios"</button>
                        })}
                        <button class="btn icon-only" aria-label="Dismiss" data-testid="banner-dismiss" on:click=move |_| local.banner.set(None)>"×"</button>
                    </div>
                }
            })}
            </div>
            <main class="workspace" class:with-panel=move || pg.panel.with(Option::is_some)>
                <section class="canvas-pane" aria-label="Topology">
                    <TopologyCanvas/>
                </section>
                <ToolPanel/>
                <aside class="inspector" data-testid="inspector" aria-label="Inspector">
                    <Inspector/>
                </aside>
            </main>
            <section class="timeline" data-testid="timeline" aria-label="Timeline">
                <TimeControls/>
                <ChangeView/>
            </section>
            {move || pg.notice.get().map(|n| view! {
                <div class="notice" class:error=n.error data-testid="notice" role=if n.error { "alert" } else { "status" }>
                    <span>{n.text}</span>
                    <button class="btn icon-only" aria-label="Dismiss" on:click=move |_| pg.notice.set(None)>"×"</button>
                </div>
            })}
            {move || local.undo_offer.get().map(|id| {
                let name = local.trash.with(|t| t.iter().find(|t| t.removed.entry.id == id).map(|t| t.removed.entry.name.clone())).unwrap_or_default();
                view! {
                    <div class="notice undo-notice" data-testid="undo-delete-notice" role="status">
                        <span>{format!("Deleted \"{name}\".")}</span>
                        <button class="btn" data-testid="undo-delete" on:click=move |_| {
                            if let Err(e) = local.undo_delete(pg, &id) {
                                pg.complain(format!("The scenario could not be restored: {e}"));
                            }
                        }>"Undo"</button>
                        <button class="btn icon-only" aria-label="Dismiss" on:click=move |_| local.undo_offer.set(None)>"×"</button>
                    </div>
                }
            })}
            {move || pending_load.get().map(|p| {
                let PendingLoad { title, scenario } = p;
                let title_for_button = title.clone();
                view! {
                    <Modal close=Callback::new(move |()| pending_load.set(None)) labelledby="confirm-title" testid="confirm-dialog">
                            <h2 id="confirm-title">"Discard your changes?"</h2>
                            <p>{format!("The browser's storage refused to keep your changes, so opening \"{title}\" would replace them. Export the scenario as JSON first to keep your work.")}</p>
                            <div class="modal-actions">
                                <button class="btn primary" data-testid="confirm-open" on:click=move |_| {
                                    pending_load.set(None);
                                    local.open_in_page(pg, scenario.clone());
                                    pg.say(format!("Opened \"{title_for_button}\"."));
                                }>"Discard and open"</button>
                                <button class="btn" data-testid="confirm-cancel" autofocus on:click=move |_| pending_load.set(None)>"Cancel"</button>
                            </div>
                    </Modal>
                }
            })}
            {move || about_open.get().then(|| view! { <AboutDialog open=about_open/> })}
            {move || scenarios_open.get().then(|| view! { <ScenariosPanel open=scenarios_open/> })}
            {move || copy_link_open.get().then(|| view! { <CopyLinkDialog open=copy_link_open/> })}
            {move || open_link_open.get().then(|| view! { <OpenLinkDialog open=open_link_open/> })}
            {move || pg.compare_open.get().then(|| view! { <CompareDialog/> })}
            {move || matches!(pg.run.get(), RunState::Running { .. }).then(|| view! { <div class="busy-bar" aria-hidden="true"></div> })}
        </div>
    }
}
