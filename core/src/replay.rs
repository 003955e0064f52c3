//! Replaying a scenario to any tick, quickly: the playground's time travel.
//!
//! The scenario is the only source of truth; the simulation the playground shows is derived by
//! replaying it. A [`Replay`] keeps the simulation at a *cursor* N (ticks 0..N−1 have run: the
//! state before tick N runs), plus checkpoints — copies of the simulation at earlier cursors — so
//! that going back costs a copy and a few ticks, not a replay from the start. Checkpoints are
//! thinned as the run grows (every 1, 2, 4… ticks) and bounded by a weight budget (users and
//! events held), so that memory stays bounded however far the playground runs; the ones at
//! cursors 0 and 1 (before and after the initial cycles) are never thinned.
//!
//! Edits re-derive lazily: an edit made while looking at tick N changes only timeline entries
//! stamped N or later, so checkpoints at cursors up to N stay valid (re-based onto the new
//! timeline); an edit of the initial state invalidates everything.
//!
//! The *view* at cursor N is the state with tick N's timeline commands already applied and its
//! sync cycles not yet run: what an admin looking at "now" expects to see after making a change
//! (a policy flipped, a job started, a user provisioned on demand) before the next cycle runs.

use std::collections::BTreeMap;

use crate::clock::Tick;
use crate::engine::event::Event;
use crate::scenario::{Scenario, MAX_TICKS};
use crate::Simulation;

/// The most checkpoints kept, whatever their weight.
pub const MAX_CHECKPOINTS: usize = 96;

/// The default weight budget of all checkpoints together: users held in every directory plus
/// events held, summed over checkpoints (see [`weight`]). A copy shares every unchanged object's
/// attributes and every log entry with the simulation it was taken from, so one unit is at most
/// about 0.2 KB of memory (measured: a simulation of 20,000 users just after their initial cycles
/// into three targets, weight 140,000, copies in about 31 MB); this keeps checkpoints under about
/// 30 MB: thousands of ticks of a small scenario, and for a 10,000-user source synchronized into
/// three targets (weight 70,000 after the initial cycles) the states before and after the initial
/// cycles, so that going back anywhere after them never re-runs them.
pub const DEFAULT_CHECKPOINT_BUDGET: usize = 140_000;

/// A scenario replayed to a cursor, with checkpoints for going back.
#[derive(Debug, Clone)]
pub struct Replay {
    scenario: Scenario,
    head: Simulation,
    /// The head with the timeline commands stamped at the cursor applied (only when there are).
    view: Option<Simulation>,
    /// Copies of the simulation by cursor. Cursor 0 is always kept.
    checkpoints: BTreeMap<Tick, Simulation>,
    interval: Tick,
    budget: usize,
}

/// The weight of a simulation for the checkpoint budget: users in every directory plus events.
pub fn weight(sim: &Simulation) -> usize {
    sim.tenants.iter().map(|t| t.dir.users.len()).sum::<usize>() + sim.events().len()
}

impl Replay {
    /// A replay of `scenario` at cursor 0 (the initial state).
    pub fn new(scenario: Scenario) -> Replay {
        Replay::with_budget(scenario, DEFAULT_CHECKPOINT_BUDGET)
    }

    /// A replay whose checkpoints together weigh at most about `budget` (see [`weight`]).
    pub fn with_budget(scenario: Scenario, budget: usize) -> Replay {
        let head = Simulation::new(&scenario);
        let mut checkpoints = BTreeMap::new();
        checkpoints.insert(0, head.clone());
        let mut replay = Replay {
            scenario,
            head,
            view: None,
            checkpoints,
            interval: 1,
            budget,
        };
        replay.refresh_view();
        replay
    }

    /// The scenario being replayed.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The cursor: the tick that runs next. The state shown is the state before it runs.
    pub fn cursor(&self) -> Tick {
        self.head.next_tick()
    }

    /// The simulation before tick `cursor` ran, *without* the timeline commands stamped `cursor`.
    pub fn head(&self) -> &Simulation {
        &self.head
    }

    /// What the playground shows at the cursor: the state before tick `cursor`'s sync cycles,
    /// with the timeline commands stamped `cursor` applied.
    pub fn view(&self) -> &Simulation {
        self.view.as_ref().unwrap_or(&self.head)
    }

    /// Events the commands stamped at the cursor produced in the view (job started, provision on
    /// demand…): they are part of the next tick.
    pub fn pending_events(&self) -> &[Event] {
        match &self.view {
            Some(view) => &view.events()[self.head.events().len()..],
            None => &[],
        }
    }

    /// The timeline entries stamped at the cursor: what the next step applies first.
    pub fn pending_entries(&self) -> impl Iterator<Item = &crate::scenario::TimelineEntry> {
        let cursor = self.cursor();
        self.scenario
            .timeline
            .iter()
            .filter(move |e| e.tick == cursor)
    }

    /// Checkpoints currently kept, by cursor.
    pub fn checkpoint_cursors(&self) -> Vec<Tick> {
        self.checkpoints.keys().copied().collect()
    }

    /// Runs tick `cursor` and moves the cursor one tick on.
    pub fn step(&mut self) {
        if self.cursor() > MAX_TICKS {
            return;
        }
        self.head.step();
        self.remember();
        self.refresh_view();
    }

    /// Moves the cursor to `cursor` (forward by running ticks, back from the nearest checkpoint).
    pub fn seek(&mut self, cursor: Tick) {
        self.run_toward(cursor, || true);
    }

    /// Moves towards `cursor`: first to the nearest checkpoint at or before it when that saves
    /// ticks (always when going back), then runs ticks while `more()` says so (asked between
    /// ticks; one tick always runs). The caller's `more` is how a shell bounds the time spent
    /// before it yields to its user. Returns whether the cursor reached `cursor`.
    pub fn run_toward(&mut self, cursor: Tick, mut more: impl FnMut() -> bool) -> bool {
        let cursor = cursor.min(MAX_TICKS + 1);
        let from_checkpoint = self
            .checkpoints
            .range(..=cursor)
            .next_back()
            .map(|(at, _)| *at)
            .unwrap_or(0);
        if cursor < self.cursor() || from_checkpoint > self.cursor() {
            self.head = match self.checkpoints.get(&from_checkpoint) {
                Some(checkpoint) => checkpoint.clone(),
                None => Simulation::new(&self.scenario),
            };
        }
        let mut ran = false;
        while self.cursor() < cursor && (!ran || more()) {
            self.head.step();
            self.remember();
            ran = true;
        }
        self.refresh_view();
        self.cursor() == cursor
    }

    /// Replaces the scenario (after an edit, an undo or a redo), keeping the cursor and every
    /// checkpoint the change did not invalidate.
    pub fn set_scenario(&mut self, scenario: Scenario) {
        let cursor = self.cursor();
        let difference = first_difference(&self.scenario, &scenario);
        self.scenario = scenario;
        let valid_through = match difference {
            // Only names, descriptions or expectations changed: the simulation is the same.
            Difference::None => {
                self.refresh_view();
                return;
            }
            Difference::Initial => {
                self.checkpoints.clear();
                self.checkpoints.insert(0, Simulation::new(&self.scenario));
                0
            }
            Difference::FromTick(tick) => {
                let timeline = &self.scenario.timeline;
                self.checkpoints
                    .retain(|at, sim| *at <= tick && sim.rebase_timeline(timeline));
                if !self.checkpoints.contains_key(&0) {
                    self.checkpoints.insert(0, Simulation::new(&self.scenario));
                }
                if cursor <= tick && self.head.rebase_timeline(&self.scenario.timeline) {
                    self.refresh_view();
                    return;
                }
                tick
            }
        };
        // The head ran past the change: replay to the same cursor from the last valid checkpoint.
        let (at, checkpoint) = self
            .checkpoints
            .range(..=cursor.min(valid_through))
            .next_back()
            .expect("cursor 0 is always kept");
        debug_assert!(*at <= cursor);
        self.head = checkpoint.clone();
        while self.cursor() < cursor {
            self.head.step();
            self.remember();
        }
        self.refresh_view();
    }

    /// Keeps a checkpoint of the head when its cursor falls on the interval (and always after the
    /// first tick, whose initial cycles are usually the most expensive to replay), first making
    /// room within the budget by doubling the interval and dropping checkpoints off it. A copy is
    /// only made when it will be kept.
    fn remember(&mut self) {
        let at = self.cursor();
        if self.checkpoints.contains_key(&at) {
            return;
        }
        let pinned = at <= 1;
        if !pinned && !at.is_multiple_of(self.interval) {
            return;
        }
        let needed = weight(&self.head);
        loop {
            let total: usize = self.checkpoints.values().map(weight).sum();
            if total + needed <= self.budget && self.checkpoints.len() < MAX_CHECKPOINTS {
                break;
            }
            if !self.checkpoints.keys().any(|k| *k > 1) {
                // Only the pinned ones are left: the new one does not fit.
                return;
            }
            self.interval = self.interval.saturating_mul(2);
            let interval = self.interval;
            self.checkpoints
                .retain(|k, _| *k <= 1 || k.is_multiple_of(interval));
            if !pinned && !at.is_multiple_of(interval) {
                return;
            }
        }
        self.checkpoints.insert(at, self.head.clone());
    }

    fn refresh_view(&mut self) {
        let cursor = self.cursor();
        let pending: Vec<_> = self
            .scenario
            .timeline
            .iter()
            .filter(|e| e.tick == cursor)
            .map(|e| e.command.clone())
            .collect();
        // Free the old view before making the new one: peaks of memory stay lower.
        self.view = None;
        if pending.is_empty() {
            return;
        }
        let mut view = self.head.clone();
        for command in &pending {
            view.apply(command);
        }
        self.view = Some(view);
    }
}

/// How two scenarios' simulations differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Difference {
    /// They simulate the same: only names, descriptions or expectations differ.
    None,
    /// The initial state differs (tenants, jobs, start, seed): every tick differs.
    Initial,
    /// The first timeline entry that differs is stamped with this tick: simulations agree on
    /// every cursor up to it (ticks before it ran the same).
    FromTick(Tick),
}

/// Where simulations of `old` and `new` start to differ.
pub fn first_difference(old: &Scenario, new: &Scenario) -> Difference {
    if old.version != new.version
        || old.start != new.start
        || old.seed != new.seed
        || old.tenants != new.tenants
        || old.jobs != new.jobs
    {
        return Difference::Initial;
    }
    let (a, b) = (&old.timeline, &new.timeline);
    let Some(first) = (0..a.len().max(b.len())).find(|i| a.get(*i) != b.get(*i)) else {
        return Difference::None;
    };
    match (a.get(first), b.get(first)) {
        (Some(x), Some(y)) => Difference::FromTick(x.tick.min(y.tick)),
        (Some(x), None) | (None, Some(x)) => Difference::FromTick(x.tick),
        (None, None) => Difference::None,
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::scenario::{Command, UserRef};

    fn scenario() -> Scenario {
        Scenario::from_json(include_str!(
            "../../scenarios/examples/configure-example.json"
        ))
        .unwrap()
    }

    fn log(sim: &Simulation) -> Vec<String> {
        sim.events().iter().map(|e| sim.event_line(e)).collect()
    }

    fn fresh(scenario: &Scenario, cursor: Tick) -> Simulation {
        let mut sim = Simulation::new(scenario);
        while sim.next_tick() < cursor {
            sim.step();
        }
        sim
    }

    #[test]
    fn seeking_anywhere_gives_the_state_a_fresh_replay_gives() {
        let s = scenario();
        let mut replay = Replay::with_budget(s.clone(), 60);
        for cursor in [5, 2, 40, 0, 39, 7, 120, 3] {
            replay.seek(cursor);
            assert_eq!(replay.cursor(), cursor);
            assert_eq!(
                log(replay.head()),
                log(&fresh(&s, cursor)),
                "cursor {cursor}"
            );
        }
    }

    #[test]
    fn running_toward_a_cursor_can_stop_between_ticks() {
        let s = scenario();
        let mut replay = Replay::new(s.clone());
        let mut budget = 3;
        assert!(!replay.run_toward(10, || {
            budget -= 1;
            budget > 0
        }));
        assert_eq!(replay.cursor(), 3);
        assert!(replay.run_toward(10, || true));
        assert!(
            replay.run_toward(2, || false),
            "going back jumps and runs at least a tick"
        );
        assert_eq!(log(replay.head()), log(&fresh(&s, 2)));
    }

    #[test]
    fn checkpoints_are_thinned_to_the_budget_and_keep_cursor_zero() {
        let s = scenario();
        let mut replay = Replay::with_budget(s, 3_000);
        replay.seek(300);
        let kept = replay.checkpoint_cursors();
        assert_eq!(kept[0], 0);
        let total: usize = replay.checkpoints.values().map(weight).sum();
        assert!(total <= 3_000, "{kept:?} weigh {total}");
        assert!(kept.len() >= 2, "{kept:?}");
    }

    #[test]
    fn an_edit_at_the_cursor_keeps_earlier_checkpoints_and_matches_a_fresh_replay() {
        let s = scenario();
        let mut replay = Replay::new(s.clone());
        replay.seek(10);
        replay.seek(6);
        let mut edited = s.clone();
        edited.drop_timeline_after(6);
        edited
            .edit_at(
                6,
                Command::SetAttributes {
                    tenant: "source".into(),
                    user: UserRef::Local("users1".into()),
                    attributes: [("department".to_string(), Some("Sales".to_string()))].into(),
                },
            )
            .unwrap();
        replay.set_scenario(edited.clone());
        assert_eq!(replay.cursor(), 6);
        assert!(replay.checkpoint_cursors().iter().all(|at| *at <= 6));
        assert!(replay.checkpoint_cursors().contains(&5));
        replay.seek(12);
        assert_eq!(log(replay.head()), log(&fresh(&edited, 12)));
    }

    #[test]
    fn an_edit_of_the_initial_state_replays_to_the_same_cursor() {
        let s = scenario();
        let mut replay = Replay::new(s.clone());
        replay.seek(4);
        let mut edited = s.clone();
        edited
            .edit_at(
                0,
                Command::PauseJob {
                    job: "source-to-target".into(),
                },
            )
            .unwrap();
        replay.set_scenario(edited.clone());
        assert_eq!(replay.cursor(), 4);
        assert_eq!(replay.checkpoint_cursors(), vec![0, 1, 2, 3, 4]);
        assert_eq!(log(replay.head()), log(&fresh(&edited, 4)));
    }

    #[test]
    fn the_view_applies_the_commands_stamped_at_the_cursor_and_stepping_ignores_it() {
        let s = scenario();
        let mut replay = Replay::new(s.clone());
        replay.seek(3);
        // The scenario moves UserS3 to Sales at tick 3: the view shows it before the cycle runs.
        let view = replay.view();
        let t = view.tenant_index("source").unwrap();
        let u = view.tenant(t).dir.user_by_local_id("users3").unwrap();
        let department = |sim: &Simulation| {
            let attrs = &sim.tenant(t).dir.user(u).attrs;
            let id = sim.names.get("department").unwrap();
            attrs.get(id).map(|v| v.to_string())
        };
        assert_eq!(department(view), Some("Sales".into()));
        assert_eq!(department(replay.head()), Some("Marketing".into()));
        assert_eq!(replay.pending_entries().count(), 1);
        assert!(replay.pending_events().is_empty());
        replay.step();
        assert_eq!(log(replay.head()), log(&fresh(&s, 4)));
    }

    #[test]
    fn provision_on_demand_at_the_cursor_shows_its_result_in_the_pending_events() {
        let mut s = scenario();
        s.edit_at(
            2,
            Command::ProvisionOnDemand {
                job: "source-to-target".into(),
                user: "users2".into(),
            },
        )
        .unwrap();
        let mut replay = Replay::new(s);
        replay.seek(2);
        assert_eq!(replay.pending_events().len(), 1);
    }

    #[test]
    fn first_difference_names_the_first_tick_that_changes() {
        let s = scenario();
        assert_eq!(first_difference(&s, &s), Difference::None);
        let mut renamed = s.clone();
        renamed.name = "other".into();
        assert_eq!(first_difference(&s, &renamed), Difference::None);
        let mut later = s.clone();
        later
            .edit_at(
                7,
                Command::PauseJob {
                    job: "source-to-target".into(),
                },
            )
            .unwrap();
        assert_eq!(first_difference(&s, &later), Difference::FromTick(7));
        assert_eq!(first_difference(&later, &s), Difference::FromTick(7));
        let mut initial = s.clone();
        initial
            .edit_at(
                0,
                Command::PauseJob {
                    job: "source-to-target".into(),
                },
            )
            .unwrap();
        assert_eq!(first_difference(&s, &initial), Difference::Initial);
    }
}
