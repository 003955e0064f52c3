//! Share links in the page: the "Copy link" dialog (the link on the page's own address, put on the
//! clipboard, with its length) and the "Open link" dialog (a pasted link or fragment). The codec is
//! core's `link`; opening goes through [`Local::open_link`].

use ctsync_core::link::{self, CHAT_LINK_CHARS};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::local::{self, Local};
use crate::modal::Modal;
use crate::state::Playground;

/// What became of the copy to the clipboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copied {
    Trying,
    Yes,
    Refused,
}

/// Digits with thousands separators, as the docs write lengths.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The link to the scenario open now, at its tick and selection, on the page's own address.
pub fn current_link(pg: Playground) -> String {
    let view = local::view_of(pg);
    let payload = pg.with_scenario_untracked(|s| link::encode(s, &view));
    format!("{}#{payload}", local::page_address())
}

/// The "Copy link" dialog: builds the link when it opens and tries the clipboard at once.
#[component]
pub fn CopyLinkDialog(open: RwSignal<bool>) -> impl IntoView {
    let pg = Playground::get();
    let url = current_link(pg);
    let length = url.chars().count();
    let fragment = url.len() - url.find('#').unwrap_or(0);
    let copied = RwSignal::new(Copied::Trying);
    let field = NodeRef::<leptos::html::Textarea>::new();
    let select_field = move || {
        if let Some(field) = field.get_untracked() {
            let _ = field.focus();
            field.select();
        }
    };
    let copy = {
        let url = url.clone();
        move || {
            copied.set(Copied::Trying);
            let Some(window) = web_sys::window() else {
                copied.set(Copied::Refused);
                return;
            };
            let navigator = window.navigator();
            // `navigator.clipboard` exists only in secure contexts (https, localhost).
            let present = js_sys::Reflect::get(&navigator, &"clipboard".into())
                .map(|v| !v.is_undefined() && !v.is_null())
                .unwrap_or(false);
            if !present {
                copied.set(Copied::Refused);
                select_field();
                return;
            }
            let promise = navigator.clipboard().write_text(&url);
            leptos::task::spawn_local(async move {
                let result = wasm_bindgen_futures::JsFuture::from(promise).await;
                copied.set(if result.is_ok() {
                    Copied::Yes
                } else {
                    Copied::Refused
                });
                if result.is_err() {
                    select_field();
                }
            });
        }
    };
    copy();
    let copy_again = copy.clone();
    Effect::new(move |_| select_field());
    view! {
        <Modal close=Callback::new(move |()| open.set(false)) labelledby="copy-link-title" testid="link-dialog"
            class="modal share" close_on_backdrop=true>
                <h2 id="copy-link-title">"Share link"</h2>
                <p class="share-status" data-testid="link-status" role="status">{move || match copied.get() {
                    Copied::Trying => "Copying to the clipboard…",
                    Copied::Yes => "Copied to the clipboard. Anyone who opens it gets their own copy of this scenario, at this tick.",
                    Copied::Refused => "The browser did not allow copying: the link is selected below, copy it with Ctrl+C.",
                }}</p>
                <textarea class="share-text" readonly rows="4" spellcheck="false" aria-label="The link"
                    data-testid="link-text" node_ref=field>{url.clone()}</textarea>
                <p class="share-length" data-testid="link-length">
                    {format!("{} characters ({} from the '#')", thousands(length), thousands(fragment))}
                </p>
                {(length > CHAT_LINK_CHARS).then(|| view! {
                    <p class="share-warning" data-testid="link-warning" role="alert">
                        {format!("Longer than {} characters: some chat apps and e-mail clients cut links this long. Export the scenario as JSON to share it as a file instead.", thousands(CHAT_LINK_CHARS))}
                    </p>
                })}
                <div class="modal-actions">
                    <button class="btn" data-testid="link-copy-again" on:click=move |_| copy_again()>"Copy again"</button>
                    <button class="btn primary" data-testid="link-close" on:click=move |_| open.set(false)>"Close"</button>
                </div>
        </Modal>
    }
}

/// The "Open link" dialog: a pasted link (a whole URL, `#…` or the text after the `#`) opens as
/// a local scenario; a bad one says why, in the dialog.
#[component]
pub fn OpenLinkDialog(open: RwSignal<bool>) -> impl IntoView {
    let pg = Playground::get();
    let local = Local::get();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let field = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(field) = field.get() {
            let _ = field.focus();
        }
    });
    let go = move || {
        let value = text.get_untracked();
        if value.trim().is_empty() {
            error.set(Some("Paste a ctsync link first.".into()));
            return;
        }
        match local.open_link(pg, &value) {
            Ok(()) => open.set(false),
            Err(e) => error.set(Some(local::bad_link_text(&e))),
        }
    };
    view! {
        <Modal close=Callback::new(move |()| open.set(false)) labelledby="open-link-title" testid="open-link-dialog"
            class="modal share" close_on_backdrop=true>
                <h2 id="open-link-title">"Open a link"</h2>
                <p>"Paste a ctsync share link. It opens as a new local scenario beside your own; nothing you have is replaced."</p>
                <textarea class="share-text" rows="4" spellcheck="false" aria-label="Link to open"
                    placeholder="https://…/#2.…" data-testid="open-link-text" node_ref=field
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        let value = ev.target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                            .map(|t| t.value())
                            .unwrap_or_default();
                        text.set(value);
                        error.set(None);
                    }
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" && !ev.shift_key() {
                            ev.prevent_default();
                            go();
                        }
                    }></textarea>
                {move || error.get().map(|e| view! { <p class="share-warning" role="alert" data-testid="open-link-error">{e}</p> })}
                <div class="modal-actions">
                    <button class="btn primary" data-testid="open-link-go" on:click=move |_| go()>"Open"</button>
                    <button class="btn" data-testid="open-link-cancel" on:click=move |_| open.set(false)>"Cancel"</button>
                </div>
        </Modal>
    }
}
