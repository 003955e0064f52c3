//! The lessons panel: the library of guided lessons (`ctsync_core::lessons`), each opened as its
//! own scenario; for the open lesson its goal, steps, hints one at a time, and core's check after
//! every change (the library's check, so editing the lesson's own can't weaken it). Completed
//! lessons are recorded in the browser (`localStorage`, key `ctsync.lessons.progress`, through `storage.rs`) and marked in the
//! list. A lesson opens as a new local scenario beside the user's own (`local.rs`); only when
//! storage refuses it is unsaved work set aside in the page, and the panel brings it back.

use std::collections::BTreeSet;

use ctsync_core::lessons::{self, LessonCheck};
use ctsync_core::link::ViewState;
use ctsync_core::Scenario;
use leptos::prelude::*;

use super::panel_header;
use crate::local::{Local, Opened};
use crate::state::{Panel, Playground};
use crate::storage;

/// The completed lessons, read once at start and written on every change.
#[derive(Clone, Copy)]
pub struct Progress(pub RwSignal<BTreeSet<String>>);

impl Progress {
    /// Reads the progress from the browser and provides it as context. Unreadable progress (no
    /// storage, or a value that is not an array of ids) counts as none.
    pub fn provide() -> Progress {
        let done: BTreeSet<String> = ctsync_core::sort::collect_set(storage::lesson_progress());
        let p = Progress(RwSignal::new(done));
        provide_context(p);
        p
    }

    pub fn get() -> Progress {
        expect_context::<Progress>()
    }

    /// Marks `id` completed (once) and saves; whether it was new.
    pub fn complete(self, id: &str) -> bool {
        if self.0.with_untracked(|d| d.contains(id)) {
            return false;
        }
        self.0.update(|d| {
            d.insert(id.to_string());
        });
        let list: Vec<String> = self.0.with_untracked(|d| d.iter().cloned().collect());
        if let Err(e) = storage::set_lesson_progress(&list) {
            Playground::get().complain(format!(
                "Your lesson progress could not be saved in this browser: {e}"
            ));
        }
        true
    }

    /// Forgets every completed lesson (a trainer's next class, a learner starting over) and saves.
    pub fn reset(self) {
        self.0.set(BTreeSet::new());
        if let Err(e) = storage::set_lesson_progress(&[]) {
            Playground::get().complain(format!(
                "Your lesson progress could not be saved in this browser: {e}"
            ));
        }
    }
}

/// Opens `lesson` as a new local scenario beside the user's own (or the unchanged local copy of
/// it), so nothing is lost. When storage refuses it and the open scenario has changes that are
/// not stored either, those changes are set aside in the page and the panel offers them back.
pub fn open(pg: Playground, lesson: Scenario) {
    let title = lesson.name.clone();
    let local = Local::get();
    let origin = format!("Lesson \"{title}\"");
    match local.open_new(pg, lesson.clone(), ViewState::default(), &origin) {
        Ok(Opened::New(name)) => pg.say(format!(
            "Opened \"{title}\" as a new local scenario, \"{name}\". Your own scenarios stay in Scenarios."
        )),
        Ok(Opened::Existing(name)) => pg.say(format!(
            "You already have \"{title}\" unchanged as \"{name}\": opened it."
        )),
        Ok(Opened::InPageOnly(_)) => pg.say(format!("Opened \"{title}\" in this page only.")),
        Err(_) => {
            let current = pg.with_scenario_untracked(Clone::clone);
            let kept = current.name.clone();
            local.open_in_page(pg, lesson);
            pg.set_aside.set(Some(current));
            pg.say(format!(
                "Opened \"{title}\". Your changed scenario \"{kept}\" could not be stored, so it is set aside: the Lessons panel brings it back."
            ));
        }
    }
    pg.panel.set(Some(Panel::Lessons));
}

/// The open lesson and its check, kept up to date whether or not the panel is open, so that a
/// lesson solved from the explain panel or the inspector is recorded at once.
#[derive(Clone, Copy)]
pub struct LessonTracking {
    /// The scenario, when it is a lesson: compared by value, so stepping doesn't re-run the check.
    lesson_scenario: Memo<Option<Scenario>>,
    check: Memo<Option<Result<LessonCheck, String>>>,
}

impl LessonTracking {
    /// Checks the open scenario against its lesson after every change and records success in the
    /// progress; provided as context for the panel.
    pub fn provide() {
        let pg = Playground::get();
        let progress = Progress::get();
        let lesson_scenario =
            Memo::new(move |_| pg.with_scenario(|s| s.lesson.is_some().then(|| s.clone())));
        let check = Memo::new(move |_| {
            lesson_scenario.with(|s| {
                s.as_ref()
                    .map(|s| lessons::check(s).map_err(|e| e.to_string()))
            })
        });
        // A lesson counts as completed when a change solves it: the page opening on a lesson that
        // was already solved (a reload after "Reset progress") does not mark it again.
        Effect::new(move |before: Option<Option<(String, bool)>>| {
            let now = check.with(|c| match c {
                Some(Ok(c)) if c.from_library => Some((c.id.clone(), c.solved())),
                _ => None,
            });
            if let (Some(before), Some((id, true))) = (before, &now) {
                if before.as_ref() != now.as_ref() && progress.complete(id) {
                    if let Some(Ok(c)) = check.get_untracked() {
                        pg.say(format!("Lesson solved: {} ✓", c.goal));
                    }
                }
            }
            now
        });
        provide_context(LessonTracking {
            lesson_scenario,
            check,
        });
    }
}

/// The lessons, the open one with its goal, steps, hints and check, and the set-aside scenario.
#[component]
pub fn LessonsPanel() -> impl IntoView {
    let pg = Playground::get();
    let progress = Progress::get();
    let LessonTracking {
        lesson_scenario,
        check,
    } = expect_context::<LessonTracking>();
    let list = lessons::list();
    let total = list.len();
    let confirming_reset = RwSignal::new(false);
    // Hints shown for the open lesson; back to none when another lesson opens.
    let hints_shown = RwSignal::new(0usize);
    // A lesson (re)opened: no hints shown, and the panel back at its top, where the goal is.
    let body = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        pg.generation.track();
        hints_shown.set(0);
        if let Some(el) = body.get_untracked() {
            el.set_scroll_top(0);
        }
    });
    view! {
        {panel_header("Lessons", "Lessons")}
        <div class="inspector-body panel-body" data-testid="lessons-panel" node_ref=body>
            {move || pg.set_aside.get().map(|kept| {
                let name = kept.name.clone();
                view! {
                    <div class="callout" data-testid="set-aside">
                        <p>{format!("Your changed scenario \"{name}\" was set aside when the lesson opened.")}</p>
                        <button class="btn small" data-testid="restore-set-aside" on:click=move |_| {
                            let Some(kept) = pg.set_aside.get_untracked() else { return };
                            let local = Local::get();
                            if pg.dirty.get_untracked() && !local.is_saved() {
                                // Swap: the lesson work is set aside in its turn.
                                let current = pg.with_scenario_untracked(Clone::clone);
                                local.open_in_page(pg, kept);
                                pg.set_aside.set(Some(current));
                            } else {
                                local.open_in_page(pg, kept);
                                pg.set_aside.set(None);
                            }
                            pg.dirty.set(true);
                            pg.say("Your scenario is back.");
                        }>{format!("Back to \"{name}\"")}</button>
                    </div>
                }
            })}
            {move || match (lesson_scenario.get(), check.get()) {
                (Some(s), Some(result)) => current_lesson(s, result, hints_shown).into_any(),
                _ => view! { <p class="muted">"Each lesson is a small scenario with a goal. Open one: change the settings in the inspector, step the timeline, and the check below the goal tells you when you have it."</p> }.into_any(),
            }}
            <h3>"All lessons"</h3>
            {move || {
                let completed = progress.0.with(BTreeSet::len);
                (completed > 0).then(|| if confirming_reset.get() {
                    view! {
                        <div class="callout" data-testid="reset-progress-confirm">
                            <p>{format!("Forget that {completed} {} completed in this browser? Your scenarios stay as they are.",
                                if completed == 1 { "lesson was" } else { "lessons were" })}</p>
                            <div class="button-row">
                                <button class="btn small danger" data-testid="reset-progress-yes" on:click=move |_| {
                                    progress.reset();
                                    confirming_reset.set(false);
                                    pg.say("Lesson progress reset: no lesson is marked completed.");
                                }>"Reset progress"</button>
                                <button class="btn small" on:click=move |_| confirming_reset.set(false)>"Cancel"</button>
                            </div>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <p class="lesson-progress muted">{format!("{completed} of {total} completed. ")}
                            <button class="btn small link" data-testid="reset-progress" on:click=move |_| confirming_reset.set(true)>"Reset progress"</button>
                        </p>
                    }.into_any()
                })
            }}
            <ol class="lesson-list" data-testid="lesson-list">
                {list.into_iter().map(|l| {
                    let id = l.id.clone();
                    let key = StoredValue::new(l.id.clone());
                    let done = move || key.with_value(|k| progress.0.with(|d| d.contains(k)));
                    let current = move || key.with_value(|k| pg.with_scenario(|s| s.lesson.as_ref().is_some_and(|x| x.id == *k)));
                    let points = l.pain_points.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
                    view! {
                        <li class="lesson-item" data-testid="lesson-item" data-lesson=key.get_value()
                            data-completed=move || done().to_string() class:current=current>
                            <div class="lesson-head">
                                <span class="lesson-mark" aria-hidden="true">{move || if done() { "✓" } else { "" }}</span>
                                <strong>{l.title.clone()}</strong>
                            </div>
                            <p class="cell-sub">{l.goal.clone()}</p>
                            <div class="lesson-actions">
                                {move || done().then(|| view! { <span class="lesson-done" data-testid="lesson-completed">"Completed"</span> })}
                                {(!points.is_empty()).then(|| view! { <span class="muted">{format!("Pain points {points}")}</span> })}
                                <button class="btn small push-right" data-testid="open-lesson" on:click=move |_| {
                                    match lessons::find(&id) {
                                        Some(s) => open(pg, s),
                                        None => pg.complain(format!("The lesson {id} is missing from this build.")),
                                    }
                                }>{move || if current() { "Restart" } else { "Open" }}</button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </div>
    }
}

/// The open lesson: goal, steps, hints, and the check's results.
fn current_lesson(
    s: Scenario,
    result: Result<LessonCheck, String>,
    hints_shown: RwSignal<usize>,
) -> impl IntoView {
    let Some(lesson) = s.lesson.clone() else {
        return ().into_any();
    };
    let hints = lesson.hints.clone();
    let hint_count = hints.len();
    view! {
        <section class="lesson-current" data-testid="lesson-current" data-lesson=lesson.id.clone()>
            <h3>{s.name.clone()}</h3>
            {(!s.description.is_empty()).then(|| view! { <p>{s.description.clone()}</p> })}
            <p class="lesson-goal"><strong>"Goal: "</strong>{lesson.goal.clone()}</p>
            {(!lesson.instructions.is_empty()).then(|| view! {
                <ol class="lesson-steps">{lesson.instructions.iter().map(|i| view! { <li>{i.clone()}</li> }).collect_view()}</ol>
            })}
            {match result {
                Err(e) => view! { <p class="callout error">{format!("This lesson can't be checked: {e}")}</p> }.into_any(),
                Ok(c) => {
                    let solved = c.solved();
                    view! {
                        <div class=if solved { "callout lesson-status solved" } else { "callout lesson-status" }
                            data-testid="lesson-status" data-solved=solved.to_string() role="status">
                            <strong>{if solved { "Solved — well done." } else { "Not solved yet." }}</strong>
                            <ul class="check-results">
                                {c.results.iter().map(|r| view! {
                                    <li class:pass=r.passed() class:fail=!r.passed() data-testid="lesson-check">
                                        <span aria-hidden="true">{if r.passed() { "✓ " } else { "✗ " }}</span>
                                        {format!("After tick {}: {}", r.after_tick, r.what)}
                                        {r.failure.clone().map(|f| view! { <div class="cell-sub">{f}</div> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </div>
                    }.into_any()
                }
            }}
            {(hint_count > 0).then(|| view! {
                <div class="lesson-hints">
                    <ol>
                        {move || hints.iter().take(hints_shown.get()).map(|h| view! { <li data-testid="lesson-hint">{h.clone()}</li> }).collect_view()}
                    </ol>
                    <button class="btn small" data-testid="show-hint" disabled=move || { hints_shown.get() >= hint_count }
                        on:click=move |_| hints_shown.update(|n| *n += 1)>
                        {move || if hints_shown.get() == 0 { "Show a hint".to_string() } else { format!("Another hint ({} of {hint_count})", hints_shown.get()) }}
                    </button>
                </div>
            })}
        </section>
    }
    .into_any()
}
