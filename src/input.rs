//! Reading scenarios from the outside world: the only place the CLI touches files. Wherever a
//! command takes a scenario file it also takes a share link (a whole URL, `#payload` or the bare
//! payload): an argument that is not an existing file and looks like a link is decoded as one.

use std::path::Path;

use anyhow::Context;
use ctsync_core::link::{self, ViewState};
use ctsync_core::Scenario;

/// Reads and validates a scenario file or share link; errors name the file (and, inside it, the
/// path) or say what is wrong with the link.
pub fn load_scenario(arg: &Path) -> anyhow::Result<Scenario> {
    load(arg).map(|(scenario, _)| scenario)
}

/// Like [`load_scenario`], also returning the view a link carries (the default view for a file).
pub fn load(arg: &Path) -> anyhow::Result<(Scenario, ViewState)> {
    if let Some(text) = as_link(arg) {
        return link::decode(text)
            .with_context(|| format!("cannot open the share link {}", short(text)));
    }
    let text =
        std::fs::read_to_string(arg).with_context(|| format!("cannot read {}", arg.display()))?;
    let scenario = Scenario::from_json(&text)
        .with_context(|| format!("{} is not a valid scenario", arg.display()))?;
    Ok((scenario, ViewState::default()))
}

/// How to name the argument in output: the file's path, or the start of the link.
pub fn label(arg: &Path) -> String {
    match as_link(arg) {
        Some(text) => format!("link {}", short(text)),
        None => arg.display().to_string(),
    }
}

/// The argument's text when it is meant as a link: not an existing file, and link-shaped.
fn as_link(arg: &Path) -> Option<&str> {
    if arg.is_file() {
        return None;
    }
    arg.to_str().filter(|text| link::looks_like_link(text))
}

/// The first characters of a link's payload, enough to recognise it.
fn short(link: &str) -> String {
    let payload = link.rsplit('#').next().unwrap_or(link).trim();
    let head: String = payload.chars().take(16).collect();
    if head.len() < payload.len() {
        format!("{head}…")
    } else {
        head
    }
}
