//! Timers and the browser's monotonic clock: the only place the playground schedules work for
//! later (Play, fast-forward chunks, the next frame) or measures elapsed time.

use std::time::Duration;

/// Milliseconds from the page's time origin (`performance.now()`), for time budgets.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Runs `f` after `ms` milliseconds (0: as soon as the browser has handled pending events).
pub fn after(ms: u64, f: impl FnOnce() + 'static) {
    leptos::prelude::set_timeout(f, Duration::from_millis(ms));
}

/// Runs `f` before the next paint.
pub fn next_frame(f: impl FnOnce() + 'static) {
    leptos::prelude::request_animation_frame(f);
}
