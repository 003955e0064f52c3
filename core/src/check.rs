//! Expectations: runs a scenario and checks each of its `expect` entries after the tick it names,
//! reporting expected against actual in words a user can act on.

use crate::engine::attrs::AttrValue;
use crate::engine::event::Event;
use crate::engine::Simulation;
use crate::scenario::expect::Check;
use crate::scenario::{Expectation, ExpectedUserState, Scenario};

/// The result of one expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    /// Index in the scenario's `expect` list.
    pub index: usize,
    pub after_tick: u64,
    pub what: String,
    pub source: Option<String>,
    /// `None` when it held; otherwise what was found instead.
    pub failure: Option<String>,
}

impl CheckResult {
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }
}

/// Runs `scenario` far enough for every expectation (and at least `min_ticks` ticks) and checks them.
pub fn run_checks(scenario: &Scenario, min_ticks: u64) -> (Simulation, Vec<CheckResult>) {
    let mut sim = Simulation::new(scenario);
    let mut order: Vec<usize> = (0..scenario.expect.len()).collect();
    crate::sort::sort_by_key(&mut order, |i| scenario.expect[*i].after_tick);
    let mut results = Vec::with_capacity(order.len());
    for i in order {
        let expectation = &scenario.expect[i];
        sim.run_through(expectation.after_tick);
        results.push(check_one(&sim, i, expectation));
    }
    if min_ticks > 0 {
        sim.run_through(min_ticks - 1);
    }
    crate::sort::sort_by_key(&mut results, |r| r.index);
    (sim, results)
}

fn check_one(sim: &Simulation, index: usize, expectation: &Expectation) -> CheckResult {
    let (what, failure) = match &expectation.check {
        Check::User {
            tenant,
            user,
            state,
            attributes,
            count,
        } => {
            let what = format!("user {user} in {tenant} is {state:?}");
            let failure = match sim.tenant_index(tenant) {
                None => Some(format!("tenant '{tenant}' does not exist")),
                Some(t) => check_user(sim, t, user, *state, attributes, *count),
            };
            (what, failure)
        }
        Check::Event {
            job,
            user,
            action,
            status,
            effect,
            error_code,
            skip_reason,
            present,
            any_tick,
        } => {
            let mut parts = vec![format!("{job}: {user}")];
            for (label, value) in [
                ("action", action),
                ("status", status),
                ("effect", effect),
                ("error", error_code),
                ("skipReason", skip_reason),
            ] {
                if let Some(v) = value {
                    parts.push(format!("{label} {v}"));
                }
            }
            let when = if *any_tick {
                format!("by tick {}", expectation.after_tick)
            } else {
                format!("in tick {}", expectation.after_tick)
            };
            let what = format!(
                "{} event {} {when}",
                if *present { "an" } else { "no" },
                parts.join(", ")
            );
            let found = matching_events(sim, expectation.after_tick, *any_tick, job, user, |e| {
                action.as_deref().is_none_or(|a| e.action.as_str() == a)
                    && status.as_deref().is_none_or(|s| e.status.as_str() == s)
                    && effect.as_deref().is_none_or(|x| e.effect.as_str() == x)
                    && error_code
                        .as_deref()
                        .is_none_or(|c| e.error.as_ref().is_some_and(|err| err.code.as_str() == c))
                    && skip_reason
                        .as_deref()
                        .is_none_or(|r| e.skip_reason.is_some_and(|s| s.as_str() == r))
            });
            let failure = match (found.0, *present) {
                (n, true) if n > 0 => None,
                (0, false) => None,
                (_, true) => Some(if found.1.is_empty() {
                    format!("no event of {job} for {user} then")
                } else {
                    format!("events of {job} for {user} then: {}", found.1.join("; "))
                }),
                (_, false) => Some(format!("found: {}", found.1.join("; "))),
            };
            (what, failure)
        }
        Check::DownstreamApp {
            tenant,
            app,
            user,
            provisioned,
        } => {
            let what = format!(
                "user {user} in {tenant} is {}provisioned to {app}",
                if *provisioned { "" } else { "not " }
            );
            (what, check_downstream(sim, tenant, app, user, *provisioned))
        }
        Check::Job {
            job,
            status,
            error_code,
            quarantine_reason,
        } => {
            let what = format!(
                "job {job}{}{}{}",
                status
                    .as_ref()
                    .map(|s| format!(" status {s}"))
                    .unwrap_or_default(),
                error_code
                    .as_ref()
                    .map(|s| format!(" error {s}"))
                    .unwrap_or_default(),
                quarantine_reason
                    .as_ref()
                    .map(|s| format!(" quarantine reason {s}"))
                    .unwrap_or_default(),
            );
            let failure = match sim.job_index(job) {
                None => Some(format!("job '{job}' does not exist")),
                Some(j) => {
                    let runtime = sim.job(j);
                    let actual_status = runtime.status_code();
                    let actual_error = runtime
                        .last_error
                        .as_ref()
                        .or(runtime.quarantine.as_ref().and_then(|q| q.error.as_ref()))
                        .map(|e| e.code.as_str());
                    let actual_reason = runtime.quarantine.as_ref().map(|q| q.reason.as_str());
                    let mut problems = Vec::new();
                    if let Some(s) = status {
                        if s != actual_status {
                            problems.push(format!("status is {actual_status}"));
                        }
                    }
                    if let Some(c) = error_code {
                        if Some(c.as_str()) != actual_error {
                            problems.push(format!("error is {}", actual_error.unwrap_or("none")));
                        }
                    }
                    if let Some(r) = quarantine_reason {
                        if Some(r.as_str()) != actual_reason {
                            problems.push(format!(
                                "quarantine reason is {}",
                                actual_reason.unwrap_or("none")
                            ));
                        }
                    }
                    (!problems.is_empty()).then(|| problems.join(", "))
                }
            };
            (what, failure)
        }
    };
    CheckResult {
        index,
        after_tick: expectation.after_tick,
        what,
        source: expectation.source.clone(),
        failure,
    }
}

fn check_user(
    sim: &Simulation,
    t: crate::engine::directory::TenantIdx,
    user: &crate::scenario::UserRef,
    state: ExpectedUserState,
    attributes: &std::collections::BTreeMap<String, Option<String>>,
    count: Option<usize>,
) -> Option<String> {
    let dir = &sim.tenant(t).dir;
    let accounts = sim.resolve_user_ref(t, user);
    let describe = |u: u32| {
        let x = dir.user(u);
        let state = if x.deleted.is_some() {
            "soft deleted"
        } else if x.account_enabled() {
            "active"
        } else {
            "disabled (sign-in blocked)"
        };
        format!("{} ({state})", x.upn())
    };
    if let Some(n) = count {
        if accounts.len() != n {
            let found: Vec<String> = accounts.iter().map(|u| describe(*u)).collect();
            return Some(format!(
                "found {} accounts: {}",
                accounts.len(),
                found.join(", ")
            ));
        }
    }
    let fits = |u: u32| {
        let x = dir.user(u);
        match state {
            ExpectedUserState::Active => x.is_active() && x.account_enabled(),
            ExpectedUserState::Disabled => x.is_active() && !x.account_enabled(),
            ExpectedUserState::Present => x.is_active(),
            ExpectedUserState::SoftDeleted => x.exists() && x.deleted.is_some(),
            ExpectedUserState::Absent => false,
        }
    };
    if state == ExpectedUserState::Absent {
        return (!accounts.is_empty()).then(|| {
            let found: Vec<String> = accounts.iter().map(|u| describe(*u)).collect();
            format!("exists: {}", found.join(", "))
        });
    }
    let Some(u) = accounts.iter().copied().find(|u| fits(*u)) else {
        return Some(if accounts.is_empty() {
            "does not exist".to_string()
        } else {
            let found: Vec<String> = accounts.iter().map(|u| describe(*u)).collect();
            format!("found {}", found.join(", "))
        });
    };
    let mut problems = Vec::new();
    for (name, expected) in attributes {
        let actual: Option<String> = if name == "manager" {
            dir.user(u).manager.map(|m| dir.user(m).upn().to_string())
        } else {
            sim.names
                .get(name)
                .and_then(|id| sim.source_value(t, u, id, None))
                .map(|v: AttrValue| v.to_string())
        };
        if actual.as_deref() != expected.as_deref() {
            problems.push(format!(
                "{name} is {}, expected {}",
                actual
                    .map(|a| format!("'{a}'"))
                    .unwrap_or_else(|| "empty".into()),
                expected
                    .as_ref()
                    .map(|a| format!("'{a}'"))
                    .unwrap_or_else(|| "empty".into()),
            ));
        }
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

fn check_downstream(
    sim: &Simulation,
    tenant: &str,
    app: &str,
    user: &crate::scenario::UserRef,
    provisioned: bool,
) -> Option<String> {
    use crate::engine::downstream::AppAccount;
    let Some(t) = sim.tenant_index(tenant) else {
        return Some(format!("tenant '{tenant}' does not exist"));
    };
    let Some(runtime) = sim.tenant(t).downstream.iter().find(|a| a.config.id == app) else {
        return Some(format!("{tenant} has no downstream app '{app}'"));
    };
    let accounts = sim.resolve_user_ref(t, user);
    let states: Vec<Option<&AppAccount>> =
        accounts.iter().map(|u| runtime.accounts.get(u)).collect();
    let is = states
        .iter()
        .any(|s| matches!(s, Some(AppAccount::Provisioned)));
    if is == provisioned {
        return None;
    }
    if accounts.is_empty() {
        return Some(format!("the user has no account in {tenant}"));
    }
    Some(match states.iter().find_map(|s| *s) {
        Some(AppAccount::Provisioned) => "provisioned".to_string(),
        Some(AppAccount::Refused(reason)) => format!("refused: {reason}"),
        None => "not in the app's scope".to_string(),
    })
}

/// Object events of `job` for source user `user` in the tick (or up to it), filtered by `keep`.
fn matching_events(
    sim: &Simulation,
    tick: u64,
    any_tick: bool,
    job: &str,
    user: &crate::scenario::UserRef,
    keep: impl Fn(&crate::engine::event::ObjectEvent) -> bool,
) -> (usize, Vec<String>) {
    let Some(j) = sim.job_index(job) else {
        return (0, vec![format!("job '{job}' does not exist")]);
    };
    let source = sim.job(j).source;
    let Some(u) = sim.resolve_user_ref(source, user).into_iter().next() else {
        return (
            0,
            vec![format!("user '{user}' does not exist in the job's source")],
        );
    };
    let mut matched = 0;
    let mut seen = Vec::new();
    for event in sim.events() {
        let Event::Object(e) = event else { continue };
        let in_window = if any_tick {
            e.tick <= tick
        } else {
            e.tick == tick
        };
        if !in_window || e.job != j || e.source_user != u {
            continue;
        }
        if keep(e) {
            matched += 1;
        }
        seen.push(format!(
            "tick {} {} {} ({}){}",
            e.tick,
            e.action.as_str(),
            e.status.as_str(),
            e.effect.as_str(),
            e.error
                .as_ref()
                .map(|x| format!(" {}", x.code.as_str()))
                .unwrap_or_default()
        ));
    }
    (matched, seen)
}
