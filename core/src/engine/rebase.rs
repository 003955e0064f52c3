//! Re-basing a running simulation onto an edited timeline, so that a replay can keep the
//! checkpoints an edit did not invalidate instead of replaying from tick 0.
//!
//! A simulation copies the scenario's timeline when it is built and consumes it in order. An edit
//! made at tick N changes only entries stamped N or later, so a simulation that has not yet run
//! tick N is exactly what replaying the edited scenario would give — except for its own copy of
//! the timeline, which this module replaces.

use super::Simulation;
use crate::scenario::TimelineEntry;

impl Simulation {
    /// Replaces the timeline this simulation will consume from now on with `timeline` (the whole
    /// timeline of the edited scenario). Refused — `false`, nothing changed — when the entries this
    /// simulation already applied are not the first entries of `timeline`, or when `timeline` has
    /// an entry for a tick that already ran: then only a replay from the start is faithful.
    pub fn rebase_timeline(&mut self, timeline: &[TimelineEntry]) -> bool {
        let consumed = self.next_entry;
        if timeline.len() < consumed || self.timeline[..consumed] != timeline[..consumed] {
            return false;
        }
        let next = self.next_tick();
        if timeline[consumed..].iter().any(|e| e.tick < next) {
            return false;
        }
        self.timeline = timeline.to_vec();
        true
    }

    /// The timeline entries this simulation has applied so far (in order).
    pub fn timeline_entries_applied(&self) -> usize {
        self.next_entry
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use crate::scenario::{Command, Scenario};
    use crate::Simulation;

    fn scenario() -> Scenario {
        Scenario::from_json(include_str!(
            "../../../scenarios/examples/configure-example.json"
        ))
        .unwrap()
    }

    fn stream(sim: &Simulation) -> Vec<String> {
        sim.events().iter().map(|e| sim.event_line(e)).collect()
    }

    #[test]
    fn a_rebased_simulation_runs_like_a_fresh_replay_of_the_edited_scenario() {
        let original = scenario();
        let mut edited = original.clone();
        edited
            .edit_at(
                2,
                Command::BlockSignIn {
                    tenant: "source".into(),
                    user: crate::scenario::UserRef::Local("users1".into()),
                },
            )
            .unwrap();
        let mut rebased = Simulation::new(&original);
        rebased.run_through(1);
        assert!(rebased.rebase_timeline(&edited.timeline));
        rebased.run_through(5);
        let mut fresh = Simulation::new(&edited);
        fresh.run_through(5);
        assert_eq!(stream(&rebased), stream(&fresh));
        assert_eq!(rebased.applied_commands(), fresh.applied_commands());
    }

    #[test]
    fn a_timeline_that_rewrites_the_past_is_refused() {
        let original = scenario();
        let mut sim = Simulation::new(&original);
        sim.run_through(4);
        assert_eq!(sim.timeline_entries_applied(), 1);
        let mut edited = original.clone();
        edited.drop_timeline_after(0);
        assert!(!sim.rebase_timeline(&edited.timeline));
        edited
            .edit_at(
                1,
                Command::PauseJob {
                    job: "source-to-target".into(),
                },
            )
            .unwrap();
        assert!(!sim.rebase_timeline(&edited.timeline));
    }
}
