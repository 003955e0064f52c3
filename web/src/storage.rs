//! The browser storage of local scenarios: the only module that touches `localStorage` (and asks
//! the browser to keep it). Scenarios are stored in core's link form (`link::encode`: compact,
//! deflated, base64url), so storage holds what a share link holds and is read back by the same,
//! validating decoder.
//!
//! Layout (one origin, so every copy of the site on it shares the list):
//!
//! - `ctsync.v1.index` — JSON `{"lastOpen": "<id>", "entries": [Entry, …]}`: the list.
//! - `ctsync.v1.scenario.<id>` — one scenario in link form.
//! - `ctsync.lessons.progress` — the ids of the completed lessons (JSON array), for the lessons panel.
//!
//! The API other components use: [`list`] (the entries, most recently changed first) and
//! [`load`] (one scenario and its view by id). Writes re-read the index first, so two tabs lose
//! at most each other's ordering, never a scenario.

use ctsync_core::link::{self, Selection, ViewState};
use ctsync_core::Scenario;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

/// The key of the list of local scenarios.
pub const INDEX_KEY: &str = "ctsync.v1.index";
/// The prefix of each scenario's key (the id follows).
pub const DATA_PREFIX: &str = "ctsync.v1.scenario.";

/// One local scenario, as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: String,
    /// The local name (starts as the scenario's name; renaming changes only this).
    pub name: String,
    /// When it last changed, in milliseconds since the Unix epoch.
    pub updated: f64,
    /// The tick it was left at.
    #[serde(default)]
    pub tick: u64,
    /// What was selected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<Selection>,
    /// `link::content_hash` of the scenario as last saved: opening a scenario with the same
    /// content goes to this entry instead of making a copy.
    pub hash: String,
    /// Where it came from ("Opened from a link", "Template …", "Imported from x.json", …).
    #[serde(default)]
    pub origin: String,
}

impl Entry {
    /// The view the entry was left at.
    pub fn view(&self) -> ViewState {
        ViewState {
            tick: self.tick,
            selection: self.selection.clone(),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Index {
    #[serde(default)]
    last_open: Option<String>,
    #[serde(default)]
    entries: Vec<Entry>,
}

/// Why storage could not do what was asked.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    /// The browser has no storage for this page (disabled, or a private mode that refuses it).
    Unavailable(String),
    /// The browser's storage for this site is full (`QuotaExceededError`).
    Full,
    /// No local scenario has this id (deleted in another tab?).
    Missing(String),
    /// The stored text does not decode.
    Unreadable(link::LinkError),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Unavailable(why) => {
                write!(
                    f,
                    "this browser does not let the page use its storage ({why})"
                )
            }
            StoreError::Full => write!(f, "the browser's storage for this site is full"),
            StoreError::Missing(id) => write!(f, "no local scenario has the id {id}"),
            StoreError::Unreadable(e) => write!(f, "the stored scenario cannot be read: {e}"),
        }
    }
}

fn storage() -> Result<web_sys::Storage, StoreError> {
    let window = web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".into()))?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err(StoreError::Unavailable("no localStorage".into())),
        Err(e) => Err(StoreError::Unavailable(js_error_name(&e))),
    }
}

fn js_error_name(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<web_sys::DomException>()
        .map(|d| d.name())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

fn set(storage: &web_sys::Storage, key: &str, value: &str) -> Result<(), StoreError> {
    storage.set_item(key, value).map_err(|e| {
        let name = js_error_name(&e);
        if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" {
            StoreError::Full
        } else {
            StoreError::Unavailable(name)
        }
    })
}

fn get(storage: &web_sys::Storage, key: &str) -> Option<String> {
    storage.get_item(key).ok().flatten()
}

fn data_key(id: &str) -> String {
    format!("{DATA_PREFIX}{id}")
}

/// The index; an unreadable one is rebuilt from the stored scenarios (never dropped).
fn read_index(storage: &web_sys::Storage) -> Index {
    let parsed = get(storage, INDEX_KEY).map(|text| serde_json::from_str::<Index>(&text));
    match parsed {
        None => Index::default(),
        Some(Ok(index)) => index,
        Some(Err(_)) => rebuild_index(storage),
    }
}

fn rebuild_index(storage: &web_sys::Storage) -> Index {
    let mut entries = Vec::new();
    let count = storage.length().unwrap_or(0);
    for i in 0..count {
        let Some(key) = storage.key(i).ok().flatten() else {
            continue;
        };
        let Some(id) = key.strip_prefix(DATA_PREFIX) else {
            continue;
        };
        let Some(text) = get(storage, &key) else {
            continue;
        };
        if let Ok((scenario, view)) = link::decode_with(&text, &link::STORED_LIMITS) {
            entries.push(Entry {
                id: id.to_string(),
                name: scenario.name.clone(),
                updated: 0.0,
                tick: view.tick,
                selection: view.selection,
                hash: link::content_hash(&scenario),
                origin: "Recovered from this browser's storage".into(),
            });
        }
    }
    Index {
        last_open: None,
        entries,
    }
}

fn write_index(storage: &web_sys::Storage, index: &Index) -> Result<(), StoreError> {
    let text = serde_json::to_string(index).expect("the index serializes");
    set(storage, INDEX_KEY, &text)
}

/// Milliseconds since the Unix epoch.
pub fn now() -> f64 {
    js_sys::Date::now()
}

fn new_id() -> String {
    format!(
        "{:x}{:04x}",
        now() as u64,
        (js_sys::Math::random() * 65536.0) as u32
    )
}

/// Whether the browser lets the page use its storage at all.
pub fn available() -> Result<(), StoreError> {
    storage().map(|_| ())
}

/// The local scenarios, most recently changed first (empty when storage is unavailable).
pub fn list() -> Vec<Entry> {
    let Ok(storage) = storage() else {
        return Vec::new();
    };
    // Entries are trusted to have their data (writes store the data before the entry and remove
    // the entry before the data); reading every scenario here would copy megabytes each time.
    let mut entries = read_index(&storage).entries;
    ctsync_core::sort::sort_by(&mut entries, |a, b| b.updated.total_cmp(&a.updated));
    entries
}

/// One local scenario and the view it was left at.
pub fn load(id: &str) -> Result<(Scenario, ViewState), StoreError> {
    let storage = storage()?;
    let entry = read_index(&storage)
        .entries
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| StoreError::Missing(id.to_string()))?;
    let text = get(&storage, &data_key(id)).ok_or_else(|| StoreError::Missing(id.to_string()))?;
    let (scenario, _) =
        link::decode_with(&text, &link::STORED_LIMITS).map_err(StoreError::Unreadable)?;
    Ok((scenario, entry.view()))
}

/// The entry whose scenario has this content hash, if any (the most recently changed).
pub fn find_by_hash(hash: &str) -> Option<Entry> {
    list().into_iter().find(|e| e.hash == hash)
}

/// The id of the scenario that was open last.
pub fn last_open() -> Option<String> {
    let storage = storage().ok()?;
    read_index(&storage).last_open
}

/// Records the scenario that is open now.
pub fn set_last_open(id: &str) -> Result<(), StoreError> {
    let storage = storage()?;
    let mut index = read_index(&storage);
    index.last_open = Some(id.to_string());
    write_index(&storage, &index)
}

/// Stores `scenario` as a new local scenario named `name`, and makes it the last open one.
pub fn create(
    name: &str,
    origin: &str,
    scenario: &Scenario,
    view: &ViewState,
) -> Result<Entry, StoreError> {
    let storage = storage()?;
    let entry = Entry {
        id: new_id(),
        name: name.to_string(),
        updated: now(),
        tick: view.tick,
        selection: view.selection.clone(),
        hash: link::content_hash(scenario),
        origin: origin.to_string(),
    };
    let key = data_key(&entry.id);
    set(&storage, &key, &link::encode(scenario, view))?;
    let mut index = read_index(&storage);
    index.entries.push(entry.clone());
    index.last_open = Some(entry.id.clone());
    if let Err(e) = write_index(&storage, &index) {
        let _ = storage.remove_item(&key);
        return Err(e);
    }
    Ok(entry)
}

/// Saves a local scenario: its content when `scenario` is given (it changed), and always its
/// view. Returns the updated entry.
pub fn save(id: &str, scenario: Option<&Scenario>, view: &ViewState) -> Result<Entry, StoreError> {
    let storage = storage()?;
    let mut index = read_index(&storage);
    let position = index.entries.iter().position(|e| e.id == id);
    let Some(position) = position else {
        return Err(StoreError::Missing(id.to_string()));
    };
    if let Some(scenario) = scenario {
        set(&storage, &data_key(id), &link::encode(scenario, view))?;
        index.entries[position].hash = link::content_hash(scenario);
    }
    let entry = &mut index.entries[position];
    entry.updated = now();
    entry.tick = view.tick;
    entry.selection = view.selection.clone();
    let entry = entry.clone();
    index.last_open = Some(id.to_string());
    write_index(&storage, &index)?;
    Ok(entry)
}

/// Gives a local scenario another local name.
pub fn rename(id: &str, name: &str) -> Result<(), StoreError> {
    let storage = storage()?;
    let mut index = read_index(&storage);
    let entry = index
        .entries
        .iter_mut()
        .find(|e| e.id == id)
        .ok_or_else(|| StoreError::Missing(id.to_string()))?;
    entry.name = name.to_string();
    write_index(&storage, &index)
}

/// Copies a local scenario under a new id and `name`; the copy is the most recent.
pub fn duplicate(id: &str, name: &str) -> Result<Entry, StoreError> {
    let storage = storage()?;
    let mut index = read_index(&storage);
    let original = index
        .entries
        .iter()
        .find(|e| e.id == id)
        .cloned()
        .ok_or_else(|| StoreError::Missing(id.to_string()))?;
    let text = get(&storage, &data_key(id)).ok_or_else(|| StoreError::Missing(id.to_string()))?;
    let copy = Entry {
        id: new_id(),
        name: name.to_string(),
        updated: now(),
        origin: format!("Duplicate of \"{}\"", original.name),
        ..original
    };
    let key = data_key(&copy.id);
    set(&storage, &key, &text)?;
    index.entries.push(copy.clone());
    if let Err(e) = write_index(&storage, &index) {
        let _ = storage.remove_item(&key);
        return Err(e);
    }
    Ok(copy)
}

/// A deleted local scenario, kept in memory so that the deletion can be undone.
#[derive(Debug, Clone, PartialEq)]
pub struct Removed {
    pub entry: Entry,
    data: String,
}

/// Deletes a local scenario from storage, returning what [`restore`] needs to bring it back.
pub fn remove(id: &str) -> Result<Removed, StoreError> {
    let storage = storage()?;
    let mut index = read_index(&storage);
    let position = index
        .entries
        .iter()
        .position(|e| e.id == id)
        .ok_or_else(|| StoreError::Missing(id.to_string()))?;
    let key = data_key(id);
    let data = get(&storage, &key).unwrap_or_default();
    let entry = index.entries.remove(position);
    if index.last_open.as_deref() == Some(id) {
        index.last_open = None;
    }
    write_index(&storage, &index)?;
    let _ = storage.remove_item(&key);
    Ok(Removed { entry, data })
}

/// Puts a deleted local scenario back, under its id.
pub fn restore(removed: &Removed) -> Result<(), StoreError> {
    let storage = storage()?;
    let key = data_key(&removed.entry.id);
    set(&storage, &key, &removed.data)?;
    let mut index = read_index(&storage);
    index.entries.retain(|e| e.id != removed.entry.id);
    index.entries.push(removed.entry.clone());
    if let Err(e) = write_index(&storage, &index) {
        let _ = storage.remove_item(&key);
        return Err(e);
    }
    Ok(())
}

/// Asks the browser to keep this site's storage under storage pressure
/// (`navigator.storage.persist()`); the answer only changes what the browser may evict.
pub fn ask_persistence() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    // `navigator.storage` exists only in secure contexts (https, localhost).
    let present = js_sys::Reflect::get(&navigator, &"storage".into())
        .map(|v| !v.is_undefined() && !v.is_null())
        .unwrap_or(false);
    if !present {
        return;
    }
    if let Ok(promise) = navigator.storage().persist() {
        // The answer needs no handling (a refusal is the browser's default behaviour), but a
        // rejection must not surface as an unhandled error.
        let ignore = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(
            |_: wasm_bindgen::JsValue| {},
        );
        let _ = promise.catch(&ignore);
        ignore.forget();
    }
}

/// Where the ids of completed lessons are kept, as a JSON array (outside the `ctsync.v1.` keys of
/// local scenarios: progress is not a scenario).
pub const LESSON_PROGRESS_KEY: &str = "ctsync.lessons.progress";

/// The ids of the lessons completed in this browser; unreadable progress counts as none.
pub fn lesson_progress() -> Vec<String> {
    storage()
        .ok()
        .and_then(|s| get(&s, LESSON_PROGRESS_KEY))
        .and_then(|text| serde_json::from_str::<Vec<String>>(&text).ok())
        .unwrap_or_default()
}

/// Records the ids of the completed lessons.
pub fn set_lesson_progress(ids: &[String]) -> Result<(), StoreError> {
    let text = serde_json::to_string(ids).expect("a list of ids serializes");
    set(&storage()?, LESSON_PROGRESS_KEY, &text)
}
