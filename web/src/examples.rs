//! The scenarios the playground ships with, embedded from the scenario library at build time.

use ctsync_core::Scenario;

/// The example shown when the playground opens.
pub const DEFAULT_EXAMPLE: &str = include_str!("../../scenarios/examples/production-test.json");

/// Loads the built-in example; it is checked by a test, so failing here is a build defect.
pub fn default_scenario() -> Result<Scenario, String> {
    Scenario::from_json(DEFAULT_EXAMPLE).map_err(|e| e.to_string())
}
