//! Modal dialogs: a backdrop and a `role="dialog"` box that keeps keyboard focus inside while it is
//! open (Tab and Shift+Tab cycle through its controls), closes on Escape, and gives focus back to
//! the control that opened it when it closes — however it closes.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What can take keyboard focus inside a dialog.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

/// Whether a modal dialog is open: the page's shortcuts (undo, redo, Delete) wait until it closes.
pub fn is_open() -> bool {
    document()
        .query_selector("[aria-modal=\"true\"]")
        .ok()
        .flatten()
        .is_some()
}

/// A modal dialog. `close` runs on Escape and, when `close_on_backdrop`, on a click outside the box.
/// The element with `autofocus` (else the first control) gets focus when it opens.
#[component]
pub fn Modal(
    close: Callback<()>,
    /// The id of the element that names the dialog (its heading).
    labelledby: &'static str,
    testid: &'static str,
    /// Extra classes of the box (`"modal about"`).
    #[prop(default = "modal")]
    class: &'static str,
    #[prop(default = false)] close_on_backdrop: bool,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Div>::new();
    // The control that opened the dialog still has focus while the dialog is being built.
    let opener = StoredValue::new_local(
        document()
            .active_element()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
    );
    let focusables = move || -> Vec<web_sys::HtmlElement> {
        let Some(root) = dialog.get_untracked() else {
            return Vec::new();
        };
        let Ok(list) = root.query_selector_all(FOCUSABLE) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            // Hidden controls (display: none) have no layout box and cannot take focus.
            .filter(|e| e.offset_parent().is_some())
            .collect()
    };
    Effect::new(move |_| {
        let Some(root) = dialog.get() else { return };
        let first = root
            .query_selector("[autofocus]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .or_else(|| focusables().into_iter().next());
        if let Some(el) = first {
            let _ = el.focus();
        }
    });
    let keys = window_event_listener(leptos::ev::keydown, move |ev| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            close.run(());
        }
        "Tab" => {
            let items = focusables();
            let (Some(first), Some(last)) = (items.first(), items.last()) else {
                ev.prevent_default();
                return;
            };
            let active = document().active_element();
            let inside = match (&active, dialog.get_untracked()) {
                (Some(a), Some(root)) => root.contains(Some(a.as_ref())),
                _ => false,
            };
            let at = |el: &web_sys::HtmlElement| {
                active
                    .as_ref()
                    .is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>())
            };
            let next = if !inside {
                Some(if ev.shift_key() { last } else { first })
            } else if ev.shift_key() && at(first) {
                Some(last)
            } else if !ev.shift_key() && at(last) {
                Some(first)
            } else {
                None
            };
            if let Some(el) = next {
                ev.prevent_default();
                let _ = el.focus();
            }
        }
        _ => {}
    });
    on_cleanup(move || {
        keys.remove();
        if let Some(Some(el)) = opener.try_get_value() {
            if el.is_connected() {
                let _ = el.focus();
            }
        }
    });
    view! {
        <div class="modal-backdrop" on:click=move |_| if close_on_backdrop { close.run(()) }>
            <div class=class role="dialog" aria-modal="true" aria-labelledby=labelledby data-testid=testid
                node_ref=dialog on:click=|ev| ev.stop_propagation()>
                {children()}
            </div>
        </div>
    }
}
