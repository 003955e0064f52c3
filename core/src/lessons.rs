//! Lessons: guided exercises on the documented pitfalls of cross-tenant sync, one scenario each in
//! `scenarios/lessons/`, embedded here so the CLI and the playground carry them. A lesson has a goal,
//! instructions, hints, a machine check and a solution ([`crate::scenario::Lesson`]). Checking a
//! learner's scenario evaluates the *library's* check for that lesson id on the learner's edited
//! scenario, so deleting or editing the check in the file changes nothing.

use serde::Serialize;

use crate::check::{run_checks, CheckResult};
use crate::scenario::{EditError, Scenario};

macro_rules! library {
    ($($path:literal),* $(,)?) => {
        /// Every lesson file, as (path in the repository, text), in order.
        pub const LIBRARY: &[(&str, &str)] = &[$(($path, include_str!(concat!("../../", $path)))),*];
    };
}

library![
    "scenarios/lessons/01-auto-redemption-handshake.json",
    "scenarios/lessons/02-assignment-vs-filters.json",
    "scenarios/lessons/03-nested-groups.json",
    "scenarios/lessons/04-existing-guests-stay-guests.json",
    "scenarios/lessons/05-no-relay-through-a-hub.json",
    "scenarios/lessons/06-disabled-then-removed.json",
    "scenarios/lessons/07-deletion-threshold.json",
    "scenarios/lessons/08-target-side-edits.json",
    "scenarios/lessons/09-manager-sync.json",
    "scenarios/lessons/10-restore-within-30-days.json",
    "scenarios/lessons/11-switch-on-unrelated-updates.json",
    "scenarios/lessons/12-sms-sign-in-users-skipped.json",
    "scenarios/lessons/13-downstream-app-member-vs-guest.json",
    "scenarios/lessons/14-guest-invitations-blocked.json",
];

/// A lesson of the library, for lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LessonInfo {
    pub id: String,
    pub title: String,
    pub path: &'static str,
    pub pain_points: Vec<u32>,
    pub goal: String,
}

/// Why a lesson can't be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LessonError {
    #[error("the scenario is not a lesson: it has no `lesson` section")]
    NotALesson,
    #[error("no lesson has the id '{0}'")]
    UnknownLesson(String),
    #[error("the solution's edit {index} was refused: {error}")]
    Solution { index: usize, error: EditError },
}

/// The outcome of checking a learner's scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonCheck {
    pub id: String,
    pub goal: String,
    /// Whether the check came from the library (`false`: a lesson that is not in the library,
    /// checked with its own expectations).
    pub from_library: bool,
    pub results: Vec<CheckResult>,
    pub hints: Vec<String>,
}

impl LessonCheck {
    pub fn solved(&self) -> bool {
        self.results.iter().all(CheckResult::passed)
    }
}

/// The library's lessons, parsed. The library is tested to load, so this never fails.
pub fn library() -> Vec<Scenario> {
    LIBRARY
        .iter()
        .map(|(path, text)| {
            Scenario::from_json(text).unwrap_or_else(|e| panic!("{path} is a valid lesson: {e}"))
        })
        .collect()
}

/// The library's lessons, for lists.
pub fn list() -> Vec<LessonInfo> {
    LIBRARY
        .iter()
        .zip(library())
        .filter_map(|((path, _), s)| {
            let lesson = s.lesson?;
            Some(LessonInfo {
                id: lesson.id,
                title: s.name,
                path,
                pain_points: lesson.pain_points,
                goal: lesson.goal,
            })
        })
        .collect()
}

/// The library lesson with this id.
pub fn find(id: &str) -> Option<Scenario> {
    library()
        .into_iter()
        .find(|s| s.lesson.as_ref().is_some_and(|l| l.id == id))
}

/// Checks a learner's scenario against its lesson's check (the library's, when the id is one of
/// the library's).
pub fn check(learner: &Scenario) -> Result<LessonCheck, LessonError> {
    let own = learner.lesson.as_ref().ok_or(LessonError::NotALesson)?;
    let (lesson, from_library) = match find(&own.id).and_then(|s| s.lesson) {
        Some(pristine) => (pristine, true),
        None => (own.clone(), false),
    };
    let mut run = learner.clone();
    run.expect = lesson.check.clone();
    let (_, results) = run_checks(&run, 0);
    Ok(LessonCheck {
        id: lesson.id,
        goal: lesson.goal,
        from_library,
        results,
        hints: lesson.hints,
    })
}

/// The lesson with its solution applied, as the playground would apply the edits.
pub fn solve(lesson: &Scenario) -> Result<Scenario, LessonError> {
    let solution = lesson
        .lesson
        .as_ref()
        .ok_or(LessonError::NotALesson)?
        .solution
        .clone();
    let mut solved = lesson.clone();
    for (index, entry) in solution.into_iter().enumerate() {
        solved
            .edit_at(entry.tick, entry.command)
            .map_err(|error| LessonError::Solution { index, error })?;
    }
    Ok(solved)
}
