//! Loading and validating scenarios: migrates older versions, then rejects only what Entra itself
//! would refuse (unknown ids, duplicates, a user managing themselves, an invalid regex, a change to
//! the matching attribute) and names the exact path of the problem. Odd but legal designs pass:
//! they run, and the simulation reports what happens.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    AttributeMappingSpec, Command, FilterOperator, MappingType, Scenario, SyncJob, Tenant, UserRef,
    CURRENT_VERSION,
};

/// Why a scenario cannot be loaded. Each variant names where in the file the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Shape { path: String, message: String },
    #[error(
        "version {found} is newer than this ctsync understands (newest: {newest}); update ctsync"
    )]
    FutureVersion { found: u64, newest: u32 },
    #[error("{path}: duplicate id '{id}'")]
    DuplicateId { path: String, id: String },
    #[error("{path}: unknown {kind} '{id}'")]
    Unknown {
        path: String,
        kind: &'static str,
        id: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl ScenarioError {
    /// The path inside the scenario the error points at, when it points at one.
    pub fn path(&self) -> Option<&str> {
        match self {
            ScenarioError::Shape { path, .. }
            | ScenarioError::DuplicateId { path, .. }
            | ScenarioError::Unknown { path, .. }
            | ScenarioError::Invalid { path, .. } => Some(path),
            ScenarioError::Json { .. } | ScenarioError::FutureVersion { .. } => None,
        }
    }
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> ScenarioError {
    ScenarioError::Invalid {
        path: path.into(),
        message: message.into(),
    }
}

/// Parses JSON text into a scenario of the current version, reporting the JSON path of a shape error.
pub(super) fn deserialize(text: &str) -> Result<Scenario, ScenarioError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ScenarioError::Json {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    from_value(value)
}

/// Migrates a scenario document of any known version to the current one and deserializes it,
/// reporting the JSON path of a shape error. Files and share links both come through here.
pub(super) fn from_value(value: serde_json::Value) -> Result<Scenario, ScenarioError> {
    let value = migrate(value)?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        ScenarioError::Shape {
            path: if path == "." {
                "(top level)".into()
            } else {
                path
            },
            message: e.into_inner().to_string(),
        }
    })
}

/// One step of the migration chain: brings a document of version N to version N + 1.
type Migration = fn(serde_json::Value) -> Result<serde_json::Value, ScenarioError>;

/// The migration chain: `MIGRATIONS[n - 1]` brings a document of version `n` to `n + 1`, so a
/// document of any older version — a file or a share link — loads forever. Its length is tied to
/// [`CURRENT_VERSION`]: bumping the version does not compile until the step is added.
///
/// A step must keep an old document's meaning, which includes its *defaults*: a field that version
/// `n` allowed to be absent means version `n`'s default. If version `n + 1` changes that default
/// (say a job's `scope` from `assigned` to `all`), the step writes the old default explicitly into
/// every place that lacks the field (`"scope": "assigned"`) before the new default can apply.
/// Likewise a renamed field is renamed, a removed one is translated into what replaces it.
const MIGRATIONS: [Migration; CURRENT_VERSION as usize - 1] = [v1_to_v2];

/// Version 2 added downstream apps (`tenants[].downstreamApps`), lessons (`lesson`) and the
/// `downstreamApp` expectation; nothing of version 1 changed meaning. A version 1 document can't
/// have used them (version 1 refused unknown fields), so one that does was mislabelled: it is
/// refused with the path and what to write instead.
fn v1_to_v2(value: serde_json::Value) -> Result<serde_json::Value, ScenarioError> {
    let added_in_2 = |path: String, what: &str| {
        Err(invalid(
            path,
            format!("{what} came with format version 2; this scenario says \"version\": 1 — write \"version\": 2"),
        ))
    };
    if value.get("lesson").is_some() {
        return added_in_2("lesson".into(), "lessons");
    }
    let tenants = value.get("tenants").and_then(|t| t.as_array());
    for (t, tenant) in tenants.into_iter().flatten().enumerate() {
        if tenant.get("downstreamApps").is_some() {
            return added_in_2(format!("tenants[{t}].downstreamApps"), "downstream apps");
        }
    }
    let expect = value.get("expect").and_then(|e| e.as_array());
    for (i, e) in expect.into_iter().flatten().enumerate() {
        if e.get("check").and_then(|c| c.as_str()) == Some("downstreamApp") {
            return added_in_2(
                format!("expect[{i}].check"),
                "the downstreamApp expectation",
            );
        }
    }
    Ok(value)
}

/// Brings a scenario document of any older version to the current one, through [`MIGRATIONS`].
fn migrate(mut value: serde_json::Value) -> Result<serde_json::Value, ScenarioError> {
    let version = match value.get("version") {
        Some(v) => v.as_u64().ok_or_else(|| ScenarioError::Shape {
            path: "version".into(),
            message: format!("expected a whole number, found {v}"),
        })?,
        None => {
            return Err(ScenarioError::Shape {
                path: "version".into(),
                message: format!(
                    "missing; a scenario names its format version (the current one is {CURRENT_VERSION})"
                ),
            })
        }
    };
    if version > u64::from(CURRENT_VERSION) {
        return Err(ScenarioError::FutureVersion {
            found: version,
            newest: CURRENT_VERSION,
        });
    }
    if version == 0 {
        return Err(invalid("version", "version must be 1 or more"));
    }
    // `version` is 1..=CURRENT_VERSION here, so the slice is in bounds.
    for step in &MIGRATIONS[version as usize - 1..] {
        value = step(value)?;
    }
    if let Some(object) = value.as_object_mut() {
        object.insert("version".into(), CURRENT_VERSION.into());
    }
    Ok(value)
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The ids known while walking a scenario in order: initial contents, then timeline additions.
#[derive(Default)]
struct Known {
    tenants: BTreeMap<String, TenantIds>,
    jobs: BTreeMap<String, (String, String)>,
}

#[derive(Default)]
struct TenantIds {
    users: BTreeSet<String>,
    groups: BTreeSet<String>,
    apps: BTreeSet<String>,
}

impl Known {
    fn tenant(&self, path: &str, id: &str) -> Result<&TenantIds, ScenarioError> {
        self.tenants.get(id).ok_or_else(|| ScenarioError::Unknown {
            path: path.into(),
            kind: "tenant",
            id: id.into(),
        })
    }

    fn user(&self, path: &str, tenant: &str, id: &str) -> Result<(), ScenarioError> {
        self.object(path, tenant, id, "user", |ids| &ids.users)
    }

    fn group(&self, path: &str, tenant: &str, id: &str) -> Result<(), ScenarioError> {
        self.object(path, tenant, id, "group", |ids| &ids.groups)
    }

    /// An object of `kind` (`ids` picks its set) named `id` exists in `tenant`.
    fn object(
        &self,
        path: &str,
        tenant: &str,
        id: &str,
        kind: &'static str,
        ids: fn(&TenantIds) -> &BTreeSet<String>,
    ) -> Result<(), ScenarioError> {
        if ids(self.tenant(path, tenant)?).contains(id) {
            Ok(())
        } else {
            Err(ScenarioError::Unknown {
                path: path.into(),
                kind,
                id: format!("{tenant}/{id}"),
            })
        }
    }

    /// A user reference: a local id must exist; a home reference must name an existing home user
    /// (the account in `tenant` itself may be created later by sync).
    fn user_ref(&self, path: &str, tenant: &str, user: &UserRef) -> Result<(), ScenarioError> {
        self.tenant(path, tenant)?;
        match user {
            UserRef::Local(id) => self.user(path, tenant, id),
            UserRef::Home { tenant: home, user } => self.user(path, home, user),
        }
    }

    fn job(&self, path: &str, id: &str) -> Result<&(String, String), ScenarioError> {
        self.jobs.get(id).ok_or_else(|| ScenarioError::Unknown {
            path: path.into(),
            kind: "sync job",
            id: id.into(),
        })
    }
}

impl Scenario {
    /// Checks ids, references and configuration in file order; returns the first problem found.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.version > CURRENT_VERSION {
            return Err(ScenarioError::FutureVersion {
                found: u64::from(self.version),
                newest: CURRENT_VERSION,
            });
        }
        let mut known = Known::default();
        for (t, tenant) in self.tenants.iter().enumerate() {
            add_tenant(&mut known, tenant, &format!("tenants[{t}]"))?;
        }
        for (t, tenant) in self.tenants.iter().enumerate() {
            check_tenant_refs(&known, tenant, &format!("tenants[{t}]"))?;
        }
        for (j, job) in self.jobs.iter().enumerate() {
            add_job(&mut known, job, &format!("jobs[{j}]"))?;
        }
        let mut last_tick = 0;
        for (i, entry) in self.timeline.iter().enumerate() {
            let path = format!("timeline[{i}]");
            if entry.tick < last_tick {
                return Err(invalid(
                    format!("{path}.tick"),
                    format!(
                        "tick {} comes after tick {last_tick}; timeline entries are listed in tick order",
                        entry.tick
                    ),
                ));
            }
            if entry.tick > super::MAX_TICKS {
                return Err(invalid(
                    format!("{path}.tick"),
                    format!(
                        "tick {} is beyond the limit of {}",
                        entry.tick,
                        super::MAX_TICKS
                    ),
                ));
            }
            last_tick = entry.tick;
            check_command(&mut known, &entry.command, &path)?;
        }
        for (i, expectation) in self.expect.iter().enumerate() {
            let path = format!("expect[{i}]");
            if expectation.after_tick > super::MAX_TICKS {
                return Err(invalid(
                    format!("{path}.afterTick"),
                    format!(
                        "tick {} is beyond the limit of {}",
                        expectation.after_tick,
                        super::MAX_TICKS
                    ),
                ));
            }
            check_expectation(&known, &expectation.check, &path)?;
        }
        if let Some(lesson) = &self.lesson {
            require_id(&lesson.id, "lesson.id")?;
            if lesson.check.is_empty() {
                return Err(invalid(
                    "lesson.check",
                    "a lesson needs at least one expectation to check",
                ));
            }
            for (i, expectation) in lesson.check.iter().enumerate() {
                let path = format!("lesson.check[{i}]");
                if expectation.after_tick > super::MAX_TICKS {
                    return Err(invalid(
                        format!("{path}.afterTick"),
                        format!(
                            "tick {} is beyond the limit of {}",
                            expectation.after_tick,
                            super::MAX_TICKS
                        ),
                    ));
                }
                check_expectation(&known, &expectation.check, &path)?;
            }
        }
        Ok(())
    }
}

fn require_id(id: &str, path: &str) -> Result<(), ScenarioError> {
    if id.trim().is_empty() {
        return Err(invalid(path, "id must not be empty"));
    }
    if id.contains('/') {
        return Err(invalid(path, format!("id '{id}' must not contain '/'")));
    }
    Ok(())
}

fn add_tenant(known: &mut Known, tenant: &Tenant, path: &str) -> Result<(), ScenarioError> {
    require_id(&tenant.id, &format!("{path}.id"))?;
    check_tenant_name(&tenant.display_name, &format!("{path}.displayName"))?;
    check_domains(&tenant.verified_domains, &format!("{path}.verifiedDomains"))?;
    if known.tenants.contains_key(&tenant.id) {
        return Err(ScenarioError::DuplicateId {
            path: format!("{path}.id"),
            id: tenant.id.clone(),
        });
    }
    let limit = crate::engine::directory::MAX_USERS_PER_TENANT;
    if tenant.users.len() > limit {
        return Err(invalid(
            format!("{path}.users"),
            format!(
                "{} users; ctsync simulates at most {limit} users per tenant",
                tenant.users.len()
            ),
        ));
    }
    let mut ids = TenantIds::default();
    for (u, user) in tenant.users.iter().enumerate() {
        let upath = format!("{path}.users[{u}]");
        require_id(&user.id, &format!("{upath}.id"))?;
        if !ids.users.insert(user.id.clone()) {
            return Err(ScenarioError::DuplicateId {
                path: format!("{upath}.id"),
                id: user.id.clone(),
            });
        }
        check_upn(
            &user.user_principal_name,
            &format!("{upath}.userPrincipalName"),
        )?;
    }
    for (g, group) in tenant.groups.iter().enumerate() {
        let gpath = format!("{path}.groups[{g}]");
        require_id(&group.id, &format!("{gpath}.id"))?;
        if ids.users.contains(&group.id) || !ids.groups.insert(group.id.clone()) {
            return Err(ScenarioError::DuplicateId {
                path: format!("{gpath}.id"),
                id: group.id.clone(),
            });
        }
    }
    for (a, app) in tenant.downstream_apps.iter().enumerate() {
        let apath = format!("{path}.downstreamApps[{a}].id");
        require_id(&app.id, &apath)?;
        if !ids.apps.insert(app.id.clone()) {
            return Err(ScenarioError::DuplicateId {
                path: apath,
                id: app.id.clone(),
            });
        }
    }
    known.tenants.insert(tenant.id.clone(), ids);
    Ok(())
}

/// A tenant's name: Entra requires one.
fn check_tenant_name(name: &str, path: &str) -> Result<(), ScenarioError> {
    if name.trim().is_empty() {
        return Err(invalid(path, "a tenant's name cannot be empty"));
    }
    Ok(())
}

/// Verified domains: DNS names (labels of letters, digits and hyphens, at least two), each once
/// (domains are case-insensitive), never an `onmicrosoft.com` domain (Entra gives one per tenant).
fn check_domains(domains: &[String], path: &str) -> Result<(), ScenarioError> {
    for (d, domain) in domains.iter().enumerate() {
        let dpath = format!("{path}[{d}]");
        let labels: Vec<&str> = domain.split('.').collect();
        let valid = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !valid {
            return Err(invalid(
                dpath,
                format!("'{domain}' is not a domain name (such as contoso.com)"),
            ));
        }
        if domain.to_ascii_lowercase().ends_with(".onmicrosoft.com") {
            return Err(invalid(
                dpath,
                format!("'{domain}' is an initial domain: Entra creates it with the tenant, it is not added as a verified domain"),
            ));
        }
        if domains[..d].iter().any(|x| x.eq_ignore_ascii_case(domain)) {
            return Err(ScenarioError::DuplicateId {
                path: dpath,
                id: domain.clone(),
            });
        }
    }
    Ok(())
}

fn check_upn(upn: &str, path: &str) -> Result<(), ScenarioError> {
    match upn.split_once('@') {
        Some((alias, domain))
            if !alias.is_empty() && !domain.is_empty() && !domain.contains('@') =>
        {
            Ok(())
        }
        _ => Err(invalid(
            path,
            format!("'{upn}' is not a user principal name (alias@domain)"),
        )),
    }
}

/// References inside a tenant: managers, group members, external identities, policy partners,
/// downstream apps' groups.
fn check_tenant_refs(known: &Known, tenant: &Tenant, path: &str) -> Result<(), ScenarioError> {
    for (a, app) in tenant.downstream_apps.iter().enumerate() {
        for (g, group) in app.assigned_groups.iter().enumerate() {
            if !known.tenants[&tenant.id].groups.contains(group) {
                return Err(ScenarioError::Unknown {
                    path: format!("{path}.downstreamApps[{a}].assignedGroups[{g}]"),
                    kind: "group",
                    id: format!("{}/{group}", tenant.id),
                });
            }
        }
    }
    for (u, user) in tenant.users.iter().enumerate() {
        let upath = format!("{path}.users[{u}]");
        if let Some(manager) = &user.manager {
            if manager == &user.id {
                return Err(invalid(
                    format!("{upath}.manager"),
                    format!("user '{}' cannot be their own manager", user.id),
                ));
            }
            known.user(&format!("{upath}.manager"), &tenant.id, manager)?;
        }
        if let Some(external) = &user.external {
            // A home tenant outside the scenario is allowed (a guest from another organization).
            if known.tenants.contains_key(&external.home_tenant) {
                if external.home_tenant == tenant.id {
                    return Err(invalid(
                        format!("{upath}.external.homeTenant"),
                        "an external user's home tenant must be another tenant",
                    ));
                }
                known.user(
                    &format!("{upath}.external.homeUser"),
                    &external.home_tenant,
                    &external.home_user,
                )?;
            }
        }
    }
    for (g, group) in tenant.groups.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for (m, member) in group.members.iter().enumerate() {
            let mpath = format!("{path}.groups[{g}].members[{m}]");
            let ids = &known.tenants[&tenant.id];
            if !ids.users.contains(member) && !ids.groups.contains(member) {
                return Err(ScenarioError::Unknown {
                    path: mpath,
                    kind: "user or group",
                    id: format!("{}/{member}", tenant.id),
                });
            }
            if member == &group.id {
                return Err(invalid(mpath, "a group cannot be a member of itself"));
            }
            if !seen.insert(member) {
                return Err(ScenarioError::DuplicateId {
                    path: mpath,
                    id: member.clone(),
                });
            }
        }
    }
    for (p, partner) in tenant.cross_tenant_access.partners.iter().enumerate() {
        let ppath = format!("{path}.crossTenantAccess.partners[{p}].tenant");
        if partner.tenant == tenant.id {
            return Err(invalid(ppath, "a tenant cannot be its own partner"));
        }
        known.tenant(&ppath, &partner.tenant)?;
        if tenant.cross_tenant_access.partners[..p]
            .iter()
            .any(|q| q.tenant == partner.tenant)
        {
            // Graph: "Another object with the same value for property tenantId already exists".
            return Err(ScenarioError::DuplicateId {
                path: ppath,
                id: partner.tenant.clone(),
            });
        }
    }
    Ok(())
}

fn add_job(known: &mut Known, job: &SyncJob, path: &str) -> Result<(), ScenarioError> {
    require_id(&job.id, &format!("{path}.id"))?;
    if known.jobs.contains_key(&job.id) {
        return Err(ScenarioError::DuplicateId {
            path: format!("{path}.id"),
            id: job.id.clone(),
        });
    }
    known.tenant(&format!("{path}.source"), &job.source)?;
    known.tenant(&format!("{path}.target"), &job.target)?;
    if job.source == job.target {
        return Err(invalid(
            format!("{path}.target"),
            "a sync job's target must be another tenant than its source",
        ));
    }
    for (i, user) in job.assigned_users.iter().enumerate() {
        known.user(&format!("{path}.assignedUsers[{i}]"), &job.source, user)?;
    }
    for (i, group) in job.assigned_groups.iter().enumerate() {
        known.group(&format!("{path}.assignedGroups[{i}]"), &job.source, group)?;
    }
    check_filters(&job.scoping_filters, &format!("{path}.scopingFilters"))?;
    check_mappings(
        &job.attribute_mappings,
        &format!("{path}.attributeMappings"),
    )?;
    if job.accidental_deletion_prevention.enabled
        && job.accidental_deletion_prevention.threshold == 0
    {
        return Err(invalid(
            format!("{path}.accidentalDeletionPrevention.threshold"),
            "the accidental deletion threshold must be at least 1",
        ));
    }
    known
        .jobs
        .insert(job.id.clone(), (job.source.clone(), job.target.clone()));
    Ok(())
}

/// Scoping filters: binary operators need a value; regexes must compile.
pub(crate) fn check_filters(
    filters: &[super::ScopingFilter],
    path: &str,
) -> Result<(), ScenarioError> {
    for (f, filter) in filters.iter().enumerate() {
        for (c, clause) in filter.clauses.iter().enumerate() {
            let cpath = format!("{path}[{f}].clauses[{c}]");
            if clause.source_operand_name.trim().is_empty() {
                return Err(invalid(
                    format!("{cpath}.sourceOperandName"),
                    "names no attribute",
                ));
            }
            let op = clause.operator_name;
            if !op.is_unary() && clause.target_operand.values.is_empty() {
                return Err(invalid(
                    format!("{cpath}.targetOperand.values"),
                    format!("operator {} needs a value", op.entra_name()),
                ));
            }
            if matches!(
                op,
                FilterOperator::RegexMatch | FilterOperator::NotRegexMatch
            ) {
                for (v, pattern) in clause.target_operand.values.iter().enumerate() {
                    if let Err(e) = crate::filter::compile_regex(pattern) {
                        return Err(invalid(
                            format!("{cpath}.targetOperand.values[{v}]"),
                            format!(
                                "scoping filter '{}', clause {} ({} {}): {e}",
                                filter.name,
                                c + 1,
                                clause.source_operand_name,
                                op.entra_name()
                            ),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Attribute mapping edits: what the admin center refuses to save.
pub(crate) fn check_mappings(
    mappings: &[AttributeMappingSpec],
    path: &str,
) -> Result<(), ScenarioError> {
    let mut seen = BTreeSet::new();
    for (m, mapping) in mappings.iter().enumerate() {
        let mpath = format!("{path}[{m}]");
        let target = mapping.target_attribute_name.as_str();
        if target.trim().is_empty() {
            return Err(invalid(format!("{mpath}.targetAttributeName"), "is empty"));
        }
        if !seen.insert(target) {
            return Err(ScenarioError::DuplicateId {
                path: format!("{mpath}.targetAttributeName"),
                id: target.to_string(),
            });
        }
        if target == crate::engine::mapping::MATCHING_ATTRIBUTE {
            return Err(invalid(
                format!("{mpath}.targetAttributeName"),
                "schemaInvalid: the matching attribute alternativeSecurityIds and its mapping cannot be changed",
            ));
        }
        if mapping.matching_priority != 0 {
            return Err(invalid(
                format!("{mpath}.matchingPriority"),
                "schemaInvalid: alternativeSecurityIds is the only matching attribute of cross-tenant synchronization",
            ));
        }
        if mapping.delete {
            continue;
        }
        let needs_source = match mapping.mapping_type {
            MappingType::Direct => Some("a source attribute"),
            MappingType::Constant => Some("a constant value"),
            MappingType::Expression => Some("an expression"),
            MappingType::None => None,
        };
        if let Some(what) = needs_source {
            if mapping
                .source
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
            {
                return Err(invalid(
                    format!("{mpath}.source"),
                    format!("a {:?} mapping needs {what}", mapping.mapping_type),
                ));
            }
        }
        if mapping.mapping_type == MappingType::Expression {
            let text = mapping.source.as_deref().unwrap_or_default();
            if let Err(e) = crate::engine::mapping::parse_expression(text) {
                return Err(invalid(format!("{mpath}.source"), e));
            }
        }
    }
    Ok(())
}

fn check_command(known: &mut Known, command: &Command, path: &str) -> Result<(), ScenarioError> {
    let tenant_path = format!("{path}.tenant");
    match command {
        Command::AddUser { tenant, user } => {
            known.tenant(&tenant_path, tenant)?;
            check_upn(
                &user.user_principal_name,
                &format!("{path}.user.userPrincipalName"),
            )?;
            require_id(&user.id, &format!("{path}.user.id"))?;
            let ids = known.tenants.get_mut(tenant).expect("checked above");
            if !ids.users.insert(user.id.clone()) {
                return Err(ScenarioError::DuplicateId {
                    path: format!("{path}.user.id"),
                    id: user.id.clone(),
                });
            }
            if let Some(manager) = &user.manager {
                known.user(&format!("{path}.user.manager"), tenant, manager)?;
            }
        }
        Command::SetAttributes {
            tenant,
            user,
            attributes,
        } => {
            known.user_ref(&format!("{path}.user"), tenant, user)?;
            for name in attributes.keys() {
                if crate::engine::attrs::is_read_only(name) {
                    return Err(invalid(
                        format!("{path}.attributes.{name}"),
                        format!("'{name}' cannot be set directly; use the command that changes it"),
                    ));
                }
            }
        }
        Command::BlockSignIn { tenant, user }
        | Command::AllowSignIn { tenant, user }
        | Command::DeleteUser { tenant, user }
        | Command::RestoreUser { tenant, user }
        | Command::PurgeUser { tenant, user }
        | Command::SetSmsSignIn { tenant, user, .. } => {
            known.user_ref(&format!("{path}.user"), tenant, user)?;
        }
        Command::SetManager {
            tenant,
            user,
            manager,
        } => {
            known.user_ref(&format!("{path}.user"), tenant, user)?;
            if let Some(manager) = manager {
                known.user_ref(&format!("{path}.manager"), tenant, manager)?;
                if manager == user {
                    return Err(invalid(
                        format!("{path}.manager"),
                        format!("user '{user}' cannot be their own manager"),
                    ));
                }
            }
        }
        Command::AddGroup { tenant, group } => {
            known.tenant(&tenant_path, tenant)?;
            require_id(&group.id, &format!("{path}.group.id"))?;
            for (m, member) in group.members.iter().enumerate() {
                let ids = &known.tenants[tenant];
                if !ids.users.contains(member) && !ids.groups.contains(member) {
                    return Err(ScenarioError::Unknown {
                        path: format!("{path}.group.members[{m}]"),
                        kind: "user or group",
                        id: format!("{tenant}/{member}"),
                    });
                }
            }
            let ids = known.tenants.get_mut(tenant).expect("checked above");
            if ids.users.contains(&group.id) || !ids.groups.insert(group.id.clone()) {
                return Err(ScenarioError::DuplicateId {
                    path: format!("{path}.group.id"),
                    id: group.id.clone(),
                });
            }
        }
        Command::AddGroupMember {
            tenant,
            group,
            member,
        }
        | Command::RemoveGroupMember {
            tenant,
            group,
            member,
        } => {
            known.group(&format!("{path}.group"), tenant, group)?;
            let ids = &known.tenants[tenant];
            if !ids.users.contains(member) && !ids.groups.contains(member) {
                return Err(ScenarioError::Unknown {
                    path: format!("{path}.member"),
                    kind: "user or group",
                    id: format!("{tenant}/{member}"),
                });
            }
        }
        Command::AddTenant { tenant } => {
            let tpath = format!("{path}.tenant");
            add_tenant(known, tenant, &tpath)?;
            check_tenant_refs(known, tenant, &tpath)?;
        }
        Command::SetCrossTenantAccess {
            tenant,
            partner,
            setting,
            ..
        } => {
            known.tenant(&tenant_path, tenant)?;
            match partner {
                Some(p) => {
                    known.tenant(&format!("{path}.partner"), p)?;
                    if p == tenant {
                        return Err(invalid(
                            format!("{path}.partner"),
                            "a tenant cannot be its own partner",
                        ));
                    }
                }
                None if *setting == super::command::PolicySetting::IsSyncAllowed => {
                    return Err(invalid(
                        format!("{path}.partner"),
                        "isSyncAllowed is set per partner; cross-tenant sync has no tenant default",
                    ))
                }
                None => {}
            }
        }
        Command::SetAllowInvitesFrom { tenant, .. }
        | Command::SetMicrosoftCloudSettings { tenant, .. }
        | Command::DeleteTenant { tenant } => {
            known.tenant(&tenant_path, tenant)?;
        }
        Command::RenameTenant {
            tenant,
            display_name,
        } => {
            known.tenant(&tenant_path, tenant)?;
            check_tenant_name(display_name, &format!("{path}.displayName"))?;
        }
        Command::SetVerifiedDomains {
            tenant,
            verified_domains,
        } => {
            known.tenant(&tenant_path, tenant)?;
            check_domains(verified_domains, &format!("{path}.verifiedDomains"))?;
        }
        Command::SetTenantCloud { tenant, .. } => {
            known.tenant(&tenant_path, tenant)?;
            return Err(invalid(
                format!("{path}.cloud"),
                "a tenant's cloud is chosen when the tenant is created and cannot change; set it in the tenant (tick 0)",
            ));
        }
        Command::AddJob { job } => add_job(known, job, &format!("{path}.job"))?,
        Command::DeleteJob { job }
        | Command::StartJob { job }
        | Command::PauseJob { job }
        | Command::RestartJob { job }
        | Command::AllowDeletes { job }
        | Command::SetScope { job, .. }
        | Command::SetTargetObjectActions { job, .. }
        | Command::SetAccidentalDeletionPrevention { job, .. } => {
            known.job(&format!("{path}.job"), job)?;
        }
        Command::SetScopingFilters {
            job,
            scoping_filters,
        } => {
            known.job(&format!("{path}.job"), job)?;
            check_filters(scoping_filters, &format!("{path}.scopingFilters"))?;
        }
        Command::SetAttributeMappings {
            job,
            attribute_mappings,
        } => {
            known.job(&format!("{path}.job"), job)?;
            check_mappings(attribute_mappings, &format!("{path}.attributeMappings"))?;
        }
        Command::ProvisionOnDemand { job, user }
        | Command::AssignUser { job, user }
        | Command::UnassignUser { job, user } => {
            let (source, _) = known.job(&format!("{path}.job"), job)?.clone();
            known.user(&format!("{path}.user"), &source, user)?;
        }
        Command::AssignGroup { job, group } | Command::UnassignGroup { job, group } => {
            let (source, _) = known.job(&format!("{path}.job"), job)?.clone();
            known.group(&format!("{path}.group"), &source, group)?;
        }
    }
    Ok(())
}

fn check_expectation(
    known: &Known,
    check: &super::expect::Check,
    path: &str,
) -> Result<(), ScenarioError> {
    use super::expect::Check;
    match check {
        Check::User { tenant, user, .. } => known.user_ref(&format!("{path}.user"), tenant, user),
        Check::Event { job, user, .. } => {
            let (source, _) = known.job(&format!("{path}.job"), job)?.clone();
            known.user_ref(&format!("{path}.user"), &source, user)
        }
        Check::Job { job, .. } => known.job(&format!("{path}.job"), job).map(|_| ()),
        Check::DownstreamApp {
            tenant, app, user, ..
        } => {
            if !known
                .tenant(&format!("{path}.tenant"), tenant)?
                .apps
                .contains(app)
            {
                return Err(ScenarioError::Unknown {
                    path: format!("{path}.app"),
                    kind: "downstream app",
                    id: format!("{tenant}/{app}"),
                });
            }
            known.user_ref(&format!("{path}.user"), tenant, user)
        }
    }
}

#[cfg(test)]
mod tests {
    // The same tests run natively and, under wasm-bindgen-test-runner, in wasm32.
    use crate::Scenario;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn minimal(jobs: &str) -> String {
        format!(
            r#"{{"version":1,"name":"t","tenants":[
                {{"id":"a","displayName":"A","users":[{{"id":"u1","userPrincipalName":"u1@a.com"}}]}},
                {{"id":"b","displayName":"B"}}],"jobs":{jobs}}}"#
        )
    }

    fn error_of(text: &str) -> String {
        Scenario::from_json(text).unwrap_err().to_string()
    }

    #[test]
    fn accepts_a_job_between_two_tenants() {
        let s = Scenario::from_json(&minimal(r#"[{"id":"j","source":"a","target":"b"}]"#)).unwrap();
        assert_eq!(s.jobs.len(), 1);
    }

    #[test]
    fn unknown_tenant_names_the_path() {
        assert_eq!(
            error_of(&minimal(r#"[{"id":"j","source":"a","target":"zz"}]"#)),
            "jobs[0].target: unknown tenant 'zz'"
        );
    }

    #[test]
    fn future_version_is_refused() {
        let text = minimal("[]").replace(r#""version":1"#, r#""version":99"#);
        assert!(error_of(&text).starts_with("version 99 is newer"));
    }

    #[test]
    fn bad_json_gives_line_and_column() {
        let err = Scenario::from_json("{\n  \"version\": 1,\n  oops }").unwrap_err();
        assert!(
            matches!(err, super::ScenarioError::Json { line: 3, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn unknown_operator_names_its_path() {
        let jobs = r#"[{"id":"j","source":"a","target":"b","scopingFilters":[{"name":"f","clauses":[
            {"sourceOperandName":"department","operatorName":"EQUALS","targetOperand":{"values":["x"]}},
            {"sourceOperandName":"department","operatorName":"LESS_THAN","targetOperand":{"values":["x"]}}]}]}]"#;
        let err = error_of(&minimal(jobs));
        assert!(
            err.starts_with(
                "jobs[0].scopingFilters[0].clauses[1].operatorName: unknown variant `LESS_THAN`"
            ),
            "{err}"
        );
    }

    #[test]
    fn bad_regex_names_filter_and_clause() {
        let jobs = r#"[{"id":"j","source":"a","target":"b","scopingFilters":[{"name":"Staff","clauses":[
            {"sourceOperandName":"employeeId","operatorName":"REGEX MATCH","targetOperand":{"values":["(1[0-9"]}}]}]}]"#;
        let err = error_of(&minimal(jobs));
        assert!(
            err.starts_with("jobs[0].scopingFilters[0].clauses[0].targetOperand.values[0]: scoping filter 'Staff', clause 1 (employeeId REGEX MATCH):"),
            "{err}"
        );
    }

    #[test]
    fn changing_the_matching_attribute_is_schema_invalid() {
        let jobs = r#"[{"id":"j","source":"a","target":"b","attributeMappings":[
            {"targetAttributeName":"mail","source":"mail","matchingPriority":1}]}]"#;
        assert!(error_of(&minimal(jobs)).contains("schemaInvalid"));
    }

    #[test]
    fn a_user_cannot_manage_themselves() {
        let text = minimal("[]").replace(
            r#""userPrincipalName":"u1@a.com""#,
            r#""userPrincipalName":"u1@a.com","manager":"u1""#,
        );
        assert_eq!(
            error_of(&text),
            "tenants[0].users[0].manager: user 'u1' cannot be their own manager"
        );
    }

    #[test]
    fn timeline_refers_to_users_added_earlier_only() {
        let text = minimal(r#"[{"id":"j","source":"a","target":"b"}]"#).replace(
            r#""jobs":"#,
            r#""timeline":[
                {"tick":1,"command":"assignUser","job":"j","user":"u2"},
                {"tick":2,"command":"addUser","tenant":"a","user":{"id":"u2","userPrincipalName":"u2@a.com"}}],"jobs":"#,
        );
        assert_eq!(error_of(&text), "timeline[0].user: unknown user 'a/u2'");
    }

    #[test]
    fn duplicate_users_are_refused() {
        let text = minimal("[]").replace(
            r#"{"id":"u1","userPrincipalName":"u1@a.com"}"#,
            r#"{"id":"u1","userPrincipalName":"u1@a.com"},{"id":"u1","userPrincipalName":"x@a.com"}"#,
        );
        assert_eq!(error_of(&text), "tenants[0].users[1].id: duplicate id 'u1'");
    }
}
