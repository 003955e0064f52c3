//! The rows of `docs/decisions.md`, embedded at compile time so that explanations, design-review
//! findings and lessons can quote the exact row a behaviour rests on (a documented conflict or an
//! inference) instead of paraphrasing it.

use serde::Serialize;

/// The decisions page, as written.
pub const DECISIONS_MD: &str = include_str!("../../docs/decisions.md");

/// One row of a decisions table: its topic and its cells after the topic, verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionRow {
    pub topic: &'static str,
    /// What ctsync does (the second column).
    pub behaviour: &'static str,
    /// The remaining columns (basis, or the document followed and the one overridden), verbatim.
    pub basis: &'static str,
    /// The whole Markdown row.
    pub row: &'static str,
}

/// The row whose first cell is exactly `topic`.
pub fn row(topic: &str) -> Option<DecisionRow> {
    let prefix = format!("| {topic} | ");
    let line = DECISIONS_MD.lines().find(|l| l.starts_with(&prefix))?;
    let inner = line
        .trim()
        .trim_start_matches('|')
        .trim_end_matches('|')
        .trim();
    // Cells are separated by " | "; a `|` inside backticks is never surrounded by spaces.
    let mut cells = inner.splitn(3, " | ");
    let topic = cells.next()?.trim();
    let behaviour = cells.next()?.trim();
    let basis = cells.next().unwrap_or("").trim();
    Some(DecisionRow {
        topic,
        behaviour,
        basis,
        row: line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn rows_are_found_by_topic_and_split_into_cells() {
        let r = row("Internal guests in the source").expect("row exists");
        assert_eq!(r.topic, "Internal guests in the source");
        assert!(r.behaviour.starts_with("Never synchronized"));
        assert!(r.basis.contains("Seed 000 FAQ"));
        assert!(row("No such topic").is_none());
    }
}
