//! The playground's one piece of state, provided at the root and reached through context: the
//! scenario (the source of truth) replayed to the viewing cursor by core's [`Replay`], the undo and
//! redo stacks of scenarios, the selection, and the notices shown to the user.
//!
//! Time: the cursor N is the tick that runs next; the page shows the state before tick N's sync
//! cycles (with the timeline commands stamped N already applied), the clock shows `time_at(N)`,
//! Step runs tick N and moves to N+1, and the change view shows the events of tick N−1.
//!
//! Edits: every edit is a core [`Command`], recorded with `Scenario::edit_at(N, command)` — at
//! N = 0 it changes the initial state, later it becomes a timeline entry at N — and the simulation
//! is re-derived. Editing after going back in time drops the timeline entries after N (the future
//! that was seen); undo brings them back.

use ctsync_core::replay::Replay;
use ctsync_core::scenario::{Command, Scenario, UserRef};
use ctsync_core::Simulation;
use leptos::prelude::*;

/// Undo keeps at most this many scenarios…
const MAX_UNDO: usize = 100;
/// …and at most this many users across them (a 10,000-user scenario keeps about 20 undo steps).
const MAX_UNDO_USERS: usize = 200_000;

/// What the inspector shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selection {
    #[default]
    None,
    Tenant(String),
    Job(String),
    /// A user, shown in their tenant's inspector: the Users tab with the user's details open.
    User {
        tenant: String,
        user: UserRef,
    },
    /// A group (by id), shown in its tenant's inspector: the Groups tab with its card open.
    Group {
        tenant: String,
        group: String,
    },
}

impl Selection {
    /// The tenant whose inspector shows the selection (and whose node the canvas marks).
    pub fn tenant(&self) -> Option<&str> {
        match self {
            Selection::Tenant(t)
            | Selection::User { tenant: t, .. }
            | Selection::Group { tenant: t, .. } => Some(t),
            Selection::None | Selection::Job(_) => None,
        }
    }
}

/// The tool panel docked beside the inspector: an explanation, the design review, or the lessons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Panel {
    /// "Why is this user (not) in this tenant?"
    Explain {
        user: UserRef,
        tenant: String,
    },
    Review,
    Lessons,
}

/// A message for the user: the outcome of an action, or why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// Undo and redo: whole scenarios, bounded by count and by the users they hold.
#[derive(Debug, Default)]
struct History {
    undo: Vec<Scenario>,
    redo: Vec<Scenario>,
}

fn users_in(scenario: &Scenario) -> usize {
    scenario
        .tenants
        .iter()
        .map(|t| t.users.len())
        .sum::<usize>()
        + 1
}

impl History {
    fn push_undo(&mut self, scenario: Scenario) {
        self.undo.push(scenario);
        self.redo.clear();
        self.trim();
    }

    fn trim(&mut self) {
        while self.undo.len() > MAX_UNDO
            || (self.undo.len() > 1
                && self.undo.iter().map(users_in).sum::<usize>() > MAX_UNDO_USERS)
        {
            self.undo.remove(0);
        }
    }
}

/// A run in progress: playing, or fast-forwarding in chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunState {
    #[default]
    Idle,
    /// Stepping at `ticks_per_second`.
    Playing { ticks_per_second: u32 },
    /// Going from cursor `from` to cursor `to` in chunks (a fast-forward of `days` days, or a
    /// jump to a tick), now at `at`.
    Running {
        from: u64,
        to: u64,
        at: u64,
        days: Option<u64>,
    },
}

/// The root state. `Copy`: every field is a handle into Leptos' reactive arena.
#[derive(Clone, Copy)]
pub struct Playground {
    replay: RwSignal<Replay, LocalStorage>,
    history: StoredValue<History, LocalStorage>,
    /// (undo steps, redo steps), for the buttons.
    history_len: RwSignal<(usize, usize)>,
    /// The furthest cursor reached since the scenario last changed in the past: editing before it
    /// is "editing after going back".
    furthest: StoredValue<u64>,
    pub selection: RwSignal<Selection>,
    pub notice: RwSignal<Option<Notice>>,
    /// Changes since the scenario was loaded (a template replaced it, or a file was imported).
    pub dirty: RwSignal<bool>,
    pub run: RwSignal<RunState>,
    /// Bumped when a new scenario is loaded: the canvas lays it out anew.
    pub generation: RwSignal<u64>,
    /// The tool panel beside the inspector, if one is open.
    pub panel: RwSignal<Option<Panel>>,
    /// Whether the compare view is open.
    pub compare_open: RwSignal<bool>,
    /// The scenario that was open, with unsaved changes, when a lesson replaced it: kept so that
    /// the lessons panel can bring it back.
    pub set_aside: RwSignal<Option<Scenario>, LocalStorage>,
}

impl Playground {
    /// A playground over `scenario`, at cursor 0.
    pub fn new(scenario: Scenario) -> Playground {
        Playground {
            replay: RwSignal::new_local(Replay::new(scenario)),
            history: StoredValue::new_local(History::default()),
            history_len: RwSignal::new((0, 0)),
            furthest: StoredValue::new(0),
            selection: RwSignal::new(Selection::None),
            notice: RwSignal::new(None),
            dirty: RwSignal::new(false),
            run: RwSignal::new(RunState::Idle),
            generation: RwSignal::new(0),
            panel: RwSignal::new(None),
            compare_open: RwSignal::new(false),
            set_aside: RwSignal::new_local(None),
        }
    }

    /// Provides the playground as context.
    pub fn provide(self) {
        provide_context(self);
    }

    pub fn get() -> Playground {
        expect_context::<Playground>()
    }

    // ---- reading (tracked) ------------------------------------------------------------------

    /// Reads the replay; re-runs the caller when anything changes.
    pub fn with<R>(&self, f: impl FnOnce(&Replay) -> R) -> R {
        self.replay.with(f)
    }

    /// Reads the replay without tracking.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Replay) -> R) -> R {
        self.replay.with_untracked(f)
    }

    /// Reads what the page shows at the cursor.
    pub fn with_view<R>(&self, f: impl FnOnce(&Simulation) -> R) -> R {
        self.replay.with(|r| f(r.view()))
    }

    /// Reads the scenario.
    pub fn with_scenario<R>(&self, f: impl FnOnce(&Scenario) -> R) -> R {
        self.replay.with(|r| f(r.scenario()))
    }

    /// Reads the scenario without tracking it.
    pub fn with_scenario_untracked<R>(&self, f: impl FnOnce(&Scenario) -> R) -> R {
        self.replay.with_untracked(|r| f(r.scenario()))
    }

    pub fn cursor(&self) -> u64 {
        self.replay.with(Replay::cursor)
    }

    pub fn cursor_untracked(&self) -> u64 {
        self.replay.with_untracked(Replay::cursor)
    }

    pub fn can_undo(&self) -> bool {
        self.history_len.get().0 > 0
    }

    pub fn can_redo(&self) -> bool {
        self.history_len.get().1 > 0
    }

    // ---- time ---------------------------------------------------------------------------------

    /// Runs tick N and moves to N+1.
    pub fn step(&self) {
        self.replay.update(Replay::step);
        self.reached(self.cursor_untracked());
    }

    /// Runs `ticks` ticks without re-rendering in between (one notification at the end).
    pub fn step_many(&self, ticks: u64) {
        let to = self.cursor_untracked() + ticks;
        self.run_toward(to, f64::INFINITY);
    }

    /// Moves towards `cursor` (back from a checkpoint, forward by running ticks) for at most about
    /// `budget_ms` milliseconds, re-rendering once at the end; whether `cursor` was reached.
    pub fn run_toward(&self, cursor: u64, budget_ms: f64) -> bool {
        let started = crate::timer::now_ms();
        let reached = self
            .replay
            .try_update_untracked(|r| {
                r.run_toward(cursor, || crate::timer::now_ms() - started < budget_ms)
            })
            .unwrap_or(true);
        self.replay.notify();
        self.reached(self.cursor_untracked());
        reached
    }

    fn reached(&self, cursor: u64) {
        self.furthest.update_value(|f| *f = (*f).max(cursor));
    }

    // ---- editing ----------------------------------------------------------------------------

    /// Makes one edit at the cursor; a refused edit changes nothing and is shown as a notice.
    pub fn edit(&self, command: Command) -> bool {
        self.edit_all(vec![command])
    }

    /// Makes several edits at the cursor as one undo step (a one-click fix).
    pub fn edit_all(&self, commands: Vec<Command>) -> bool {
        let cursor = self.cursor_untracked();
        let before = self.replay.with_untracked(|r| r.scenario().clone());
        let mut after = before.clone();
        let went_back = cursor < self.furthest.get_value();
        let dropped = if went_back {
            after.drop_timeline_after(cursor).len()
        } else {
            0
        };
        for command in commands {
            if let Err(e) = after.edit_at(cursor, command) {
                self.notice.set(Some(Notice {
                    error: true,
                    text: format!("The change was not made: {e}"),
                }));
                return false;
            }
        }
        if after == before {
            return true;
        }
        self.history.update_value(|h| h.push_undo(before));
        self.sync_history_len();
        self.replay.update(|r| r.set_scenario(after));
        self.furthest.set_value(cursor);
        self.dirty.set(true);
        if dropped > 0 {
            self.notice.set(Some(Notice {
                error: false,
                text: format!(
                    "You changed the past at tick {cursor}: {dropped} later timeline entr{} dropped. Undo brings {} back.",
                    if dropped == 1 { "y was" } else { "ies were" },
                    if dropped == 1 { "it" } else { "them" }
                ),
            }));
        }
        true
    }

    /// Restores the scenario before the last edit (the cursor stays).
    pub fn undo(&self) {
        let Some(previous) = self.history.try_update_value(|h| h.undo.pop()).flatten() else {
            return;
        };
        let current = self.replay.with_untracked(|r| r.scenario().clone());
        self.history.update_value(|h| h.redo.push(current));
        self.sync_history_len();
        self.replay.update(|r| r.set_scenario(previous));
        self.dirty.set(true);
    }

    /// Re-applies the last undone edit.
    pub fn redo(&self) {
        let Some(next) = self.history.try_update_value(|h| h.redo.pop()).flatten() else {
            return;
        };
        let current = self.replay.with_untracked(|r| r.scenario().clone());
        self.history.update_value(|h| {
            h.undo.push(current);
            h.trim();
        });
        self.sync_history_len();
        self.replay.update(|r| r.set_scenario(next));
        self.dirty.set(true);
    }

    fn sync_history_len(&self) {
        let lens = self.history.with_value(|h| (h.undo.len(), h.redo.len()));
        self.history_len.set(lens);
    }

    /// Opens `scenario` as a new scenario: cursor 0, empty history, nothing selected.
    pub fn load(&self, scenario: Scenario) {
        self.run.set(RunState::Idle);
        self.replay.set(Replay::new(scenario));
        self.history.set_value(History::default());
        self.sync_history_len();
        self.furthest.set_value(0);
        self.selection.set(Selection::None);
        self.notice.set(None);
        self.dirty.set(false);
        self.generation.update(|g| *g += 1);
        // An explanation names users of the old scenario; the review and lessons follow the new one.
        if matches!(self.panel.get_untracked(), Some(Panel::Explain { .. })) {
            self.panel.set(None);
        }
    }

    /// Opens the explanation of `user` in `tenant` in the tool panel.
    pub fn explain(&self, user: UserRef, tenant: impl Into<String>) {
        self.panel.set(Some(Panel::Explain {
            user,
            tenant: tenant.into(),
        }));
    }

    /// The scenario as JSON, for export.
    pub fn scenario_json(&self) -> String {
        self.replay
            .with_untracked(|r| r.scenario().to_json_pretty())
    }

    /// Shows an informational notice for a few seconds.
    pub fn say(&self, text: impl Into<String>) {
        let notice = Notice {
            error: false,
            text: text.into(),
        };
        self.notice.set(Some(notice.clone()));
        let slot = self.notice;
        crate::timer::after(6_000, move || {
            if slot.get_untracked().as_ref() == Some(&notice) {
                slot.set(None);
            }
        });
    }

    pub fn complain(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            error: true,
            text: text.into(),
        }));
    }
}
