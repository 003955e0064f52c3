//! The timeline: simulated date and time, the tick counter, Step, Run 10, Play/Pause with a speed,
//! fast-forward by days (in chunks, with progress and Stop, so the page stays responsive), going
//! back to any earlier tick, and marks for the scenario's scripted timeline entries.

use ctsync_core::clock::TICKS_PER_DAY;
use ctsync_core::scenario::MAX_TICKS;
use leptos::prelude::*;

use crate::model;
use crate::state::{Playground, RunState};
use crate::timer;

/// Time spent stepping before a fast-forward chunk yields to the browser.
const CHUNK_BUDGET_MS: f64 = 24.0;

/// Runs towards `to`, a chunk at a time, while the run is still this one.
fn run_chunk(pg: Playground, from: u64, to: u64, days: Option<u64>) {
    if !matches!(pg.run.get_untracked(), RunState::Running { from: f, to: t, .. } if f == from && t == to)
    {
        return;
    }
    let reached = pg.run_toward(to, CHUNK_BUDGET_MS);
    let at = pg.cursor_untracked();
    if reached {
        pg.run.set(RunState::Idle);
        if let Some(days) = days {
            pg.say(format!("Fast-forwarded {days} days to tick {at}."));
        }
    } else {
        pg.run.set(RunState::Running { from, to, at, days });
        timer::after(0, move || run_chunk(pg, from, to, days));
    }
}

/// Goes to tick `to` (back or forward) in chunks, with progress and Stop.
pub fn go_to(pg: Playground, to: u64) {
    let from = pg.cursor_untracked();
    let to = to.min(MAX_TICKS + 1);
    if to == from {
        return;
    }
    pg.run.set(RunState::Running {
        from,
        to,
        at: from,
        days: None,
    });
    run_chunk(pg, from, to, None);
}

/// Starts fast-forwarding `days` days.
pub fn fast_forward(pg: Playground, days: u64) {
    let from = pg.cursor_untracked();
    let to = (from + days * TICKS_PER_DAY).min(MAX_TICKS + 1);
    if to <= from {
        return;
    }
    pg.run.set(RunState::Running {
        from,
        to,
        at: from,
        days: Some(days),
    });
    timer::after(0, move || run_chunk(pg, from, to, Some(days)));
}

fn play_tick(pg: Playground, ticks_per_second: u32) {
    if pg.run.get_untracked() != (RunState::Playing { ticks_per_second }) {
        return;
    }
    if pg.cursor_untracked() > MAX_TICKS {
        pg.run.set(RunState::Idle);
        return;
    }
    pg.step();
    timer::after(1000 / u64::from(ticks_per_second.max(1)), move || {
        play_tick(pg, ticks_per_second)
    });
}

/// Starts playing at `ticks_per_second`.
pub fn play(pg: Playground, ticks_per_second: u32) {
    pg.run.set(RunState::Playing { ticks_per_second });
    timer::after(0, move || play_tick(pg, ticks_per_second));
}

/// Marks closer than this (in % of the track) merge into one, so that each stays clickable.
const MIN_MARK_GAP_PERCENT: f64 = 1.2;

/// Timeline marks by tick, as (first tick, position in % of a track of `horizon` ticks, texts),
/// neighbours closer than [`MIN_MARK_GAP_PERCENT`] merged into the first of them.
fn cluster_marks(marks: Vec<(u64, Vec<String>)>, horizon: f64) -> Vec<(u64, f64, Vec<String>)> {
    let mut out: Vec<(u64, f64, Vec<String>)> = Vec::new();
    for (tick, texts) in marks {
        let left = tick as f64 * 100.0 / horizon.max(1.0);
        match out.last_mut() {
            Some((_, last_left, last_texts)) if left - *last_left < MIN_MARK_GAP_PERCENT => {
                last_texts.extend(texts)
            }
            _ => out.push((tick, left, texts)),
        }
    }
    out
}

#[component]
pub fn TimeControls() -> impl IntoView {
    let pg = Playground::get();
    let speed = RwSignal::new(2u32);
    let days = RwSignal::new(30u64);
    let busy = move || matches!(pg.run.get(), RunState::Running { .. });
    let playing = move || matches!(pg.run.get(), RunState::Playing { .. });
    let clock = move || pg.with(|r| model::clock_text(r.head(), r.cursor()));
    let cursor = move || pg.cursor();
    let day_and_time = move || {
        let n = pg.cursor();
        format!(
            "Day {} · cycle {} of the day",
            n / TICKS_PER_DAY + 1,
            n % TICKS_PER_DAY + 1
        )
    };

    view! {
        <div class="time-controls" role="toolbar" aria-label="Time">
            <div class="clock" aria-live="polite">
                <span class="clock-time" data-testid="clock">{clock}</span>
                <span class="clock-tick">"Tick "<strong data-testid="tick">{cursor}</strong></span>
                <span class="clock-day">{day_and_time}</span>
            </div>
            <div class="control-group">
                <button class="btn" data-testid="back" title="Go back one tick"
                    disabled=move || cursor() == 0 || busy()
                    on:click=move |_| { pg.run.set(RunState::Idle); go_to(pg, pg.cursor_untracked().saturating_sub(1)); }>
                    "◀ Back"
                </button>
                <button class="btn primary" data-testid="step" title="Run the next sync cycle (40 minutes)"
                    disabled=busy
                    on:click=move |_| { pg.run.set(RunState::Idle); pg.step(); }>
                    "Step ▶"
                </button>
                <button class="btn" data-testid="run-10" title="Run 10 ticks (6 h 40 min)" disabled=busy
                    on:click=move |_| { pg.run.set(RunState::Idle); pg.step_many(10); }>
                    "Run 10"
                </button>
                <button class="btn" data-testid="play" disabled=busy
                    aria-pressed=move || playing().to_string()
                    on:click=move |_| {
                        if playing() { pg.run.set(RunState::Idle) } else { play(pg, speed.get_untracked()) }
                    }>
                    {move || if playing() { "❚❚ Pause" } else { "▶ Play" }}
                </button>
                <label class="field-inline">
                    <span class="visually-hidden">"Speed"</span>
                    <select data-testid="speed" on:change=move |ev| {
                        let v = event_target_value(&ev).parse().unwrap_or(2);
                        speed.set(v);
                        if playing() { play(pg, v); }
                    }>
                        <option value="1">"1 tick/s"</option>
                        <option value="2" selected>"2 ticks/s"</option>
                        <option value="5">"5 ticks/s"</option>
                        <option value="10">"10 ticks/s"</option>
                    </select>
                </label>
            </div>
            <div class="control-group">
                <label class="field-inline">
                    "Fast-forward"
                    <input type="number" min="1" max="366" class="days" data-testid="ff-days"
                        prop:value=move || days.get().to_string()
                        on:change=move |ev| days.set(event_target_value(&ev).parse::<u64>().unwrap_or(30).clamp(1, 366))/>
                    "days"
                </label>
                {move || match pg.run.get() {
                    RunState::Running { from, to, at, .. } => {
                        let pct = if to > from { at.saturating_sub(from) as f64 * 100.0 / (to - from) as f64 } else { 100.0 };
                        view! {
                            <progress data-testid="ff-progress" max="100" value=pct.to_string()></progress>
                            <button class="btn" data-testid="ff-stop" on:click=move |_| {
                                pg.run.set(RunState::Idle);
                                pg.say(format!("Stopped at tick {}.", pg.cursor_untracked()));
                            }>"Stop"</button>
                        }.into_any()
                    }
                    _ => view! {
                        <button class="btn" data-testid="ff-go" on:click=move |_| {
                            pg.run.set(RunState::Idle);
                            fast_forward(pg, days.get_untracked());
                        }>"Go"</button>
                    }.into_any(),
                }}
            </div>
        </div>
        <Scrubber/>
    }
}

/// A track of ticks with the cursor, the furthest tick reached and marks for timeline entries;
/// the range input goes back (or forward) to any tick.
#[component]
fn Scrubber() -> impl IntoView {
    let pg = Playground::get();
    let horizon = move || {
        pg.with(|r| {
            let scripted = r
                .scenario()
                .timeline
                .iter()
                .map(|e| e.tick)
                .max()
                .unwrap_or(0);
            (r.cursor().max(scripted + 1) + 4).max(12)
        })
    };
    let marks = move || {
        let h = horizon() as f64;
        pg.with_scenario(|s| {
            let mut marks: Vec<(u64, Vec<String>)> = Vec::new();
            for e in &s.timeline {
                let what = e
                    .note
                    .clone()
                    .unwrap_or_else(|| ctsync_core::engine::summarize_command(&e.command));
                let text = format!("Tick {}: {what}", e.tick);
                match marks.last_mut() {
                    Some((tick, texts)) if *tick == e.tick => texts.push(text),
                    _ => marks.push((e.tick, vec![text])),
                }
            }
            cluster_marks(marks, h)
                .into_iter()
                .map(|(tick, left, texts)| {
                    let title = texts.join("\n");
                    view! {
                        <button class="mark" data-testid="timeline-mark" data-tick=tick
                            style=format!("left: {left:.3}%") title=title.clone() aria-label=title
                            on:click=move |_| { pg.run.set(RunState::Idle); go_to(pg, tick); }>
                        </button>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="scrubber">
            <input type="range" class="scrubber-range" data-testid="scrubber" min="0"
                aria-label="Go to tick"
                prop:max=move || horizon().to_string()
                prop:value=move || pg.cursor().to_string()
                on:change=move |ev| {
                    if let Ok(t) = event_target_value(&ev).parse::<u64>() {
                        pg.run.set(RunState::Idle);
                        go_to(pg, t);
                    }
                }/>
            <div class="marks">{marks}</div>
            <label class="goto">
                "Go to tick"
                <input type="number" min="0" class="days" data-testid="goto-tick"
                    prop:value=move || pg.cursor().to_string()
                    on:change=move |ev| {
                        if let Ok(t) = event_target_value(&ev).parse::<u64>() {
                            pg.run.set(RunState::Idle);
                            go_to(pg, t);
                        }
                    }/>
            </label>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn close_marks_merge_into_the_first() {
        let marks = vec![
            (1, vec!["a".to_string()]),
            (3, vec!["b".to_string()]),
            (500, vec!["c".to_string()]),
        ];
        let wide = cluster_marks(marks.clone(), 12.0);
        assert_eq!(wide.len(), 3);
        let long = cluster_marks(marks, 1086.0);
        assert_eq!(long.len(), 2);
        assert_eq!(long[0].0, 1);
        assert_eq!(long[0].2, ["a", "b"]);
    }
}
