//! Rendering events into Entra's wording: one readable line each for the CLI, and JSON shaped like
//! Graph's `provisioningObjectSummary` (steps, status, modified properties) plus ctsync's fields.

use serde_json::{json, Map, Value};

use super::event::{
    Action, Assignment, DirectoryEventKind, DownstreamEventKind, Event, Ineligible, JobEventKind,
    MatchResult, ObjectEvent, ScopeResult, SkipReason, Status,
};
use super::Simulation;
use crate::filter::BUILT_IN_FILTER_TITLE;

/// How Entra names the two directories of a cross-tenant sync job in its logs.
pub const SOURCE_SYSTEM: &str = "Azure Active Directory";
pub const TARGET_SYSTEM: &str = "Azure Active Directory (target tenant)";

pub const NOT_ENTITLED_MESSAGE: &str = "This object does not have required entitlement for provisioning. If you did not expect the object to be skipped, update provisioning scope to 'Sync all users and groups' or assign the object to the application with entitlement of provisioning category";
pub const FILTER_FAILED_MESSAGE: &str = "This object did not pass a scoping filter. If this behavior is not expected, review the scoping filters and ensure that the object meets the defined scoping criteria.";
pub const NOT_ASSIGNED_MESSAGE: &str = "This object is not assigned to the application. If this behavior is not expected, assign the object to the application or change the scoping filter to allow all users and groups to be in scope for provisioning.";

impl Simulation {
    /// The job's name as the admin center lists it (its configuration name, else the target's name).
    pub fn job_display_name(&self, j: super::directory::JobIdx) -> String {
        let job = self.job(j);
        job.config
            .display_name
            .clone()
            .unwrap_or_else(|| self.tenant(job.target).display_name.clone())
    }

    /// The clause texts and results of a scoping step, the built-in clause first, as Entra's
    /// `ScopeEvaluationResult` lists them.
    pub fn scope_clause_results(
        &self,
        j: super::directory::JobIdx,
        scope: &ScopeResult,
    ) -> Vec<(String, bool)> {
        let job = self.job(j);
        let mut out = vec![(
            format!("{BUILT_IN_FILTER_TITLE}.alternativeSecurityIds EQUALS 'None'"),
            scope.built_in_clause,
        )];
        for (f, c, result) in &scope.clauses {
            if let Some(clause) = job
                .filters
                .get(*f as usize)
                .and_then(|filter| filter.clauses.get(*c as usize).map(|cl| (filter, cl)))
            {
                out.push((clause.1.log_text(&clause.0.name), *result));
            }
        }
        out
    }

    /// Why a skipped user was skipped, as the numbered reasons of Entra's skip description.
    pub fn skip_reasons(&self, scope: &ScopeResult) -> Vec<&'static str> {
        let mut reasons = Vec::new();
        if !scope.built_in_clause || scope.ineligible.is_some() || !scope.account_enabled {
            reasons.push(NOT_ENTITLED_MESSAGE);
        }
        if !scope.assignment.is_assigned() {
            reasons.push(NOT_ASSIGNED_MESSAGE);
        }
        if !scope.filters_passed || !scope.built_in_clause {
            reasons.push(FILTER_FAILED_MESSAGE);
        }
        reasons
    }

    /// One readable line for an event.
    pub fn event_line(&self, event: &Event) -> String {
        match event {
            Event::Object(e) => self.object_event_line(e),
            Event::Job(e) => {
                let job = &self.job(e.job).config.id;
                let text = match &e.kind {
                    JobEventKind::Started => "provisioning started".to_string(),
                    JobEventKind::Paused => "provisioning stopped (paused)".to_string(),
                    JobEventKind::Restarted => "provisioning restarted: watermark, escrows and quarantine cleared; the next cycle is initial".to_string(),
                    JobEventKind::Deleted => "configuration deleted; users it provisioned stay as they are".to_string(),
                    JobEventKind::DeletesAllowed => "deletes allowed: held deletions are processed in the next cycle".to_string(),
                    JobEventKind::ConnectionTestFailed(err) => {
                        format!("connection test failed: {}: {}", err.code.as_str(), err.message)
                    }
                    JobEventKind::CycleCompleted { cycle, initial, evaluated, exported, escrowed } => format!(
                        "{} cycle {cycle} completed: {evaluated} evaluated, {exported} exported, {escrowed} escrowed",
                        if *initial { "initial" } else { "incremental" }
                    ),
                    JobEventKind::QuarantineEntered { reason, error, next_attempt, .. } => format!(
                        "quarantined ({}){}; next attempt at tick {next_attempt}",
                        reason.as_str(),
                        error.as_ref().map(|e| format!(": {}", e.code.as_str())).unwrap_or_default()
                    ),
                    JobEventKind::QuarantineContinued { series_count, next_attempt } => format!(
                        "still quarantined ({series_count} attempts); next attempt at tick {next_attempt}"
                    ),
                    JobEventKind::QuarantineLeft => "quarantine lifted".to_string(),
                    JobEventKind::Disabled => "disabled after more than four weeks in quarantine".to_string(),
                    JobEventKind::EscrowsPruned => "escrows pruned during the initial cycle".to_string(),
                };
                format!("tick {:>4}  [{job}] {text}", e.tick)
            }
            Event::Directory(e) => {
                let tenant = &self.tenant(e.tenant).id;
                match e.kind {
                    DirectoryEventKind::RecycleBinPurged => format!(
                        "tick {:>4}  [{tenant}] {} permanently deleted: 30 days in the recycle bin are over (hardDeleted)",
                        e.tick, e.upn
                    ),
                }
            }
            Event::Downstream(e) => {
                let tenant = &self.tenant(e.tenant).id;
                let what = match &e.kind {
                    DownstreamEventKind::Provisioned => "provisioned".to_string(),
                    DownstreamEventKind::Refused { reason } => format!("refused — {reason}"),
                    DownstreamEventKind::Deprovisioned => {
                        "deprovisioned: no longer in the app's scope".to_string()
                    }
                };
                format!(
                    "tick {:>4}  [{tenant} → {}] {} {what}",
                    e.tick, e.app_name, e.upn
                )
            }
        }
    }

    fn object_event_line(&self, e: &ObjectEvent) -> String {
        let job = &self.job(e.job).config.id;
        let cycle = if e.on_demand {
            "on demand".to_string()
        } else {
            format!("cycle {}", e.job_cycle)
        };
        let mut line = format!(
            "tick {:>4}  [{job} {cycle}] {:<12} {:<8} {}",
            e.tick,
            e.action.as_str(),
            e.status.as_str(),
            e.source_upn
        );
        if let Some(target) = &e.target_upn {
            line.push_str(&format!(" → {target}"));
        }
        line.push_str(&format!(" ({})", e.effect.as_str()));
        if let Some(reason) = e.skip_reason {
            line.push_str(&format!(" SkipReason: {}", reason.as_str()));
        }
        if let Some(err) = &e.error {
            line.push_str(&format!(" {}: {}", err.code.as_str(), err.message));
        }
        if !e.modified.is_empty() && matches!(e.action, Action::Update | Action::Disable) {
            let changes: Vec<String> = e
                .modified
                .iter()
                .map(|m| {
                    let show = |v: &Option<super::attrs::AttrValue>| match (v, m.redacted) {
                        (_, true) => "[Redact]".to_string(),
                        (Some(v), false) => format!("'{v}'"),
                        (None, false) => "(empty)".to_string(),
                    };
                    format!(
                        "{}: {} → {}",
                        self.names.name(m.attr),
                        show(&m.old),
                        show(&m.new)
                    )
                })
                .collect();
            line.push_str(&format!(" [{}]", changes.join(", ")));
        }
        if let Some(detail) = &e.detail {
            line.push_str(&format!(" — {detail}"));
        } else if e.skip_reason == Some(SkipReason::NotEffectivelyEntitled) {
            if let Some(scope) = &e.scope {
                line.push_str(&format!(" — {}", self.scope_summary(e.job, scope)));
            }
        }
        line
    }

    /// A short phrase saying why a user is out of scope.
    pub fn scope_summary(&self, j: super::directory::JobIdx, scope: &ScopeResult) -> String {
        let source = self.job(j).source;
        let dir = &self.tenant(source).dir;
        if let Some(reason) = scope.ineligible {
            return match reason {
                Ineligible::External => "an external user: only internal members are synchronized (Filter external users)".into(),
                Ineligible::SmsSignIn => "SMS sign-in is enabled: Filter external users.alternativeSecurityIds EQUALS 'None' is false".into(),
                Ineligible::InternalGuest => "an internal guest: only internal members are synchronized".into(),
                Ineligible::Deleted => "deleted in the source tenant".into(),
            };
        }
        match scope.assignment {
            Assignment::NotAssigned => return "not assigned to the configuration".into(),
            Assignment::NestedOnly(g) => {
                return format!(
                    "only a member of a group nested in assigned group '{}': nested members are not in scope",
                    dir.groups[g as usize].display_name
                )
            }
            _ => {}
        }
        if !scope.filters_passed {
            let failed: Vec<String> = self
                .scope_clause_results(j, scope)
                .into_iter()
                .skip(1)
                .filter(|(_, r)| !r)
                .map(|(text, _)| text)
                .collect();
            return format!("scoping filter not passed: {} is false", failed.join(", "));
        }
        if !scope.account_enabled {
            return "disabled in the source tenant".into();
        }
        "in scope".into()
    }

    /// An event as JSON: Graph's `provisioningObjectSummary` shape for object events, plus the
    /// ctsync fields `tick`, `jobCycle`, `effect` and `type`.
    pub fn event_json(&self, event: &Event) -> Value {
        match event {
            Event::Object(e) => self.object_event_json(e),
            Event::Job(e) => {
                let mut out = Map::new();
                out.insert("type".into(), json!("job"));
                out.insert("tick".into(), json!(e.tick));
                out.insert(
                    "activityDateTime".into(),
                    json!(self.time_at(e.tick).to_rfc3339()),
                );
                out.insert("jobId".into(), json!(self.job(e.job).config.id));
                let (kind, extra) = match &e.kind {
                    JobEventKind::Started => ("started", json!({})),
                    JobEventKind::Paused => ("paused", json!({})),
                    JobEventKind::Restarted => ("restarted", json!({})),
                    JobEventKind::Deleted => ("deleted", json!({})),
                    JobEventKind::DeletesAllowed => ("deletesAllowed", json!({})),
                    JobEventKind::ConnectionTestFailed(err) => (
                        "connectionTestFailed",
                        json!({"error": {"code": err.code.as_str(), "message": err.message.as_ref(), "tenantActionable": true}}),
                    ),
                    JobEventKind::CycleCompleted {
                        cycle,
                        initial,
                        evaluated,
                        exported,
                        escrowed,
                    } => (
                        "cycleCompleted",
                        json!({"cycle": cycle, "initial": initial, "countEntitled": evaluated, "countExported": exported, "countEscrowed": escrowed}),
                    ),
                    JobEventKind::QuarantineEntered {
                        reason,
                        error,
                        series_count,
                        next_attempt,
                    } => (
                        "quarantineEntered",
                        json!({"quarantine": {
                            "reason": reason.as_str(),
                            "seriesCount": series_count,
                            "nextAttempt": self.time_at(*next_attempt).to_rfc3339(),
                            "error": error.as_ref().map(|e| json!({"code": e.code.as_str(), "message": e.message.as_ref(), "tenantActionable": true})),
                        }}),
                    ),
                    JobEventKind::QuarantineContinued {
                        series_count,
                        next_attempt,
                    } => (
                        "quarantineContinued",
                        json!({"quarantine": {"seriesCount": series_count, "nextAttempt": self.time_at(*next_attempt).to_rfc3339()}}),
                    ),
                    JobEventKind::QuarantineLeft => ("quarantineLeft", json!({})),
                    JobEventKind::Disabled => ("disabled", json!({})),
                    JobEventKind::EscrowsPruned => {
                        ("escrowsPruned", json!({"escrowsPruned": true}))
                    }
                };
                out.insert("event".into(), json!(kind));
                if let Value::Object(extra) = extra {
                    out.extend(extra);
                }
                Value::Object(out)
            }
            Event::Directory(e) => json!({
                "type": "directory",
                "tick": e.tick,
                "activityDateTime": self.time_at(e.tick).to_rfc3339(),
                "tenant": self.tenant(e.tenant).id.as_ref(),
                "user": e.upn.as_ref(),
                "event": "recycleBinPurged",
                "effect": "hardDeleted",
            }),
            Event::Downstream(e) => {
                let mut v = json!({
                    "type": "downstream",
                    "tick": e.tick,
                    "activityDateTime": self.time_at(e.tick).to_rfc3339(),
                    "tenant": self.tenant(e.tenant).id.as_ref(),
                    "app": e.app.as_ref(),
                    "user": e.upn.as_ref(),
                    "status": e.kind.as_str(),
                });
                if let DownstreamEventKind::Refused { reason } = &e.kind {
                    v["reason"] = json!(reason.as_ref());
                }
                v
            }
        }
    }

    fn object_event_json(&self, e: &ObjectEvent) -> Value {
        let source = self.tenant(e.source_tenant);
        let target = self.tenant(e.target_tenant);
        let job = self.job(e.job);
        let source_user = source.dir.user(e.source_user);
        let target_id = e
            .target_user
            .map(|t| target.dir.user(t).object_id.to_string())
            .unwrap_or_default();
        let modified: Vec<Value> = e
            .modified
            .iter()
            .map(|m| {
                let show = |v: &Option<super::attrs::AttrValue>| match (v, m.redacted) {
                    (_, true) => json!("[Redact]"),
                    (Some(v), false) => json!(v.to_string()),
                    (None, false) => Value::Null,
                };
                json!({"displayName": self.names.name(m.attr), "oldValue": show(&m.old), "newValue": show(&m.new)})
            })
            .collect();
        let error = e.error.as_ref().map(|err| {
            json!({
                "errorCode": err.code.as_str(),
                "reason": err.message.as_ref(),
                "errorCategory": "nonServiceFailure",
                "recommendedAction": Value::Null,
            })
        });
        json!({
            "type": "object",
            "tick": e.tick,
            "jobCycle": e.job_cycle,
            "onDemand": e.on_demand,
            "effect": e.effect.as_str(),
            "activityDateTime": self.time_at(e.tick).to_rfc3339(),
            "tenantId": target.tenant_id.as_ref(),
            "jobId": job.config.id,
            "cycleId": format!("{}-{}", job.config.id, e.job_cycle),
            "provisioningAction": e.action.as_str(),
            "servicePrincipal": {"displayName": self.job_display_name(e.job)},
            "sourceSystem": {"displayName": SOURCE_SYSTEM, "tenant": source.id.as_ref()},
            "targetSystem": {"displayName": TARGET_SYSTEM, "tenant": target.id.as_ref()},
            "initiatedBy": {"displayName": "Azure AD Provisioning Service", "initiatorType": "system"},
            "sourceIdentity": {
                "id": source_user.object_id.as_ref(),
                "displayName": e.source_display_name.as_ref(),
                "identityType": "User",
                "details": {"UserPrincipalName": e.source_upn.as_ref()},
            },
            "targetIdentity": {
                "id": target_id,
                "displayName": e.target_upn.as_deref().unwrap_or(""),
                "identityType": "User",
            },
            "provisioningStatusInfo": {"status": e.status.as_str(), "errorInformation": error},
            "skipReason": e.skip_reason.map(SkipReason::as_str),
            "detail": e.detail.as_deref(),
            "provisioningSteps": self.steps(e),
            "modifiedProperties": modified,
            "mappingNotes": e.mapping_notes.iter().map(|n| json!({"attribute": self.names.name(n.attr), "note": n.note.as_ref()})).collect::<Vec<_>>(),
        })
    }

    /// The provisioning steps of an object event, in Entra's wording.
    pub fn steps(&self, e: &ObjectEvent) -> Vec<Value> {
        let mut steps = Vec::new();
        let upn = e.source_upn.as_ref();
        let import_description = if e.on_demand || e.initial_cycle {
            format!("Retrieved User '{upn}' from {SOURCE_SYSTEM}")
        } else {
            format!("Received User '{upn}' change of type (Update) from {SOURCE_SYSTEM}")
        };
        steps.push(json!({
            "name": if e.on_demand || e.initial_cycle { "EntryImport" } else { "EntryImportUpdate" },
            "provisioningStepType": "import",
            "status": "Success",
            "description": import_description,
        }));
        let Some(scope) = &e.scope else {
            if let Some(err) = &e.error {
                steps.insert(0, json!({
                    "name": "TestConnection",
                    "provisioningStepType": "import",
                    "status": "Failure",
                    "description": format!("Test connection failed: {}", err.code.as_str()),
                    "details": {"errorCode": err.code.as_str(), "message": err.message.as_ref()},
                }));
                steps.truncate(1);
            }
            if e.action == Action::Delete {
                steps.push(json!({
                    "name": "EntryExportDelete",
                    "provisioningStepType": "export",
                    "status": "Success",
                    "description": format!("User '{}' was deleted in {TARGET_SYSTEM}", e.target_upn.as_deref().unwrap_or(upn)),
                }));
            }
            return steps;
        };
        let mut clause_results = Map::new();
        clause_results.extend(
            self.scope_clause_results(e.job, scope)
                .into_iter()
                .map(|(text, result)| (text, Value::Bool(result))),
        );
        let yes_no = |b: bool| if b { "True" } else { "False" };
        steps.push(json!({
            "name": "EntrySynchronizationScoping",
            "provisioningStepType": "scoping",
            "status": if scope.in_scope { "Success" } else { "Skipped" },
            "description": "Determine if User in scope by evaluating against each scoping filter",
            "details": {
                "Active in the source system": yes_no(scope.ineligible != Some(Ineligible::Deleted) && scope.account_enabled),
                "Assigned to the application": yes_no(matches!(scope.assignment, Assignment::Direct | Assignment::Group(_))),
                "Scope sync all": yes_no(scope.assignment == Assignment::SyncAll),
                "User has the required role": yes_no(scope.assignment.is_assigned()),
                "Scoping filter evaluation passed": yes_no(scope.filters_passed && scope.built_in_clause),
                "ScopeEvaluationResult": Value::String(Value::Object(clause_results).to_string()),
            },
        }));
        if !scope.in_scope {
            if e.action == Action::Delete || e.action == Action::StagedDelete {
                steps.push(self.export_step(e));
            } else {
                let reasons = self.skip_reasons(scope);
                let mut description = format!(
                    "The user '{}' was skipped for the following reasons:",
                    source_user_id(self, e)
                );
                for (i, r) in reasons.iter().enumerate() {
                    description.push_str(&format!(" {}) {r}", i + 1));
                }
                steps.push(json!({
                    "name": "EntrySynchronizationSkip",
                    "provisioningStepType": "export",
                    "status": "Skipped",
                    "description": description,
                    "details": {
                        "SkipReason": "NotEffectivelyEntitled",
                        "IsActive": yes_no(scope.account_enabled && scope.ineligible != Some(Ineligible::Deleted)),
                        "Assigned to the application": yes_no(scope.assignment.is_assigned()),
                        "IsInProvisioningScope": "False",
                    },
                }));
            }
            return steps;
        }
        let target_upn = e.target_upn.as_deref().unwrap_or("");
        let matching = match e.matching {
            MatchResult::NotEvaluated => None,
            MatchResult::Linked(_)
            | MatchResult::Matched(_)
            | MatchResult::SameMail(_)
            | MatchResult::PendingInvitation(_) => Some(json!({
                "name": "EntryImport",
                "provisioningStepType": "matching",
                "status": "Success",
                "description": format!("Retrieved User '{target_upn}' from {TARGET_SYSTEM}"),
                "details": {"matchedBy": match e.matching {
                    MatchResult::Linked(_) => "previously provisioned (linked)",
                    MatchResult::Matched(_) => "alternativeSecurityIds",
                    MatchResult::SameMail(_) => "mail (invitation manager; known issue: same mail)",
                    _ => "mail (pending invitation, PendingAcceptance)",
                }},
            })),
            MatchResult::NoMatch | MatchResult::InternalConflict(_) => Some(json!({
                "name": "EntrySynchronizationAdd",
                "provisioningStepType": "matching",
                "status": "Success",
                "description": format!("User '{upn}' will be created in {TARGET_SYSTEM} (User is active and assigned in {SOURCE_SYSTEM}, but no matching User was found in {TARGET_SYSTEM})"),
            })),
        };
        if let Some(m) = matching {
            steps.push(m);
        }
        steps.push(self.export_step(e));
        steps
    }

    fn export_step(&self, e: &ObjectEvent) -> Value {
        let target_upn = e.target_upn.as_deref().unwrap_or(e.source_upn.as_ref());
        let (name, description) = match (e.action, e.status) {
            (Action::Create, Status::Success) => ("EntryExportAdd", format!("User '{target_upn}' was created in {TARGET_SYSTEM}")),
            (Action::Create, Status::Failure) => ("EntryExportAdd", format!("Failed to create User '{}' in {TARGET_SYSTEM}", e.source_upn)),
            (Action::Update | Action::Disable, Status::Success) => ("EntryExportUpdate", format!("User '{target_upn}' was updated in {TARGET_SYSTEM}")),
            (Action::Delete, _) => ("EntryExportDelete", format!("User '{target_upn}' was deleted in {TARGET_SYSTEM}")),
            (Action::StagedDelete, _) => ("EntryExportStagedDelete", format!("The deletion of User '{target_upn}' in {TARGET_SYSTEM} is held by accidental deletion prevention")),
            (_, Status::Failure) => ("EntryExportUpdate", format!("Failed to update User '{target_upn}' in {TARGET_SYSTEM}")),
            (_, _) if e.skip_reason == Some(SkipReason::RedundantExport) => (
                "EntrySynchronizationSkip",
                format!("The state of the user in both the source and target systems already match. No change to the User '{}' currently needs to be made.", e.source_upn),
            ),
            _ => ("EntrySynchronizationSkip", e.detail.as_deref().unwrap_or("No action").to_string()),
        };
        let mut step = json!({
            "name": name,
            "provisioningStepType": "export",
            "status": e.status.as_str(),
            "description": description,
        });
        if let Some(reason) = e.skip_reason {
            step["details"] = json!({"SkipReason": reason.as_str()});
        }
        if let Some(err) = &e.error {
            step["details"] =
                json!({"errorCode": err.code.as_str(), "reason": err.message.as_ref()});
        }
        step
    }
}

fn source_user_id(sim: &Simulation, e: &ObjectEvent) -> String {
    sim.tenant(e.source_tenant)
        .dir
        .user(e.source_user)
        .object_id
        .to_string()
}
