//! The simulated clock: time in ctsync moves only in ticks of Entra's fixed 40-minute sync interval.

use chrono::{DateTime, Duration, Utc};

/// Entra starts cross-tenant sync cycles at a fixed 40-minute interval (`PT40M`); one tick is one interval.
pub const TICK_MINUTES: i64 = 40;

/// Number of ticks in one simulated day (24 h / 40 min).
pub const TICKS_PER_DAY: u64 = 36;

/// A tick number: tick 0 is the scenario's start time.
pub type Tick = u64;

/// The simulated date and time at the start of `tick`, counted from `start`.
pub fn time_at(start: DateTime<Utc>, tick: Tick) -> DateTime<Utc> {
    // Ticks are bounded by the scenario's tick limit, far below i64 overflow.
    start + Duration::minutes(TICK_MINUTES * tick as i64)
}

/// The default start of a scenario's clock when the file names none: a Monday morning in January 2026.
pub fn default_start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-05T08:00:00Z")
        .expect("constant timestamp parses")
        .with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    // The same tests run natively and, under wasm-bindgen-test-runner, in wasm32.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_day_is_thirty_six_ticks() {
        let start = default_start();
        assert_eq!(time_at(start, TICKS_PER_DAY) - start, Duration::days(1));
        assert_eq!(time_at(start, 1).to_rfc3339(), "2026-01-05T08:40:00+00:00");
    }
}
