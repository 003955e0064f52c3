//! The scenario: the only source of truth of a simulation. Tenants with their directories and
//! cross-tenant access settings, the sync jobs between them, a timeline of commands stamped with the
//! tick at which they apply, and expectations about the outcome. Everything a simulation shows is
//! derived by replaying a scenario; nothing else is saved or shared.
//!
//! The JSON shape follows Microsoft Graph where Graph has one (`automaticUserConsentSettings`,
//! `userSyncInbound.isSyncAllowed`, scoping filter `clauses` with `operatorName`,
//! `sourceOperandName` and `targetOperand.values`) so that admins recognise it.

mod command;
mod downstream;
mod edit;
mod lesson;

mod job;
mod policy;
mod validate;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use command::{Command, PolicySetting, TimelineEntry, UserRef};
pub use downstream::{DownstreamApp, DownstreamRule};
pub use lesson::Lesson;
pub mod expect;
pub use edit::EditError;
pub use expect::{Expectation, ExpectedUserState};
pub use job::{
    AccidentalDeletionPrevention, AttributeMappingSpec, FilterClause, FilterOperator, FlowType,
    JobState, MappingType, ScopingFilter, SyncJob, SyncScope, TargetObjectActions, TargetOperand,
};
pub use policy::{CrossTenantAccess, InviteRestriction, PartnerSettings, Tristate};
pub use validate::ScenarioError;

/// The scenario format's version. One number and one migration chain serve scenario files and links.
/// Bumping it means adding a step to the migration chain (`validate.rs`, `MIGRATIONS`) and a link
/// profile (`link/`), and freezing a link of the new version (`core/tests/golden/links/`).
pub const CURRENT_VERSION: u32 = 2;

/// The most ticks a scenario may ask to run, so that a mistyped number cannot hang a browser tab
/// (one year of 40-minute ticks).
pub const MAX_TICKS: u64 = 36 * 366;

/// A complete, replayable description of tenants, their configuration and what happens over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    pub version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// When tick 0 starts on the simulated clock.
    #[serde(
        default = "crate::clock::default_start",
        skip_serializing_if = "is_default_start"
    )]
    pub start: DateTime<Utc>,
    /// Seeds object ids, `Guid()` and `RandomString()`: same seed, same run.
    #[serde(default = "default_seed", skip_serializing_if = "is_default_seed")]
    pub seed: u64,
    pub tenants: Vec<Tenant>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jobs: Vec<SyncJob>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<TimelineEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expect: Vec<Expectation>,
    /// Set when the scenario is a lesson (format version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<Lesson>,
}

/// An Entra tenant: a directory plus its cross-tenant access settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tenant {
    /// The scenario-local id other parts of the scenario refer to, e.g. `contoso`.
    pub id: String,
    pub display_name: String,
    /// The tenant's GUID; derived from the seed and `id` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// The initial `*.onmicrosoft.com` domain; derived from `id` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_domain: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verified_domains: Vec<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub cloud: Cloud,
    /// Other Microsoft clouds this tenant has enabled in "Microsoft cloud settings" (cross-cloud).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub microsoft_cloud_settings: Vec<Cloud>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub cross_tenant_access: CrossTenantAccess,
    /// External collaboration settings: who may invite guests (`allowInvitesFrom`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub allow_invites_from: InviteRestriction,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<User>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    /// SaaS apps the tenant provisions its users to (format version 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub downstream_apps: Vec<DownstreamApp>,
}

/// The Microsoft cloud a tenant lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Cloud {
    #[default]
    Commercial,
    UsGovernment,
    China21Vianet,
}

impl Cloud {
    pub fn display_name(self) -> &'static str {
        match self {
            Cloud::Commercial => "Microsoft Azure Commercial",
            Cloud::UsGovernment => "Microsoft Azure Government",
            Cloud::China21Vianet => "Microsoft Azure operated by 21Vianet",
        }
    }
}

/// Member or Guest, as Entra's `userType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum UserType {
    #[default]
    Member,
    Guest,
}

impl UserType {
    pub fn as_str(self) -> &'static str {
        match self {
            UserType::Member => "Member",
            UserType::Guest => "Guest",
        }
    }
}

/// A user of a tenant's directory as the scenario describes it at tick 0.
///
/// Well-known attributes are named fields (spelled as Graph spells them); anything else, such as
/// directory extensions, goes in `extensionAttributes`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct User {
    /// Scenario-local id, unique in the tenant; timeline commands and jobs refer to it.
    pub id: String,
    /// Derived from the seed, the tenant and `id` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<String>,
    pub user_principal_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail_nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_delivery_office_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_location: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proxy_addresses: Vec<String>,
    /// Directory extension attributes and any other attribute, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extension_attributes: BTreeMap<String, String>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub account_enabled: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub user_type: UserType,
    /// Set for a B2B (external) user: the account's home tenant and home user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<ExternalIdentity>,
    /// The user id of this user's manager in the same tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// SMS sign-in enabled: Entra's built-in "Filter external users" clause keeps such users out of scope.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sms_sign_in_enabled: bool,
    /// The user is in the tenant's recycle bin (soft deleted) at tick 0.
    #[serde(default, skip_serializing_if = "is_false")]
    pub soft_deleted: bool,
}

/// Where an external (B2B) user's account lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalIdentity {
    /// Scenario id of the home tenant. A home tenant outside the scenario may be named by any id
    /// that is not a scenario tenant; such a user just never matches a sync job.
    pub home_tenant: String,
    /// Scenario id of the home user in the home tenant.
    pub home_user: String,
    /// `PendingAcceptance` for an invitation that was never redeemed; `Accepted` otherwise.
    #[serde(default, skip_serializing_if = "is_default")]
    pub external_user_state: ExternalUserState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ExternalUserState {
    #[default]
    Accepted,
    PendingAcceptance,
}

/// A group with its direct members (users or other groups of the same tenant, by id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub display_name: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub security_enabled: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

impl Scenario {
    /// Parses a scenario from JSON text, migrating older versions, and validates it.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let scenario = validate::deserialize(text)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Loads a scenario document that is already parsed (e.g. unpacked from a share link):
    /// migrates it from its version, deserializes and validates it, exactly as a file.
    pub fn from_document(document: serde_json::Value) -> Result<Scenario, ScenarioError> {
        let scenario = validate::from_value(document)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The scenario as pretty JSON, omitting values equal to their defaults: exactly
    /// `serde_json::to_string_pretty`'s text. It is made from the compact form, which
    /// `link::content_hash` hashes and `link::encode` packs, so the wasm carries one serializer of
    /// the scenario's types instead of three (~10 KB gzipped; docs/decisions.md).
    pub fn to_json_pretty(&self) -> String {
        indent_compact_json(&self.to_json_compact())
    }

    /// The scenario as compact JSON (no whitespace), omitting values equal to their defaults.
    pub fn to_json_compact(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a scenario always serializes")
    }

    /// The tenant with the scenario-local id `id`.
    pub fn tenant(&self, id: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.id == id)
    }

    /// The last tick any timeline entry or expectation refers to.
    pub fn last_scripted_tick(&self) -> u64 {
        let timeline = self.timeline.iter().map(|e| e.tick).max().unwrap_or(0);
        let expect = self.expect.iter().map(|e| e.after_tick).max().unwrap_or(0);
        timeline.max(expect)
    }
}

/// Lays out compact JSON text (as `serde_json` writes it: no whitespace outside strings) the
/// way `serde_json`'s pretty printer does: two-space indents, one value per line, `": "` after
/// keys, and `[]` / `{}` for empty arrays and objects.
fn indent_compact_json(compact: &[u8]) -> String {
    let mut out = Vec::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.resize(out.len() + 2 * depth, b' ');
    };
    let mut i = 0;
    while i < compact.len() {
        let byte = compact[i];
        match byte {
            b'"' => {
                // Copy the string as it is, up to its closing quote (a backslash escapes one byte).
                let start = i;
                i += 1;
                while i < compact.len() && compact[i] != b'"' {
                    i += if compact[i] == b'\\' { 2 } else { 1 };
                }
                out.extend_from_slice(&compact[start..(i + 1).min(compact.len())]);
            }
            b'[' | b'{' if matches!(compact.get(i + 1), Some(b']' | b'}')) => {
                out.extend_from_slice(&compact[i..i + 2]);
                i += 1;
            }
            b'[' | b'{' => {
                out.push(byte);
                depth += 1;
                newline(&mut out, depth);
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(byte);
            }
            b',' => {
                out.push(b',');
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ => out.push(byte),
        }
        i += 1;
    }
    // Only ASCII bytes were added to valid UTF-8 text, between its characters.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

macro_rules! named_attributes {
    ($($name:literal => $field:ident),* $(,)?) => {
        impl User {
            /// The well-known single-valued attributes, as (directory attribute name, value).
            pub fn named_attributes(&self) -> Vec<(&'static str, &Option<String>)> {
                vec![$(($name, &self.$field)),*]
            }

            /// The field that holds directory attribute `name`, if it is a well-known one.
            pub fn named_attribute_mut(&mut self, name: &str) -> Option<&mut Option<String>> {
                match name {
                    $($name => Some(&mut self.$field),)*
                    _ => None,
                }
            }
        }
    };
}

named_attributes! {
    "displayName" => display_name,
    "givenName" => given_name,
    "surname" => surname,
    "mail" => mail,
    "mailNickname" => mail_nickname,
    "department" => department,
    "jobTitle" => job_title,
    "companyName" => company_name,
    "employeeId" => employee_id,
    "streetAddress" => street_address,
    "city" => city,
    "state" => state,
    "postalCode" => postal_code,
    "country" => country,
    "telephoneNumber" => telephone_number,
    "mobile" => mobile_phone,
    "physicalDeliveryOfficeName" => physical_delivery_office_name,
    "preferredLanguage" => preferred_language,
    "usageLocation" => usage_location,
}

impl Tenant {
    /// The tenant's initial domain, e.g. `contoso.onmicrosoft.com`.
    pub fn initial_domain(&self) -> String {
        match &self.initial_domain {
            Some(d) => d.clone(),
            None => {
                let label: String = self
                    .id
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                format!("{label}.onmicrosoft.com")
            }
        }
    }
}

fn default_seed() -> u64 {
    1
}
fn is_default_seed(seed: &u64) -> bool {
    *seed == default_seed()
}
fn is_default_start(start: &DateTime<Utc>) -> bool {
    *start == crate::clock::default_start()
}
pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}
pub(crate) fn yes() -> bool {
    true
}
pub(crate) fn is_true(b: &bool) -> bool {
    *b
}
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    use super::indent_compact_json;

    /// Strings holding JSON's structural characters, escapes and non-ASCII text; empty and nested
    /// arrays and objects: the layout is serde_json's pretty printer's, byte for byte.
    #[test]
    fn indenting_compact_json_is_serde_jsons_pretty_text() {
        let value = serde_json::json!({
            "a": [], "b": {}, "c": [[], {}, [1, [2, {"x": "}],{[:,\"\\\\"}]]],
            "d": "quote \" backslash \\ tab \t newline \n ü 名 😀 \u{1}",
            "e": {"f": {"g": [true, false, null, -1, 18446744073709551615u64]}},
            "": ""
        });
        for v in [
            value,
            serde_json::json!([]),
            serde_json::json!("x"),
            serde_json::json!(1),
        ] {
            assert_eq!(
                indent_compact_json(&serde_json::to_vec(&v).unwrap()),
                serde_json::to_string_pretty(&v).unwrap()
            );
        }
    }
}
