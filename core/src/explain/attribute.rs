//! Attribute explain: "why is `department` in the target still 'Sales'?". Reads the job's mapping
//! of the attribute (the effective list: defaults plus the job's edits), the value the mapping
//! produces now (the engine's dry run), and the provisioning log's writes of the attribute, and
//! names the rule that explains the difference — creation-only mappings, target-side edits that
//! persist until the source changes, null values that do not flow, the Switch quirk, and so on.

use serde::Serialize;

use super::chain::next_cycle_evaluates;
use super::reason::AttributeReason;
use super::{person_accounts, resolve_person, ExplainError, Person};
use crate::clock::Tick;
use crate::decisions::DecisionRow;
use crate::engine::attrs::{known, AttrValue};
use crate::engine::directory::{JobIdx, TenantIdx, UserIdx};
use crate::engine::event::{Effect, Event};
use crate::engine::mapping::{self, MappingSource};
use crate::engine::Simulation;
use crate::scenario::{FlowType, MappingType, Scenario, UserRef};

/// One write of the attribute by sync, from the provisioning log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributeWrite {
    pub tick: Tick,
    pub job: String,
    /// Entra's action of the entry (Create, Update, Disable).
    pub action: String,
    pub old: Option<String>,
    /// `None`: the write cleared the value (the Switch quirk).
    pub new: Option<String>,
}

/// One reason, as it applies here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributeFinding {
    pub reason: AttributeReason,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionRow>,
}

impl AttributeFinding {
    fn new(reason: AttributeReason, text: impl Into<String>) -> AttributeFinding {
        AttributeFinding {
            reason,
            text: text.into(),
            fix: None,
            decision: reason.decision(),
        }
    }

    fn with_fix(mut self, fix: impl Into<String>) -> AttributeFinding {
        self.fix = Some(fix.into());
        self
    }
}

/// The answer to "why does this attribute hold this value?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributeExplanation {
    pub person: Person,
    pub tenant: String,
    pub attribute: String,
    pub after_tick: Option<Tick>,
    /// The account explained (its UPN), when there is one.
    pub account: Option<String>,
    /// The value in the target now.
    pub target_value: Option<String>,
    /// The job that manages the account.
    pub job: Option<String>,
    /// The mapping, as the admin center lists it (`Direct: department → department (Always)`).
    pub mapping: Option<String>,
    /// The value the mapping produces from the source user now (`None`: nothing flows).
    pub mapped_value: Option<String>,
    /// Every write of the attribute by sync, oldest first.
    pub writes: Vec<AttributeWrite>,
    pub verdict: String,
    pub findings: Vec<AttributeFinding>,
}

impl AttributeExplanation {
    pub fn has(&self, reason: AttributeReason) -> bool {
        self.findings.iter().any(|f| f.reason == reason)
    }
}

pub(super) fn explain(
    sim: &Simulation,
    _scenario: &Scenario,
    user: &UserRef,
    tenant: &str,
    attribute: &str,
) -> Result<AttributeExplanation, ExplainError> {
    let t = sim
        .tenant_index(tenant)
        .ok_or_else(|| ExplainError::UnknownTenant(tenant.to_string()))?;
    let (home_t, home_u) = resolve_person(sim, user, t)?;
    let home = sim.tenant(home_t).dir.user(home_u);
    let person = Person {
        home_tenant: sim.tenant(home_t).id.to_string(),
        home_user: home.local_id.as_deref().unwrap_or("").to_string(),
        user_principal_name: home.upn().to_string(),
        display_name: home.display_name().to_string(),
    };
    let mut out = AttributeExplanation {
        person,
        tenant: tenant.to_string(),
        attribute: attribute.to_string(),
        after_tick: sim.last_tick(),
        account: None,
        target_value: None,
        job: None,
        mapping: None,
        mapped_value: None,
        writes: Vec::new(),
        verdict: String::new(),
        findings: Vec::new(),
    };
    let accounts = person_accounts(sim, t, home_t, home_u);
    let dir = &sim.tenant(t).dir;
    let account = accounts
        .iter()
        .copied()
        .find(|a| dir.user(*a).is_active())
        .or_else(|| accounts.iter().copied().find(|a| dir.user(*a).exists()));
    let Some(account) = account else {
        out.findings.push(AttributeFinding::new(
            AttributeReason::AccountAbsent,
            format!(
                "{} has no account in {tenant}, so there is no {attribute} to explain. Ask why the user is not there (explain without --attribute).",
                out.person.user_principal_name
            ),
        ));
        return Ok(finish(out));
    };
    out.account = Some(dir.user(account).upn().to_string());
    out.target_value = target_value(sim, t, account, attribute).map(|v| v.to_string());
    if t == home_t && account == home_u && home.is_internal() {
        out.findings.push(AttributeFinding::new(
            AttributeReason::NotManagedBySync,
            format!("{tenant} is the user's home tenant: the attribute is mastered here, and cross-tenant sync only reads it."),
        ));
        return Ok(finish(out));
    }
    let job = sim.jobs.iter().enumerate().find_map(|(j, job)| {
        (!job.deleted
            && job.target == t
            && job.source == home_t
            && job.links.get(&home_u).is_some_and(|l| l.target == account))
        .then_some(j as JobIdx)
    });
    let job = job.or_else(|| {
        dir.user(account)
            .created_by
            .filter(|j| !sim.job(*j).deleted && sim.job(*j).source == home_t)
    });
    let Some(j) = job else {
        out.findings.push(AttributeFinding::new(
            AttributeReason::NotManagedBySync,
            format!(
                "No cross-tenant sync configuration manages {} (it was invited, or its configuration was deleted): nothing writes its attributes.",
                out.account.as_deref().unwrap_or_default()
            ),
        ));
        return Ok(finish(out));
    };
    let runtime = sim.job(j);
    out.job = Some(runtime.config.id.clone());
    out.writes = writes(sim, j, home_t, home_u, attribute);
    let specs = mapping::effective_specs(&runtime.config.attribute_mappings);
    let Some(spec) = specs.iter().find(|s| s.target_attribute_name == attribute) else {
        let deleted = runtime
            .config
            .attribute_mappings
            .iter()
            .any(|e| e.delete && e.target_attribute_name == attribute)
            && mapping::default_mapping_specs()
                .iter()
                .any(|s| s.target_attribute_name == attribute);
        let value = out
            .target_value
            .as_ref()
            .map(|v| format!("'{v}'"))
            .unwrap_or_else(|| "empty".into());
        if deleted {
            out.findings.push(AttributeFinding::new(
                AttributeReason::MappingDeleted,
                format!("{} deleted the default mapping of {attribute}: sync no longer writes it, so the target keeps {value} as last written or edited there.", runtime.config.id),
            ).with_fix("Provisioning → Mappings → Provision Microsoft Entra ID Users → Add new mapping (or Restore default mappings)."));
        } else {
            let extra = match attribute {
                "proxyAddresses" => " proxyAddresses is read-only in Graph: a source-only attribute that can't be mapped.",
                "companyName" | "mobile" => " It is not among the 23 default mappings of a new configuration.",
                "photo" | "thumbnailPhoto" => " Photos can't be synchronized.",
                _ => "",
            };
            out.findings.push(AttributeFinding::new(
                AttributeReason::NotMapped,
                format!("No attribute mapping of {} targets {attribute}, so sync never writes it; the target holds {value}.{extra}", runtime.config.id),
            ).with_fix("Provisioning → Mappings → Provision Microsoft Entra ID Users → Add new mapping."));
        }
        return Ok(finish(out));
    };
    out.mapping = Some(describe_spec(spec));
    let compiled = runtime
        .mappings
        .iter()
        .find(|m| &*m.target_name == attribute);
    if let Some(m) = compiled {
        match &m.source {
            MappingSource::ManagerReference => {
                manager(sim, j, t, home_u, account, &mut out);
                return Ok(finish(out));
            }
            MappingSource::None => {
                out.findings.push(AttributeFinding::new(
                    AttributeReason::NotMapped,
                    format!("The mapping of {attribute} has type None: the target is left as it is and filled with the default value only when it is empty."),
                ));
                return Ok(finish(out));
            }
            _ => {}
        }
    }
    let target_now = target_value(sim, t, account, attribute);
    let last = out.writes.last().cloned();
    let id = runtime.config.id.clone();
    let created_by_job =
        out.writes.iter().any(|w| w.action == "Create") || dir.user(account).created_by == Some(j);
    if spec.flow_type == FlowType::ObjectAddOnly {
        let shown = |v: &Option<AttrValue>| {
            v.as_ref()
                .map(|v| format!("'{v}'"))
                .unwrap_or_else(|| "empty".into())
        };
        let text = if created_by_job {
            let at = out
                .writes
                .iter()
                .find(|w| w.action == "Create")
                .map(|w| format!(" at tick {}", w.tick))
                .unwrap_or_default();
            format!("The mapping of {attribute} applies only during object creation: {id} set it when it created the account{at}, and never writes it again. The target holds {}.", shown(&target_now))
        } else {
            format!("The mapping of {attribute} applies only during object creation, and {id} matched an account that existed before, so it never applied: the target keeps {}.", shown(&target_now))
        };
        out.findings.push(
            AttributeFinding::new(AttributeReason::OnlyDuringCreation, text)
                .with_fix(format!("Provisioning → Mappings → {attribute} → Apply this mapping: Always (the next cycle re-evaluates every user).")),
        );
        return Ok(finish(out));
    }
    let preview = sim.preview_user(j, home_u);
    let in_scope = preview.scope.as_ref().is_some_and(|s| s.in_scope);
    if !in_scope {
        out.findings.push(AttributeFinding::new(
            AttributeReason::UserOutOfScope,
            format!(
                "{} is out of scope of {id} ({}), so none of its mappings is applied; the target keeps what was last written or edited.",
                out.person.user_principal_name,
                preview
                    .scope
                    .as_ref()
                    .map(|s| sim.scope_summary(j, s))
                    .unwrap_or_else(|| "deleted in the source".into())
            ),
        ));
        return Ok(finish(out));
    }
    let attr_id = sim.names.get(attribute);
    if !runtime.config.target_object_actions.update {
        let source = match compiled.map(|m| &m.source) {
            Some(MappingSource::Direct(a)) => sim.source_value(home_t, home_u, *a, None),
            Some(MappingSource::Constant(v)) => Some(v.clone()),
            _ => None,
        };
        let differs = match (&source, &target_now) {
            (Some(a), Some(b)) => !a.same_as(b),
            (None, _) => false,
            (Some(_), None) => true,
        };
        out.mapped_value = source.as_ref().map(|v| v.to_string());
        let shown = |v: &Option<AttrValue>| {
            v.as_ref()
                .map(|v| format!("'{v}'"))
                .unwrap_or_else(|| "empty".into())
        };
        out.findings.push(AttributeFinding::new(
            AttributeReason::UpdateActionOff,
            format!(
                "Update is not selected in {id}'s Target Object Actions: after creating the account it writes nothing, so the target keeps {}{}.",
                shown(&target_now),
                if differs { format!(" although the source holds {}", shown(&source)) } else { String::new() }
            ),
        ).with_fix("Provisioning → Mappings → Provision Microsoft Entra ID Users → Target Object Actions → Update."));
        return Ok(finish(out));
    }
    let mapped: Option<Option<AttrValue>> = attr_id.and_then(|a| {
        preview
            .values
            .iter()
            .find(|(x, _, _)| *x == a)
            .map(|(_, v, _)| v.clone())
    });
    let note = attr_id.and_then(|a| {
        preview
            .notes
            .iter()
            .find(|n| n.attr == a)
            .map(|n| n.note.to_string())
    });
    out.mapped_value = mapped.clone().flatten().map(|v| v.to_string());
    let link = runtime.links.get(&home_u).copied();
    let evaluates = next_cycle_evaluates(sim, j, home_u);
    let when = if evaluates {
        format!("{id}'s next cycle (tick {})", sim.next_tick())
    } else {
        format!("the next time {id} evaluates the user (a change in the source, provision on demand, or a restart)")
    };
    let shown = |v: &Option<AttrValue>| {
        v.as_ref()
            .map(|v| format!("'{v}'"))
            .unwrap_or_else(|| "empty".into())
    };
    if attr_id == Some(known::USER_PRINCIPAL_NAME) && link.is_some_and(|l| l.upn_stale) {
        out.findings.push(AttributeFinding::new(
            AttributeReason::UpnFromPendingInvitation,
            format!("The account was an unredeemed invitation (PendingAcceptance) that {id} redeemed: the UPN stays derived from mail ({}) until provision on demand or a restart corrects it.", shown(&target_now)),
        ).with_fix("Provision on demand for this user, or Restart provisioning."));
        return Ok(finish(out));
    }
    match mapped.clone().flatten() {
        Some(v) => match &target_now {
            Some(tv) if tv == &v || tv.to_string() == v.to_string() => {
                out.findings.push(AttributeFinding::new(
                    AttributeReason::InSync,
                    format!(
                        "The mapping produces {} and the target holds it{}.",
                        shown(&Some(v.clone())),
                        last.as_ref()
                            .map(|w| format!(" (written at tick {})", w.tick))
                            .unwrap_or_default()
                    ),
                ));
            }
            Some(tv) if tv.same_as(&v) => {
                out.findings.push(AttributeFinding::new(
                    AttributeReason::CaseOnlyDifference,
                    format!("The target holds '{tv}' and the mapping produces '{v}': they differ only in letter case, which change detection ignores, so no update is sent."),
                ).with_fix("Set the attribute's caseExact in the target schema, or correct it in the target once."));
            }
            _ => {
                if !runtime.config.target_object_actions.update {
                    out.findings.push(AttributeFinding::new(
                        AttributeReason::UpdateActionOff,
                        format!("The mapping produces '{v}', but Update is not selected in {id}'s Target Object Actions: the target keeps {}.", shown(&target_now)),
                    ).with_fix("Provisioning → Mappings → Provision Microsoft Entra ID Users → Target Object Actions → Update."));
                } else if last.as_ref().is_some_and(|w| w.new.is_none()) && target_now.is_none() {
                    let w = last.as_ref().expect("checked");
                    out.findings.push(AttributeFinding::new(
                        AttributeReason::SwitchQuirkCleared,
                        format!("{id} cleared {attribute} at tick {}: its Switch reads an attribute that did not change in that update, so it evaluated to null and the null was written. It is written again when the attribute the Switch reads changes, on provision on demand, or after a restart.", w.tick),
                    ).with_fix("Rewrite the mapping with IIF instead of Switch (the documented workaround)."));
                } else if let Some(w) = last.as_ref().filter(|w| {
                    w.new.as_deref() != target_now.as_ref().map(|x| x.to_string()).as_deref()
                }) {
                    let written = w
                        .new
                        .clone()
                        .map(|x| format!("'{x}'"))
                        .unwrap_or_else(|| "empty".into());
                    if evaluates {
                        out.findings.push(AttributeFinding::new(
                            AttributeReason::TargetEditWillBeOverwritten,
                            format!("{id} wrote {written} at tick {}; the target now holds {}, an edit made in the target. The source user changed since, so {when} overwrites it with '{v}'.", w.tick, shown(&target_now)),
                        ));
                    } else {
                        out.findings.push(AttributeFinding::new(
                            AttributeReason::TargetEditPersists,
                            format!("{id} wrote {written} at tick {}; the target now holds {}, an edit made in the target. Cross-tenant sync doesn't read the target, and the source user hasn't changed since, so the edit persists until the source user changes — then it is overwritten with '{v}'.", w.tick, shown(&target_now)),
                        ).with_fix("Change the value in the source tenant (the source is authoritative), or keep the edit knowing the next source change overwrites it."));
                    }
                } else {
                    out.findings.push(AttributeFinding::new(
                        AttributeReason::PendingSourceChange,
                        format!("The mapping now produces '{v}' and the target holds {}: {when} writes the new value.", shown(&target_now)),
                    ));
                }
            }
        },
        None => {
            let source_attr = match compiled.map(|m| &m.source) {
                Some(MappingSource::Direct(a)) => Some(*a),
                _ => None,
            };
            if last.as_ref().is_some_and(|w| w.new.is_none()) && target_now.is_none() {
                let w = last.as_ref().expect("checked");
                out.findings.push(AttributeFinding::new(
                    AttributeReason::SwitchQuirkCleared,
                    format!("{id} cleared {attribute} at tick {}: its Switch read an attribute that did not change in that update, so it evaluated to null and the null was written.", w.tick),
                ).with_fix("Rewrite the mapping with IIF instead of Switch (the documented workaround)."));
            } else if let Some(note) = note {
                out.findings.push(AttributeFinding::new(
                    AttributeReason::ExpressionDoesNotFlow,
                    format!("The expression mapped to {attribute} produces nothing to write for this user: {}. The target keeps {}.", note.trim_end_matches('.'), shown(&target_now)),
                ));
            } else if target_now.is_some()
                && spec.default_value.as_deref().is_some()
                && target_now.as_ref().map(|v| v.to_string()) == spec.default_value.clone()
                && created_by_job
            {
                out.findings.push(AttributeFinding::new(
                    AttributeReason::DefaultValueOnCreation,
                    format!("The source value is empty; \"Default value if null\" ({}) was written when {id} created the account, and defaults are applied only on creation.", spec.default_value.clone().unwrap_or_default()),
                ));
            } else if target_now.is_some() {
                let source_name = source_attr
                    .map(|a| sim.names.name(a).to_string())
                    .unwrap_or_else(|| attribute.to_string());
                out.findings.push(AttributeFinding::new(
                    AttributeReason::NullNotProvisioned,
                    format!("{source_name} is empty in the source, and null values are not provisioned: the target keeps {}{}.", shown(&target_now), last.as_ref().map(|w| format!(" (written at tick {})", w.tick)).unwrap_or_default()),
                ).with_fix("Clear the value in the target, or map an expression that writes an explicit value (e.g. Coalesce with a default)."));
            } else {
                out.findings.push(AttributeFinding::new(
                    AttributeReason::InSync,
                    "Both the source and the target are empty.",
                ));
            }
        }
    }
    Ok(finish(out))
}

fn manager(
    sim: &Simulation,
    j: JobIdx,
    t: TenantIdx,
    home_u: UserIdx,
    account: UserIdx,
    out: &mut AttributeExplanation,
) {
    let job = sim.job(j);
    let s = job.source;
    let id = &job.config.id;
    let current = sim.tenant(t).dir.user(account).manager;
    if !sim.manager_supported(j) {
        out.findings.push(AttributeFinding::new(
            AttributeReason::ManagerNotSupported,
            format!(
                "{id} runs from {} to {} ({} → {}): manager sync isn't supported in Azure Government or across clouds.",
                sim.tenant(s).id,
                sim.tenant(t).id,
                sim.tenant(s).cloud.display_name(),
                sim.tenant(t).cloud.display_name()
            ),
        ));
        return;
    }
    let Some(m) = sim.tenant(s).dir.user(home_u).manager else {
        if let Some(c) = current {
            out.findings.push(AttributeFinding::new(
                AttributeReason::ManagerRemovedNotCleared,
                format!("The user has no manager in {} any more, but a manager removed in the source is not cleared in the target: it keeps {}.", sim.tenant(s).id, sim.tenant(t).dir.user(c).upn()),
            ).with_fix("Clear the manager in the target tenant, or assign a new manager in the source."));
        } else {
            out.findings.push(AttributeFinding::new(
                AttributeReason::InSync,
                "The user has no manager in the source and none in the target.",
            ));
        }
        return;
    };
    let manager_upn = sim.tenant(s).dir.user(m).upn().to_string();
    let manager_target = job
        .links
        .get(&m)
        .filter(|l| l.state == crate::engine::job::LinkState::Provisioned)
        .map(|l| l.target)
        .filter(|x| sim.tenant(t).dir.user(*x).is_active());
    match manager_target {
        Some(x) if current == Some(x) => out.findings.push(AttributeFinding::new(
            AttributeReason::InSync,
            format!("The manager {manager_upn} is provisioned by {id} as {}, and the reference points to it.", sim.tenant(t).dir.user(x).upn()),
        )),
        Some(x) => out.findings.push(AttributeFinding::new(
            AttributeReason::ManagerNotProvisioned,
            format!("The manager {manager_upn} is provisioned ({}), but after the user was last processed: the reference is written only when the user is processed again (a change, provision on demand, or a restart).", sim.tenant(t).dir.user(x).upn()),
        ).with_fix("Provision on demand for the user, or Restart provisioning.")),
        None => out.findings.push(AttributeFinding::new(
            AttributeReason::ManagerNotProvisioned,
            format!("The manager {manager_upn} is not provisioned by {id}: both the user and the manager must be in scope for the manager reference to be written."),
        ).with_fix(format!("Assign {manager_upn} to {id} too."))),
    }
}

fn finish(mut out: AttributeExplanation) -> AttributeExplanation {
    let value = out
        .target_value
        .as_ref()
        .map(|v| format!("'{v}'"))
        .unwrap_or_else(|| "empty".into());
    let first = out
        .findings
        .first()
        .map(|f| f.text.clone())
        .unwrap_or_default();
    out.verdict = match &out.account {
        Some(a) => format!(
            "{} of {a} in {} is {value} — {first}",
            out.attribute, out.tenant
        ),
        None => first,
    };
    out
}

/// The target value of `attribute` (the manager as its UPN).
fn target_value(sim: &Simulation, t: TenantIdx, u: UserIdx, attribute: &str) -> Option<AttrValue> {
    let user = sim.tenant(t).dir.user(u);
    if attribute == "manager" {
        return user
            .manager
            .map(|m| AttrValue::str(sim.tenant(t).dir.user(m).upn()));
    }
    sim.names
        .get(attribute)
        .and_then(|a| user.attrs.get(a).cloned())
}

/// Every write of `attribute` by job `j` for the source user, from the provisioning log.
fn writes(
    sim: &Simulation,
    j: JobIdx,
    s: TenantIdx,
    u: UserIdx,
    attribute: &str,
) -> Vec<AttributeWrite> {
    let Some(a) = sim.names.get(attribute) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for event in sim.events() {
        let Event::Object(e) = event else { continue };
        if e.job != j || e.source_tenant != s || e.source_user != u {
            continue;
        }
        if matches!(e.effect, Effect::Failed | Effect::Skipped) {
            continue;
        }
        for m in e.modified.iter().filter(|m| m.attr == a) {
            out.push(AttributeWrite {
                tick: e.tick,
                job: sim.job(j).config.id.clone(),
                action: e.action.as_str().to_string(),
                old: m.old.as_ref().map(|v| v.to_string()),
                new: m.new.as_ref().map(|v| v.to_string()),
            });
        }
    }
    out
}

fn describe_spec(spec: &crate::scenario::AttributeMappingSpec) -> String {
    let source = spec.source.clone().unwrap_or_default();
    let kind = match spec.mapping_type {
        MappingType::Direct => format!("Direct: {source}"),
        MappingType::Constant => format!("Constant: \"{source}\""),
        MappingType::Expression => format!("Expression: {source}"),
        MappingType::None => "None".to_string(),
    };
    let flow = match spec.flow_type {
        FlowType::Always => "Always",
        FlowType::ObjectAddOnly => "Only during object creation",
    };
    let default = spec
        .default_value
        .as_ref()
        .map(|d| format!(", default value if null \"{d}\""))
        .unwrap_or_default();
    format!("{kind} → {} ({flow}{default})", spec.target_attribute_name)
}
