//! Local scenarios in the page: which one is open, autosave (debounced), and every way a scenario
//! arrives — a share link (in the address bar or pasted), a template, an imported file — each
//! opened as a new local scenario beside the user's own, never over it. A scenario whose content
//! equals a local one (core's `link::content_hash`) opens that one instead of a copy. Deleting keeps
//! the scenario in memory until the page is reloaded, so it can be undone. Storage itself is
//! `storage.rs`; the codec is core's `link`.

use ctsync_core::link::{self, LinkError, ViewState};
use ctsync_core::Scenario;
use leptos::prelude::*;

use crate::examples;
use crate::state::{Playground, Selection};
use crate::storage::{self, Entry, Removed, StoreError};
use crate::timeline;

/// How long after the last change autosave writes.
pub const AUTOSAVE_DELAY_MS: u64 = 500;

/// How long the "Undo" of a deletion stays on screen.
const UNDO_NOTICE_MS: u64 = 12_000;

/// Where the open scenario stands with storage.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    /// Everything is stored (at this time, ms since the epoch).
    Saved(f64),
    /// A change waits for the autosave delay.
    Pending,
    /// The last save failed.
    Failed(String),
}

/// What a banner is about: it decides the actions it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BannerKind {
    /// A link that could not be opened.
    BadLink,
    /// Storage is full: offers the JSON export.
    StorageFull,
    /// Storage cannot be used at all, or a stored scenario could not be read.
    Storage,
}

/// A message across the top of the page that stays until dismissed.
#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    pub kind: BannerKind,
    pub text: String,
}

/// A deleted scenario (kept until the page reloads) and whether it was the open one.
#[derive(Debug, Clone, PartialEq)]
pub struct Trashed {
    pub removed: Removed,
    pub was_open: bool,
}

/// How a scenario that arrived was opened.
#[derive(Debug, Clone, PartialEq)]
pub enum Opened {
    /// As a new local scenario with this name.
    New(String),
    /// A local scenario with the same content already existed: this one.
    Existing(String),
    /// Storage refused it: open only in the page.
    InPageOnly(String),
}

/// The local-scenario state, provided as context beside the [`Playground`].
#[derive(Clone, Copy)]
pub struct Local {
    /// The id of the open local scenario (None while it exists only in the page).
    pub current: RwSignal<Option<String>>,
    /// The list, refreshed after every write.
    pub entries: RwSignal<Vec<Entry>>,
    pub status: RwSignal<SaveStatus>,
    pub banner: RwSignal<Option<Banner>>,
    /// Deleted this session, most recent last.
    pub trash: RwSignal<Vec<Trashed>>,
    /// The deletion the "Undo" notice offers to undo (an entry id).
    pub undo_offer: RwSignal<Option<String>>,
    /// The scenario and view as last stored, to write only what changed.
    saved: StoredValue<Option<(Scenario, ViewState)>, LocalStorage>,
    /// Bumped by every change; a scheduled save runs only if no change came after it.
    seq: StoredValue<u64>,
    pending: StoredValue<bool>,
}

/// The view the playground is at: its tick counter and selection.
pub fn view_of(pg: Playground) -> ViewState {
    ViewState {
        tick: pg.cursor_untracked(),
        selection: match pg.selection.get_untracked() {
            Selection::None => None,
            Selection::Tenant(id) => Some(link::Selection::Tenant(id)),
            Selection::Job(id) => Some(link::Selection::Job(id)),
            Selection::User { tenant, user } => Some(link::Selection::User { tenant, user }),
            // A link names no groups: it keeps the group's tenant.
            Selection::Group { tenant, .. } => Some(link::Selection::Tenant(tenant)),
        },
    }
}

/// Moves the playground to `view`: selects what exists of its selection (a user of a tenant that
/// exists; the detail says so if the user does not exist at that tick) and goes to its tick in
/// chunks.
fn apply_view(pg: Playground, view: &ViewState) {
    let selection = pg.with_scenario(|s| match &view.selection {
        Some(link::Selection::Tenant(id)) if s.tenant(id).is_some() => {
            Selection::Tenant(id.clone())
        }
        Some(link::Selection::User { tenant, user }) if s.tenant(tenant).is_some() => {
            Selection::User {
                tenant: tenant.clone(),
                user: user.clone(),
            }
        }
        Some(link::Selection::Job(id)) if s.jobs.iter().any(|j| &j.id == id) => {
            Selection::Job(id.clone())
        }
        _ => Selection::None,
    });
    pg.selection.set(selection);
    if view.tick > 0 {
        timeline::go_to(pg, view.tick);
    }
}

/// A name not yet used by a local scenario: `name`, else `name (2)`, `name (3)`…
fn unused_name(name: &str, entries: &[Entry]) -> String {
    let taken = |n: &str| entries.iter().any(|e| e.name == n);
    if !taken(name) {
        return name.to_string();
    }
    (2..)
        .map(|i| format!("{name} ({i})"))
        .find(|n| !taken(n))
        .expect("some number is free")
}

impl Local {
    fn new() -> Local {
        Local {
            current: RwSignal::new(None),
            entries: RwSignal::new(storage::list()),
            status: RwSignal::new(SaveStatus::Saved(storage::now())),
            banner: RwSignal::new(None),
            trash: RwSignal::new(Vec::new()),
            undo_offer: RwSignal::new(None),
            saved: StoredValue::new_local(None),
            seq: StoredValue::new(0),
            pending: StoredValue::new(false),
        }
    }

    pub fn get() -> Local {
        expect_context::<Local>()
    }

    fn refresh(&self) {
        self.entries.set(storage::list());
    }

    fn storage_failed(&self, e: &StoreError) {
        self.status.set(SaveStatus::Failed(e.to_string()));
        self.banner.set(Some(match e {
            StoreError::Full => Banner {
                kind: BannerKind::StorageFull,
                text: "The browser's storage for this site is full: your latest changes are not saved. Export the scenario as JSON to keep it, or delete local scenarios you no longer need.".into(),
            },
            other => Banner {
                kind: BannerKind::Storage,
                text: format!("Autosave is off: {other}. Export the scenario as JSON to keep it."),
            },
        }));
    }

    fn storage_recovered(&self) {
        if matches!(
            self.banner.get_untracked(),
            Some(Banner {
                kind: BannerKind::StorageFull | BannerKind::Storage,
                ..
            })
        ) {
            self.banner.set(None);
        }
    }

    /// Whether everything the page shows is stored (nothing waits, nothing failed).
    pub fn is_saved(&self) -> bool {
        !self.pending.get_value() && matches!(self.status.get_untracked(), SaveStatus::Saved(_))
    }

    /// Notes a change: saves it after [`AUTOSAVE_DELAY_MS`] without another change.
    fn schedule(&self, pg: Playground) {
        let seq = self.seq.get_value() + 1;
        self.seq.set_value(seq);
        let this = *self;
        crate::timer::after(AUTOSAVE_DELAY_MS, move || {
            if this.seq.get_value() == seq {
                this.save_now(pg, false);
            }
        });
    }

    /// Saves the open scenario if it changed. Unless `force`, waits for a run to end (the end
    /// re-schedules).
    fn save_now(&self, pg: Playground, force: bool) {
        if !force && pg.run.get_untracked() != crate::state::RunState::Idle {
            return;
        }
        let scenario = pg.with_scenario_untracked(Scenario::clone);
        let view = view_of(pg);
        let (scenario_changed, view_changed) = self.saved.with_value(|saved| match saved {
            Some((s, v)) => (*s != scenario, *v != view),
            None => (true, true),
        });
        let result = match self.current.get_untracked() {
            Some(id) if scenario_changed || view_changed => {
                match storage::save(&id, scenario_changed.then_some(&scenario), &view) {
                    Err(StoreError::Missing(_)) => self.create_for_open(&scenario, &view),
                    other => other.map(|_| ()),
                }
            }
            Some(_) => Ok(()),
            None => self.create_for_open(&scenario, &view),
        };
        self.pending.set_value(false);
        match result {
            Ok(()) => {
                self.saved.set_value(Some((scenario, view)));
                self.status.set(SaveStatus::Saved(storage::now()));
                self.storage_recovered();
                if scenario_changed || view_changed {
                    self.refresh();
                }
            }
            Err(e) => self.storage_failed(&e),
        }
    }

    /// Stores the open scenario, which exists only in the page, as a new local scenario.
    fn create_for_open(&self, scenario: &Scenario, view: &ViewState) -> Result<(), StoreError> {
        let name = unused_name(&scenario.name, &storage::list());
        let entry = storage::create(&name, "Kept from the page", scenario, view)?;
        self.current.set(Some(entry.id));
        Ok(())
    }

    /// Saves a waiting change now (before another scenario opens, or the page goes away).
    pub fn flush(&self, pg: Playground) {
        if self.pending.get_value() {
            self.save_now(pg, true);
        }
    }

    /// Shows `scenario` in the playground as local scenario `id` at `view`.
    fn show(&self, pg: Playground, id: Option<String>, scenario: Scenario, view: &ViewState) {
        self.saved
            .set_value(id.as_ref().map(|_| (scenario.clone(), view.clone())));
        self.current.set(id);
        pg.load(scenario);
        apply_view(pg, view);
        self.pending.set_value(false);
        self.status.set(SaveStatus::Saved(storage::now()));
    }

    /// Opens a scenario that arrived (template, file, link) as a new local scenario named after
    /// it, or the local scenario with the same content. Fails, changing nothing, only when storage
    /// refuses it and the open scenario has changes that are not stored either: the caller asks
    /// before [`Local::open_in_page`].
    pub fn open_new(
        &self,
        pg: Playground,
        scenario: Scenario,
        view: ViewState,
        origin: &str,
    ) -> Result<Opened, StoreError> {
        self.flush(pg);
        let hash = link::content_hash(&scenario);
        if let Some(existing) = storage::find_by_hash(&hash) {
            self.show(pg, Some(existing.id.clone()), scenario, &view);
            let _ = storage::set_last_open(&existing.id);
            self.refresh();
            return Ok(Opened::Existing(existing.name));
        }
        let name = unused_name(&scenario.name, &storage::list());
        match storage::create(&name, origin, &scenario, &view) {
            Ok(entry) => {
                self.show(pg, Some(entry.id), scenario, &view);
                self.storage_recovered();
                self.refresh();
                Ok(Opened::New(name))
            }
            // Storage refuses it, but nothing would be lost: the open scenario is stored, or has
            // not changed since it was opened.
            Err(e) if self.is_saved() || !pg.dirty.get_untracked() => {
                self.show(pg, None, scenario, &view);
                self.storage_failed(&e);
                Ok(Opened::InPageOnly(name))
            }
            Err(e) => Err(e),
        }
    }

    /// Opens `scenario` in the page only, replacing the open scenario's unsaved changes (after the
    /// user confirmed).
    pub fn open_in_page(&self, pg: Playground, scenario: Scenario) {
        self.show(pg, None, scenario, &ViewState::default());
        self.status
            .set(SaveStatus::Failed("storage refused the scenario".into()));
    }

    /// Opens the local scenario `id` at the view it was left at.
    pub fn open(&self, pg: Playground, id: &str) -> Result<(), StoreError> {
        if self.current.get_untracked().as_deref() == Some(id) {
            return Ok(());
        }
        self.flush(pg);
        let (scenario, view) = storage::load(id)?;
        self.show(pg, Some(id.to_string()), scenario, &view);
        let _ = storage::set_last_open(id);
        self.refresh();
        Ok(())
    }

    /// Opens a share link (a whole URL, `#…` or the bare fragment) as a local scenario, at the
    /// link's tick and selection, and says where it came from.
    pub fn open_link(&self, pg: Playground, text: &str) -> Result<(), LinkError> {
        let (scenario, view) = link::decode(text)?;
        let tick = view.tick;
        let outcome = match self.open_new(pg, scenario.clone(), view.clone(), "Opened from a link")
        {
            Ok(outcome) => outcome,
            // The open scenario's changes cannot be stored: the link opens in the page only after
            // the user exports them; say so rather than replace them.
            Err(e) => {
                self.storage_failed(&e);
                pg.complain(format!(
                    "The link was not opened: {e}, and the open scenario has changes that are not saved. Export it as JSON, then open the link again."
                ));
                return Ok(());
            }
        };
        pg.say(match outcome {
            Opened::New(name) => format!(
                "Opened from a link: \"{name}\" at tick {tick}, as a new local scenario beside your own (see Scenarios)."
            ),
            Opened::Existing(name) => format!(
                "Opened from a link: you already have this scenario as \"{name}\"; it is open at tick {tick}."
            ),
            Opened::InPageOnly(name) => format!(
                "Opened from a link: \"{name}\" at tick {tick}, in this page only: the browser's storage refused it."
            ),
        });
        Ok(())
    }

    /// Gives a local scenario another name.
    pub fn rename(&self, id: &str, name: &str) -> Result<(), StoreError> {
        storage::rename(id, name.trim())?;
        self.refresh();
        Ok(())
    }

    /// Copies a local scenario ("name (copy)"), without opening it.
    pub fn duplicate(&self, pg: Playground, id: &str) -> Result<Entry, StoreError> {
        self.flush(pg);
        let entries = storage::list();
        let name = entries
            .iter()
            .find(|e| e.id == id)
            .map(|e| unused_name(&format!("{} (copy)", e.name), &entries))
            .ok_or_else(|| StoreError::Missing(id.to_string()))?;
        let copy = storage::duplicate(id, &name)?;
        self.refresh();
        Ok(copy)
    }

    /// Deletes a local scenario, keeping it in the trash until the page reloads; deleting the
    /// open one opens the most recent other one (or the first template).
    pub fn delete(&self, pg: Playground, id: &str) -> Result<String, StoreError> {
        self.flush(pg);
        let removed = storage::remove(id)?;
        let name = removed.entry.name.clone();
        let was_open = self.current.get_untracked().as_deref() == Some(id);
        self.trash.update(|t| t.push(Trashed { removed, was_open }));
        self.undo_offer.set(Some(id.to_string()));
        // The notice goes after a while; the panel's Restore stays until the page reloads.
        let offer = self.undo_offer;
        let offered = id.to_string();
        crate::timer::after(UNDO_NOTICE_MS, move || {
            if offer.get_untracked().as_deref() == Some(offered.as_str()) {
                offer.set(None);
            }
        });
        self.refresh();
        if was_open {
            self.current.set(None);
            self.saved.set_value(None);
            let next = storage::list().into_iter().next();
            let opened = next.is_some_and(|e| self.open(pg, &e.id).is_ok());
            if !opened {
                self.open_default(pg);
            }
        }
        Ok(name)
    }

    /// Brings back a deleted local scenario (and opens it if it was the open one).
    pub fn undo_delete(&self, pg: Playground, id: &str) -> Result<(), StoreError> {
        let Some(trashed) = self
            .trash
            .with_untracked(|t| t.iter().find(|t| t.removed.entry.id == id).cloned())
        else {
            return Err(StoreError::Missing(id.to_string()));
        };
        storage::restore(&trashed.removed)?;
        self.trash
            .update(|t| t.retain(|t| t.removed.entry.id != id));
        if self.undo_offer.get_untracked().as_deref() == Some(id) {
            self.undo_offer.set(None);
        }
        self.refresh();
        if trashed.was_open {
            self.open(pg, id)?;
        }
        Ok(())
    }

    /// Opens the first template as a new local scenario (or the local copy of it).
    fn open_default(&self, pg: Playground) {
        match examples::default_scenario() {
            Ok(scenario) => {
                let origin = format!("Template \"{}\"", examples::TEMPLATES[0].label);
                if let Err(e) = self.open_new(pg, scenario.clone(), ViewState::default(), &origin) {
                    self.storage_failed(&e);
                    self.open_in_page(pg, scenario);
                }
            }
            Err(e) => pg.complain(e),
        }
    }
}

/// The address bar's fragment, removed from it (`history.replaceState`, so Back does not bring it
/// back and a reload does not open it again). None when there is none.
pub fn take_fragment() -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let hash = location.hash().ok()?;
    let fragment = hash.strip_prefix('#').unwrap_or(&hash).trim().to_string();
    if fragment.is_empty() {
        return None;
    }
    let without = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&without));
    }
    Some(fragment)
}

/// The page's own address (origin and path, no query or fragment): where a link opens.
pub fn page_address() -> String {
    web_sys::window()
        .map(|w| {
            let location = w.location();
            format!(
                "{}{}",
                location.origin().unwrap_or_default(),
                location.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// The banner text for a link that could not be opened.
pub fn bad_link_text(e: &LinkError) -> String {
    let mut reason = e.to_string();
    if let Some(first) = reason.get(..1) {
        reason = first.to_uppercase() + &reason[1..];
    }
    format!("This link could not be opened. {reason}. Your local scenarios are unchanged.")
}

/// Creates the local-scenario state, opens what the page should start with — the link in the
/// address bar, else the scenario open last (at its tick), else the first template — and starts
/// autosave. Call after the playground is provided.
pub fn start(pg: Playground) -> Local {
    let local = Local::new();
    provide_context(local);
    if let Err(e) = storage::available() {
        local.storage_failed(&e);
    } else {
        storage::ask_persistence();
    }
    let mut opened = false;
    if let Some(fragment) = take_fragment() {
        match local.open_link(pg, &fragment) {
            Ok(()) => opened = true,
            Err(e) => local.banner.set(Some(Banner {
                kind: BannerKind::BadLink,
                text: bad_link_text(&e),
            })),
        }
    }
    if !opened {
        let last = storage::last_open().or_else(|| storage::list().first().map(|e| e.id.clone()));
        if let Some(id) = last {
            match local.open(pg, &id) {
                Ok(()) => opened = true,
                Err(e) => local.banner.set(Some(Banner {
                    kind: BannerKind::Storage,
                    text: format!(
                        "Your last scenario could not be restored: {e}. It stays in this browser's storage; the other local scenarios are under Scenarios."
                    ),
                })),
            }
        }
    }
    if !opened {
        local.open_default(pg);
    }
    // Autosave: any change of the scenario, the tick or the selection, once no run is going on.
    Effect::new(move |first: Option<()>| {
        pg.with(|_| ());
        pg.selection.track();
        let idle = pg.run.get() == crate::state::RunState::Idle;
        if first.is_some() {
            local.pending.set_value(true);
            if local.status.get_untracked() != SaveStatus::Pending
                && !matches!(local.status.get_untracked(), SaveStatus::Failed(_))
            {
                local.status.set(SaveStatus::Pending);
            }
            if idle {
                local.schedule(pg);
            }
        }
    });
    // Save a waiting change when the page goes away.
    let pagehide = window_event_listener(leptos::ev::pagehide, move |_| local.flush(pg));
    // A link pasted into the address bar of the open app.
    let hashchange = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(fragment) = take_fragment() {
            if let Err(e) = local.open_link(pg, &fragment) {
                local.banner.set(Some(Banner {
                    kind: BannerKind::BadLink,
                    text: bad_link_text(&e),
                }));
            }
        }
    });
    // Another tab of the site changed the list.
    let storage_event = window_event_listener(leptos::ev::storage, move |_| local.refresh());
    on_cleanup(move || {
        pagehide.remove();
        hashchange.remove();
        storage_event.remove();
    });
    local
}
