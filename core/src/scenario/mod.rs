//! The scenario: the only source of truth of a simulation. Tenants, their directories and
//! configuration, the sync jobs between them, and (later) a timeline of commands and expectations.
//! Everything a simulation shows is derived by replaying a scenario; nothing else is saved or shared.

mod validate;

use serde::{Deserialize, Serialize};

pub use validate::ScenarioError;

/// The scenario format's version. One number and one migration chain serve scenario files and links.
pub const CURRENT_VERSION: u32 = 1;

/// A complete, replayable description of tenants, their configuration and what happens over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    pub version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub tenants: Vec<Tenant>,
    #[serde(default)]
    pub jobs: Vec<SyncJob>,
}

/// An Entra tenant (directory).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tenant {
    /// The scenario-local id other parts of the scenario refer to, e.g. `contoso`.
    pub id: String,
    pub display_name: String,
    #[serde(default)]
    pub verified_domains: Vec<String>,
    #[serde(default)]
    pub cloud: Cloud,
    #[serde(default)]
    pub users: Vec<User>,
}

/// The Microsoft cloud a tenant lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Cloud {
    #[default]
    Commercial,
    UsGovernment,
    China21Vianet,
}

/// A user of a tenant's directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct User {
    pub id: String,
    pub user_principal_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub display_name: String,
}

/// A cross-tenant synchronization configuration: one source tenant pushing users into one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SyncJob {
    pub id: String,
    pub source: String,
    pub target: String,
}

impl Scenario {
    /// Parses a scenario from JSON text and validates it.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = serde_json::from_str(text).map_err(ScenarioError::from_json)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The tenant with the scenario-local id `id`.
    pub fn tenant(&self, id: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.id == id)
    }
}
