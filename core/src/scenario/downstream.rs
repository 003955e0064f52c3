//! Downstream apps: a tenant's connection to a SaaS application (an enterprise app with automatic
//! provisioning, such as Atlassian Cloud through Atlassian Guard) that provisions the tenant's users
//! onward, with the app's own acceptance rule. Seed 004: an app that accepts internal users of its
//! organisation's verified domains and B2B guests, but refuses cross-tenant-synced users typed
//! Member, because their domain isn't verified in the app's organisation (pain point 8).

use serde::{Deserialize, Serialize};

use super::is_default;

/// One downstream app of a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DownstreamApp {
    /// Unique among the tenant's downstream apps.
    pub id: String,
    pub display_name: String,
    /// The domains verified in the app's organisation (for example Atlassian Guard's verified
    /// domains), compared with the user's mail domain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verified_domains: Vec<String>,
    /// Who the app accepts.
    #[serde(default, skip_serializing_if = "is_default")]
    pub rule: DownstreamRule,
    /// Groups of the tenant assigned to the app: their direct members are provisioned. Empty: every
    /// user of the tenant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assigned_groups: Vec<String>,
}

/// The app's acceptance rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum DownstreamRule {
    /// "Members must have a verified domain of the app's organisation; Guests are accepted."
    #[default]
    MembersNeedVerifiedDomain,
    /// Every user is accepted.
    AcceptAll,
}
