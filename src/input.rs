//! Reading scenarios from the outside world: the only place the CLI touches files.

use std::path::Path;

use anyhow::Context;
use ctsync_core::Scenario;

/// Reads and validates a scenario file; errors name the file and, inside it, the path.
pub fn load_scenario(file: &Path) -> anyhow::Result<Scenario> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    Scenario::from_json(&text)
        .with_context(|| format!("{} is not a valid scenario", file.display()))
}
