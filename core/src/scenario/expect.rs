//! Expectations: what a scenario asserts about its own outcome, checked by `ctsync check` and the
//! test suite. Each names the tick after whose cycles it holds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::UserRef;

/// One assertion about the simulation after tick `afterTick` has run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Expectation {
    pub after_tick: u64,
    /// Where the expected behaviour is documented, or why it is expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(flatten)]
    pub check: Check,
}

/// What is checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "check", rename_all = "camelCase", deny_unknown_fields)]
pub enum Check {
    /// A user's presence, state and attributes in a tenant.
    #[serde(rename_all = "camelCase")]
    User {
        tenant: String,
        user: UserRef,
        state: ExpectedUserState,
        /// Attribute values the user must have (`null` = must not have a value).
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        attributes: BTreeMap<String, Option<String>>,
        /// How many accounts the reference must find (e.g. 2 for a documented duplicate).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        count: Option<usize>,
    },
    /// An object event in the provisioning log of tick `afterTick` (or of any tick up to it with
    /// `anyTick`).
    #[serde(rename_all = "camelCase")]
    Event {
        job: String,
        /// The source user: an id in the job's source tenant, or `home/user` for an account there
        /// that came from another tenant.
        user: UserRef,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        action: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        effect: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        skip_reason: Option<String>,
        /// `false` asserts that no such event exists.
        #[serde(default = "super::yes", skip_serializing_if = "super::is_true")]
        present: bool,
        #[serde(default, skip_serializing_if = "super::is_false")]
        any_tick: bool,
    },
    /// A job's status as the admin center shows it.
    #[serde(rename_all = "camelCase")]
    Job {
        job: String,
        /// Graph `synchronizationStatus.code` (`NotRun`, `Active`, `Paused`, `Quarantine`) or `Disabled`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        quarantine_reason: Option<String>,
    },
    /// Whether a user of a tenant is provisioned to one of its downstream apps (format version 2).
    #[serde(rename_all = "camelCase")]
    DownstreamApp {
        tenant: String,
        /// The downstream app's id in that tenant.
        app: String,
        /// A user of the tenant (`contoso/adele` for the account synced from contoso).
        user: UserRef,
        /// `true`: provisioned to the app; `false`: not (refused, or not in the app's scope).
        provisioned: bool,
    },
}

impl Check {
    /// Whether the check names `tenant` (directly or as a user's home) or one of `jobs`.
    pub fn names(&self, tenant: &str, jobs: &[String]) -> bool {
        let home = |user: &UserRef| matches!(user, UserRef::Home { tenant: h, .. } if h == tenant);
        match self {
            Check::User {
                tenant: t, user, ..
            }
            | Check::DownstreamApp {
                tenant: t, user, ..
            } => t == tenant || home(user),
            Check::Event { job, user, .. } => jobs.contains(job) || home(user),
            Check::Job { job, .. } => jobs.contains(job),
        }
    }
}

/// The state a user is expected to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum ExpectedUserState {
    /// Exists, not deleted, sign-in allowed.
    Active,
    /// Exists, not deleted, sign-in blocked.
    Disabled,
    /// Exists, either active or disabled.
    Present,
    /// In the recycle bin.
    SoftDeleted,
    /// Not in the directory at all (never created or hard deleted).
    Absent,
}
