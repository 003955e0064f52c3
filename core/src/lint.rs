//! Design review: checks on a scenario — its initial state, or its state after a tick — that point
//! out the classic cross-tenant sync mistakes before a review meeting. Each finding has a stable
//! code (`XTS001`…), a severity, the objects it involves (tenants, jobs, users, groups) and a fix
//! worded like the admin center; where the check rests on a decision, it quotes the row of
//! `docs/decisions.md`. `docs/lint.md` lists every code. Lint reads the scenario and a simulation;
//! it changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::clock::Tick;
use crate::decisions::{self, DecisionRow};
use crate::engine::attrs::{known, AttrValue};
use crate::engine::directory::{JobIdx, TenantIdx, UserIdx};
use crate::engine::event::{Effect, Event, Ineligible};
use crate::engine::mapping::MappingSource;
use crate::engine::{PolicyFailure, Simulation};
use crate::explain::unsupported_scoping_attribute;
use crate::scenario::expect::Check;
use crate::scenario::{
    Cloud, Command, ExpectedUserState, FilterOperator, FlowType, InviteRestriction, JobState,
    Scenario, Tristate, UserRef,
};

/// How serious a finding is. `ctsync lint` exits 1 when any finding is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// Sync cannot work as designed.
    Error,
    /// Sync works, but not as the design likely intends, or fragilely.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

macro_rules! codes {
    ($( $variant:ident => ($code:literal, $title:literal, $decision:expr), )*) => {
        /// The design-review checks, by stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum LintCode {
            $( #[serde(rename = $code)] $variant, )*
        }

        impl LintCode {
            pub const ALL: &'static [LintCode] = &[$(LintCode::$variant),*];

            /// `XTS001`, …
            pub fn code(self) -> &'static str {
                match self { $(LintCode::$variant => $code,)* }
            }

            /// What the check looks for, in one line.
            pub fn title(self) -> &'static str {
                match self { $(LintCode::$variant => $title,)* }
            }

            /// The `docs/decisions.md` row the check rests on, if any.
            pub fn decision(self) -> Option<DecisionRow> {
                let topic: Option<&str> = match self { $(LintCode::$variant => $decision,)* };
                topic.and_then(decisions::row)
            }
        }
    };
}

codes! {
    InboundSyncNotAllowed => ("XTS001", "Inbound sync not allowed for a configured job", None),
    InboundRedemptionMissing => ("XTS002", "Automatic redemption missing in the target (inbound)", Some("Target-side inbound redemption failure code")),
    OutboundRedemptionMissing => ("XTS003", "Automatic redemption missing in the source (outbound)", None),
    RedemptionOnlyByDefault => ("XTS004", "Automatic redemption works only through the tenant default", None),
    CrossCloudNotConfigured => ("XTS005", "Cross-cloud pair without the cross-cloud settings, or an unsupported pair", None),
    China21VianetPair => ("XTS006", "A 21Vianet pair: the documents disagree on support", Some("Cross-tenant sync within 21Vianet")),
    NobodyAssigned => ("XTS007", "A job with nobody assigned", None),
    NeverStarted => ("XTS008", "A job that is never started", Some("Status codes")),
    TwoJobsOnOnePair => ("XTS009", "Two jobs on one source → target pair", Some("Several configurations on one source → target pair")),
    ExpectedRelay => ("XTS010", "Expectations imply a relay through a hub", None),
    SourceOnlyExternal => ("XTS011", "A job whose source has only external users in scope", None),
    DeletionThresholdOff => ("XTS012", "Accidental deletion prevention off with many users in scope", Some("Accidental deletion threshold")),
    ScopeWillDropMany => ("XTS013", "Delete on and a coming change drops many users at once", Some("Accidental deletion threshold")),
    MemberIntoGuestOnlyApp => ("XTS014", "userType Member pushed into a tenant whose downstream app needs Guests", None),
    AddressListExpectation => ("XTS015", "showInAddressList expectations the mappings can't meet", None),
    UnsupportedFilterAttribute => ("XTS016", "A scoping filter on an attribute Entra refuses for scoping", Some("Multi-valued attributes in filters")),
    FilterValueCase => ("XTS017", "An EQUALS value that differs only in case from the source's values", None),
    SyncAllScope => ("XTS018", "\"Sync all users\" scope", None),
    NestedGroupsOnly => ("XTS019", "Users assigned only through nested groups", None),
    SmsSignInInScope => ("XTS020", "Users with SMS sign-in assigned", Some("Built-in clause")),
    UnverifiedMailDomain => ("XTS021", "Assigned users whose mail domain is not verified", Some("Mail from an unverified domain")),
    GuestInvitationsBlocked => ("XTS022", "Guest invitations blocked in the target", Some("Guest invite restrictions")),
    InternalGuestsAssigned => ("XTS023", "Internal guests assigned", Some("Internal guests in the source")),
    ExistingGuestsStayGuests => ("XTS024", "Existing B2B guests will stay guests", Some("What an update writes")),
}

/// An object a finding involves: the playground selects it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    /// `tenant`, `job`, `user` or `group`.
    pub kind: &'static str,
    pub id: String,
    /// The tenant of a user or group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

impl ObjectRef {
    fn tenant(id: &str) -> ObjectRef {
        ObjectRef {
            kind: "tenant",
            id: id.to_string(),
            tenant: None,
        }
    }
    fn job(id: &str) -> ObjectRef {
        ObjectRef {
            kind: "job",
            id: id.to_string(),
            tenant: None,
        }
    }
    fn user(tenant: &str, id: &str) -> ObjectRef {
        ObjectRef {
            kind: "user",
            id: id.to_string(),
            tenant: Some(tenant.to_string()),
        }
    }
    fn group(tenant: &str, id: &str) -> ObjectRef {
        ObjectRef {
            kind: "group",
            id: id.to_string(),
            tenant: Some(tenant.to_string()),
        }
    }
}

/// One finding of the design review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintFinding {
    pub code: LintCode,
    pub severity: Severity,
    pub title: &'static str,
    pub message: String,
    pub objects: Vec<ObjectRef>,
    /// What to do, worded like the admin center.
    pub fix: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionRow>,
}

/// The review of a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    /// The state reviewed is after this tick (`None`: the initial state).
    pub after_tick: Option<Tick>,
    pub findings: Vec<LintFinding>,
}

impl Review {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn has(&self, code: LintCode) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}

/// Users in scope above which a design without accidental deletion prevention is flagged.
pub const MANY_USERS: usize = 100;
/// Soft deletions in one cycle that count as "many" for a coming change.
pub const MANY_DELETIONS: usize = 10;
/// Source users above which "Sync all users" is a warning rather than a note.
pub const LARGE_TENANT: usize = 500;

/// Reviews the scenario's initial state (before tick 0 runs), and what its timeline will do.
pub fn lint(scenario: &Scenario) -> Review {
    let sim = Simulation::new(scenario);
    review(&sim, scenario)
}

/// Reviews the state after tick `tick` ran.
pub fn lint_after(scenario: &Scenario, tick: Tick) -> Review {
    let mut sim = Simulation::new(scenario);
    sim.run_through(tick);
    review(&sim, scenario)
}

/// Reviews a simulation the caller already ran (the playground's), with its scenario's timeline and
/// expectations.
pub fn review(sim: &Simulation, scenario: &Scenario) -> Review {
    let mut out = Vec::new();
    let mut pairs: BTreeMap<(TenantIdx, TenantIdx), Vec<String>> = BTreeMap::new();
    for (j, job) in sim.jobs.iter().enumerate() {
        if job.deleted {
            continue;
        }
        let j = j as JobIdx;
        pairs
            .entry((job.source, job.target))
            .or_default()
            .push(job.config.id.clone());
        policy(sim, j, &mut out);
        scope(sim, scenario, j, &mut out);
        downstream(sim, j, &mut out);
        filters(sim, j, &mut out);
    }
    for ((s, t), jobs) in &pairs {
        if jobs.len() > 1 {
            let (s, t) = (&sim.tenant(*s).id, &sim.tenant(*t).id);
            let mut objects: Vec<ObjectRef> = jobs.iter().map(|j| ObjectRef::job(j)).collect();
            objects.push(ObjectRef::tenant(s));
            objects.push(ObjectRef::tenant(t));
            out.push(finding(
                LintCode::TwoJobsOnOnePair,
                Severity::Warning,
                format!("{} configurations sync {s} → {t} ({}). Each runs and may update the same target users; Microsoft recommends one (the January 2024 FAQ said only one can exist).", jobs.len(), jobs.join(", ")),
                objects,
                "Merge them into one configuration, unless they deliberately split users (for example one mapping userType Guest, one Member) with disjoint scopes.",
            ));
        }
    }
    relay_expectations(sim, scenario, &mut out);
    address_list_expectations(sim, scenario, &mut out);
    coming_deletions(sim, scenario, &mut out);
    crate::sort::sort_by(&mut out, |a, b| {
        (a.severity, a.code, &a.objects).cmp(&(b.severity, b.code, &b.objects))
    });
    out.dedup();
    Review {
        after_tick: sim.last_tick(),
        findings: out,
    }
}

fn finding(
    code: LintCode,
    severity: Severity,
    message: String,
    objects: Vec<ObjectRef>,
    fix: impl Into<String>,
) -> LintFinding {
    LintFinding {
        code,
        severity,
        title: code.title(),
        message,
        objects,
        fix: fix.into(),
        decision: code.decision(),
    }
}

/// How a partner setting stands, in the admin center's words.
fn setting_words(value: Option<Tristate>, default: bool) -> String {
    match value {
        None => format!("not configured: no organizational settings for the partner, so the default ({default}) applies"),
        Some(Tristate::Inherited) => format!("still \"Inherited from default\" ({default}) — if it was customized, it was not saved"),
        Some(Tristate::Set(v)) => format!("set to {v}"),
    }
}

fn policy(sim: &Simulation, j: JobIdx, out: &mut Vec<LintFinding>) {
    let job = sim.job(j);
    let id = &job.config.id;
    let source = sim.tenant(job.source);
    let target = sim.tenant(job.target);
    let (s, t) = (&*source.id, &*target.id);
    let objects = || {
        vec![
            ObjectRef::job(id),
            ObjectRef::tenant(s),
            ObjectRef::tenant(t),
        ]
    };
    if let Err((failure @ (PolicyFailure::CrossCloudSource | PolicyFailure::CrossCloudTarget), e)) =
        sim.policy_check(j)
    {
        let which = if failure == PolicyFailure::CrossCloudSource {
            format!("{s} ({}) has not enabled {} in Microsoft cloud settings, or the pair is not supported", source.cloud.display_name(), target.cloud.display_name())
        } else {
            format!(
                "{t} ({}) has not enabled {} in Microsoft cloud settings",
                target.cloud.display_name(),
                source.cloud.display_name()
            )
        };
        out.push(finding(
            LintCode::CrossCloudNotConfigured,
            Severity::Error,
            format!("{id} crosses clouds: {which}. The connection test fails with {}.", e.code.as_str()),
            objects(),
            "In both tenants: Cross-tenant access settings → Microsoft cloud settings → enable the other cloud; create the configuration with \"Setup cross-tenant synchronization across Microsoft clouds\". Supported pairs: commercial ↔ Azure Government, commercial → 21Vianet.",
        ));
    }
    if source.cloud == Cloud::China21Vianet || target.cloud == Cloud::China21Vianet {
        out.push(finding(
            LintCode::China21VianetPair,
            Severity::Warning,
            format!("{id} involves Microsoft Azure operated by 21Vianet. The 2026 configure doc lists 21Vianet pairs; the overview says cross-tenant sync isn't supported within 21Vianet. ctsync runs it; check with Microsoft before relying on it."),
            objects(),
            "Confirm support for your cloud pair with Microsoft before going live.",
        ));
    }
    let partner_of_target = target.access.partner(s);
    if !target.access.sync_inbound_allowed(s) {
        out.push(finding(
            LintCode::InboundSyncNotAllowed,
            Severity::Error,
            format!(
                "{t} does not allow users sync in from {s}: \"Allow users sync into this tenant\" is {}. {id}'s connection test fails with AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure.",
                setting_words(partner_of_target.map(|p| p.identity_synchronization.user_sync_inbound.is_sync_allowed), false)
            ),
            objects(),
            format!("In {t}: Cross-tenant access settings → Organizational settings → add {s} → Inbound access → Cross-tenant sync → Allow users sync into this tenant → Save."),
        ));
    }
    let partner_of_source = source.access.partner(t);
    let out_default = source
        .access
        .default
        .automatic_user_consent_settings
        .outbound_allowed;
    let out_setting = partner_of_source.map(|p| p.automatic_user_consent_settings.outbound_allowed);
    if !source.access.auto_redeem_outbound(t) {
        out.push(finding(
            LintCode::OutboundRedemptionMissing,
            Severity::Error,
            format!(
                "{s} does not automatically redeem invitations with {t} (outbound): the setting is {}. {id}'s connection test fails.",
                setting_words(out_setting, out_default)
            ),
            objects(),
            format!("In {s}: Cross-tenant access settings → Organizational settings → {t} → Outbound access → Trust settings → Automatically redeem invitations with the tenant {t} → Save."),
        ));
    } else if out_setting.is_none_or(|v| v.is_inherited()) {
        out.push(finding(
            LintCode::RedemptionOnlyByDefault,
            Severity::Warning,
            format!("{s} redeems invitations with {t} automatically only because its default outbound setting is on; the partner setting is inherited. Changing the default would stop {id}."),
            objects(),
            format!("In {s}: customize the partner settings for {t} → Outbound access → Trust settings → Automatically redeem invitations → Save."),
        ));
    }
    let in_default = target
        .access
        .default
        .automatic_user_consent_settings
        .inbound_allowed;
    let in_setting = partner_of_target.map(|p| p.automatic_user_consent_settings.inbound_allowed);
    if !target.access.auto_redeem_inbound(s) {
        out.push(finding(
            LintCode::InboundRedemptionMissing,
            Severity::Error,
            format!(
                "{t} does not automatically redeem invitations from {s} (inbound): the setting is {}. {id}'s connection test fails with AzureDirectoryB2BManagementPolicyCheckFailure (\"Policy permitting auto-redemption of invitations not configured.\").",
                setting_words(in_setting, in_default)
            ),
            objects(),
            format!("In {t}: Cross-tenant access settings → Organizational settings → {s} → Inbound access → Trust settings → Automatically redeem invitations with the tenant {s} → Save."),
        ));
    } else if in_setting.is_none_or(|v| v.is_inherited()) {
        out.push(finding(
            LintCode::RedemptionOnlyByDefault,
            Severity::Warning,
            format!("{t} redeems invitations from {s} automatically only because its default inbound setting is on; the partner setting is inherited. Changing the default would stop {id}."),
            objects(),
            format!("In {t}: customize the partner settings for {s} → Inbound access → Trust settings → Automatically redeem invitations → Save."),
        ));
    }
    if target.allow_invites_from == InviteRestriction::None {
        out.push(finding(
            LintCode::GuestInvitationsBlocked,
            Severity::Error,
            format!("{t}'s guest invite setting is \"No one in the organization can invite guest users including admins\": every create of {id} fails with AzureActiveDirectoryForbidden."),
            objects(),
            format!("In {t}: External Identities → External collaboration settings → Guest invite settings → choose a less restrictive option."),
        ));
    }
}

/// The users a job would read, and how each stands in scope.
fn scope(sim: &Simulation, scenario: &Scenario, j: JobIdx, out: &mut Vec<LintFinding>) {
    let job = sim.job(j);
    let id = &job.config.id;
    let s = job.source;
    let sid = &*sim.tenant(s).id;
    let tid = &*sim.tenant(job.target).id;
    let dir = &sim.tenant(s).dir;
    let index = sim.assignment_index(j);
    // Never started: not started now, and no command of the timeline still to come starts it.
    let next = sim.next_tick();
    let starts_later = scenario.timeline.iter().any(|e| {
        e.tick >= next
            && matches!(&e.command, Command::StartJob { job } | Command::RestartJob { job } if job == id)
    });
    if job.config.state == JobState::NotStarted && !starts_later {
        out.push(finding(
            LintCode::NeverStarted,
            Severity::Warning,
            format!("{id} is never started: a new configuration does nothing until provisioning starts, and nothing in the timeline starts it."),
            vec![ObjectRef::job(id)],
            format!("In {sid}: Cross-tenant synchronization → Configurations → {} → Start provisioning.", sim.job_display_name(j)),
        ));
    }
    let candidates: BTreeSet<UserIdx> = if index.sync_all {
        crate::sort::collect_set(
            (0..dir.users.len() as UserIdx).filter(|u| dir.user(*u).is_active()),
        )
    } else {
        index.imported_users(sim, s)
    };
    if !index.sync_all && candidates.is_empty() {
        let mut objects = vec![ObjectRef::job(id)];
        for g in &job.config.assigned_groups {
            objects.push(ObjectRef::group(sid, g));
        }
        let assigns_later = scenario.timeline.iter().any(|e| {
            e.tick >= next
                && matches!(&e.command, Command::AssignUser { job, .. } | Command::AssignGroup { job, .. } if job == id)
        });
        if !assigns_later {
            out.push(finding(
                LintCode::NobodyAssigned,
                Severity::Warning,
                if job.config.assigned_groups.is_empty() {
                    format!("{id} has nobody assigned: with \"Sync only assigned users and groups\" it synchronizes no one.")
                } else {
                    format!("{id}'s assigned groups have no direct user members: with \"Sync only assigned users and groups\" it synchronizes no one.")
                },
                objects,
                format!("In {sid}: Cross-tenant synchronization → Configurations → {} → Users and groups → Add user/group.", sim.job_display_name(j)),
            ));
        }
    }
    let mut external = Vec::new();
    let mut internal_in_scope = 0usize;
    let mut sms = Vec::new();
    let mut guests = Vec::new();
    let mut unverified = Vec::new();
    let mut stay_guests = Vec::new();
    let user_type_add_only = job
        .mappings
        .iter()
        .any(|m| m.target == known::USER_TYPE && m.flow == FlowType::ObjectAddOnly);
    let target_dir = &sim.tenant(job.target).dir;
    for &u in &candidates {
        let user = dir.user(u);
        let label = user.local_id.as_deref().unwrap_or(user.upn()).to_string();
        let scope = sim.evaluate_scope(j, u, &index);
        match scope.ineligible {
            Some(Ineligible::External) => external.push(label),
            Some(Ineligible::SmsSignIn) => sms.push(label),
            Some(Ineligible::InternalGuest) => guests.push(label),
            Some(Ineligible::Deleted) => {}
            None => {
                if scope.in_scope {
                    internal_in_scope += 1;
                    if let Some(mail) = user.mail() {
                        let domain = mail.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
                        if !sim.tenant(s).owns_domain(domain) {
                            unverified.push((label.clone(), mail.to_string()));
                        }
                    }
                    let existing_guest = target_dir
                        .accounts_with_home(&sim.tenant(s).tenant_id, &user.object_id)
                        .into_iter()
                        .any(|a| {
                            target_dir.user(a).is_guest() && target_dir.user(a).created_by.is_none()
                        });
                    if existing_guest && user_type_add_only {
                        stay_guests.push(label);
                    }
                }
            }
        }
    }
    let user_refs = |labels: &[String]| -> Vec<ObjectRef> {
        let mut v = vec![ObjectRef::job(id)];
        v.extend(labels.iter().map(|l| ObjectRef::user(sid, l)));
        v
    };
    let list = |labels: &[String]| -> String {
        let shown: Vec<&str> = labels.iter().take(5).map(String::as_str).collect();
        if labels.len() > 5 {
            format!("{} and {} more", shown.join(", "), labels.len() - 5)
        } else {
            shown.join(", ")
        }
    };
    if !external.is_empty() && internal_in_scope == 0 && sms.is_empty() && guests.is_empty() {
        out.push(finding(
            LintCode::SourceOnlyExternal,
            Severity::Error,
            format!("Every user {id} would read in {sid} is an external (B2B) account ({}): only internal members are synchronized, so nothing is relayed from {sid} to {tid}.", list(&external)),
            user_refs(&external),
            format!("Synchronize these users from their home tenants directly into {tid} (a mesh), instead of through {sid}."),
        ));
    }
    if !sms.is_empty() {
        out.push(finding(
            LintCode::SmsSignInInScope,
            Severity::Warning,
            format!("{} of {id}'s assigned users have SMS sign-in enabled ({}): the built-in clause Filter external users.alternativeSecurityIds EQUALS 'None' is false for them, so they are silently skipped.", sms.len(), list(&sms)),
            user_refs(&sms),
            format!("In {sid}: disable SMS sign-in for these users (Authentication methods), or accept that they are not synchronized."),
        ));
    }
    if !guests.is_empty() {
        out.push(finding(
            LintCode::InternalGuestsAssigned,
            Severity::Info,
            format!("{id} has internal guests assigned ({}): only internal members are synchronized, so they are skipped.", list(&guests)),
            user_refs(&guests),
            "Remove them from the assignment, or change their userType to Member if they are employees.",
        ));
    }
    if !unverified.is_empty() {
        let labels: Vec<String> = unverified.iter().map(|(l, _)| l.clone()).collect();
        let shown: Vec<String> = unverified
            .iter()
            .take(5)
            .map(|(l, m)| format!("{l} ({m})"))
            .collect();
        out.push(finding(
            LintCode::UnverifiedMailDomain,
            Severity::Error,
            format!("{} of {id}'s users have a mail outside {sid}'s verified domains ({}): their creates fail with InvitationCreationFailureInvalidPropertyValue.", unverified.len(), shown.join(", ")),
            user_refs(&labels),
            format!("In {sid}: Custom domain names → add and verify the domain, or give the users a mail in a verified domain."),
        ));
    }
    if !stay_guests.is_empty() {
        out.push(finding(
            LintCode::ExistingGuestsStayGuests,
            Severity::Info,
            format!("{} of {id}'s users already have B2B guest accounts in {tid} ({}): sync matches and updates them, but the userType mapping applies only during object creation, so they stay Guests while new users arrive as Members.", stay_guests.len(), list(&stay_guests)),
            user_refs(&stay_guests),
            "Provisioning → Mappings → userType → Apply this mapping: Always, if they should become Members.",
        ));
    }
    // Users only in nested groups of assigned groups.
    if !index.sync_all && !index.nested.is_empty() {
        let mut nested_only = Vec::new();
        for (g, root) in &index.nested {
            for &u in &dir.groups[*g as usize].member_users {
                if !candidates.contains(&u) && dir.user(u).is_active() {
                    let user = dir.user(u);
                    let label = user.local_id.as_deref().unwrap_or(user.upn()).to_string();
                    nested_only.push((label, *g, *root));
                }
            }
        }
        crate::sort::sort(&mut nested_only);
        nested_only.dedup_by(|a, b| a.0 == b.0);
        if !nested_only.is_empty() {
            let labels: Vec<String> = nested_only.iter().map(|(l, _, _)| l.clone()).collect();
            let mut objects = user_refs(&labels);
            let mut groups: Vec<(u32, u32)> =
                nested_only.iter().map(|(_, g, r)| (*g, *r)).collect();
            crate::sort::sort(&mut groups);
            groups.dedup();
            let mut names = Vec::new();
            for (g, r) in groups {
                let (gn, rn) = (&dir.groups[g as usize], &dir.groups[r as usize]);
                objects.push(ObjectRef::group(sid, &gn.id));
                names.push(format!("'{}' in '{}'", gn.display_name, rn.display_name));
            }
            out.push(finding(
                LintCode::NestedGroupsOnly,
                Severity::Warning,
                format!("{} users are members of {id}'s assigned groups only through nested groups ({}): {}. Only direct members of an assigned group are in scope.", labels.len(), names.join(", "), list(&labels)),
                objects,
                format!("Assign the nested groups to {} directly, or make the users direct members.", sim.job_display_name(j)),
            ));
        }
    }
    if index.sync_all {
        let users = dir.users.iter().filter(|u| u.is_active()).count();
        let large = users >= LARGE_TENANT;
        out.push(finding(
            LintCode::SyncAllScope,
            if large { Severity::Warning } else { Severity::Info },
            format!("{id} uses \"Sync all users\" on {sid} ({users} users): every user is imported and evaluated{}; Microsoft recommends \"Sync only assigned users and groups\", and narrowing later needs a restart.", if large { ", the initial cycle is long, and the logs fill with skipped users" } else { "" }),
            vec![ObjectRef::job(id), ObjectRef::tenant(sid)],
            "Provisioning → Settings → Scope → Sync only assigned users and groups, and assign a group.",
        ));
    }
    if !job.config.accidental_deletion_prevention.enabled && internal_in_scope >= MANY_USERS {
        out.push(finding(
            LintCode::DeletionThresholdOff,
            Severity::Warning,
            format!("{id} has {internal_in_scope} users in scope and accidental deletion prevention is off: one wrong scope change soft deletes them all in one cycle."),
            vec![ObjectRef::job(id)],
            "Provisioning → Settings → Prevent accidental deletions → on, with a threshold (default 500).",
        ));
    }
}

fn filters(sim: &Simulation, j: JobIdx, out: &mut Vec<LintFinding>) {
    let job = sim.job(j);
    let id = &job.config.id;
    let s = job.source;
    let sid = &*sim.tenant(s).id;
    let dir = &sim.tenant(s).dir;
    for filter in &job.filters {
        for clause in &filter.clauses {
            let text = clause.log_text(&filter.name);
            if let Some(why) = unsupported_scoping_attribute(&clause.attr_name) {
                out.push(finding(
                    LintCode::UnsupportedFilterAttribute,
                    Severity::Error,
                    format!("{id}: {text} — {why}. Entra refuses it; ctsync evaluates it anyway, so the simulation is not what Entra would do."),
                    vec![ObjectRef::job(id)],
                    "Scope with an attribute Entra supports (for example department, or an extension attribute), or with group assignment.",
                ));
                continue;
            }
            if !matches!(
                clause.op,
                FilterOperator::Equals | FilterOperator::NotEquals
            ) {
                continue;
            }
            // The values the source directory really holds for this attribute.
            let mut actual: BTreeSet<String> = BTreeSet::new();
            for (u, user) in dir.users.iter().enumerate() {
                if !user.is_active() || !user.is_internal() {
                    continue;
                }
                if let Some(AttrValue::Str(v)) =
                    sim.source_value(s, u as UserIdx, clause.attr, None)
                {
                    actual.insert(v.to_string());
                }
            }
            for value in &clause.values {
                if actual.contains(value) {
                    continue;
                }
                if let Some(real) = actual
                    .iter()
                    .find(|a| a.to_lowercase() == value.to_lowercase())
                {
                    out.push(finding(
                        LintCode::FilterValueCase,
                        Severity::Warning,
                        format!("{id}: {text} — no user of {sid} has '{value}', but users have '{real}'. {} is case sensitive, so it never matches them.",
                            clause.op.entra_name()),
                        vec![ObjectRef::job(id), ObjectRef::tenant(sid)],
                        format!("Edit the scoping filter: {} '{real}'.", clause.op.entra_name()),
                    ));
                }
            }
        }
    }
}

/// XTS014: members pushed into a tenant whose downstream app accepts only Members of its own
/// verified domains (seed 004, pain point 8).
fn downstream(sim: &Simulation, j: JobIdx, out: &mut Vec<LintFinding>) {
    use crate::scenario::DownstreamRule;
    let job = sim.job(j);
    let id = &job.config.id;
    let (sid, tid) = (&*sim.tenant(job.source).id, &*sim.tenant(job.target).id);
    // What the userType mapping writes: the default is the constant Member, on creation only.
    let user_type = job
        .mappings
        .iter()
        .find(|m| m.target == known::USER_TYPE)
        .map(|m| (&m.source, m.flow));
    let (members, add_only) = match user_type {
        None => (true, true),
        Some((MappingSource::Constant(v), flow)) => (
            v.to_string().eq_ignore_ascii_case("Member"),
            flow == FlowType::ObjectAddOnly,
        ),
        // An expression or an attribute: depends on the user; not judged here.
        Some(_) => return,
    };
    for app in &sim.tenant(job.target).downstream {
        if app.config.rule != DownstreamRule::MembersNeedVerifiedDomain {
            continue;
        }
        let source_domains: Vec<&String> = sim
            .tenant(job.source)
            .verified_domains
            .iter()
            .filter(|d| {
                !app.config
                    .verified_domains
                    .iter()
                    .any(|v| v.eq_ignore_ascii_case(d))
            })
            .collect();
        if source_domains.is_empty() && !sim.tenant(job.source).verified_domains.is_empty() {
            continue;
        }
        let existing_members = sim
            .tenant(job.target)
            .dir
            .users
            .iter()
            .filter(|u| u.is_active() && u.created_by == Some(j) && !u.is_guest())
            .count();
        let message = if members {
            format!("{id} creates its users in {tid} as external Members, and {tid}'s downstream app {} accepts Members only from its organisation's verified domains ({}): the synchronized users are refused there (Guests are accepted).",
                app.config.display_name,
                if app.config.verified_domains.is_empty() { "none".to_string() } else { app.config.verified_domains.join(", ") })
        } else if add_only && existing_members > 0 {
            format!("{id} maps userType to Guest only during object creation: the {existing_members} Members it already created in {tid} stay Members, and {}'s rule refuses them.", app.config.display_name)
        } else {
            continue;
        };
        out.push(finding(
            LintCode::MemberIntoGuestOnlyApp,
            Severity::Warning,
            message,
            vec![ObjectRef::job(id), ObjectRef::tenant(tid), ObjectRef::tenant(sid)],
            format!("In {sid}: Provisioning → Mappings → userType → Constant \"Guest\", Apply this mapping: Always (users already created stay Members otherwise) — or keep Members and accept they are not provisioned to {}.", app.config.display_name),
        ));
    }
}

/// XTS013: runs the scenario's timeline and flags cycles that soft delete many users at once while
/// nothing holds them.
fn coming_deletions(sim: &Simulation, scenario: &Scenario, out: &mut Vec<LintFinding>) {
    let from = sim.next_tick();
    let end = scenario.last_scripted_tick() + 1;
    if from > end {
        return;
    }
    let mut future = sim.clone();
    future.run_through(end);
    let mut per_cycle: BTreeMap<(JobIdx, Tick), usize> = BTreeMap::new();
    for event in future.events() {
        if let Event::Object(e) = event {
            if e.tick >= from && e.effect == Effect::SoftDeleted {
                *per_cycle.entry((e.job, e.tick)).or_insert(0) += 1;
            }
        }
    }
    for ((j, tick), n) in per_cycle {
        if n < MANY_DELETIONS {
            continue;
        }
        let job = future.job(j);
        let id = &job.config.id;
        let causes: Vec<String> = future
            .applied_commands()
            .iter()
            .filter(|c| c.tick == tick)
            .map(|c| c.summary.clone())
            .collect();
        out.push(finding(
            LintCode::ScopeWillDropMany,
            Severity::Warning,
            format!(
                "In tick {tick}, {id} soft deletes {n} users in one cycle{}. Delete is on in Target Object Actions and accidental deletion prevention does not hold them.",
                if causes.is_empty() { String::new() } else { format!(" after: {}", causes.join("; ")) }
            ),
            vec![ObjectRef::job(id)],
            "Turn on Prevent accidental deletions (threshold below the expected drop), or untick Delete in Target Object Actions while the scope is reorganized.",
        ));
    }
}

/// XTS010: expectations that a user is in a tenant that only a relay through a hub could reach.
fn relay_expectations(sim: &Simulation, scenario: &Scenario, out: &mut Vec<LintFinding>) {
    for e in &scenario.expect {
        let Check::User {
            tenant,
            user: UserRef::Home { tenant: home, user },
            state,
            ..
        } = &e.check
        else {
            continue;
        };
        if matches!(state, ExpectedUserState::Absent) || tenant == home {
            continue;
        }
        let (Some(t), Some(h)) = (sim.tenant_index(tenant), sim.tenant_index(home)) else {
            continue;
        };
        let live = |s: TenantIdx, t: TenantIdx| {
            sim.jobs
                .iter()
                .any(|x| !x.deleted && x.source == s && x.target == t)
        };
        let direct = live(h, t)
            || scenario.timeline.iter().any(|en| {
                matches!(&en.command, Command::AddJob { job } if job.source == *home && job.target == *tenant)
            });
        if direct {
            continue;
        }
        let hubs: Vec<TenantIdx> = (0..sim.tenants.len() as TenantIdx)
            .filter(|x| *x != h && *x != t && live(h, *x) && live(*x, t))
            .collect();
        if hubs.is_empty() {
            continue;
        }
        let hub_names: Vec<String> = hubs.iter().map(|x| sim.tenant(*x).id.to_string()).collect();
        let mut objects = vec![ObjectRef::user(home, user), ObjectRef::tenant(tenant)];
        objects.extend(hub_names.iter().map(|x| ObjectRef::tenant(x)));
        out.push(finding(
            LintCode::ExpectedRelay,
            Severity::Error,
            format!("The scenario expects {home}/{user} in {tenant} after tick {}, but no configuration syncs {home} → {tenant}; the only path runs through {}. In the hub the user is an external member, and only internal members are synchronized: no relay.", e.after_tick, hub_names.join(", ")),
            objects,
            format!("Add a configuration {home} → {tenant} (a mesh), or drop the expectation."),
        ));
    }
}

/// XTS015: expectations about `showInAddressList` that the managing job's mappings can't meet.
fn address_list_expectations(sim: &Simulation, scenario: &Scenario, out: &mut Vec<LintFinding>) {
    for e in &scenario.expect {
        let Check::User {
            tenant,
            user: UserRef::Home { tenant: home, user },
            attributes,
            ..
        } = &e.check
        else {
            continue;
        };
        let Some(Some(expected)) = attributes.get("showInAddressList") else {
            continue;
        };
        let (Some(t), Some(h)) = (sim.tenant_index(tenant), sim.tenant_index(home)) else {
            continue;
        };
        for job in sim
            .jobs
            .iter()
            .filter(|x| !x.deleted && x.source == h && x.target == t)
        {
            let mapped = job
                .mappings
                .iter()
                .find(|m| m.target == known::SHOW_IN_ADDRESS_LIST);
            let produces: Option<String> = match mapped.map(|m| &m.source) {
                None => None,
                Some(MappingSource::Constant(v)) => Some(v.to_string()),
                Some(_) => continue, // an expression or attribute: depends on the user
            };
            let ok = produces
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case(expected));
            if !ok {
                out.push(finding(
                    LintCode::AddressListExpectation,
                    Severity::Warning,
                    format!(
                        "The scenario expects {home}/{user} in {tenant} with showInAddressList {expected}, but {} {}.",
                        job.config.id,
                        match produces {
                            None => "does not map showInAddressList".to_string(),
                            Some(p) => format!("maps it to the constant {p}"),
                        }
                    ),
                    vec![ObjectRef::job(&job.config.id), ObjectRef::user(home, user)],
                    "Provisioning → Mappings → showInAddressList → Constant \"true\" (the default mapping) — and for mailbox-enabled users set it with Set-MailUser -HiddenFromAddressListsEnabled in the target.",
                ));
            }
        }
    }
}
