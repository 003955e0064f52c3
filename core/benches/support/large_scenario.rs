//! A large, realistic scenario built in code for the engine benchmark and the profiling example:
//! one user hub with `users` internal members, all in one group assigned to three started jobs
//! (default mappings) into three spoke tenants whose policies let every user be created.

use std::collections::BTreeMap;

use ctsync_core::scenario::{Command, User, UserRef, CURRENT_VERSION};
use ctsync_core::Scenario;
use serde_json::json;

/// The source tenant's id.
pub const HUB: &str = "contoso";
/// The spoke tenants, one job each.
pub const SPOKES: [&str; 3] = ["dev", "data", "secops"];

const GIVEN_NAMES: [&str; 12] = [
    "Adele", "Alex", "Allan", "Brian", "Christie", "Debra", "Diego", "Emily", "Grady", "Hana",
    "Ines", "Łukasz",
];
const SURNAMES: [&str; 10] = [
    "Vance",
    "Wilber",
    "Deyoung",
    "Johnson",
    "Cline",
    "Berg",
    "Siciliani",
    "Müller",
    "Sato",
    "Costa",
];
const DEPARTMENTS: [&str; 6] = [
    "Engineering",
    "Data",
    "Security",
    "Finance",
    "Sales",
    "Marketing",
];
const CITIES: [(&str, &str, Option<&str>); 5] = [
    ("Seattle", "US", Some("WA")),
    ("London", "GB", None),
    ("Berlin", "DE", None),
    ("Bangalore", "IN", Some("KA")),
    ("Toronto", "CA", Some("ON")),
];

fn user_id(index: usize) -> String {
    format!("user-{index:06}")
}

/// The hub user number `index`: every attribute the default mappings read is filled in for most
/// users, and every user but the first hundred reports to one of them.
fn user(index: usize) -> User {
    let given = GIVEN_NAMES[index % GIVEN_NAMES.len()];
    let surname = SURNAMES[(index / GIVEN_NAMES.len()) % SURNAMES.len()];
    let (city, country, state) = CITIES[index % CITIES.len()];
    let alias = format!("{}.{}{index}", given.to_lowercase(), surname.to_lowercase());
    User {
        id: user_id(index),
        user_principal_name: format!("{alias}@contoso.com"),
        display_name: Some(format!("{given} {surname}")),
        given_name: Some(given.to_string()),
        surname: Some(surname.to_string()),
        mail: Some(format!("{alias}@contoso.com")),
        mail_nickname: Some(alias),
        department: Some(DEPARTMENTS[index % DEPARTMENTS.len()].to_string()),
        job_title: Some(["Engineer", "Analyst", "Manager", "Consultant"][index % 4].to_string()),
        company_name: Some("Contoso".to_string()),
        employee_id: Some(format!("{}", 100_000 + index)),
        street_address: (!index.is_multiple_of(3))
            .then(|| format!("{} Main Street", index % 900 + 1)),
        city: Some(city.to_string()),
        state: state.map(str::to_string),
        country: Some(country.to_string()),
        telephone_number: index
            .is_multiple_of(2)
            .then(|| format!("+1 425 555 {:04}", index % 10_000)),
        preferred_language: Some("en-US".to_string()),
        manager: (index >= 100).then(|| user_id(index % 100)),
        // `User::default()` is a disabled user; the scenario format's default is enabled.
        account_enabled: true,
        ..User::default()
    }
}

/// The hub with `users` users and three started jobs assigned to the group holding all of them.
/// Tenants and jobs come from JSON, so that fields the format adds later keep their defaults;
/// the users are added as values, which is much faster for 100,000 of them.
pub fn scenario(users: usize) -> Scenario {
    let spokes: Vec<serde_json::Value> = SPOKES
        .iter()
        .map(|s| {
            json!({
                "id": s,
                "displayName": format!("Contoso {s}"),
                "crossTenantAccess": {"partners": [{
                    "tenant": HUB,
                    "automaticUserConsentSettings": {"inboundAllowed": true},
                    "identitySynchronization": {"userSyncInbound": {"isSyncAllowed": true}},
                }]},
            })
        })
        .collect();
    let mut tenants = vec![json!({
        "id": HUB,
        "displayName": "Contoso (user hub)",
        "verifiedDomains": ["contoso.com"],
        "crossTenantAccess": {"partners": SPOKES.iter().map(|s| json!({
            "tenant": s,
            "automaticUserConsentSettings": {"outboundAllowed": true},
        })).collect::<Vec<_>>()},
        "groups": [{"id": "all-staff", "displayName": "All staff"}],
    })];
    tenants.extend(spokes);
    let jobs: Vec<serde_json::Value> = SPOKES
        .iter()
        .map(|s| {
            json!({
                "id": format!("{HUB}-to-{s}"),
                "source": HUB,
                "target": s,
                "state": "started",
                "assignedGroups": ["all-staff"],
            })
        })
        .collect();
    let skeleton = json!({
        "version": CURRENT_VERSION,
        "name": "Benchmark: user hub into three spokes",
        "start": "2026-01-05T08:00:00Z",
        "tenants": tenants,
        "jobs": jobs,
    });
    let mut scenario =
        Scenario::from_json(&skeleton.to_string()).expect("the benchmark skeleton is valid");
    let hub = &mut scenario.tenants[0];
    hub.users = (0..users).map(user).collect();
    hub.groups[0].members = hub.users.iter().map(|u| u.id.clone()).collect();
    scenario
}

/// `setAttributes` commands changing the department and job title of `count` hub users spread
/// over the directory; `round` makes every call's values new, so each is a real change.
pub fn attribute_changes(users: usize, count: usize, round: u64) -> Vec<Command> {
    (0..count)
        .map(|i| {
            let index = i * (users / count);
            let attributes = BTreeMap::from([
                (
                    "department".to_string(),
                    Some(format!("{} {round}", DEPARTMENTS[i % DEPARTMENTS.len()])),
                ),
                ("jobTitle".to_string(), Some(format!("Lead {round}"))),
            ]);
            Command::SetAttributes {
                tenant: HUB.to_string(),
                user: UserRef::Local(user_id(index)),
                attributes,
            }
        })
        .collect()
}
