//! Explain: "why is this user (not) in this tenant?" and "why does this attribute hold this value?".
//!
//! For a user (any reference: `contoso/adele`, or a local id) and a tenant, after a tick, an
//! [`Explanation`] gives the whole chain Entra would walk for every job that could bring the user
//! there — configuration, connection test, import, assignment, eligibility, each scoping clause
//! with the user's actual value, matching, and the action with the values it would write (the
//! engine's dry run, [`Simulation::preview_user`]) — plus what already happened (the user's events)
//! and, for jobs out of a hub, why no relay can happen. Its reasons are the closed set
//! [`Reason`]; an attribute explanation's are [`AttributeReason`]. Both quote `docs/decisions.md`
//! where a reason rests on a documented conflict or an inference. Explain reads the simulation; it
//! never changes it.

mod attribute;
mod chain;
mod fix;
mod history;
mod reason;

use serde::Serialize;

use crate::clock::Tick;
use crate::decisions::DecisionRow;
use crate::engine::directory::{TenantIdx, UserIdx};
use crate::engine::Simulation;
use crate::scenario::{Scenario, UserRef};

pub use attribute::{AttributeExplanation, AttributeWrite};
pub(crate) use chain::unsupported_scoping_attribute;
pub use chain::{ActionStep, Check, ClauseCheck, JobChain, ValueLine};
pub use fix::{absentees, one_click_fix, Absentee};
pub use history::HistoryEntry;
pub use reason::{AttributeReason, Bearing, Reason};

/// What to explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainRequest {
    /// `contoso/adele` (user adele of tenant contoso, wherever her accounts are), or a local id: an
    /// id in `tenant` first, else the one tenant that has a user with that id.
    pub user: UserRef,
    /// The tenant the question is about.
    pub tenant: String,
    /// Explain the state after this tick ran. Default: the last tick the scenario names.
    pub after_tick: Option<Tick>,
    /// Explain this attribute of the user's account in `tenant` instead of the user's presence.
    pub attribute: Option<String>,
}

/// Why a request cannot be explained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    #[error("tenant '{0}' does not exist")]
    UnknownTenant(String),
    #[error("user '{user}' does not exist in tenant '{tenant}'")]
    UnknownUser { user: String, tenant: String },
    #[error("no tenant has a user with id '{0}'; name it as tenant/user")]
    UserNotFound(String),
    #[error("several tenants have a user with id '{id}' ({tenants}); name it as tenant/user")]
    AmbiguousUser { id: String, tenants: String },
    #[error("tick {tick} is beyond the limit of {limit}")]
    TickTooLarge { tick: Tick, limit: Tick },
}

/// One reason, as it applies here: which job, in words, with the suggested fix and the decision row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub reason: Reason,
    /// The job the reason concerns, if it concerns one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
    pub text: String,
    /// What to do, worded like the admin center.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionRow>,
}

impl Finding {
    fn new(reason: Reason, job: Option<&str>, text: impl Into<String>) -> Finding {
        Finding {
            reason,
            job: job.map(str::to_string),
            text: text.into(),
            fix: None,
            decision: reason.decision(),
        }
    }

    fn with_fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = Some(fix.into());
        self
    }
}

/// The person explained: their home user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub home_tenant: String,
    /// The scenario id of the home user (empty for accounts sync created).
    pub home_user: String,
    pub user_principal_name: String,
    pub display_name: String,
}

/// One of the person's accounts in the tenant explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub user_principal_name: String,
    /// `internal member`, `external member`, `external guest`, …
    pub kind: String,
    /// `active`, `sign-in blocked`, `soft deleted at tick N`, `pending invitation`, `deleted permanently at tick N`.
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by_job: Option<String>,
}

/// The answer to "why is this user (not) in this tenant?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub person: Person,
    pub tenant: String,
    /// The state explained is after this tick (`None`: before anything ran).
    pub after_tick: Option<Tick>,
    /// Whether the person has an active (not soft-deleted) account in the tenant.
    pub present: bool,
    pub accounts: Vec<AccountView>,
    /// One line: present or not, and the first reason.
    pub verdict: String,
    /// Every reason, in the order the chains meet them.
    pub findings: Vec<Finding>,
    /// One chain per job that could bring the person into the tenant (relays included).
    pub jobs: Vec<JobChain>,
    /// What already happened to the person with respect to this tenant.
    pub history: Vec<HistoryEntry>,
}

impl Explanation {
    /// Whether any finding has this reason.
    pub fn has(&self, reason: Reason) -> bool {
        self.findings.iter().any(|f| f.reason == reason)
    }
}

/// Runs the scenario through the requested tick and explains the user's presence in the tenant.
pub fn explain(scenario: &Scenario, request: &ExplainRequest) -> Result<Explanation, ExplainError> {
    let sim = simulate(scenario, request.after_tick)?;
    explain_user(&sim, scenario, &request.user, &request.tenant)
}

/// Runs the scenario through the requested tick and explains one attribute of the user's account.
pub fn explain_attribute(
    scenario: &Scenario,
    request: &ExplainRequest,
    attribute: &str,
) -> Result<AttributeExplanation, ExplainError> {
    let sim = simulate(scenario, request.after_tick)?;
    attribute::explain(&sim, scenario, &request.user, &request.tenant, attribute)
}

/// Explains one attribute on a simulation the caller already ran (the playground's).
pub fn explain_attribute_in(
    sim: &Simulation,
    scenario: &Scenario,
    user: &UserRef,
    tenant: &str,
    attribute: &str,
) -> Result<AttributeExplanation, ExplainError> {
    attribute::explain(sim, scenario, user, tenant, attribute)
}

fn simulate(scenario: &Scenario, after_tick: Option<Tick>) -> Result<Simulation, ExplainError> {
    let tick = after_tick.unwrap_or_else(|| scenario.last_scripted_tick());
    if tick > crate::scenario::MAX_TICKS {
        return Err(ExplainError::TickTooLarge {
            tick,
            limit: crate::scenario::MAX_TICKS,
        });
    }
    let mut sim = Simulation::new(scenario);
    sim.run_through(tick);
    Ok(sim)
}

/// Explains the user's presence in `tenant` on a simulation the caller already ran. `scenario`
/// supplies the timeline, so the history can name the commands that concerned the user.
pub fn explain_user(
    sim: &Simulation,
    scenario: &Scenario,
    user: &UserRef,
    tenant: &str,
) -> Result<Explanation, ExplainError> {
    let t = sim
        .tenant_index(tenant)
        .ok_or_else(|| ExplainError::UnknownTenant(tenant.to_string()))?;
    let (home_t, home_u) = resolve_person(sim, user, t)?;
    let home_user = sim.tenant(home_t).dir.user(home_u);
    let person = Person {
        home_tenant: sim.tenant(home_t).id.to_string(),
        home_user: home_user.local_id.as_deref().unwrap_or("").to_string(),
        user_principal_name: home_user.upn().to_string(),
        display_name: home_user.display_name().to_string(),
    };
    let accounts = person_accounts(sim, t, home_t, home_u);
    let account_views: Vec<AccountView> =
        accounts.iter().map(|u| account_view(sim, t, *u)).collect();
    let present = accounts.iter().any(|u| {
        let x = sim.tenant(t).dir.user(*u);
        x.is_active()
            && x.external
                .as_ref()
                .is_none_or(|h| h.state == crate::scenario::ExternalUserState::Accepted)
    });
    let mut findings = Vec::new();
    let mut jobs = Vec::new();
    if home_t == t {
        if home_user.is_internal() {
            findings.push(Finding::new(
                Reason::HomeTenant,
                None,
                format!(
                    "{} is an internal user of {}: their home tenant. Cross-tenant sync pushes users out of their home tenant; it never writes into it.",
                    home_user.upn(),
                    tenant
                ),
            ));
        } else {
            findings.push(Finding::new(
                Reason::PresentNotSynced,
                None,
                format!(
                    "{} is a B2B account whose home tenant is outside this scenario; no cross-tenant sync configuration of the scenario manages it.",
                    home_user.upn()
                ),
            ));
        }
    } else {
        jobs = chain::chains(sim, t, home_t, home_u, scenario);
        for job in &sim.jobs {
            if job.deleted && job.target == t && job.source == home_t {
                findings.push(Finding::new(
                    Reason::JobDeleted,
                    Some(&job.config.id),
                    format!(
                        "The configuration {} ({} → {}) was deleted. Accounts it provisioned stay as they are; nobody new arrives through it.",
                        job.config.id, person.home_tenant, tenant
                    ),
                ));
            }
        }
        for chain in &jobs {
            findings.extend(chain.findings.iter().cloned());
        }
        let direct = jobs.iter().any(|c| !c.relay);
        if !direct && !findings.iter().any(|f| f.reason == Reason::JobDeleted) {
            let mut f = Finding::new(
                Reason::NoJobIntoTenant,
                None,
                format!(
                    "No cross-tenant sync configuration in {} targets {tenant}. Users reach a tenant only through a configuration from their home tenant.",
                    person.home_tenant
                ),
            )
            .with_fix(format!(
                "In {}: Cross-tenant synchronization → Configurations → New configuration, with {tenant} as the target tenant; in {tenant}: Cross-tenant access settings → add {} → Inbound access → Cross-tenant sync → Allow users sync into this tenant.",
                person.home_tenant, person.home_tenant
            ));
            if jobs.iter().any(|c| c.relay) {
                f.text.push_str(" The configurations into this tenant start elsewhere, where the user is (or would be) an external account: see the relay findings.");
            }
            findings.insert(0, f);
        }
        for a in &accounts {
            let x = sim.tenant(t).dir.user(*a);
            if let Some(at) = x.purged_at {
                let how = match x.deleted {
                    Some(_) => "after 30 days in the recycle bin, or by an admin",
                    None => {
                        "because the user was deleted permanently in the source, or by an admin"
                    }
                };
                findings.push(Finding::new(
                    Reason::HardDeleted,
                    None,
                    format!(
                        "{} was deleted permanently at tick {at} ({how}); it can no longer be restored.",
                        x.upn()
                    ),
                ));
            }
        }
        let managed = accounts.iter().any(|a| {
            sim.jobs
                .iter()
                .any(|j| j.target == t && j.links.values().any(|l| l.target == *a))
                || sim.tenant(t).dir.user(*a).created_by.is_some()
        });
        let existing = accounts.iter().any(|a| sim.tenant(t).dir.user(*a).exists());
        if existing && !managed {
            findings.push(Finding::new(
                Reason::PresentNotSynced,
                None,
                format!(
                    "{} has an account in {tenant} that cross-tenant sync did not provision (an invited B2B user); a configuration would match and manage it.",
                    person.user_principal_name
                ),
            ));
        }
    }
    let history = history::entries(sim, scenario, t, home_t, home_u, &accounts, &jobs);
    let verdict = verdict(&person, tenant, present, &account_views, &findings);
    Ok(Explanation {
        person,
        tenant: tenant.to_string(),
        after_tick: sim.last_tick(),
        present,
        accounts: account_views,
        verdict,
        findings,
        jobs,
        history,
    })
}

fn verdict(
    person: &Person,
    tenant: &str,
    present: bool,
    accounts: &[AccountView],
    findings: &[Finding],
) -> String {
    let who = if person.display_name.is_empty() {
        person.user_principal_name.clone()
    } else {
        format!("{} ({})", person.display_name, person.user_principal_name)
    };
    let state = if present {
        let account = accounts
            .iter()
            .find(|a| a.state == "active" || a.state == "sign-in blocked");
        match account {
            Some(a) => format!("is in {tenant} as {} ({})", a.kind, a.state),
            None => format!("is in {tenant}"),
        }
    } else if let Some(a) = accounts
        .iter()
        .find(|a| a.state.starts_with("soft deleted"))
    {
        format!("is not in {tenant}: the account is {}", a.state)
    } else {
        format!("is not in {tenant}")
    };
    // Present: what keeps the user there; absent: what keeps them out.
    let order: &[Bearing] = if present {
        &[Bearing::Present, Bearing::Info]
    } else {
        &[Bearing::Blocks]
    };
    let first = order
        .iter()
        .find_map(|b| findings.iter().find(|f| f.reason.bearing() == *b))
        .or_else(|| findings.first());
    match first {
        Some(f) => format!("{who} {state} — {}", f.text),
        None => format!("{who} {state}."),
    }
}

/// Resolves a user reference to the person's home (tenant, user).
pub(crate) fn resolve_person(
    sim: &Simulation,
    user: &UserRef,
    t: TenantIdx,
) -> Result<(TenantIdx, UserIdx), ExplainError> {
    match user {
        UserRef::Home { tenant, user } => {
            let h = sim
                .tenant_index(tenant)
                .ok_or_else(|| ExplainError::UnknownTenant(tenant.clone()))?;
            let u = sim.tenant(h).dir.user_by_local_id(user).ok_or_else(|| {
                ExplainError::UnknownUser {
                    user: user.clone(),
                    tenant: tenant.clone(),
                }
            })?;
            Ok(home_of(sim, h, u))
        }
        UserRef::Local(id) => {
            if let Some(u) = sim.tenant(t).dir.user_by_local_id(id) {
                return Ok(home_of(sim, t, u));
            }
            let found: Vec<(TenantIdx, UserIdx)> = (0..sim.tenants.len() as TenantIdx)
                .filter_map(|x| sim.tenant(x).dir.user_by_local_id(id).map(|u| (x, u)))
                .collect();
            match found.as_slice() {
                [] => Err(ExplainError::UserNotFound(id.clone())),
                [(x, u)] => Ok(home_of(sim, *x, *u)),
                several => {
                    // Several tenants name a user `id`: prefer the one internal user, if there is one.
                    let internal: Vec<&(TenantIdx, UserIdx)> = several
                        .iter()
                        .filter(|(x, u)| sim.tenant(*x).dir.user(*u).is_internal())
                        .collect();
                    match internal.as_slice() {
                        [(x, u)] => Ok(home_of(sim, *x, *u)),
                        _ => Err(ExplainError::AmbiguousUser {
                            id: id.clone(),
                            tenants: several
                                .iter()
                                .map(|(x, _)| sim.tenant(*x).id.to_string())
                                .collect::<Vec<_>>()
                                .join(", "),
                        }),
                    }
                }
            }
        }
    }
}

/// An external account whose home is in the scenario stands for its home user.
fn home_of(sim: &Simulation, t: TenantIdx, u: UserIdx) -> (TenantIdx, UserIdx) {
    match &sim.tenant(t).dir.user(u).external {
        Some(home) => match (home.tenant, home.user) {
            (Some(ht), Some(hu)) => (ht, hu),
            _ => (t, u),
        },
        None => (t, u),
    }
}

/// Every account in tenant `t` that belongs to the person (deleted permanently ones included, for
/// the history): the home user itself in the home tenant, else external accounts whose home is the
/// person — unredeemed invitations too.
pub(crate) fn person_accounts(
    sim: &Simulation,
    t: TenantIdx,
    home_t: TenantIdx,
    home_u: UserIdx,
) -> Vec<UserIdx> {
    if t == home_t {
        return vec![home_u];
    }
    sim.tenant(t)
        .dir
        .users
        .iter()
        .enumerate()
        .filter(|(_, x)| {
            x.external
                .as_ref()
                .is_some_and(|h| h.tenant == Some(home_t) && h.user == Some(home_u))
        })
        .map(|(i, _)| i as UserIdx)
        .collect()
}

fn account_view(sim: &Simulation, t: TenantIdx, u: UserIdx) -> AccountView {
    let x = sim.tenant(t).dir.user(u);
    let kind = match (x.is_internal(), x.is_guest()) {
        (true, false) => "internal member",
        (true, true) => "internal guest",
        (false, false) => "external member",
        (false, true) => "external guest",
    };
    let state = if let Some(at) = x.purged_at {
        format!("deleted permanently at tick {at}")
    } else if let Some(d) = x.deleted {
        let by = match d.by {
            crate::engine::directory::DeletedBy::Admin => "an admin".to_string(),
            crate::engine::directory::DeletedBy::Sync(j) => {
                format!("sync job {}", sim.job(j).config.id)
            }
        };
        format!("soft deleted at tick {} by {by}", d.at_tick)
    } else if x
        .external
        .as_ref()
        .is_some_and(|h| h.state == crate::scenario::ExternalUserState::PendingAcceptance)
    {
        "pending invitation (PendingAcceptance)".to_string()
    } else if x.account_enabled() {
        "active".to_string()
    } else {
        "sign-in blocked".to_string()
    };
    AccountView {
        user_principal_name: x.upn().to_string(),
        kind: kind.to_string(),
        state,
        created_by_job: x.created_by.map(|j| sim.job(j).config.id.clone()),
    }
}
