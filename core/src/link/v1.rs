//! Version 1 of the links' compact shape: the scenario document of format version 1, made smaller
//! by rules that a decoder reverses exactly. Frozen: links of version 1 exist, so nothing here may
//! change meaning. A later version that wants other rules gets its own module and keeps this one.
//!
//! The rules, applied to the document as serde writes it (defaults already omitted):
//! - `version` is left out: the link's prefix carries it.
//! - Each tenant's `users` become columns: an object from attribute name to a list of one cell per
//!   user. A list of plain strings (no `|`, none empty, a missing cell as empty) is joined with `|`.
//!   A tenant whose users cannot be written as columns keeps its list.
//! - Derivable user attributes are left out when they equal what the rule derives (see
//!   [`derive`]); a user *without* such an attribute gets `false` instead; a literal that cannot be
//!   written plainly is wrapped in a one-element list.
//! - `userPrincipalName` is written without `@domain` when the domain is the tenant's default
//!   domain (the first verified domain, else the initial domain).
//! - A `manager` and a group's `members` that name a user of the same tenant are that user's index.
//! - A job's `id` is derived the same way (`<source>-to-<target>`); its `displayName` is `true` when
//!   it repeats the target tenant's display name.
//! - Finally every key and string value in [`DICTIONARY`] becomes a short code.

use serde_json::{Map, Value};

use super::dictionary::{truncate, Dictionary};
use super::{Budget, LinkError};

/// Version 1's words. Codes are positions: append only, in a new version.
pub static DICTIONARY: Dictionary = Dictionary {
    keys: KEYS,
    values: VALUES,
};

/// Version 1's keys; later versions start from them (see [`super::v2`]).
pub const KEYS: &[&str] = &[
    "id",
    "displayName",
    "tenant",
    "user",
    "state",
    "userPrincipalName",
    "jobTitle",
    "department",
    "mail",
    "afterTick",
    "check",
    "surname",
    "city",
    "givenName",
    "mailNickname",
    "country",
    "source",
    "companyName",
    "employeeId",
    "tick",
    "command",
    "job",
    "manager",
    "attributes",
    "automaticUserConsentSettings",
    "verifiedDomains",
    "crossTenantAccess",
    "partners",
    "target",
    "users",
    "outboundAllowed",
    "inboundAllowed",
    "identitySynchronization",
    "userSyncInbound",
    "isSyncAllowed",
    "status",
    "name",
    "userType",
    "action",
    "description",
    "tenants",
    "jobs",
    "expect",
    "members",
    "assignedGroups",
    "timeline",
    "groups",
    "assignedUsers",
    "group",
    "member",
    "effect",
    "targetAttributeName",
    "mappingType",
    "errorCode",
    "scope",
    "skipReason",
    "value",
    "note",
    "partner",
    "setting",
    "attributeMappings",
    "sourceOperandName",
    "operatorName",
    "targetOperand",
    "values",
    "clauses",
    "count",
    "scopingFilters",
    "present",
    "cloud",
    "quarantineReason",
    "anyTick",
    "external",
    "homeTenant",
    "homeUser",
    "extensionAttributes",
    "flowType",
    "accountEnabled",
    "clouds",
    "externalUserState",
    "defaultValue",
    "accidentalDeletionPrevention",
    "enabled",
    "threshold",
    "proxyAddresses",
    "targetObjectActions",
    "delete",
    "create",
    "update",
    "smsSignInEnabled",
    "softDeleted",
    "allowInvitesFrom",
    "start",
    "seed",
    "version",
    "tenantId",
    "initialDomain",
    "microsoftCloudSettings",
    "objectId",
    "streetAddress",
    "postalCode",
    "telephoneNumber",
    "mobilePhone",
    "physicalDeliveryOfficeName",
    "preferredLanguage",
    "usageLocation",
    "securityEnabled",
    "default",
    "matchingPriority",
    "selection",
    "showInAddressList",
    "mobile",
    "netId",
    "alternativeSecurityIds",
    "IsSoftDeleted",
    "appRoleAssignments",
];

/// Version 1's values; later versions start from them (see [`super::v2`]).
pub const VALUES: &[&str] = &[
    "user",
    "active",
    "started",
    "absent",
    "event",
    "setAttributes",
    "job",
    "softDeleted",
    "Member",
    "Guest",
    "Skipped",
    "removeGroupMember",
    "all",
    "setCrossTenantAccess",
    "True",
    "False",
    "Other",
    "Create",
    "Update",
    "Delete",
    "NotEffectivelyEntitled",
    "restartJob",
    "EQUALS",
    "Quarantine",
    "Active",
    "blockSignIn",
    "disabled",
    "addGroupMember",
    "updated",
    "Direct",
    "isSyncAllowed",
    "inboundAllowed",
    "outboundAllowed",
    "AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure",
    "provisionOnDemand",
    "Success",
    "Expression",
    "deleteUser",
    "addUser",
    "RedundantExport",
    "Failure",
    "usGovernment",
    "Constant",
    "NotRun",
    "StagedDelete",
    "setMicrosoftCloudSettings",
    "setScope",
    "created",
    "unassignUser",
    "present",
    "notStarted",
    "paused",
    "assigned",
    "None",
    "Always",
    "ObjectAddOnly",
    "Accepted",
    "PendingAcceptance",
    "NOT EQUALS",
    "IS TRUE",
    "IS FALSE",
    "IS NULL",
    "IS NOT NULL",
    "REGEX MATCH",
    "NOT REGEX MATCH",
    "Greater_Than",
    "Greater_Than_OR_EQUALS",
    "Includes",
    "ENDS_WITH",
    "&",
    "!&",
    "allowSignIn",
    "restoreUser",
    "purgeUser",
    "setManager",
    "setSmsSignIn",
    "addGroup",
    "addTenant",
    "setAllowInvitesFrom",
    "addJob",
    "deleteJob",
    "startJob",
    "pauseJob",
    "allowDeletes",
    "assignUser",
    "assignGroup",
    "unassignGroup",
    "setScopingFilters",
    "setAttributeMappings",
    "setTargetObjectActions",
    "setAccidentalDeletionPrevention",
    "commercial",
    "china21Vianet",
    "everyone",
    "adminsGuestInvitersAndAllMembers",
    "adminsAndGuestInviters",
    "none",
    "Disable",
    "restored",
    "hardDeleted",
    "skipped",
    "failed",
    "Paused",
    "Disabled",
    "TooManyDeletes",
    "EncounteredQuarantineException",
    "EncounteredTotalEscrowThreshold",
    "EncounteredEscrowProportionThreshold",
    "AzureActiveDirectoryForbidden",
    "AzureActiveDirectoryTokenExpired",
    "AzureDirectoryB2BManagementPolicyCheckFailure",
    "InvitationCreationFailure",
    "InvitationCreationFailureAmbiguousUser",
    "InvitationCreationFailureInvalidPropertyValue",
    "ExternalTenantNotFound",
    "AttributeMappingExpressionFailure",
    "true",
    "false",
];

/// Separates the cells of a joined string column.
const JOIN: char = '|';

const UPN: &str = "userPrincipalName";

/// The user attributes a rule can derive, in the order a decoder restores them: each rule reads
/// only attributes earlier in this list (or the previous user).
const DERIVED: [&str; 8] = [
    UPN,
    "id",
    "mail",
    "mailNickname",
    "givenName",
    "surname",
    "displayName",
    "employeeId",
];

/// Restored after every user's `id` is known.
const MANAGER: &str = "manager";

/// Shrinks a version-1 scenario document (without touching its meaning).
pub fn compact(mut document: Map<String, Value>) -> Map<String, Value> {
    document.remove("version");
    let tenants = match document.get("tenants") {
        Some(Value::Array(tenants)) => tenants.clone(),
        _ => Vec::new(),
    };
    if let Some(Value::Array(jobs)) = document.get_mut("jobs") {
        for job in jobs.iter_mut() {
            if let Value::Object(job) = job {
                compact_job(job, &tenants);
            }
        }
    }
    if let Some(Value::Array(tenants)) = document.get_mut("tenants") {
        for tenant in tenants.iter_mut() {
            if let Value::Object(tenant) = tenant {
                compact_tenant(tenant);
            }
        }
    }
    document
}

/// Restores the version-1 document [`compact`] shrank (all but `version`).
pub fn expand(
    mut document: Map<String, Value>,
    budget: &mut Budget,
) -> Result<Map<String, Value>, LinkError> {
    let mut tenants = match document.remove("tenants") {
        Some(Value::Array(tenants)) => Some(tenants),
        Some(other) => {
            document.insert("tenants".into(), other);
            None
        }
        None => None,
    };
    for (t, tenant) in tenants.iter_mut().flatten().enumerate() {
        if let Value::Object(tenant) = tenant {
            expand_tenant(tenant, &format!("tenants[{t}]"), budget)?;
        }
    }
    let tenant_list = tenants.as_deref().unwrap_or_default();
    if let Some(Value::Array(jobs)) = document.get_mut("jobs") {
        for (j, job) in jobs.iter_mut().enumerate() {
            if let Value::Object(job) = job {
                expand_job(job, &format!("jobs[{j}]"), tenant_list, budget)?;
            }
        }
    }
    if let Some(tenants) = tenants {
        document.insert("tenants".into(), Value::Array(tenants));
    }
    Ok(document)
}

/// The domain a tenant's users' UPNs are written without: the first verified domain, else the
/// initial domain (as given, else derived from the tenant id the way version 1 derives it).
fn default_domain(tenant: &Map<String, Value>) -> Option<String> {
    if let Some(Value::Array(domains)) = tenant.get("verifiedDomains") {
        if let Some(Value::String(domain)) = domains.first() {
            return Some(domain.clone());
        }
    }
    if let Some(Value::String(domain)) = tenant.get("initialDomain") {
        return Some(domain.clone());
    }
    let id = tenant.get("id")?.as_str()?;
    let label: String = id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    Some(format!("{label}.onmicrosoft.com"))
}

fn compact_tenant(tenant: &mut Map<String, Value>) {
    let domain = default_domain(tenant);
    let Some(Value::Array(users)) = tenant.get("users") else {
        return;
    };
    let ids = user_ids(users);
    if let Some(columns) = user_columns(users, domain.as_deref(), &ids) {
        tenant.insert("users".into(), Value::Object(columns));
    }
    if let Some(Value::Array(groups)) = tenant.get_mut("groups") {
        for group in groups.iter_mut() {
            if let Some(Value::Array(members)) = group.get_mut("members") {
                for member in members.iter_mut() {
                    *member = reference_cell(std::mem::take(member), &ids);
                }
            }
        }
    }
}

fn expand_tenant(
    tenant: &mut Map<String, Value>,
    path: &str,
    budget: &mut Budget,
) -> Result<(), LinkError> {
    let domain = default_domain(tenant);
    if let Some(Value::Object(columns)) = tenant.get_mut("users") {
        let columns = std::mem::take(columns);
        let users = user_rows(columns, domain.as_deref(), &format!("{path}.users"), budget)?;
        tenant.insert("users".into(), Value::Array(users));
    }
    let ids = match tenant.get("users") {
        Some(Value::Array(users)) => user_ids(users),
        _ => Vec::new(),
    };
    if let Some(Value::Array(groups)) = tenant.get_mut("groups") {
        for (g, group) in groups.iter_mut().enumerate() {
            if let Some(Value::Array(members)) = group.get_mut("members") {
                for member in members.iter_mut() {
                    let path = format!("{path}.groups[{g}].members");
                    *member = reference(std::mem::take(member), &ids, &path, budget)?;
                }
            }
        }
    }
    Ok(())
}

/// Every user's `id` (`None` where it is not a string).
fn user_ids(users: &[Value]) -> Vec<Option<String>> {
    users
        .iter()
        .map(|u| u.get("id").and_then(Value::as_str).map(String::from))
        .collect()
}

/// A reference to a user of the tenant becomes the user's index; anything that is not a string is
/// wrapped, so that a number always means an index.
fn reference_cell(value: Value, ids: &[Option<String>]) -> Value {
    match value {
        Value::String(s) => match ids.iter().position(|id| id.as_deref() == Some(s.as_str())) {
            Some(index) => Value::from(index),
            None => Value::String(s),
        },
        other => Value::Array(vec![other]),
    }
}

/// The inverse of [`reference_cell`].
fn reference(
    cell: Value,
    ids: &[Option<String>],
    path: &str,
    budget: &mut Budget,
) -> Result<Value, LinkError> {
    match cell {
        Value::Number(n) => {
            let id = n
                .as_u64()
                .and_then(|i| ids.get(usize::try_from(i).ok()?))
                .and_then(Option::as_ref)
                .ok_or_else(|| {
                    LinkError::Malformed(format!("{path}: {n} is not the index of a user"))
                })?;
            budget.spend(id.len())?;
            Ok(Value::String(id.clone()))
        }
        Value::Array(mut items) if items.len() == 1 => Ok(items.pop().expect("one item")),
        Value::String(s) => Ok(Value::String(s)),
        other => Err(LinkError::Malformed(format!(
            "{path}: unexpected {}",
            truncate(&other.to_string())
        ))),
    }
}

/// What version 1 derives for the attribute `key` of a user from the attributes restored before it
/// (`user`) and the previous user of the tenant.
fn derive(key: &str, user: &Map<String, Value>, previous: Option<&Value>) -> Option<String> {
    let alias = || {
        let upn = user.get(UPN)?.as_str()?;
        let (alias, _) = upn.rsplit_once('@')?;
        (!alias.is_empty()).then_some(alias)
    };
    let name_part = |index: usize| {
        let parts: Vec<&str> = alias()?.split('.').collect();
        match parts.as_slice() {
            [given, surname] if !given.is_empty() && !surname.is_empty() => {
                Some(capitalize([given, surname][index]))
            }
            _ => None,
        }
    };
    match key {
        "id" => Some(alias()?.replace('.', "-")),
        "mail" => Some(user.get(UPN)?.as_str()?.to_string()),
        "mailNickname" => Some(alias()?.to_string()),
        "givenName" => name_part(0),
        "surname" => name_part(1),
        "displayName" => {
            let given = user.get("givenName")?.as_str()?;
            let surname = user.get("surname")?.as_str()?;
            Some(format!("{given} {surname}"))
        }
        "employeeId" => increment(previous?.get("employeeId")?.as_str()?),
        _ => None,
    }
}

/// `adele` → `Adele`: the first character upper-cased if it is an ASCII letter (ASCII only, so
/// that the rule never moves with Unicode tables).
fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// The decimal number after `digits`, as digits (`100041` → `100042`, `0099` → `0100`, `99` → `100`);
/// none for anything else or more than 30 digits.
fn increment(digits: &str) -> Option<String> {
    if digits.is_empty() || digits.len() > 30 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut bytes = digits.as_bytes().to_vec();
    for b in bytes.iter_mut().rev() {
        if *b == b'9' {
            *b = b'0';
        } else {
            *b += 1;
            return Some(String::from_utf8(bytes).expect("ASCII digits"));
        }
    }
    Some(format!(
        "1{}",
        String::from_utf8(bytes).expect("ASCII digits")
    ))
}

/// The cell of a derivable attribute: none when the rule derives the value, `false` for an absent
/// value the rule would derive, the string, or anything else wrapped in a list.
fn derived_cell(original: Option<&Value>, derived: Option<String>) -> Option<Value> {
    match (original, derived) {
        (None, None) => None,
        (None, Some(_)) => Some(Value::Bool(false)),
        (Some(Value::String(s)), Some(d)) if *s == d => None,
        (Some(Value::String(s)), _) => Some(Value::String(s.clone())),
        (Some(other), _) => Some(Value::Array(vec![other.clone()])),
    }
}

/// The cell of `userPrincipalName`: the alias alone when the domain is the default one, the whole
/// name when it has an `@`, anything else wrapped in a list.
fn upn_cell(original: Option<&Value>, domain: Option<&str>) -> Option<Value> {
    let upn = match original? {
        Value::String(upn) => upn,
        other => return Some(Value::Array(vec![other.clone()])),
    };
    let alias = domain.and_then(|d| upn.strip_suffix(d)?.strip_suffix('@'));
    Some(match alias {
        Some(alias) if !alias.is_empty() && !alias.contains('@') => Value::from(alias),
        _ if upn.contains('@') => Value::String(upn.clone()),
        _ => Value::Array(vec![Value::String(upn.clone())]),
    })
}

/// The users as columns, or none when they cannot be (a user that is not an object, or a plain
/// attribute that is `null`, which a column could not tell from a missing one).
fn user_columns(
    users: &[Value],
    domain: Option<&str>,
    ids: &[Option<String>],
) -> Option<Map<String, Value>> {
    let mut rows = Vec::with_capacity(users.len());
    for (i, user) in users.iter().enumerate() {
        let user = user.as_object()?;
        let previous = i.checked_sub(1).map(|p| &users[p]);
        let mut row = Map::new();
        for (key, value) in user {
            if !DERIVED.contains(&key.as_str()) && key != MANAGER {
                if value.is_null() {
                    return None;
                }
                row.insert(key.clone(), value.clone());
            }
        }
        for key in DERIVED {
            let cell = if key == UPN {
                upn_cell(user.get(key), domain)
            } else {
                derived_cell(user.get(key), derive(key, user, previous))
            };
            if let Some(cell) = cell {
                row.insert(key.into(), cell);
            }
        }
        if let Some(manager) = user.get(MANAGER) {
            row.insert(MANAGER.into(), reference_cell(manager.clone(), ids));
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return None;
    }
    let mut keys: Vec<&String> = rows.iter().flat_map(|r| r.keys()).collect();
    crate::sort::sort(&mut keys);
    keys.dedup();
    let mut columns = Map::new();
    for key in keys {
        let cells: Vec<Value> = rows
            .iter()
            .map(|r| r.get(key).cloned().unwrap_or(Value::Null))
            .collect();
        columns.insert(key.clone(), join(cells));
    }
    Some(columns)
}

/// Joins a column of plain strings with `|` (a missing cell as empty); leaves others as a list.
fn join(cells: Vec<Value>) -> Value {
    let joinable = cells.iter().all(|c| match c {
        Value::Null => true,
        Value::String(s) => !s.is_empty() && !s.contains(JOIN),
        _ => false,
    });
    if !joinable {
        return Value::Array(cells);
    }
    let texts: Vec<&str> = cells.iter().map(|c| c.as_str().unwrap_or("")).collect();
    Value::String(texts.join(&JOIN.to_string()))
}

/// The inverse of [`user_columns`].
fn user_rows(
    columns: Map<String, Value>,
    domain: Option<&str>,
    path: &str,
    budget: &mut Budget,
) -> Result<Vec<Value>, LinkError> {
    let limit = crate::engine::directory::MAX_USERS_PER_TENANT;
    let mut cells_by_key = Vec::with_capacity(columns.len());
    let mut count = None;
    for (key, column) in columns {
        let cells: Vec<Value> = match column {
            Value::String(joined) => {
                if joined.matches(JOIN).count() >= limit {
                    return Err(too_many_users(path, limit));
                }
                joined
                    .split(JOIN)
                    .map(|s| {
                        if s.is_empty() {
                            Value::Null
                        } else {
                            Value::from(s)
                        }
                    })
                    .collect()
            }
            Value::Array(cells) => cells,
            other => {
                return Err(LinkError::Malformed(format!(
                    "{path}.{key}: expected a column, found {}",
                    truncate(&other.to_string())
                )))
            }
        };
        if cells.len() > limit {
            return Err(too_many_users(path, limit));
        }
        if *count.get_or_insert(cells.len()) != cells.len() {
            return Err(LinkError::Malformed(format!(
                "{path}.{key}: {} cells where the other columns have {}",
                cells.len(),
                count.unwrap_or_default()
            )));
        }
        cells_by_key.push((key, cells.into_iter()));
    }
    let count =
        count.ok_or_else(|| LinkError::Malformed(format!("{path}: users without attributes")))?;
    let mut rows: Vec<Map<String, Value>> = Vec::with_capacity(count);
    for _ in 0..count {
        let mut row = Map::new();
        for (key, cells) in &mut cells_by_key {
            let cell = cells.next().expect("columns have the same length");
            if !cell.is_null() {
                budget.spend(key.len() + 4)?;
                row.insert(key.clone(), cell);
            }
        }
        rows.push(row);
    }
    let mut users: Vec<Value> = Vec::with_capacity(count);
    for (i, mut row) in rows.into_iter().enumerate() {
        let upath = format!("{path}[{i}]");
        let manager = row.remove(MANAGER);
        let mut user = Map::new();
        for key in DERIVED {
            let cell = row.remove(key);
            let value = if key == UPN {
                upn_value(cell, domain, &upath)?
            } else {
                let previous = i.checked_sub(1).map(|p| &users[p]);
                derived_value(cell, derive(key, &user, previous), key, &upath)?
            };
            if let Some(value) = value {
                if let Value::String(s) = &value {
                    budget.spend(s.len() + key.len() + 4)?;
                }
                user.insert(key.into(), value);
            }
        }
        user.append(&mut row);
        if let Some(manager) = manager {
            user.insert(MANAGER.into(), manager);
        }
        users.push(Value::Object(user));
    }
    let ids = user_ids(&users);
    for (i, user) in users.iter_mut().enumerate() {
        if let Some(cell) = user.get_mut(MANAGER) {
            let path = format!("{path}[{i}].manager");
            *cell = reference(std::mem::take(cell), &ids, &path, budget)?;
        }
    }
    Ok(users)
}

fn too_many_users(path: &str, limit: usize) -> LinkError {
    LinkError::Malformed(format!(
        "{path}: more than {limit} users; ctsync simulates at most {limit} users per tenant"
    ))
}

/// The inverse of [`upn_cell`].
fn upn_value(
    cell: Option<Value>,
    domain: Option<&str>,
    path: &str,
) -> Result<Option<Value>, LinkError> {
    Ok(match cell {
        None | Some(Value::Bool(false)) => None,
        Some(Value::String(s)) if s.contains('@') => Some(Value::String(s)),
        Some(Value::String(alias)) => match domain {
            Some(domain) => Some(Value::String(format!("{alias}@{domain}"))),
            None => {
                return Err(LinkError::Malformed(format!(
                    "{path}.{UPN}: an alias without a tenant domain"
                )))
            }
        },
        Some(Value::Array(mut items)) if items.len() == 1 => items.pop(),
        Some(other) => return Err(unexpected_cell(path, UPN, &other)),
    })
}

/// The inverse of [`derived_cell`].
fn derived_value(
    cell: Option<Value>,
    derived: Option<String>,
    key: &str,
    path: &str,
) -> Result<Option<Value>, LinkError> {
    Ok(match cell {
        None => derived.map(Value::String),
        Some(Value::Bool(false)) => None,
        Some(Value::String(s)) => Some(Value::String(s)),
        Some(Value::Array(mut items)) if items.len() == 1 => items.pop(),
        Some(other) => return Err(unexpected_cell(path, key, &other)),
    })
}

fn unexpected_cell(path: &str, key: &str, cell: &Value) -> LinkError {
    LinkError::Malformed(format!(
        "{path}.{key}: unexpected {}",
        truncate(&cell.to_string())
    ))
}

/// What version 1 derives for a job's `id`: `<source>-to-<target>`.
fn derive_job_id(job: &Map<String, Value>) -> Option<String> {
    let source = job.get("source")?.as_str()?;
    let target = job.get("target")?.as_str()?;
    Some(format!("{source}-to-{target}"))
}

/// The display name of the job's target tenant, which a job's `displayName` often repeats.
fn target_name(job: &Map<String, Value>, tenants: &[Value]) -> Option<String> {
    let target = job.get("target")?.as_str()?;
    let tenant = tenants
        .iter()
        .find(|t| t.get("id").and_then(Value::as_str) == Some(target))?;
    Some(tenant.get("displayName")?.as_str()?.to_string())
}

/// A job's `id` is left out when derived; its `displayName`, which most scenarios omit (it
/// defaults to the target tenant's name), is `true` when it repeats the target tenant's name.
fn compact_job(job: &mut Map<String, Value>, tenants: &[Value]) {
    match derived_cell(job.get("id"), derive_job_id(job)) {
        Some(cell) => job.insert("id".into(), cell),
        None => job.remove("id"),
    };
    if let Some(name) = job.get("displayName") {
        let cell = match name {
            Value::String(s) if Some(s) == target_name(job, tenants).as_ref() => Value::Bool(true),
            Value::String(s) => Value::String(s.clone()),
            other => Value::Array(vec![other.clone()]),
        };
        job.insert("displayName".into(), cell);
    }
}

fn expand_job(
    job: &mut Map<String, Value>,
    path: &str,
    tenants: &[Value],
    budget: &mut Budget,
) -> Result<(), LinkError> {
    let cell = job.remove("id");
    if let Some(value) = derived_value(cell, derive_job_id(job), "id", path)? {
        if let Value::String(s) = &value {
            budget.spend(s.len())?;
        }
        job.insert("id".into(), value);
    }
    let name = match job.remove("displayName") {
        None => return Ok(()),
        Some(Value::Bool(true)) => {
            let name = target_name(job, tenants).ok_or_else(|| {
                LinkError::Malformed(format!(
                    "{path}.displayName: the target tenant has no display name to repeat"
                ))
            })?;
            budget.spend(name.len())?;
            Value::String(name)
        }
        Some(Value::String(s)) => Value::String(s),
        Some(Value::Array(mut items)) if items.len() == 1 => items.pop().expect("one item"),
        Some(other) => return Err(unexpected_cell(path, "displayName", &other)),
    };
    job.insert("displayName".into(), name);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_dictionaries_have_no_duplicates() {
        for words in [DICTIONARY.keys, DICTIONARY.values] {
            let mut sorted = words.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), words.len());
        }
    }

    #[test]
    fn employee_ids_count_up_in_decimal() {
        assert_eq!(increment("100041").as_deref(), Some("100042"));
        assert_eq!(increment("0099").as_deref(), Some("0100"));
        assert_eq!(increment("99").as_deref(), Some("100"));
        assert_eq!(increment("E1"), None);
        assert_eq!(increment(""), None);
    }

    #[test]
    fn names_are_derived_from_a_two_part_alias() {
        let user: Map<String, Value> = serde_json::from_str(
            r#"{"userPrincipalName":"adele.vance@contoso.com","givenName":"Adele","surname":"Vance"}"#,
        )
        .unwrap();
        assert_eq!(derive("id", &user, None).as_deref(), Some("adele-vance"));
        assert_eq!(derive("givenName", &user, None).as_deref(), Some("Adele"));
        assert_eq!(derive("surname", &user, None).as_deref(), Some("Vance"));
        assert_eq!(
            derive("displayName", &user, None).as_deref(),
            Some("Adele Vance")
        );
        assert_eq!(
            derive("mailNickname", &user, None).as_deref(),
            Some("adele.vance")
        );
        let user: Map<String, Value> =
            serde_json::from_str(r#"{"userPrincipalName":"adele@contoso.com"}"#).unwrap();
        assert_eq!(derive("givenName", &user, None), None);
    }
}
