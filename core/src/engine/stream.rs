//! The JSON Lines event stream of a run: for each tick, the commands applied, the events, and a
//! summary of counts by effect. `ctsync run --json` prints it; tests hash it to prove determinism.

use std::collections::BTreeMap;

use serde_json::json;

use super::event::Effect;
use super::Simulation;
use crate::clock::Tick;

impl Simulation {
    /// Runs `ticks` ticks (from the next one) and emits every line of the stream, in order.
    pub fn run_json_stream(&mut self, ticks: Tick, mut emit: impl FnMut(String)) {
        let mut commands_seen = self.applied_commands().len();
        for _ in 0..ticks {
            let tick = self.next_tick();
            self.step();
            for c in &self.applied_commands()[commands_seen..] {
                emit(
                    json!({"type": "command", "tick": c.tick, "command": c.name, "summary": c.summary, "rejected": c.rejected})
                        .to_string(),
                );
            }
            commands_seen = self.applied_commands().len();
            let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
            for event in self.events_of_tick(tick) {
                emit(self.event_json_text(event));
                if let Some(effect) = event.effect() {
                    *counts.entry(effect.as_str()).or_insert(0) += 1;
                }
            }
            emit(json!({"type": "tickSummary", "tick": tick, "counts": counts}).to_string());
        }
    }

    /// Counts of one tick's events by effect.
    pub fn effect_counts(&self, tick: Tick) -> BTreeMap<Effect, usize> {
        let mut counts = BTreeMap::new();
        for effect in self.events_of_tick(tick).iter().filter_map(|e| e.effect()) {
            *counts.entry(effect).or_insert(0) += 1;
        }
        counts
    }
}
