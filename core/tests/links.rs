//! Share links over the whole scenario library, natively and (under wasm-bindgen-test) in wasm32:
//! every scenario round-trips exactly, the links are byte-identical on both platforms (so the CLI
//! and the playground make the same link), the user-hub template fits a chat message, and the
//! frozen links of every version still decode to the same scenario.
//!
//! `tests/golden/links.txt` (each file's link length and hash) and `tests/golden/user-hub.link` are
//! refreshed with `UPDATE_EXPECT=1 cargo test -p ctsync-core --test links` when a scenario or the
//! encoder changes on purpose. The frozen links in `tests/golden/links/` are never refreshed: see
//! [`FROZEN`].

use ctsync_core::link::{decode, encode, Selection, ViewState, CHAT_LINK_CHARS};
use ctsync_core::rng::stable_hash;
use ctsync_core::scenario::{UserRef, CURRENT_VERSION};
use ctsync_core::Scenario;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

/// Links frozen when their version was current: `(version, name, link, expected)`, where
/// `expected` is `{"view": …, "scenario": …}` — the scenario as it was then, in that version's file
/// format. They must decode to exactly that, forever: a failure here means old links broke.
///
/// To freeze links of a new version: add `vN-<name>.json` files here, run
/// `cargo test -p ctsync-core --test links -- --ignored freeze_new_links` (it writes the missing
/// `.link` files and never overwrites one), then list them below.
const FROZEN: &[(u32, &str, &str, &str)] = &[
    (
        1,
        "user-hub",
        include_str!("golden/links/v1-user-hub.link"),
        include_str!("golden/links/v1-user-hub.json"),
    ),
    (
        1,
        "application-hub",
        include_str!("golden/links/v1-application-hub.link"),
        include_str!("golden/links/v1-application-hub.json"),
    ),
    (
        1,
        "edge-cases",
        include_str!("golden/links/v1-edge-cases.link"),
        include_str!("golden/links/v1-edge-cases.json"),
    ),
    (
        2,
        "downstream-lesson",
        include_str!("golden/links/v2-downstream-lesson.link"),
        include_str!("golden/links/v2-downstream-lesson.json"),
    ),
];

const GOLDEN_LENGTHS: &str = include_str!("golden/links.txt");
const GOLDEN_USER_HUB: &str = include_str!("golden/user-hub.link");

fn load(path: &str, text: &str) -> Scenario {
    Scenario::from_json(text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn file(path: &str) -> Scenario {
    let (_, text) = common::files()
        .into_iter()
        .find(|(p, _)| *p == path)
        .expect("embedded");
    load(path, text)
}

/// The expected scenario and view of a frozen link, loaded as a file of its version is.
fn frozen_expectation(name: &str, text: &str) -> (Scenario, ViewState) {
    let mut wrapper: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let scenario = Scenario::from_document(wrapper["scenario"].take())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let view = serde_json::from_value(wrapper["view"].take()).unwrap_or_default();
    (scenario, view)
}

#[test]
fn every_scenario_round_trips_exactly() {
    for (path, text) in &common::files() {
        let scenario = load(path, text);
        let first_tenant = scenario.tenants[0].id.clone();
        let views = [
            ViewState::default(),
            ViewState {
                tick: scenario.last_scripted_tick(),
                selection: Some(Selection::Tenant(first_tenant.clone())),
            },
            ViewState {
                tick: 1,
                selection: Some(Selection::User {
                    tenant: first_tenant,
                    user: UserRef::parse("x/y"),
                }),
            },
        ];
        for view in views {
            let link = encode(&scenario, &view);
            let (back, back_view) = decode(&link).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(
                back == scenario,
                "{path}: the scenario changed in a round trip"
            );
            assert_eq!(back_view, view, "{path}");
        }
    }
}

/// Each file's link length and hash, as recorded natively: in wasm32 this proves the playground
/// makes byte for byte the link the CLI makes.
#[test]
fn links_match_the_golden_lengths_and_hashes() {
    let actual: String = common::files()
        .iter()
        .map(|(path, text)| {
            let link = encode(&load(path, text), &ViewState::default());
            format!("{:5} {:016x} {path}\n", link.len() + 1, stable_hash(&link))
        })
        .collect();
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/links.txt");
        std::fs::write(file, &actual).expect("write golden links");
        return;
    }
    assert_eq!(
        actual, GOLDEN_LENGTHS,
        "links differ (refresh with UPDATE_EXPECT=1 only if the change is intended)"
    );
}

#[test]
fn the_user_hub_link_is_the_same_on_every_platform() {
    let link = encode(
        &file("scenarios/examples/user-hub.json"),
        &ViewState::default(),
    );
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/user-hub.link");
        std::fs::write(file, format!("{link}\n")).expect("write golden link");
        return;
    }
    assert_eq!(link, GOLDEN_USER_HUB.trim_end());
}

/// The size target: one hub, four spokes and 50 hub users fit a chat message, with a view.
#[test]
fn the_user_hub_template_fits_a_chat_message() {
    let scenario = file("scenarios/examples/user-hub.json");
    let view = ViewState {
        tick: 3,
        selection: Some(Selection::User {
            tenant: "sandbox".into(),
            user: UserRef::parse("contoso/alex-wilber"),
        }),
    };
    let fragment = format!("#{}", encode(&scenario, &view));
    assert!(
        fragment.len() <= CHAT_LINK_CHARS,
        "the user-hub link has {} characters",
        fragment.len()
    );
}

#[test]
fn frozen_links_decode_to_the_same_scenario_forever() {
    for (version, name, link, expected) in FROZEN {
        let link = link.trim_end();
        assert!(
            link.starts_with(&format!("{version}.")),
            "{name}: the link is not of version {version}"
        );
        let actual = decode(link).unwrap_or_else(|e| panic!("v{version}-{name}: {e}"));
        let (scenario, view) = frozen_expectation(name, expected);
        assert!(
            actual.0 == scenario,
            "v{version}-{name}: the frozen link decodes to another scenario"
        );
        assert_eq!(actual.1, view, "v{version}-{name}");
    }
}

#[test]
fn every_version_has_a_frozen_link() {
    for version in 1..=CURRENT_VERSION {
        assert!(
            FROZEN.iter().any(|(v, ..)| *v == version),
            "freeze a link of version {version} (see FROZEN)"
        );
    }
}

/// Writes the `.link` of every `v<current>-*.json` in `tests/golden/links/` that has none yet (or
/// an empty one, as a new entry of [`FROZEN`] needs one to compile).
#[cfg(not(target_arch = "wasm32"))]
#[test]
#[ignore = "run once to freeze the links of a new version"]
fn freeze_new_links() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/links");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".json") else {
            continue;
        };
        let link_path = dir.join(format!("{stem}.link"));
        let frozen = std::fs::read_to_string(&link_path).is_ok_and(|l| !l.trim().is_empty());
        if !stem.starts_with(&format!("v{CURRENT_VERSION}-")) || frozen {
            continue;
        }
        let (scenario, view) = frozen_expectation(stem, &std::fs::read_to_string(&path).unwrap());
        std::fs::write(&link_path, format!("{}\n", encode(&scenario, &view))).unwrap();
        println!("froze {}", link_path.display());
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_scenario_file_is_embedded() {
    common::assert_every_scenario_file_is_embedded();
}
