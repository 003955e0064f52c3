//! One job's chain for one user: the steps Entra walks (configuration, connection test, import,
//! assignment, eligibility, scoping clauses, matching, action), each with its outcome, and the
//! findings they lead to. The decisions come from the engine (`policy_check`, `evaluate_scope`,
//! `preview_user`); this module only reads them and says why.

use serde::Serialize;

use super::{Finding, Reason};
use crate::engine::attrs::{known, AttrValue};
use crate::engine::directory::{DeletedBy, JobIdx, TenantIdx, UserIdx};
use crate::engine::event::{Action, Assignment, Ineligible, MatchResult, ScopeResult, SkipReason};
use crate::engine::job::LinkState;
use crate::engine::{PolicyFailure, Simulation, UserPreview};
use crate::filter::BUILT_IN_FILTER_TITLE;
use crate::scenario::{
    ExternalUserState, FilterOperator, FlowType, InviteRestriction, JobState, Scenario, SyncScope,
    Tristate, UserRef,
};

/// One step's outcome: passed, failed, or not reached (`passed: None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub passed: Option<bool>,
    pub text: String,
}

impl Check {
    fn pass(text: impl Into<String>) -> Check {
        Check {
            passed: Some(true),
            text: text.into(),
        }
    }
    fn fail(text: impl Into<String>) -> Check {
        Check {
            passed: Some(false),
            text: text.into(),
        }
    }
    fn not_reached(text: impl Into<String>) -> Check {
        Check {
            passed: None,
            text: text.into(),
        }
    }
}

/// One scoping clause with the user's actual value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClauseCheck {
    /// As the log prints it: `Marketing department filter.department EQUALS 'Marketing'`.
    pub clause: String,
    pub attribute: String,
    /// The user's value as the engine imports it (`None`: empty).
    pub value: Option<String>,
    pub result: bool,
    /// Why a clause that looks right is false (null value, case, multi-valued, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One value the action would write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValueLine {
    pub attribute: String,
    /// `None`: the Switch quirk would clear the target value.
    pub value: Option<String>,
    /// The target's current value, for an update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// Whether an update would change the target (always true for a create).
    pub changes: bool,
    pub redacted: bool,
}

/// What the job would do now (the engine's dry run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionStep {
    /// Entra's action: Create, Update, Disable, Delete, Other.
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    pub text: String,
    pub values: Vec<ValueLine>,
    /// Why mappings would not flow a value.
    pub notes: Vec<String>,
}

/// One job's chain for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobChain {
    pub job: String,
    pub display_name: String,
    pub source: String,
    pub target: String,
    /// The job starts in a tenant other than the person's home (a hub).
    pub relay: bool,
    /// Graph's `synchronizationStatus.code`.
    pub status: String,
    /// The user in the job's source, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_user: Option<String>,
    pub configuration: Check,
    pub connection: Check,
    pub import: Check,
    pub assignment: Check,
    pub eligibility: Check,
    pub clauses: Vec<ClauseCheck>,
    pub scope: Check,
    pub matching: Check,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<ActionStep>,
    pub findings: Vec<Finding>,
}

/// The chains of every job that could bring the person (home `home_t`/`home_u`) into tenant `t`:
/// jobs from the home tenant, and jobs from tenants where the person has (or would get) an
/// external account — the relays that cannot happen.
pub(super) fn chains(
    sim: &Simulation,
    t: TenantIdx,
    home_t: TenantIdx,
    home_u: UserIdx,
    scenario: &Scenario,
) -> Vec<JobChain> {
    let mut out = Vec::new();
    for (j, job) in sim.jobs.iter().enumerate() {
        if job.deleted || job.target != t {
            continue;
        }
        let j = j as JobIdx;
        if job.source == home_t {
            out.push(chain(
                sim,
                j,
                Some(home_u),
                false,
                (home_t, home_u),
                scenario,
            ));
            continue;
        }
        // A hub: the person's accounts there, or a job that would create one.
        let hub = job.source;
        let hub_accounts: Vec<UserIdx> = sim
            .tenant(hub)
            .dir
            .users
            .iter()
            .enumerate()
            .filter(|(_, x)| {
                x.exists()
                    && x.external
                        .as_ref()
                        .is_some_and(|h| h.tenant == Some(home_t) && h.user == Some(home_u))
            })
            .map(|(i, _)| i as UserIdx)
            .collect();
        let feeds_hub = sim
            .jobs
            .iter()
            .any(|x| !x.deleted && x.source == home_t && x.target == hub);
        match hub_accounts.first() {
            Some(a) => out.push(chain(sim, j, Some(*a), true, (home_t, home_u), scenario)),
            None if feeds_hub => out.push(chain(sim, j, None, true, (home_t, home_u), scenario)),
            None => {}
        }
    }
    out
}

fn job_status_check(sim: &Simulation, j: JobIdx, findings: &mut Vec<Finding>) -> Check {
    let job = sim.job(j);
    let id = job.config.id.as_str();
    let next = sim.next_tick();
    if job.disabled {
        findings.push(
            Finding::new(
                Reason::JobDisabled,
                Some(id),
                format!("{id} was disabled after more than four weeks in quarantine and no longer runs."),
            )
            .with_fix("Fix the cause, then Restart provisioning."),
        );
        return Check::fail("disabled after four weeks in quarantine");
    }
    if let Some(q) = &job.quarantine {
        findings.push(
            Finding {
                decision: if q.reason == crate::engine::event::QuarantineReason::TooManyDeletes {
                    crate::decisions::row("Accidental deletion threshold")
                } else {
                    Reason::JobQuarantined.decision()
                },
                ..Finding::new(
                    Reason::JobQuarantined,
                    Some(id),
                    format!(
                        "{id} is in quarantine ({}{}); it runs once a day, next at tick {}.",
                        q.reason.as_str(),
                        q.error
                            .as_ref()
                            .map(|e| format!(": {}", e.code.as_str()))
                            .unwrap_or_default(),
                        q.next_attempt
                    ),
                )
            }
            .with_fix(
                if q.reason == crate::engine::event::QuarantineReason::TooManyDeletes {
                    "Review the held deletions, then select Allow deletes — or fix the scope and Restart provisioning."
                } else {
                    "Fix the failing check, then Restart provisioning (or wait for the daily attempt)."
                },
            ),
        );
        return Check::fail(format!(
            "in quarantine ({}), next attempt at tick {}",
            q.reason.as_str(),
            q.next_attempt
        ));
    }
    match job.config.state {
        JobState::NotStarted => {
            findings.push(
                Finding::new(
                    Reason::JobNotStarted,
                    Some(id),
                    format!("{id} was never started: a new configuration does nothing until provisioning starts (Graph status Paused, \"not started\")."),
                )
                .with_fix(format!("In the source tenant: Cross-tenant synchronization → Configurations → {} → Start provisioning (or Provision on demand to test one user).", sim.job_display_name(j))),
            );
            Check::fail("never started")
        }
        JobState::Paused => {
            findings.push(
                Finding::new(
                    Reason::JobPaused,
                    Some(id),
                    format!("{id} is stopped (paused); it resumes where it left off when started."),
                )
                .with_fix("Start provisioning."),
            );
            Check::fail("paused")
        }
        JobState::Started => Check::pass(format!(
            "started; {}",
            if job.is_due(next) {
                format!("its next cycle runs in tick {next}")
            } else {
                "not due in the next tick".to_string()
            }
        )),
    }
}

fn setting_state(value: Tristate, default: bool, has_partner: bool) -> String {
    match (has_partner, value) {
        (false, _) => format!(
            "there are no organizational settings for the partner, so the default applies ({default})"
        ),
        (true, Tristate::Inherited) => format!(
            "still \"Inherited from default\" ({default}) — if it was customized, Save was not pressed"
        ),
        (true, Tristate::Set(v)) => format!("customized to {v}"),
    }
}

fn connection_check(sim: &Simulation, j: JobIdx, findings: &mut Vec<Finding>) -> Check {
    let job = sim.job(j);
    let id = job.config.id.as_str();
    let source = sim.tenant(job.source);
    let target = sim.tenant(job.target);
    let Err((failure, error)) = sim.policy_check(j) else {
        return Check::pass(format!(
            "{} allows users sync in from {} and redeems its invitations automatically; {} redeems automatically outbound",
            target.id, source.id, source.id
        ));
    };
    let code = error.code.as_str();
    let (reason, text, fix) = match failure {
        PolicyFailure::CrossCloudSource | PolicyFailure::CrossCloudTarget => (
            Reason::CrossCloudNotConfigured,
            format!(
                "{} is in {} and {} in {}: {}",
                source.id,
                source.cloud.display_name(),
                target.id,
                target.cloud.display_name(),
                if failure == PolicyFailure::CrossCloudSource {
                    format!("either the pair is not a supported cross-cloud pair, or {} has not enabled {} in Microsoft cloud settings", source.id, target.cloud.display_name())
                } else {
                    format!("{} has not enabled {} in Microsoft cloud settings", target.id, source.cloud.display_name())
                }
            ),
            "In both tenants: Cross-tenant access settings → Microsoft cloud settings → enable the other cloud (supported pairs: commercial ↔ Azure Government, commercial → 21Vianet).".to_string(),
        ),
        PolicyFailure::TargetSyncNotAllowed => {
            let partner = target.access.partner(&source.id);
            let value = partner
                .map(|p| p.identity_synchronization.user_sync_inbound.is_sync_allowed)
                .unwrap_or_default();
            (
                Reason::InboundSyncNotAllowed,
                format!(
                    "In {}, \"Allow users sync into this tenant\" for {} is {} (it has no tenant default: inherited means false).",
                    target.id,
                    source.id,
                    setting_state(value, false, partner.is_some())
                ),
                format!("In {}: Cross-tenant access settings → Organizational settings → {} → Inbound access → Cross-tenant sync → Allow users sync into this tenant → Save.", target.id, source.id),
            )
        }
        PolicyFailure::SourceOutboundRedemption => {
            let partner = source.access.partner(&target.id);
            let value = partner
                .map(|p| p.automatic_user_consent_settings.outbound_allowed)
                .unwrap_or_default();
            (
                Reason::OutboundRedemptionMissing,
                format!(
                    "In {}, outbound \"Automatically redeem invitations with the tenant {}\" is {}.",
                    source.id,
                    target.id,
                    setting_state(value, source.access.default.automatic_user_consent_settings.outbound_allowed, partner.is_some())
                ),
                format!("In {}: Cross-tenant access settings → Organizational settings → {} → Outbound access → Trust settings → Automatically redeem invitations with the tenant {} → Save.", source.id, target.id, target.id),
            )
        }
        PolicyFailure::TargetInboundRedemption => {
            let partner = target.access.partner(&source.id);
            let value = partner
                .map(|p| p.automatic_user_consent_settings.inbound_allowed)
                .unwrap_or_default();
            (
                Reason::InboundRedemptionMissing,
                format!(
                    "In {}, inbound \"Automatically redeem invitations with the tenant {}\" is {}.",
                    target.id,
                    source.id,
                    setting_state(value, target.access.default.automatic_user_consent_settings.inbound_allowed, partner.is_some())
                ),
                format!("In {}: Cross-tenant access settings → Organizational settings → {} → Inbound access → Trust settings → Automatically redeem invitations with the tenant {} → Save.", target.id, source.id, source.id),
            )
        }
    };
    findings.push(
        Finding::new(
            reason,
            Some(id),
            format!(
                "The connection test fails with {code} (\"{}\"). {text}",
                error.message
            ),
        )
        .with_fix(fix),
    );
    Check::fail(format!("fails: {code}"))
}

/// The chain of job `j` for source user `u` (`None`: the person has no account in the job's
/// source yet, which only happens for relays).
fn chain(
    sim: &Simulation,
    j: JobIdx,
    u: Option<UserIdx>,
    relay: bool,
    home: (TenantIdx, UserIdx),
    scenario: &Scenario,
) -> JobChain {
    let job = sim.job(j);
    let id = job.config.id.clone();
    let (s, t) = (job.source, job.target);
    let mut findings = Vec::new();
    let configuration = job_status_check(sim, j, &mut findings);
    let connection = connection_check(sim, j, &mut findings);
    let mut chain = JobChain {
        job: id.clone(),
        display_name: sim.job_display_name(j),
        source: sim.tenant(s).id.to_string(),
        target: sim.tenant(t).id.to_string(),
        relay,
        status: job.status_code().to_string(),
        source_user: u.map(|u| sim.tenant(s).dir.user(u).upn().to_string()),
        configuration,
        connection,
        import: Check::not_reached(""),
        assignment: Check::not_reached(""),
        eligibility: Check::not_reached(""),
        clauses: Vec::new(),
        scope: Check::not_reached(""),
        matching: Check::not_reached(""),
        action: None,
        findings: Vec::new(),
    };
    let Some(u) = u else {
        findings.push(relay_finding(sim, j, None, Some(home), scenario));
        chain.import = Check::fail(format!(
            "the user has no account in {} yet; one created there by sync would be an external member, which {id} never imports as a source user",
            sim.tenant(s).id
        ));
        chain.findings = findings;
        return chain;
    };
    let source_user = sim.tenant(s).dir.user(u);
    if !source_user.exists() {
        chain.import = Check::fail(format!(
            "{} was deleted permanently in {}",
            source_user.upn(),
            sim.tenant(s).id
        ));
        let preview = sim.preview_user(j, u);
        if preview.action == Action::Delete {
            findings.push(Finding::new(
                Reason::HardDeleted,
                Some(&id),
                format!(
                    "{} was deleted permanently in {}; the next cycle of {id} deletes the linked account permanently too.",
                    source_user.upn(),
                    sim.tenant(s).id
                ),
            ));
        }
        chain.action = Some(action_step(sim, j, &preview));
        chain.findings = findings;
        return chain;
    }
    let index = sim.assignment_index(j);
    let scope = sim.evaluate_scope(j, u, &index);
    chain.import = import_check(sim, j, u, &scope);
    chain.assignment = assignment_check(sim, j, u, &scope);
    chain.eligibility = eligibility_check(&scope);
    chain.clauses = clause_checks(sim, j, u, &scope);
    chain.scope = if scope.in_scope {
        Check::pass("in scope")
    } else {
        Check::fail(sim.scope_summary(j, &scope))
    };
    scope_findings(sim, j, u, &scope, &chain.clauses, scenario, &mut findings);
    let preview = sim.preview_user(j, u);
    chain.matching = matching_check(sim, j, u, &preview);
    chain.action = Some(action_step(sim, j, &preview));
    let runs = chain.connection.passed == Some(true);
    outcome_findings(sim, j, u, &scope, &preview, runs, &mut findings);
    chain.findings = findings;
    chain
}

fn relay_finding(
    sim: &Simulation,
    j: JobIdx,
    account: Option<UserIdx>,
    home: Option<(TenantIdx, UserIdx)>,
    scenario: &Scenario,
) -> Finding {
    let job = sim.job(j);
    let hub = &sim.tenant(job.source).id;
    let target = &sim.tenant(job.target).id;
    let state = match account {
        Some(a) => {
            let x = sim.tenant(job.source).dir.user(a);
            format!(
                "In {hub} the user is {} ({}), a B2B account from another tenant",
                if x.is_guest() {
                    "an external guest"
                } else {
                    "an external member"
                },
                x.upn()
            )
        }
        None => {
            format!("In {hub} the user would only ever be an external account (created by sync)")
        }
    };
    // Does the scenario expect this person in the target (a multi-hop expectation)?
    let person = account
        .and_then(|a| sim.tenant(job.source).dir.user(a).external.as_ref())
        .and_then(|h| Some((h.tenant?, h.user?)))
        .or(home);
    let expected = person.is_some_and(|(ht, hu)| {
        let home_tenant = &*sim.tenant(ht).id;
        let home_user = sim.tenant(ht).dir.user(hu).local_id.as_deref().unwrap_or("");
        scenario.expect.iter().any(|e| {
            matches!(&e.check, crate::scenario::expect::Check::User { tenant, state, user: UserRef::Home { tenant: h, user: u }, .. }
                if tenant == target.as_ref()
                    && h == home_tenant
                    && u == home_user
                    && !matches!(state, crate::scenario::ExpectedUserState::Absent))
        })
    });
    Finding::new(
        Reason::RelayImpossible,
        Some(&job.config.id),
        format!(
            "{state}. Cross-tenant sync pushes only internal members (the built-in clause Filter external users.alternativeSecurityIds EQUALS 'None' is false for external users), so {} never relays the user from {hub} to {target}.{}",
            job.config.id,
            if expected { " The scenario expects the user in this tenant: this design cannot bring them there." } else { "" }
        ),
    )
    .with_fix(format!(
        "Configure a direct cross-tenant sync configuration from the user's home tenant to {target} (a mesh), or give up on the relay."
    ))
}

fn import_check(sim: &Simulation, j: JobIdx, u: UserIdx, scope: &ScopeResult) -> Check {
    let job = sim.job(j);
    let source = &sim.tenant(job.source).id;
    let linked = job.links.contains_key(&u);
    if scope.ineligible == Some(Ineligible::Deleted) && !linked {
        return Check::fail(format!(
            "soft deleted in {source}: initial cycles import soft-deleted users only when the job provisioned them"
        ));
    }
    let imported = match scope.assignment {
        Assignment::SyncAll => Some(format!(
            "\"Sync all users\": every user of {source} is imported"
        )),
        Assignment::Direct | Assignment::Group(_) => Some(
            "imported as an assigned user (\"Sync only assigned users and groups\")".to_string(),
        ),
        _ if linked => Some("imported because the job provisioned this user before".to_string()),
        _ => None,
    };
    match imported {
        Some(text) => Check::pass(text),
        None => Check::fail(format!(
            "not imported: under \"Sync only assigned users and groups\" {} reads only assigned users and the direct members of assigned groups",
            job.config.id
        )),
    }
}

fn assignment_check(sim: &Simulation, j: JobIdx, u: UserIdx, scope: &ScopeResult) -> Check {
    let job = sim.job(j);
    let dir = &sim.tenant(job.source).dir;
    let group_name = |g: u32| dir.groups[g as usize].display_name.clone();
    match scope.assignment {
        Assignment::SyncAll => Check::pass("scope is \"Sync all users\""),
        Assignment::Direct => Check::pass("assigned directly"),
        Assignment::Group(g) => Check::pass(format!(
            "a direct member of the assigned group '{}'",
            group_name(g)
        )),
        Assignment::NestedOnly(root) => {
            let index = sim.assignment_index(j);
            let via = dir
                .user(u)
                .member_of
                .iter()
                .find(|g| index.nested.contains_key(g))
                .map(|g| group_name(*g))
                .unwrap_or_default();
            Check::fail(format!(
                "only a member of '{via}', which is nested in the assigned group '{}': only direct members of an assigned group are in scope",
                group_name(root)
            ))
        }
        Assignment::NotAssigned => Check::fail(
            if job.config.scope == SyncScope::Assigned && job.effective_scope == SyncScope::All {
                "not assigned".to_string()
            } else {
                "not assigned, neither directly nor through a group".to_string()
            },
        ),
    }
}

fn eligibility_check(scope: &ScopeResult) -> Check {
    match scope.ineligible {
        Some(Ineligible::External) => {
            Check::fail("an external (B2B) user: only internal members are synchronized")
        }
        Some(Ineligible::SmsSignIn) => Check::fail("SMS sign-in is enabled"),
        Some(Ineligible::InternalGuest) => Check::fail("an internal guest (userType Guest)"),
        Some(Ineligible::Deleted) => Check::fail("soft deleted in the source tenant"),
        None if !scope.account_enabled => {
            Check::fail("an internal member, but blocked from sign-in (accountEnabled = false)")
        }
        None => Check::pass("an internal member, active"),
    }
}

/// Attributes Entra refuses as scoping attributes (semantics §1.3).
pub(crate) fn unsupported_scoping_attribute(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if lower == "usertype" {
        Some("userType can't be used in scoping filters")
    } else if lower == "manager" {
        Some("manager can't be used in scoping filters")
    } else if lower == "approleassignments" {
        Some("appRoleAssignments can't be used in scoping filters")
    } else if lower == "proxyaddresses" || lower == "othermails" {
        Some("multi-valued attributes can't be used in scoping filters")
    } else if lower.contains("date") || lower == "accountexpires" || lower.contains("hire") {
        Some("date attributes can't be used in scoping filters")
    } else {
        None
    }
}

fn clause_checks(sim: &Simulation, j: JobIdx, u: UserIdx, scope: &ScopeResult) -> Vec<ClauseCheck> {
    let job = sim.job(j);
    let s = job.source;
    let texts = sim.scope_clause_results(j, scope);
    let mut out = Vec::with_capacity(texts.len());
    let alt = sim.source_value(
        s,
        u,
        known::ALTERNATIVE_SECURITY_IDS,
        Some(scope.assignment),
    );
    out.push(ClauseCheck {
        clause: texts[0].0.clone(),
        attribute: "alternativeSecurityIds".to_string(),
        value: alt.map(|v| v.to_string()),
        result: scope.built_in_clause,
        note: (!scope.built_in_clause).then(|| {
            format!("{BUILT_IN_FILTER_TITLE} is built into every cross-tenant sync job: only internal users without SMS sign-in import alternativeSecurityIds 'None'")
        }),
    });
    for ((f, c, result), (text, _)) in scope.clauses.iter().zip(texts.iter().skip(1)) {
        let Some(clause) = job
            .filters
            .get(*f as usize)
            .and_then(|x| x.clauses.get(*c as usize))
        else {
            continue;
        };
        let value = sim.source_value(s, u, clause.attr, Some(scope.assignment));
        let note = clause_note(
            clause.op,
            &clause.values,
            value.as_ref(),
            *result,
            &clause.attr_name,
        );
        out.push(ClauseCheck {
            clause: text.clone(),
            attribute: clause.attr_name.clone(),
            value: value.as_ref().map(|v| v.to_string()),
            result: *result,
            note,
        });
    }
    out
}

/// Why a clause came out false (or is suspicious), in words; `None` when it is unremarkable.
pub(crate) fn clause_note(
    op: FilterOperator,
    values: &[String],
    value: Option<&AttrValue>,
    result: bool,
    attr_name: &str,
) -> Option<String> {
    if let Some(why) = unsupported_scoping_attribute(attr_name) {
        return Some(format!(
            "{why} (Entra refuses it; ctsync evaluates it anyway)"
        ));
    }
    if result {
        return None;
    }
    let empty = match value {
        None => true,
        Some(AttrValue::Str(s)) => s.is_empty(),
        Some(AttrValue::List(items)) => items.is_empty(),
        Some(AttrValue::Bool(_)) => false,
    };
    if empty && !matches!(op, FilterOperator::IsNull | FilterOperator::IsNotNull) {
        return Some(format!(
            "{attr_name} is empty: every value-comparing operator is false on an empty attribute, {} included",
            op.entra_name()
        ));
    }
    if let Some(AttrValue::List(_)) = value {
        if !matches!(op, FilterOperator::IsNull | FilterOperator::IsNotNull) {
            return Some("a multi-valued attribute: filters on multi-valued attributes are not supported and evaluate to false".to_string());
        }
    }
    let text = value.map(|v| v.to_string()).unwrap_or_default();
    if matches!(
        op,
        FilterOperator::Equals
            | FilterOperator::Includes
            | FilterOperator::EndsWith
            | FilterOperator::RegexMatch
    ) {
        if let Some(v) = values.iter().find(|v| {
            let (a, b) = (v.to_lowercase(), text.to_lowercase());
            match op {
                FilterOperator::Equals => a == b,
                FilterOperator::Includes => b.contains(&a),
                FilterOperator::EndsWith => b.ends_with(&a),
                _ => false,
            }
        }) {
            return Some(format!(
                "'{text}' and '{v}' differ only in letter case: {} is case sensitive",
                op.entra_name()
            ));
        }
    }
    if matches!(
        op,
        FilterOperator::GreaterThan | FilterOperator::GreaterThanOrEquals
    ) && (text.parse::<i64>().is_err() || values.iter().any(|v| v.parse::<i64>().is_err()))
    {
        return Some(format!(
            "{} compares integers only; a non-integer makes it false",
            op.entra_name()
        ));
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn scope_findings(
    sim: &Simulation,
    j: JobIdx,
    u: UserIdx,
    scope: &ScopeResult,
    clauses: &[ClauseCheck],
    scenario: &Scenario,
    findings: &mut Vec<Finding>,
) {
    let job = sim.job(j);
    let id = job.config.id.as_str();
    let source = &sim.tenant(job.source).id;
    let user = sim.tenant(job.source).dir.user(u);
    let upn = user.upn();
    if job.config.scope == SyncScope::Assigned && job.effective_scope == SyncScope::All {
        findings.push(
            Finding::new(
                Reason::ScopeSwitchPending,
                Some(id),
                format!("{id} was switched from \"Sync all users\" to \"Sync only assigned users and groups\", which takes effect only after a restart: until then every user of {source} stays in scope."),
            )
            .with_fix("Restart provisioning."),
        );
    }
    match scope.ineligible {
        Some(Ineligible::External) => {
            findings.push(relay_finding(sim, j, Some(u), None, scenario));
            return;
        }
        Some(Ineligible::SmsSignIn) => {
            findings.push(
                Finding::new(
                    Reason::SmsSignIn,
                    Some(id),
                    format!("{upn} has SMS sign-in enabled, so the built-in clause Filter external users.alternativeSecurityIds EQUALS 'None' is false and the user is skipped (NotEffectivelyEntitled)."),
                )
                .with_fix(format!("In {source}: Users → {upn} → Authentication methods → disable SMS sign-in (or accept that the user is not synchronized).")),
            );
            return;
        }
        Some(Ineligible::InternalGuest) => {
            findings.push(Finding::new(
                Reason::InternalGuest,
                Some(id),
                format!("{upn} is an internal guest (userType Guest) of {source}: internal guests can't be synchronized."),
            )
            .with_fix(format!("In {source}: change the user's type to Member, if the user is an employee.")));
            return;
        }
        Some(Ineligible::Deleted) => {
            findings.push(Finding::new(
                Reason::DeletedInSource,
                Some(id),
                format!("{upn} is soft deleted in {source} (in its recycle bin); a deleted user is out of scope."),
            )
            .with_fix(format!("In {source}: Users → Deleted users → restore {upn} (within 30 days).")));
            return;
        }
        None => {}
    }
    match scope.assignment {
        Assignment::NotAssigned => {
            findings.push(
                Finding::new(
                    Reason::NotAssigned,
                    Some(id),
                    format!("{upn} is not assigned to {id}: with \"Sync only assigned users and groups\" a user must be assigned directly or be a direct member of an assigned group."),
                )
                .with_fix(format!("In {source}: Cross-tenant synchronization → Configurations → {} → Users and groups → Add user/group.", sim.job_display_name(j))),
            );
            return;
        }
        Assignment::NestedOnly(root) => {
            let dir = &sim.tenant(job.source).dir;
            let root_name = dir.groups[root as usize].display_name.clone();
            findings.push(
                Finding::new(
                    Reason::NestedGroupOnly,
                    Some(id),
                    format!("{upn} is only in a group nested inside the assigned group '{root_name}'. Assignment doesn't cascade to nested groups: only direct members are in scope."),
                )
                .with_fix(format!("Assign the nested group itself to {}, or add the user directly to '{root_name}'.", sim.job_display_name(j))),
            );
            return;
        }
        _ => {}
    }
    if !scope.filters_passed {
        let failed: Vec<&ClauseCheck> = clauses.iter().skip(1).filter(|c| !c.result).collect();
        let parts: Vec<String> = failed
            .iter()
            .map(|c| {
                format!(
                    "{} is false ({} is {}){}",
                    c.clause,
                    c.attribute,
                    c.value
                        .as_ref()
                        .map(|v| format!("'{v}'"))
                        .unwrap_or_else(|| "empty".into()),
                    c.note
                        .as_ref()
                        .map(|n| format!(": {n}"))
                        .unwrap_or_default()
                )
            })
            .collect();
        let decision_topic = failed.iter().find_map(|c| {
            let note = c.note.as_deref()?;
            Some(if note.contains("is empty") {
                "Null and empty in filters"
            } else if note.contains("multi-valued") {
                "Multi-valued attributes in filters"
            } else if note.contains("integers") {
                "Greater_Than with a non-integer"
            } else {
                return None;
            })
        });
        let decision_topic = decision_topic.or_else(|| {
            failed.iter().find_map(|c| {
                if c.clause.contains(" REGEX MATCH ") {
                    Some("REGEX MATCH")
                } else if c.clause.contains(" ENDS_WITH ")
                    || c.clause.contains(" & ")
                    || c.clause.contains(" !& ")
                {
                    Some("`ENDS_WITH`, `&`, `!&`")
                } else {
                    None
                }
            })
        });
        findings.push(Finding {
            decision: decision_topic.and_then(crate::decisions::row),
            ..Finding::new(
                Reason::ScopingFilterFailed,
                Some(id),
                format!(
                    "{upn} passes no scoping filter of {id} (clauses are ANDed inside a filter, filters ORed): {}.",
                    parts.join("; ")
                ),
            )
            .with_fix(format!("Change the user's attribute in {source}, or edit the scoping filter: Provisioning → Mappings → Provision Microsoft Entra ID Users → Source Object Scope."))
        });
    }
}

fn matching_check(sim: &Simulation, j: JobIdx, u: UserIdx, preview: &UserPreview) -> Check {
    let t = sim.job(j).target;
    let upn = |x: UserIdx| sim.tenant(t).dir.user(x).upn().to_string();
    match preview.matching {
        MatchResult::NotEvaluated => Check::not_reached("not reached"),
        MatchResult::Linked(x) => Check::pass(format!("linked to {} (provisioned by this job)", upn(x))),
        MatchResult::Matched(x) => Check::pass(format!(
            "matches the existing account {} by alternativeSecurityIds",
            upn(x)
        )),
        MatchResult::PendingInvitation(x) => Check::pass(format!("the unredeemed invitation {}", upn(x))),
        MatchResult::SameMail(x) => Check::pass(format!("{} (same mail, same home tenant)", upn(x))),
        MatchResult::InternalConflict(x) => Check::fail(format!("the internal user {} holds the same address", upn(x))),
        MatchResult::NoMatch => match create_blocker(sim, j, u) {
            Some(Blocker::InternalConflict(x)) => Check::fail(format!(
                "no external account matches, and the internal user {} holds the user's address",
                upn(x)
            )),
            Some(Blocker::Pending(x)) => Check::pass(format!(
                "no account matches by alternativeSecurityIds; the invitation manager finds the unredeemed invitation {}",
                upn(x)
            )),
            Some(Blocker::SameMail(x)) => Check::pass(format!(
                "no account matches by alternativeSecurityIds; the invitation manager finds {} (same mail, same home tenant)",
                upn(x)
            )),
            _ => Check::pass("no account in the target matches (alternativeSecurityIds): a new one is created"),
        },
    }
}

/// What would stop, or divert, a create — the invitation manager's checks, in the engine's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Blocker {
    InternalConflict(UserIdx),
    Pending(UserIdx),
    SameMail(UserIdx),
    InvitesBlocked,
    UnverifiedDomain,
}

fn address_matches(user: &crate::engine::directory::DirUser, mail: &str) -> bool {
    user.mail().is_some_and(|m| m.eq_ignore_ascii_case(mail))
        || user
            .attrs
            .get(known::PROXY_ADDRESSES)
            .is_some_and(|v| match v {
                AttrValue::List(items) => items.iter().any(|a| {
                    let address = a.split_once(':').map_or(&**a, |(_, rest)| rest);
                    address.eq_ignore_ascii_case(mail)
                }),
                AttrValue::Str(a) => a.eq_ignore_ascii_case(mail),
                AttrValue::Bool(_) => false,
            })
}

/// Mirrors the checks of the engine's create path (cycle.rs `execute_create`), which the dry run
/// does not reach; the explain tests run the next tick and compare, so a drift shows up.
fn create_blocker(sim: &Simulation, j: JobIdx, u: UserIdx) -> Option<Blocker> {
    let job = sim.job(j);
    let (s, t) = (job.source, job.target);
    let source_user = sim.tenant(s).dir.user(u);
    let target_dir = &sim.tenant(t).dir;
    let home_tenant = &sim.tenant(s).tenant_id;
    if let Some(mail) = source_user.mail() {
        let n = target_dir.users.len() as UserIdx;
        if let Some(x) = (0..n).find(|x| {
            let c = target_dir.user(*x);
            c.is_active() && c.is_internal() && address_matches(c, mail)
        }) {
            return Some(Blocker::InternalConflict(x));
        }
        if let Some(x) = (0..n).find(|x| {
            let c = target_dir.user(*x);
            c.is_active()
                && c.external.as_ref().is_some_and(|h| {
                    h.state == ExternalUserState::PendingAcceptance
                        || (&h.tenant_id == home_tenant && h.user != Some(u))
                })
                && c.mail().is_some_and(|m| m.eq_ignore_ascii_case(mail))
        }) {
            let pending = target_dir
                .user(x)
                .external
                .as_ref()
                .is_some_and(|h| h.state == ExternalUserState::PendingAcceptance);
            return Some(if pending {
                Blocker::Pending(x)
            } else {
                Blocker::SameMail(x)
            });
        }
    }
    if sim.tenant(t).allow_invites_from == InviteRestriction::None {
        return Some(Blocker::InvitesBlocked);
    }
    if let Some(mail) = source_user.mail() {
        let domain = mail.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
        if !sim.tenant(s).owns_domain(domain) {
            return Some(Blocker::UnverifiedDomain);
        }
    }
    None
}

fn action_step(sim: &Simulation, j: JobIdx, preview: &UserPreview) -> ActionStep {
    let t = sim.job(j).target;
    let target = preview.target.map(|x| sim.tenant(t).dir.user(x));
    let values: Vec<ValueLine> = preview
        .values
        .iter()
        .map(|(attr, value, redacted)| {
            let current = target.and_then(|x| x.attrs.get(*attr));
            let changes = match (value, current) {
                (Some(v), Some(c)) => !v.same_as(c),
                (Some(_), None) => true,
                (None, Some(_)) => true,
                (None, None) => false,
            };
            ValueLine {
                attribute: sim.names.name(*attr).to_string(),
                value: value.as_ref().map(|v| v.to_string()),
                current: current.map(|c| c.to_string()),
                changes: preview.action == Action::Create || changes,
                redacted: *redacted,
            }
        })
        .filter(|v| v.value.is_some() || v.changes)
        .collect();
    let mut notes: Vec<String> = preview
        .notes
        .iter()
        .map(|n| format!("{}: {}", sim.names.name(n.attr), n.note))
        .collect();
    if let Some(detail) = &preview.detail {
        notes.push(detail.to_string());
    }
    let text = match (&preview.error, preview.action, preview.skip_reason) {
        (Some(e), _, _) => format!("the export fails: {}: {}", e.code.as_str(), e.message),
        (None, Action::Create, _) => "Create: a new external account".to_string(),
        (None, Action::Update, _) => {
            let n = values.iter().filter(|v| v.changes).count();
            if n == 0 {
                "nothing to change (Other, Skipped: RedundantExport)".to_string()
            } else {
                format!("Update: {n} attribute(s) differ")
            }
        }
        (None, Action::Disable, _) => "Disable: block sign-in in the target".to_string(),
        (None, Action::Delete, _) => "Delete: the account goes to the recycle bin".to_string(),
        (None, _, Some(reason)) => format!("skipped ({})", reason.as_str()),
        (None, _, None) => "skipped".to_string(),
    };
    ActionStep {
        action: preview.action.as_str().to_string(),
        skip_reason: preview.skip_reason.map(|r| r.as_str().to_string()),
        error_code: preview.error.as_ref().map(|e| e.code.as_str().to_string()),
        text,
        values,
        notes,
    }
}

/// Whether the job's next cycle evaluates user `u` (an incremental cycle reads only changes).
pub(super) fn next_cycle_evaluates(sim: &Simulation, j: JobIdx, u: UserIdx) -> bool {
    let job = sim.job(j);
    let dir = &sim.tenant(job.source).dir;
    let index = sim.assignment_index(j);
    let linked = job.links.contains_key(&u);
    if job.needs_initial {
        return linked
            || job.held_deletes.contains(&u)
            || (index.sync_all && dir.user(u).is_active())
            || index.users.contains(&u)
            || dir
                .user(u)
                .member_of
                .iter()
                .any(|g| index.groups.contains(g));
    }
    let next = sim.next_tick();
    let changed = dir.changes_since(job.watermark).contains_key(&u);
    let relevant = index.sync_all
        || linked
        || index.users.contains(&u)
        || dir
            .user(u)
            .member_of
            .iter()
            .any(|g| index.groups.contains(g))
        || job.pending.contains(&u)
        || job.escrows.contains_key(&u);
    (changed && relevant)
        || job.pending.contains(&u)
        || job.held_deletes.contains(&u)
        || job.escrows.get(&u).is_some_and(|e| e.next_retry <= next)
}

/// When the job acts next, in words.
fn when(sim: &Simulation, j: JobIdx, u: UserIdx) -> (bool, String) {
    let job = sim.job(j);
    let next = sim.next_tick();
    if job.config.state != JobState::Started || job.disabled {
        return (true, "once provisioning runs".to_string());
    }
    let due = job.is_due(next);
    let tick = match &job.quarantine {
        Some(q) if !due => q.next_attempt,
        _ => next,
    };
    if let Some(e) = job.escrows.get(&u).filter(|e| e.next_retry > next) {
        (
            true,
            format!("at its escrow retry (tick {})", e.next_retry.max(tick)),
        )
    } else if next_cycle_evaluates(sim, j, u) {
        (true, format!("in its next cycle (tick {tick})"))
    } else {
        (
            false,
            "when the user next changes, on provision on demand, or after a restart".to_string(),
        )
    }
}

fn outcome_findings(
    sim: &Simulation,
    j: JobIdx,
    u: UserIdx,
    scope: &ScopeResult,
    preview: &UserPreview,
    runs: bool,
    findings: &mut Vec<Finding>,
) {
    // A job whose connection test fails does nothing for anyone: the dry run's action is shown in
    // the chain, but no outcome is promised. (A job not started or paused acts once it runs.)
    if !runs {
        return;
    }
    let job = sim.job(j);
    let id = job.config.id.as_str();
    let upn = sim.tenant(job.source).dir.user(u).upn().to_string();
    let escrow = job.escrows.get(&u).map(|e| {
        Finding::new(
            Reason::Escrowed,
            Some(id),
            format!(
                "The last export of {upn} failed with {} (first at tick {}, {} retries); the next retry is at tick {}.",
                e.error.code.as_str(),
                e.first_failure,
                e.retries,
                e.next_retry
            ),
        )
    });
    outcome_findings_inner(sim, j, u, scope, preview, findings);
    findings.extend(escrow);
}

fn outcome_findings_inner(
    sim: &Simulation,
    j: JobIdx,
    u: UserIdx,
    scope: &ScopeResult,
    preview: &UserPreview,
    findings: &mut Vec<Finding>,
) {
    let job = sim.job(j);
    let id = job.config.id.as_str();
    let (s, t) = (job.source, job.target);
    let source = &sim.tenant(s).id;
    let target_tenant = &sim.tenant(t).id;
    let upn = sim.tenant(s).dir.user(u).upn().to_string();
    let target_upn = |x: UserIdx| sim.tenant(t).dir.user(x).upn().to_string();
    let link = job.links.get(&u).copied();
    if let Some(error) = &preview.error {
        findings.push(
            Finding::new(
                Reason::MappingExpressionFails,
                Some(id),
                format!("{}: {}", error.code.as_str(), error.message),
            )
            .with_fix("Provisioning → Mappings → Provision Microsoft Entra ID Users → edit the mapping; check it with Test expression."),
        );
        return;
    }
    if scope.in_scope {
        match preview.action {
            Action::Create => {
                let (timely, when_text) = when(sim, j, u);
                match create_blocker(sim, j, u) {
                    Some(Blocker::InternalConflict(x)) => findings.push(
                        Finding::new(
                            Reason::InternalUserBlocksMatch,
                            Some(id),
                            format!("The internal user {} of {target_tenant} holds {upn}'s mail address. Sync can't match an internal user, and the invitation is ambiguous: the create fails with InvitationCreationFailureAmbiguousUser.", target_upn(x)),
                        )
                        .with_fix(format!("In {target_tenant}: remove the address from the internal user (mail, proxyAddresses), or convert that user to an external user that can be matched.")),
                    ),
                    Some(Blocker::Pending(x)) => findings.push(Finding::new(
                        Reason::PendingInvitationRedeemed,
                        Some(id),
                        format!("No account matches by alternativeSecurityIds, but the unredeemed invitation {} has the same mail: the create redeems it {when_text}. Its UPN stays derived from mail until provision on demand or a restart.", target_upn(x)),
                    )),
                    Some(Blocker::SameMail(x)) => findings.push(Finding::new(
                        Reason::SameMailLinked,
                        Some(id),
                        format!("{} was provisioned for another user of {source} with the same mail; the invitation finds it and links {upn} to it as well {when_text}.", target_upn(x)),
                    )
                    .with_fix(format!("Give each user of {source} a unique mail."))),
                    Some(Blocker::InvitesBlocked) => findings.push(
                        Finding::new(
                            Reason::GuestInvitationsBlocked,
                            Some(id),
                            format!("{target_tenant}'s guest invite setting is the most restrictive (\"No one in the organization can invite guest users including admins\"), so creating {upn} fails with AzureActiveDirectoryForbidden."),
                        )
                        .with_fix(format!("In {target_tenant}: External Identities → External collaboration settings → Guest invite settings → any setting other than the most restrictive.")),
                    ),
                    Some(Blocker::UnverifiedDomain) => findings.push(
                        Finding::new(
                            Reason::UnverifiedMailDomain,
                            Some(id),
                            format!("{upn}'s mail ({}) is not in a verified domain of {source}: the invitation fails with InvitationCreationFailureInvalidPropertyValue.", sim.tenant(s).dir.user(u).mail().unwrap_or_default()),
                        )
                        .with_fix(format!("In {source}: verify the domain (Custom domain names), or give the user a mail in a verified domain.")),
                    ),
                    None => {
                        if timely {
                            findings.push(Finding::new(
                                Reason::WillCreate,
                                Some(id),
                                format!("{upn} is in scope and no account in {target_tenant} matches: {id} creates an external member {when_text}."),
                            ));
                        }
                    }
                }
                if !timely {
                    findings.push(
                        Finding::new(
                            Reason::NotProcessedUntilChange,
                            Some(id),
                            format!("{upn} is in scope and would be created, but {id}'s incremental cycles only evaluate users that changed since the watermark, and nothing about {upn} changed."),
                        )
                        .with_fix("Provision on demand for this user, or Restart provisioning (an initial cycle evaluates every assigned user)."),
                    );
                }
            }
            Action::Update | Action::Disable => {
                let Some(target) = preview.target else { return };
                let x = sim.tenant(t).dir.user(target);
                let restore = x.deleted.is_some();
                let (_, when_text) = when(sim, j, u);
                let same_mail = x.external.as_ref().is_some_and(|h| h.user != Some(u));
                let from_invitation = link.is_some_and(|l| l.upn_stale);
                let matched_existing = matches!(preview.matching, MatchResult::Matched(_))
                    || (matches!(preview.matching, MatchResult::Linked(_))
                        && x.created_by != Some(j));
                if same_mail {
                    findings.push(Finding::new(
                        Reason::SameMailLinked,
                        Some(id),
                        format!("{upn} has no account of its own in {target_tenant}: another user of {source} with the same mail was provisioned first, and the invitation linked {upn} to that account, {}.", target_upn(target)),
                    ).with_fix(format!("Give each user of {source} a unique mail.")));
                } else if from_invitation {
                    findings.push(Finding::new(
                        Reason::PendingInvitationRedeemed,
                        Some(id),
                        format!("{} was an unredeemed invitation (PendingAcceptance) with {upn}'s mail; {id} redeemed it instead of creating an account. Its UPN stays derived from mail until provision on demand or a restart.", target_upn(target)),
                    ).with_fix("Provision on demand for this user, or Restart provisioning, to correct the UPN."));
                } else if matched_existing {
                    let text = if matches!(preview.matching, MatchResult::Matched(_)) {
                        format!("{} already exists in {target_tenant} with {upn}'s alternativeSecurityIds (an earlier B2B account): {id} matches and updates it {when_text} instead of creating another.", target_upn(target))
                    } else {
                        format!("{} existed in {target_tenant} before {id} ran (an earlier B2B account): {id} matched it by alternativeSecurityIds instead of creating another.", target_upn(target))
                    };
                    findings.push(Finding::new(Reason::MatchesExistingAccount, Some(id), text));
                    let add_only_user_type = job
                        .mappings
                        .iter()
                        .any(|m| m.target == known::USER_TYPE && m.flow == FlowType::ObjectAddOnly);
                    if x.is_guest() && add_only_user_type {
                        findings.push(
                            Finding::new(
                                Reason::ExistingGuestStaysGuest,
                                Some(id),
                                format!("{} is a Guest, and the userType mapping applies only during object creation: matching never converts it, so it stays a Guest.", target_upn(target)),
                            )
                            .with_fix("Provisioning → Mappings → userType → Apply this mapping: Always (or convert the user in the target)."),
                        );
                    }
                }
                if restore {
                    let at = x.deleted.map(|d| d.at_tick).unwrap_or(0);
                    findings.push(Finding::new(
                        Reason::WillRestore,
                        Some(id),
                        format!("{upn} is back in scope and {} is in the recycle bin since tick {at} (soft deleted by sync): {id} restores it {when_text}.", target_upn(target)),
                    ));
                } else if preview.action == Action::Disable {
                    findings.push(Finding::new(
                        Reason::WillDisable,
                        Some(id),
                        format!("{upn} is blocked from sign-in in {source}: {id} disables {} {when_text} — an update, not a deletion.", target_upn(target)),
                    ));
                } else if !job.config.target_object_actions.update {
                    findings.push(Finding::new(
                        Reason::UpdateActionOff,
                        Some(id),
                        format!("Update is not selected in {id}'s Target Object Actions: {} is not updated.", target_upn(target)),
                    ));
                } else {
                    let changes: Vec<String> = action_step(sim, j, preview)
                        .values
                        .into_iter()
                        .filter(|v| v.changes)
                        .map(|v| {
                            format!(
                                "{} '{}' → '{}'",
                                v.attribute,
                                v.current.unwrap_or_default(),
                                v.value.unwrap_or_default()
                            )
                        })
                        .collect();
                    if changes.is_empty() {
                        findings.push(Finding::new(
                            Reason::Provisioned,
                            Some(id),
                            format!("{} is provisioned by {id} and matches {upn}: nothing to change (RedundantExport).", target_upn(target)),
                        ));
                    } else {
                        findings.push(Finding::new(
                            Reason::WillUpdate,
                            Some(id),
                            format!(
                                "{} is provisioned by {id}; {when_text} it writes {}.",
                                target_upn(target),
                                changes.join(", ")
                            ),
                        ));
                    }
                }
            }
            _ => {
                // A skip while in scope: Create off, Update off, a target deleted by an admin, or
                // a disabled user never provisioned.
                let target_deleted_by_admin = preview.target.is_some_and(|x| {
                    sim.tenant(t)
                        .dir
                        .user(x)
                        .deleted
                        .is_some_and(|d| d.by == DeletedBy::Admin)
                });
                if target_deleted_by_admin {
                    findings.push(
                        Finding::new(
                            Reason::TargetDeletedByAdmin,
                            Some(id),
                            format!("{} was deleted by an admin of {target_tenant}. Cross-tenant sync doesn't restore users deleted in the target tenant (and provision on demand would create a duplicate).", target_upn(preview.target.unwrap_or_default())),
                        )
                        .with_fix(format!("In {target_tenant}: Users → Deleted users → restore the account.")),
                    );
                } else if preview.skip_reason == Some(SkipReason::NotEffectivelyEntitled)
                    && !scope.account_enabled
                {
                    findings.push(
                        Finding::new(
                            Reason::DisabledNotProvisioned,
                            Some(id),
                            format!("{upn} is blocked from sign-in in {source} and was never provisioned: provisioning a disabled user isn't supported, so no account is created."),
                        )
                        .with_fix(format!("In {source}: allow sign-in for {upn}.")),
                    );
                } else if preview.matching == MatchResult::NoMatch
                    && !job.config.target_object_actions.create
                {
                    findings.push(
                        Finding::new(
                            Reason::CreateActionOff,
                            Some(id),
                            format!("{upn} is in scope but no account matches, and Create is not selected in {id}'s Target Object Actions: nothing is created."),
                        )
                        .with_fix("Provisioning → Mappings → Provision Microsoft Entra ID Users → Target Object Actions → Create."),
                    );
                } else if !job.config.target_object_actions.update {
                    findings.push(Finding::new(
                        Reason::UpdateActionOff,
                        Some(id),
                        format!("Update is not selected in {id}'s Target Object Actions: the account is not updated."),
                    ));
                }
            }
        }
        return;
    }
    // Out of scope.
    let Some(link) = link else { return };
    let x = sim.tenant(t).dir.user(link.target);
    if !x.exists() {
        return;
    }
    if let LinkState::SoftDeleted(at) = link.state {
        if x.deleted.is_some() {
            let until =
                at + crate::engine::directory::RECYCLE_BIN_DAYS * crate::clock::TICKS_PER_DAY;
            findings.push(Finding::new(
                Reason::SoftDeletedLeftScope,
                Some(id),
                format!("{id} soft deleted {} at tick {at} when {upn} left scope; it stays in {target_tenant}'s recycle bin until tick {until} and is restored if the user comes back in scope before then.", target_upn(link.target)),
            ));
        }
        return;
    }
    if x.deleted.is_some() {
        return;
    }
    if job.held_deletes.contains(&u) {
        findings.push(
            Finding::new(
                Reason::StagedDelete,
                Some(id),
                format!("Deleting {} is held by accidental deletion prevention (threshold {}): the job is quarantined with TooManyDeletes until an admin decides.", target_upn(link.target), job.config.accidental_deletion_prevention.threshold),
            )
            .with_fix("Review the provisioning logs (StagedDelete), then Allow deletes — or fix the scope and Restart provisioning."),
        );
        return;
    }
    match preview.action {
        Action::Delete => {
            let (timely, when_text) = when(sim, j, u);
            findings.push(Finding::new(
                Reason::WillSoftDelete,
                Some(id),
                format!("{upn} left scope ({}): {id} soft deletes {} {when_text}.", sim.scope_summary(j, scope), target_upn(link.target)),
            ));
            if !timely {
                findings.push(Finding::new(
                    Reason::NotProcessedUntilChange,
                    Some(id),
                    format!("{id}'s incremental cycles only evaluate users that changed since the watermark; until {upn} changes, the account stays."),
                ));
            }
        }
        _ if link.exported_disabled && !scope.account_enabled => findings.push(Finding::new(
            Reason::DisabledThenRemoved,
            Some(id),
            format!("{upn} left scope after {id} had already blocked the account's sign-in (accountEnabled = false): the engine treats the user as already deprovisioned, so {} stays, disabled, and is not soft deleted.", target_upn(link.target)),
        )),
        _ if !job.config.target_object_actions.delete => findings.push(Finding::new(
            Reason::DeleteActionOff,
            Some(id),
            format!("{upn} left scope, but Delete is not selected in {id}'s Target Object Actions: {} stays as it is and is no longer updated.", target_upn(link.target)),
        )),
        _ => {}
    }
}
