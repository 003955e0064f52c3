//! Lessons: a scenario that teaches one documented pitfall. It carries a goal, short instructions,
//! hints, a machine check (expectations evaluated on the learner's edited scenario — always the
//! library's own check, so editing the file can't weaken it) and a solution (edits, as the
//! playground makes them) that the tests apply.

use serde::{Deserialize, Serialize};

use super::{Expectation, TimelineEntry};

/// The lesson part of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Lesson {
    /// Stable id, e.g. `auto-redemption-handshake`; progress is kept under it.
    pub id: String,
    /// The pain points of `shared/domain/pain-points.md` the lesson is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pain_points: Vec<u32>,
    /// What the learner must achieve, in one sentence.
    pub goal: String,
    /// Short steps: what to look at, what to change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instructions: Vec<String>,
    /// Hints, from gentle to explicit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// Solved when every one of these holds on the learner's scenario.
    pub check: Vec<Expectation>,
    /// One solution, as edits: an entry stamped 0 changes the initial state, a later one becomes a
    /// timeline entry (`Scenario::edit_at`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub solution: Vec<TimelineEntry>,
}
