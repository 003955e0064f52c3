//! The scenarios the playground ships with, embedded from the scenario library at build time.

use ctsync_core::Scenario;

/// The example shown when the playground opens.
pub const DEFAULT_EXAMPLE: &str = include_str!("../../scenarios/examples/production-test.json");

/// Loads the built-in example; it is checked by a test, so failing here is a build defect.
pub fn default_scenario() -> Result<Scenario, String> {
    Scenario::from_json(DEFAULT_EXAMPLE).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    // The web crate builds only for wasm32: its tests run under wasm-bindgen-test-runner.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_default_example_loads() {
        let scenario = super::default_scenario().unwrap();
        assert_eq!(scenario.tenants.len(), 2);
        assert_eq!(scenario.jobs.len(), 1);
    }
}
