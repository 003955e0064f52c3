//! What the integration tests share: the list of every scenario file of the repository, embedded
//! so the same checks run natively and, under wasm-bindgen-test, in wasm32. A new scenario file is
//! listed once: a lesson in `ctsync_core::lessons::LIBRARY`, anything else below.
//! [`assert_every_scenario_file_is_embedded`] fails when the list and the directories differ.

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../../", $path)))),*]
    };
}

/// The library's example scenarios.
const EXAMPLES: &[(&str, &str)] = embedded![
    "scenarios/examples/application-hub.json",
    "scenarios/examples/configure-example.json",
    "scenarios/examples/mesh.json",
    "scenarios/examples/production-test.json",
    "scenarios/examples/user-hub.json",
];

/// One scenario per documented Entra behaviour, each expectation naming its source.
const BEHAVIOURS: &[(&str, &str)] = embedded![
    "tests/behaviours/01-initial-and-incremental-cycles.json",
    "tests/behaviours/01b-mapping-change-is-an-initial-cycle.json",
    "tests/behaviours/02-scope.json",
    "tests/behaviours/03-matching.json",
    "tests/behaviours/04-create.json",
    "tests/behaviours/05-update.json",
    "tests/behaviours/06-disable-is-not-delete.json",
    "tests/behaviours/07-leaving-scope-and-restore.json",
    "tests/behaviours/08-manager.json",
    "tests/behaviours/08b-manager-not-in-government-cloud.json",
    "tests/behaviours/09-policy-check.json",
    "tests/behaviours/09b-cross-cloud.json",
    "tests/behaviours/10-escrow-and-retry.json",
    "tests/behaviours/10b-restart-clears-escrows.json",
    "tests/behaviours/11-no-relay-through-a-hub.json",
    "tests/behaviours/12-accidental-deletion-prevention.json",
    "tests/behaviours/13-quarantine.json",
    "tests/behaviours/13b-quarantine-disables-after-four-weeks.json",
    "tests/behaviours/14-provision-on-demand.json",
    "tests/behaviours/15-two-jobs-on-one-pair.json",
    "tests/behaviours/16-expression-quirks.json",
    "tests/behaviours/17-pause-and-start.json",
    "tests/behaviours/18-downstream-app-member-vs-guest.json",
    "tests/behaviours/19-rename-and-delete-a-tenant.json",
];

/// Every scenario file of the repository as (path in the repository, text), in path order:
/// examples, lessons (the library's own list), behaviours.
pub fn files() -> Vec<(&'static str, &'static str)> {
    let lessons = ctsync_core::lessons::LIBRARY;
    EXAMPLES
        .iter()
        .chain(lessons)
        .chain(BEHAVIOURS)
        .copied()
        .collect()
}

/// The list of [`files`] is exactly the `.json` files under `scenarios/` and `tests/behaviours/`.
#[cfg(not(target_arch = "wasm32"))]
pub fn assert_every_scenario_file_is_embedded() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut on_disk = Vec::new();
    for dir in ["scenarios", "tests/behaviours"] {
        let mut stack = vec![std::path::Path::new(root).join(dir)];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    let rel = path.strip_prefix(root).unwrap().to_string_lossy();
                    on_disk.push(rel.replace('\\', "/"));
                }
            }
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = files().iter().map(|(p, _)| p.to_string()).collect();
    listed.sort();
    assert_eq!(
        listed, on_disk,
        "core/tests/common/mod.rs (or, for a lesson, core/src/lessons.rs) must list every scenario file"
    );
}
