//! Comparing designs. For one scenario after a tick, a presence matrix: for every tenant, which
//! home tenants' users are there and as what (internal, external member, external guest, missing) —
//! who can collaborate where — and how many appear in its address list (`showInAddressList`). For
//! two scenarios side by side, a table of what each design costs and gives: configurations and
//! partner settings to maintain, accounts created, licences (both documented readings), users
//! reachable per tenant, and users missing where the design's expectations want them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::check::run_checks;
use crate::clock::Tick;
use crate::decisions::{self, DecisionRow};
use crate::engine::attrs::{known, AttrValue};
use crate::engine::directory::{TenantIdx, UserIdx};
use crate::engine::job::LinkState;
use crate::engine::Simulation;
use crate::lint;
use crate::scenario::expect::Check;
use crate::scenario::{ExpectedUserState, Scenario};

/// How the users of one home tenant are present in one tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresenceCell {
    pub home_tenant: String,
    /// The home tenant's active internal members.
    pub home_users: usize,
    /// In the home tenant itself: its internal members.
    pub internal: usize,
    pub external_members: usize,
    pub external_guests: usize,
    /// Present accounts with `showInAddressList` true (or unset, which Exchange shows).
    pub in_address_list: usize,
    /// Home users with no active account here.
    pub missing: usize,
    /// `home`, `all members`, `all guests`, `all`, `some` or `none`.
    pub summary: String,
}

/// One tenant's row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresenceRow {
    pub tenant: String,
    pub cells: Vec<PresenceCell>,
}

/// Who is where, after a tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresenceMatrix {
    pub scenario: String,
    pub after_tick: Option<Tick>,
    /// The home tenants, in scenario order (the columns).
    pub home_tenants: Vec<String>,
    pub rows: Vec<PresenceRow>,
}

/// The presence matrix of a simulation as it stands.
pub fn presence(sim: &Simulation, scenario_name: &str) -> PresenceMatrix {
    let n = sim.tenants.len() as TenantIdx;
    let home_users: Vec<Vec<UserIdx>> = (0..n)
        .map(|h| {
            let dir = &sim.tenant(h).dir;
            (0..dir.users.len() as UserIdx)
                .filter(|u| {
                    let x = dir.user(*u);
                    x.is_active() && x.is_internal() && !x.is_guest()
                })
                .collect()
        })
        .collect();
    let mut rows = Vec::new();
    for t in 0..n {
        let dir = &sim.tenant(t).dir;
        // Active external accounts here, by home (tenant, user).
        let mut by_home: BTreeMap<(TenantIdx, UserIdx), (bool, bool)> = BTreeMap::new();
        for x in dir.users.iter().filter(|x| x.is_active()) {
            let Some(home) = &x.external else { continue };
            if home.state != crate::scenario::ExternalUserState::Accepted {
                continue;
            }
            let (Some(ht), Some(hu)) = (home.tenant, home.user) else {
                continue;
            };
            let listed = x
                .attrs
                .get(known::SHOW_IN_ADDRESS_LIST)
                .and_then(AttrValue::as_bool)
                .unwrap_or(true);
            let entry = by_home.entry((ht, hu)).or_insert((x.is_guest(), listed));
            // A member account wins over a guest one (documented duplicates).
            if !x.is_guest() {
                *entry = (false, listed);
            }
        }
        let mut cells = Vec::new();
        for h in 0..n {
            let users = &home_users[h as usize];
            let mut cell = PresenceCell {
                home_tenant: sim.tenant(h).id.to_string(),
                home_users: users.len(),
                ..PresenceCell::default()
            };
            if h == t {
                cell.internal = users.len();
                cell.in_address_list = users
                    .iter()
                    .filter(|u| {
                        dir.user(**u)
                            .attrs
                            .get(known::SHOW_IN_ADDRESS_LIST)
                            .and_then(AttrValue::as_bool)
                            .unwrap_or(true)
                    })
                    .count();
                cell.summary = "home".into();
            } else {
                for u in users {
                    match by_home.get(&(h, *u)) {
                        Some((guest, listed)) => {
                            if *guest {
                                cell.external_guests += 1;
                            } else {
                                cell.external_members += 1;
                            }
                            if *listed {
                                cell.in_address_list += 1;
                            }
                        }
                        None => cell.missing += 1,
                    }
                }
                let present = cell.external_members + cell.external_guests;
                cell.summary = if present == 0 {
                    "none"
                } else if cell.missing > 0 {
                    "some"
                } else if cell.external_guests == 0 {
                    "all members"
                } else if cell.external_members == 0 {
                    "all guests"
                } else {
                    "all"
                }
                .into();
            }
            cells.push(cell);
        }
        rows.push(PresenceRow {
            tenant: sim.tenant(t).id.to_string(),
            cells,
        });
    }
    PresenceMatrix {
        scenario: scenario_name.to_string(),
        after_tick: sim.last_tick(),
        home_tenants: (0..n).map(|h| sim.tenant(h).id.to_string()).collect(),
        rows,
    }
}

/// Licences, in both documented readings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Licences {
    /// The overview's reading: one Entra ID P1 per synchronized user, in their source tenant.
    pub p1_per_synced_source_user: usize,
    /// The same, per source tenant.
    pub p1_by_source_tenant: BTreeMap<String, usize>,
    /// The overview also needs at least one P1 in each target tenant to enable automatic redemption.
    pub targets_needing_one_p1: usize,
    /// The 2024 configure doc's reading: P1 or P2 in both tenants of every pair — every tenant that
    /// is a source or a target.
    pub tenants_needing_p1_or_p2_2024: usize,
    /// The decisions row that records the disagreement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionRow>,
}

/// One expectation of the design that does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Missing {
    pub after_tick: Tick,
    /// `contoso/adele in northwind`.
    pub what: String,
    pub actual: String,
}

/// What one design costs and gives, after a tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DesignSummary {
    pub scenario: String,
    pub after_tick: Option<Tick>,
    pub tenants: usize,
    /// Configurations that exist (not deleted).
    pub sync_jobs: usize,
    /// Organizational (partner) settings the jobs need: one per (target, source) for inbound sync and
    /// redemption, one per (source, target) for outbound redemption.
    pub partner_settings: usize,
    /// Individual settings to switch on: three per source → target pair.
    pub policy_settings: usize,
    /// Accounts created by cross-tenant sync that exist now, per tenant.
    pub accounts_created: BTreeMap<String, usize>,
    pub accounts_created_total: usize,
    pub licences: Licences,
    /// Users each tenant can collaborate with: its internal members plus active external accounts
    /// from the scenario's tenants.
    pub reachable: BTreeMap<String, usize>,
    /// Expectations about users that do not hold (users missing where the design wanted them).
    pub missing: Vec<Missing>,
    /// Design-review findings by severity.
    pub lint_errors: usize,
    pub lint_warnings: usize,
}

/// The summary of `scenario` after `ticks` ticks (ticks `0..ticks`), with its presence matrix.
/// Expectations count when they are checked within those ticks.
pub fn summarize(scenario: &Scenario, ticks: Tick) -> (DesignSummary, PresenceMatrix) {
    // Expectations are checked after their own ticks; the state compared is after `ticks` ticks.
    let (_, results) = run_checks(scenario, 0);
    let mut sim = Simulation::new(scenario);
    if ticks > 0 {
        sim.run_through(ticks - 1);
    }
    let matrix = presence(&sim, &scenario.name);
    let jobs: Vec<_> = sim.jobs.iter().filter(|j| !j.deleted).collect();
    let mut partner_pairs = BTreeSet::new();
    let mut pairs = BTreeSet::new();
    for j in &jobs {
        partner_pairs.insert((j.target, j.source));
        partner_pairs.insert((j.source, j.target));
        pairs.insert((j.source, j.target));
    }
    let mut accounts_created = BTreeMap::new();
    let mut reachable = BTreeMap::new();
    for (t, tenant) in sim.tenants.iter().enumerate() {
        let created = tenant
            .dir
            .users
            .iter()
            .filter(|x| x.is_active() && x.created_by.is_some())
            .count();
        accounts_created.insert(tenant.id.to_string(), created);
        let row = &matrix.rows[t];
        let n: usize = row
            .cells
            .iter()
            .map(|c| c.internal + c.external_members + c.external_guests)
            .sum();
        reachable.insert(tenant.id.to_string(), n);
    }
    // Synchronized source users: linked and provisioned by some job, counted once per user.
    let mut synced: BTreeSet<(TenantIdx, UserIdx)> = BTreeSet::new();
    for j in &jobs {
        for (u, link) in j.links.iter() {
            if link.state == LinkState::Provisioned
                && sim.tenant(j.target).dir.user(link.target).is_active()
            {
                synced.insert((j.source, u));
            }
        }
    }
    let mut p1_by_source_tenant = BTreeMap::new();
    for (s, _) in &synced {
        *p1_by_source_tenant
            .entry(sim.tenant(*s).id.to_string())
            .or_insert(0) += 1;
    }
    let targets: BTreeSet<TenantIdx> = crate::sort::collect_set(jobs.iter().map(|j| j.target));
    let involved: BTreeSet<TenantIdx> =
        crate::sort::collect_set(jobs.iter().flat_map(|j| [j.source, j.target]));
    let licences = Licences {
        p1_per_synced_source_user: synced.len(),
        p1_by_source_tenant,
        targets_needing_one_p1: targets.len(),
        tenants_needing_p1_or_p2_2024: involved.len(),
        decision: decisions::row("Licences"),
    };
    let mut missing = Vec::new();
    for r in results
        .iter()
        .filter(|r| !r.passed() && r.after_tick < ticks)
    {
        let e = &scenario.expect[r.index];
        if let Check::User {
            tenant,
            user,
            state,
            ..
        } = &e.check
        {
            if *state != ExpectedUserState::Absent {
                missing.push(Missing {
                    after_tick: e.after_tick,
                    what: format!("{user} in {tenant}"),
                    actual: r.failure.clone().unwrap_or_default(),
                });
            }
        }
    }
    let review = lint::lint(scenario);
    let summary = DesignSummary {
        scenario: scenario.name.clone(),
        after_tick: sim.last_tick(),
        tenants: sim.tenants.len(),
        sync_jobs: jobs.len(),
        partner_settings: partner_pairs.len(),
        policy_settings: pairs.len() * 3,
        accounts_created_total: accounts_created.values().sum(),
        accounts_created,
        licences,
        reachable,
        missing,
        lint_errors: review.count(lint::Severity::Error),
        lint_warnings: review.count(lint::Severity::Warning),
    };
    (summary, matrix)
}

/// One row of the side-by-side table: a label and one value per design.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableRow {
    pub label: String,
    pub values: Vec<String>,
}

/// Designs side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    pub ticks: Tick,
    pub designs: Vec<DesignSummary>,
    pub matrices: Vec<PresenceMatrix>,
    /// The cost-and-benefit table, one column per design.
    pub table: Vec<TableRow>,
}

/// Compares designs after the same number of ticks.
pub fn compare(scenarios: &[&Scenario], ticks: Tick) -> Comparison {
    let (designs, matrices): (Vec<DesignSummary>, Vec<PresenceMatrix>) =
        scenarios.iter().map(|s| summarize(s, ticks)).unzip();
    let mut table = Vec::new();
    let mut row = |label: &str, f: &dyn Fn(&DesignSummary) -> String| {
        table.push(TableRow {
            label: label.to_string(),
            values: designs.iter().map(f).collect(),
        });
    };
    row("tenants", &|d| d.tenants.to_string());
    row("sync jobs to configure", &|d| d.sync_jobs.to_string());
    row("partner settings to configure", &|d| {
        format!("{} ({} switches)", d.partner_settings, d.policy_settings)
    });
    row("accounts created by sync", &|d| {
        d.accounts_created_total.to_string()
    });
    row("Entra ID P1, per synced source user (overview)", &|d| {
        d.licences.p1_per_synced_source_user.to_string()
    });
    row(
        "target tenants needing one P1 for auto-redemption (overview)",
        &|d| d.licences.targets_needing_one_p1.to_string(),
    );
    row("tenants needing P1/P2 (2024 configure doc)", &|d| {
        d.licences.tenants_needing_p1_or_p2_2024.to_string()
    });
    let mut tenants: BTreeSet<String> = BTreeSet::new();
    for d in &designs {
        tenants.extend(d.reachable.keys().cloned());
    }
    for t in &tenants {
        table.push(TableRow {
            label: format!("users reachable in {t}"),
            values: designs
                .iter()
                .map(|d| {
                    d.reachable
                        .get(t)
                        .map(|n| {
                            format!(
                                "{n} ({} created by sync)",
                                d.accounts_created.get(t).copied().unwrap_or(0)
                            )
                        })
                        .unwrap_or_else(|| "—".into())
                })
                .collect(),
        });
    }
    table.push(TableRow {
        label: "users missing where the design wants them".into(),
        values: designs
            .iter()
            .map(|d| d.missing.len().to_string())
            .collect(),
    });
    table.push(TableRow {
        label: "design review (errors / warnings)".into(),
        values: designs
            .iter()
            .map(|d| format!("{} / {}", d.lint_errors, d.lint_warnings))
            .collect(),
    });
    Comparison {
        ticks,
        designs,
        matrices,
        table,
    }
}

/// What ctsync does about licences and why, from docs/decisions.md's "Licences" row: the two
/// documented readings disagree and the simulation enforces neither.
pub fn licence_note(c: &Comparison) -> Option<String> {
    let d = c.designs.first()?.licences.decision?;
    let basis = d
        .basis
        .trim_start_matches("— | ")
        .trim_end_matches(" |")
        .trim();
    Some(format!("{} {basis}", d.behaviour))
}

/// The comparison as a Markdown document, for a design review's notes or deck: the side-by-side
/// table (rows that differ in bold), the users each design misses, the licence note, and each
/// design's presence matrix. The same rows and values as the table and the JSON.
pub fn markdown(c: &Comparison) -> String {
    use std::fmt::Write as _;
    let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    let names: Vec<String> = c.designs.iter().map(|d| cell(&d.scenario)).collect();
    let mut out = String::new();
    let _ = writeln!(out, "# Comparing designs: {}\n", names.join(" · "));
    let _ = writeln!(
        out,
        "After {} tick{} (sync cycles 0 to {}), as ctsync simulates Entra cross-tenant synchronization. Rows that differ are in bold.\n",
        c.ticks,
        if c.ticks == 1 { "" } else { "s" },
        c.ticks.saturating_sub(1)
    );
    let _ = writeln!(out, "| | {} |", names.join(" | "));
    let _ = writeln!(out, "|---|{}", "---|".repeat(names.len()));
    for row in &c.table {
        let differs = row.values.windows(2).any(|w| w[0] != w[1]);
        let label = if differs {
            format!("**{}**", cell(&row.label))
        } else {
            cell(&row.label)
        };
        let values: Vec<String> = row.values.iter().map(|v| cell(v)).collect();
        let _ = writeln!(out, "| {label} | {} |", values.join(" | "));
    }
    if let Some(note) = licence_note(c) {
        let _ = writeln!(out, "\nLicences (docs/decisions.md): {note}");
    }
    for (d, name) in c.designs.iter().zip(&names) {
        if d.missing.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## Missing in {name}\n");
        for m in &d.missing {
            let _ = writeln!(
                out,
                "- After tick {}: {} — {}",
                m.after_tick,
                cell(&m.what),
                cell(&m.actual)
            );
        }
    }
    for m in &c.matrices {
        let after = m.after_tick.map_or_else(
            || "before tick 0".to_string(),
            |t| format!("after tick {t}"),
        );
        let _ = writeln!(out, "\n## Who is where — {} ({after})\n", cell(&m.scenario));
        let _ = writeln!(
            out,
            "| In tenant ↓ / users of → | {} |",
            m.home_tenants.join(" | ")
        );
        let _ = writeln!(out, "|---|{}", "---|".repeat(m.home_tenants.len()));
        for r in &m.rows {
            let cells: Vec<String> = r
                .cells
                .iter()
                .map(|p| {
                    if p.home_users == 0 && p.summary != "home" {
                        // A tenant with no users of its own: nobody to be anywhere.
                        "—".to_string()
                    } else if p.summary == "home" {
                        format!("home ({} users)", p.internal)
                    } else {
                        format!(
                            "{}: {} members, {} guests, {} missing of {}; {} in the address list",
                            p.summary,
                            p.external_members,
                            p.external_guests,
                            p.missing,
                            p.home_users,
                            p.in_address_list
                        )
                    }
                })
                .collect();
            let _ = writeln!(out, "| {} | {} |", r.tenant, cells.join(" | "));
        }
    }
    out
}
