//! The "Scenarios" panel: the local scenarios kept in this browser (open, rename, duplicate,
//! delete with undo) and those deleted since the page loaded (restore). The list and its rules
//! are `local.rs`; this only renders and dispatches.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::local::Local;
use crate::modal::Modal;
use crate::state::Playground;
use crate::storage::Entry;

/// "today 14:05", or the date and time, of a time in ms since the epoch.
pub fn when(ms: f64) -> String {
    if ms <= 0.0 {
        return "unknown".into();
    }
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    let today = js_sys::Date::new_0();
    let time = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
    if date.to_date_string() == today.to_date_string() {
        format!("today {time}")
    } else {
        format!(
            "{}-{:02}-{:02} {time}",
            date.get_full_year(),
            date.get_month() + 1,
            date.get_date()
        )
    }
}

#[component]
fn EntryRow(entry: Entry, open: RwSignal<bool>) -> impl IntoView {
    let pg = Playground::get();
    let local = Local::get();
    let renaming = RwSignal::new(false);
    let rename_field = NodeRef::<leptos::html::Input>::new();
    // The field takes the focus when it appears, its text selected.
    Effect::new(move |_| {
        if let Some(field) = rename_field.get() {
            let _ = field.focus();
            field.select();
        }
    });
    let draft = RwSignal::new(entry.name.clone());
    let id = entry.id.clone();
    let is_current = {
        let id = id.clone();
        move || local.current.get().as_deref() == Some(id.as_str())
    };
    let meta = format!(
        "tick {} · changed {}{}",
        entry.tick,
        when(entry.updated),
        if entry.origin.is_empty() {
            String::new()
        } else {
            format!(" · {}", entry.origin)
        }
    );
    let open_it = {
        let id = id.clone();
        move |_| match local.open(pg, &id) {
            Ok(()) => open.set(false),
            Err(e) => pg.complain(format!("The scenario could not be opened: {e}")),
        }
    };
    let commit = {
        let id = id.clone();
        move || {
            let name = draft.get_untracked();
            if name.trim().is_empty() {
                return;
            }
            if let Err(e) = local.rename(&id, &name) {
                pg.complain(format!("The scenario was not renamed: {e}"));
            }
            renaming.set(false);
        }
    };
    let commit_on_key = commit.clone();
    let duplicate = {
        let id = id.clone();
        move |_| match local.duplicate(pg, &id) {
            Ok(copy) => pg.say(format!("Duplicated as \"{}\".", copy.name)),
            Err(e) => pg.complain(format!("The scenario was not duplicated: {e}")),
        }
    };
    let delete = {
        let id = id.clone();
        move |_| {
            if let Err(e) = local.delete(pg, &id) {
                pg.complain(format!("The scenario was not deleted: {e}"));
            }
        }
    };
    let name = entry.name.clone();
    let current_class = is_current.clone();
    view! {
        <li class="scenario-entry" class:current=current_class data-testid="scenario-entry" data-id=id.clone()>
            <div class="scenario-entry-main">
                {move || if renaming.get() {
                    let commit = commit.clone();
                    let commit_on_key = commit_on_key.clone();
                    view! {
                        <input class="scenario-rename" data-testid="scenario-rename-input" aria-label="New name"
                            prop:value=move || draft.get()
                            node_ref=rename_field
                            on:input=move |ev| {
                                let value = ev.target()
                                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                    .map(|t| t.value())
                                    .unwrap_or_default();
                                draft.set(value);
                            }
                            on:keydown=move |ev| match ev.key().as_str() {
                                "Enter" => commit_on_key(),
                                "Escape" => { ev.stop_propagation(); renaming.set(false); }
                                _ => {}
                            }/>
                        <button class="btn small primary" data-testid="scenario-rename-save" on:click=move |_| commit()>"Save"</button>
                    }.into_any()
                } else {
                    let name = name.clone();
                    let open_it = open_it.clone();
                    view! {
                        <button class="btn link scenario-open" data-testid="scenario-open" on:click=open_it
                            title="Open this scenario at the tick it was left at">
                            <span data-testid="scenario-entry-name">{name}</span>
                        </button>
                    }.into_any()
                }}
                {move || is_current().then(|| view! { <span class="scenario-current">"open now"</span> })}
                <div class="scenario-meta">{meta.clone()}</div>
            </div>
            <div class="scenario-actions">
                <button class="btn small" data-testid="scenario-rename" on:click=move |_| renaming.set(true)>"Rename"</button>
                <button class="btn small" data-testid="scenario-duplicate" on:click=duplicate>"Duplicate"</button>
                <button class="btn small danger" data-testid="scenario-delete" on:click=delete>"Delete"</button>
            </div>
        </li>
    }
}

/// The panel, as a dialog.
#[component]
pub fn ScenariosPanel(open: RwSignal<bool>) -> impl IntoView {
    let pg = Playground::get();
    let local = Local::get();
    let close_button = NodeRef::<leptos::html::Button>::new();
    // Keyboard focus moves into the panel when it opens.
    Effect::new(move |_| {
        if let Some(button) = close_button.get() {
            let _ = button.focus();
        }
    });
    view! {
        <Modal close=Callback::new(move |()| open.set(false)) labelledby="scenarios-title" testid="scenarios-panel"
            class="modal scenarios" close_on_backdrop=true>
                <div class="modal-header">
                    <h2 id="scenarios-title">"Scenarios in this browser"</h2>
                    <button class="btn icon-only" aria-label="Close" data-testid="scenarios-close" node_ref=close_button on:click=move |_| open.set(false)>"×"</button>
                </div>
                <div class="scenarios-body">
                    <p class="scenarios-hint">"Every change is saved here as you work. Templates, imported files and opened links each become a scenario of their own; nothing replaces another."</p>
                    {move || {
                        let entries = local.entries.get();
                        if entries.is_empty() {
                            view! { <p class="scenarios-empty" data-testid="scenarios-empty">"No scenario is stored in this browser."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="scenario-list" data-testid="scenario-list">
                                    {entries.into_iter().map(|entry| view! { <EntryRow entry=entry open=open/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                    {move || {
                        let trash = local.trash.get();
                        (!trash.is_empty()).then(|| view! {
                            <h3 class="scenarios-trash-title">"Deleted since this page loaded"</h3>
                            <ul class="scenario-list trash" data-testid="scenario-trash">
                                {trash.into_iter().rev().map(|t| {
                                    let id = t.removed.entry.id.clone();
                                    let data_id = id.clone();
                                    view! {
                                        <li class="scenario-entry" data-testid="trash-entry" data-id=data_id>
                                            <div class="scenario-entry-main">
                                                <span>{t.removed.entry.name.clone()}</span>
                                                <div class="scenario-meta">"gone for good when the page reloads"</div>
                                            </div>
                                            <div class="scenario-actions">
                                                <button class="btn small" data-testid="trash-restore" on:click=move |_| {
                                                    if let Err(e) = local.undo_delete(pg, &id) {
                                                        pg.complain(format!("The scenario could not be restored: {e}"));
                                                    }
                                                }>"Restore"</button>
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        })
                    }}
                </div>
        </Modal>
    }
}
