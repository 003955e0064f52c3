//! Compare tests: the presence matrix and the cost-and-benefit table of two designs of the same
//! organization (three tenants through a hub, and a mesh), natively and in wasm32.

use ctsync_core::compare::{self, PresenceCell};
use ctsync_core::Scenario;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const HUB: &str = include_str!("../../tests/compare/hub-and-spoke.json");
const MESH: &str = include_str!("../../tests/compare/mesh.json");

fn load(text: &str) -> Scenario {
    Scenario::from_json(text).expect("compare scenarios load")
}

fn cell<'a>(m: &'a compare::PresenceMatrix, tenant: &str, home: &str) -> &'a PresenceCell {
    let row = m.rows.iter().find(|r| r.tenant == tenant).unwrap();
    row.cells.iter().find(|c| c.home_tenant == home).unwrap()
}

#[test]
fn the_hub_relays_nobody_between_spokes() {
    let (_, m) = compare::summarize(&load(HUB), 1);
    assert_eq!(m.home_tenants, ["contoso", "fabrikam", "northwind"]);
    let c = cell(&m, "contoso", "contoso");
    assert_eq!((c.summary.as_str(), c.internal), ("home", 2));
    let c = cell(&m, "contoso", "fabrikam");
    assert_eq!(
        (c.external_members, c.missing, c.summary.as_str()),
        (2, 0, "all members")
    );
    assert_eq!(c.in_address_list, 2);
    let c = cell(&m, "fabrikam", "northwind");
    assert_eq!(
        (c.external_members, c.missing, c.summary.as_str()),
        (0, 2, "none")
    );
}

#[test]
fn the_mesh_puts_everyone_everywhere() {
    let (_, m) = compare::summarize(&load(MESH), 1);
    for row in &m.rows {
        for c in &row.cells {
            assert_eq!(c.missing, 0, "{} in {}", c.home_tenant, row.tenant);
        }
    }
}

#[test]
fn guests_and_hidden_users_are_counted_as_such() {
    let text = MESH.replacen(
        r#""assignedGroups": [
        "share"
      ]"#,
        r#""assignedGroups": ["share"],
      "attributeMappings": [
        {"targetAttributeName": "userType", "mappingType": "Constant", "source": "Guest", "flowType": "ObjectAddOnly"},
        {"targetAttributeName": "showInAddressList", "mappingType": "Constant", "source": "false"}
      ]"#,
        1,
    );
    assert_ne!(text, MESH, "fixture edit applied");
    let (_, m) = compare::summarize(&load(&text), 1);
    // The first job is contoso → fabrikam.
    let c = cell(&m, "fabrikam", "contoso");
    assert_eq!(
        (c.external_guests, c.external_members, c.in_address_list),
        (2, 0, 0)
    );
    assert_eq!(c.summary, "all guests");
}

#[test]
fn the_table_weighs_the_designs() {
    let (hub, mesh) = (load(HUB), load(MESH));
    let cmp = compare::compare(&[&hub, &mesh], 1);
    let row = |label: &str| -> Vec<String> {
        cmp.table
            .iter()
            .find(|r| r.label == label)
            .unwrap_or_else(|| panic!("no row {label}"))
            .values
            .clone()
    };
    assert_eq!(row("sync jobs to configure"), ["4", "6"]);
    assert_eq!(
        row("partner settings to configure"),
        ["4 (12 switches)", "6 (18 switches)"]
    );
    assert_eq!(row("accounts created by sync"), ["8", "12"]);
    assert_eq!(
        row("Entra ID P1, per synced source user (overview)"),
        ["6", "6"]
    );
    assert_eq!(
        row("tenants needing P1/P2 (2024 configure doc)"),
        ["3", "3"]
    );
    assert_eq!(
        row("users reachable in fabrikam"),
        ["4 (2 created by sync)", "6 (4 created by sync)"]
    );
    assert_eq!(row("users missing where the design wants them"), ["4", "0"]);
    let hub_design = &cmp.designs[0];
    assert_eq!(hub_design.licences.p1_by_source_tenant["contoso"], 2);
    assert!(hub_design
        .missing
        .iter()
        .any(|m| m.what == "fabrikam/fay in northwind"));
    // The licence disagreement is quoted from docs/decisions.md.
    let decision = hub_design.licences.decision.expect("Licences row");
    assert_eq!(decision.topic, "Licences");
    assert!(decision.basis.contains("P1/P2 in both tenants"));
}

#[test]
fn before_any_tick_nobody_is_synchronized() {
    let (d, m) = compare::summarize(&load(MESH), 0);
    assert_eq!(d.after_tick, None);
    assert_eq!(d.accounts_created_total, 0);
    assert_eq!(d.licences.p1_per_synced_source_user, 0);
    assert_eq!(cell(&m, "fabrikam", "contoso").missing, 2);
    // Expectations checked after tick 0 are outside a window of zero ticks.
    assert!(d.missing.is_empty());
}

/// Unescaped `|` in a Markdown table line: its column separators.
fn separators(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for ch in line.chars() {
        if ch == '|' && !escaped {
            n += 1;
        }
        escaped = ch == '\\';
    }
    n
}

#[test]
fn the_markdown_export_has_the_table_the_missing_users_and_both_matrices() {
    let (hub, mut mesh) = (load(HUB), load(MESH));
    mesh.name = "Mesh | three tenants".into();
    let cmp = compare::compare(&[&hub, &mesh], 1);
    let md = compare::markdown(&cmp);
    let lines: Vec<&str> = md.lines().collect();
    assert!(lines[0].starts_with("# Comparing designs: "), "{md}");
    assert!(md.contains("After 1 tick (sync cycles 0 to 0)"), "{md}");
    // The side-by-side table: one row per table row, three columns, differing labels in bold.
    let header = lines
        .iter()
        .position(|l| l.starts_with("| | "))
        .expect("a table header");
    assert_eq!(lines[header + 1], "|---|---|---|");
    let rows = &lines[header + 2..header + 2 + cmp.table.len()];
    for (line, row) in rows.iter().zip(&cmp.table) {
        assert_eq!(separators(line), 4, "{line}");
        let differs = row.values[0] != row.values[1];
        assert_eq!(line.starts_with("| **"), differs, "{line}");
        assert!(line.contains(&row.label), "{line}");
    }
    assert!(
        md.contains("| **sync jobs to configure** | 4 | 6 |"),
        "{md}"
    );
    assert!(
        md.contains("| Entra ID P1, per synced source user (overview) | 6 | 6 |"),
        "{md}"
    );
    // A pipe in a design's name is escaped, not a new column.
    assert_eq!(separators(lines[header]), 4, "{}", lines[header]);
    assert!(lines[header].contains("Mesh \\| three tenants"));
    // What the hub misses, and the licence note from docs/decisions.md.
    assert!(md.contains("## Missing in "), "{md}");
    assert!(md.contains("fabrikam/fay in northwind"), "{md}");
    assert!(
        md.contains("Licences (docs/decisions.md): Not enforced by the simulation. The 2024 configure doc asks P1/P2 in both tenants"),
        "{md}"
    );
    // Both presence matrices, every row with a cell per home tenant.
    assert_eq!(md.matches("## Who is where — ").count(), 2, "{md}");
    assert!(md.contains("| contoso | home (2 users) |"), "{md}");
    assert!(
        md.contains("none: 0 members, 0 guests, 2 missing of 2; 0 in the address list"),
        "{md}"
    );
    for m in &cmp.matrices {
        for r in &m.rows {
            let line = lines
                .iter()
                .rfind(|l| l.starts_with(&format!("| {} | ", r.tenant)))
                .expect("a matrix row");
            assert_eq!(separators(line), m.home_tenants.len() + 2, "{line}");
        }
    }
}

#[test]
fn the_markdown_export_shows_a_dash_for_tenants_without_users_of_their_own() {
    // The user hub's spokes have no users of their own: nobody of theirs is anywhere.
    let hub = load(include_str!("../../scenarios/examples/user-hub.json"));
    let md = compare::markdown(&compare::compare(&[&hub], 1));
    assert!(
        md.contains("| contoso | home (50 users) | — | — | — | — |"),
        "{md}"
    );
    assert!(!md.contains("missing of 0"), "{md}");
}
