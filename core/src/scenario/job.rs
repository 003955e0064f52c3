//! A cross-tenant synchronization configuration ("sync job") as configured in the source tenant:
//! state, scope, assignments, scoping filters, attribute mappings, target object actions and
//! accidental-deletion prevention. Defaults are Entra's defaults for a new configuration.

use serde::{Deserialize, Serialize};

use super::{is_default, is_true, yes};

/// One source → target configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SyncJob {
    pub id: String,
    /// The configuration's name in the admin center; defaults to the target tenant's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    pub source: String,
    pub target: String,
    /// A new configuration is not started, as Entra creates it.
    #[serde(default, skip_serializing_if = "is_default")]
    pub state: JobState,
    #[serde(default, skip_serializing_if = "is_default")]
    pub scope: SyncScope,
    /// Users of the source tenant assigned to the configuration (by user id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assigned_users: Vec<String>,
    /// Groups of the source tenant assigned to the configuration; only their direct members count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assigned_groups: Vec<String>,
    /// Scoping filters: clauses ANDed inside a filter, filters ORed. Entra's built-in
    /// "Filter external users" clause is always applied in addition and is not listed here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scoping_filters: Vec<ScopingFilter>,
    /// Changes to the default attribute mappings, keyed by target attribute: an entry replaces the
    /// default mapping of its target attribute, adds a new one, or (`delete`) removes it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attribute_mappings: Vec<AttributeMappingSpec>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub target_object_actions: TargetObjectActions,
    #[serde(default, skip_serializing_if = "is_default")]
    pub accidental_deletion_prevention: AccidentalDeletionPrevention,
}

/// Whether the job runs. Graph: schedule `Disabled`/`Active`/`Paused`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum JobState {
    #[default]
    NotStarted,
    Started,
    Paused,
}

/// "Sync only assigned users and groups" (Graph secret `SyncAll=false`) or "Sync all users and groups".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum SyncScope {
    #[default]
    Assigned,
    All,
}

/// A scoping filter (Graph `filterGroup`): every clause must hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScopingFilter {
    /// The scoping filter title; log lines quote it (`title.attribute OPERATOR 'value'`).
    pub name: String,
    #[serde(default)]
    pub clauses: Vec<FilterClause>,
}

/// One clause (Graph `filterClause`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FilterClause {
    pub source_operand_name: String,
    pub operator_name: FilterOperator,
    #[serde(default, skip_serializing_if = "is_default")]
    pub target_operand: TargetOperand,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetOperand {
    #[serde(default)]
    pub values: Vec<String>,
}

/// The scoping filter operators, spelled exactly as Entra spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FilterOperator {
    #[serde(rename = "EQUALS")]
    Equals,
    #[serde(rename = "NOT EQUALS")]
    NotEquals,
    #[serde(rename = "IS TRUE")]
    IsTrue,
    #[serde(rename = "IS FALSE")]
    IsFalse,
    #[serde(rename = "IS NULL")]
    IsNull,
    #[serde(rename = "IS NOT NULL")]
    IsNotNull,
    #[serde(rename = "REGEX MATCH")]
    RegexMatch,
    #[serde(rename = "NOT REGEX MATCH")]
    NotRegexMatch,
    #[serde(rename = "Greater_Than")]
    GreaterThan,
    #[serde(rename = "Greater_Than_OR_EQUALS")]
    GreaterThanOrEquals,
    #[serde(rename = "Includes")]
    Includes,
    #[serde(rename = "ENDS_WITH")]
    EndsWith,
    #[serde(rename = "&")]
    Ampersand,
    #[serde(rename = "!&")]
    NotAmpersand,
}

impl FilterOperator {
    pub const ALL: [FilterOperator; 14] = [
        FilterOperator::Equals,
        FilterOperator::NotEquals,
        FilterOperator::IsTrue,
        FilterOperator::IsFalse,
        FilterOperator::IsNull,
        FilterOperator::IsNotNull,
        FilterOperator::RegexMatch,
        FilterOperator::NotRegexMatch,
        FilterOperator::GreaterThan,
        FilterOperator::GreaterThanOrEquals,
        FilterOperator::Includes,
        FilterOperator::EndsWith,
        FilterOperator::Ampersand,
        FilterOperator::NotAmpersand,
    ];

    /// The operator's name as Entra prints it.
    pub fn entra_name(self) -> &'static str {
        match self {
            FilterOperator::Equals => "EQUALS",
            FilterOperator::NotEquals => "NOT EQUALS",
            FilterOperator::IsTrue => "IS TRUE",
            FilterOperator::IsFalse => "IS FALSE",
            FilterOperator::IsNull => "IS NULL",
            FilterOperator::IsNotNull => "IS NOT NULL",
            FilterOperator::RegexMatch => "REGEX MATCH",
            FilterOperator::NotRegexMatch => "NOT REGEX MATCH",
            FilterOperator::GreaterThan => "Greater_Than",
            FilterOperator::GreaterThanOrEquals => "Greater_Than_OR_EQUALS",
            FilterOperator::Includes => "Includes",
            FilterOperator::EndsWith => "ENDS_WITH",
            FilterOperator::Ampersand => "&",
            FilterOperator::NotAmpersand => "!&",
        }
    }

    /// Unary operators take no value.
    pub fn is_unary(self) -> bool {
        matches!(
            self,
            FilterOperator::IsTrue
                | FilterOperator::IsFalse
                | FilterOperator::IsNull
                | FilterOperator::IsNotNull
        )
    }

    /// A one-line description of the operator's rule, for help texts.
    pub fn rule(self) -> &'static str {
        match self {
            FilterOperator::Equals => "the attribute equals the value exactly; case sensitive; false when the attribute is empty",
            FilterOperator::NotEquals => "the attribute differs from the value; case sensitive; false when the attribute is empty",
            FilterOperator::IsTrue => "the attribute holds Boolean true",
            FilterOperator::IsFalse => "the attribute holds Boolean false",
            FilterOperator::IsNull => "the attribute is empty",
            FilterOperator::IsNotNull => "the attribute is not empty",
            FilterOperator::RegexMatch => "the attribute matches the regular expression anywhere (unanchored); case sensitive; false when empty",
            FilterOperator::NotRegexMatch => "the attribute does not match the regular expression; false when the attribute is empty",
            FilterOperator::GreaterThan => "the attribute is an integer greater than the integer value",
            FilterOperator::GreaterThanOrEquals => "the attribute is an integer greater than or equal to the integer value",
            FilterOperator::Includes => "the attribute contains the value; case sensitive",
            FilterOperator::EndsWith => "the attribute ends with the value; case sensitive",
            FilterOperator::Ampersand => "the value (a string) contains the attribute's value",
            FilterOperator::NotAmpersand => "the value (a string) does not contain the attribute's value",
        }
    }
}

/// An edit of the default attribute mappings, in the admin center's terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttributeMappingSpec {
    pub target_attribute_name: String,
    /// Removes the mapping of `targetAttributeName` (default or added).
    #[serde(default, skip_serializing_if = "super::is_false")]
    pub delete: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub mapping_type: MappingType,
    /// Direct: the source attribute; Constant: the value; Expression: the expression text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// "Default value if null (optional)": applied only when the user is created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    /// "Apply this mapping": always, or only during object creation.
    #[serde(default, skip_serializing_if = "is_default")]
    pub flow_type: FlowType,
    /// "Match objects using this attribute": only `alternativeSecurityIds` may (and must) match.
    #[serde(default, skip_serializing_if = "is_default")]
    pub matching_priority: u32,
}

/// The mapping types of the admin center's "Edit attribute" pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum MappingType {
    #[default]
    Direct,
    Constant,
    Expression,
    /// The target is left unmodified, but filled with the default value when it is empty.
    None,
}

/// Graph `flowType`: `Always` ("Always") or `ObjectAddOnly` ("Only during object creation").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FlowType {
    #[default]
    Always,
    ObjectAddOnly,
}

/// "Target Object Actions" on the user mapping: Create, Update and Delete, all on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetObjectActions {
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub create: bool,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub update: bool,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub delete: bool,
}

impl Default for TargetObjectActions {
    fn default() -> Self {
        TargetObjectActions {
            create: true,
            update: true,
            delete: true,
        }
    }
}

/// "Prevent accidental deletions": off by default; threshold 500 when enabled without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccidentalDeletionPrevention {
    #[serde(default, skip_serializing_if = "super::is_false")]
    pub enabled: bool,
    #[serde(
        default = "default_deletion_threshold",
        skip_serializing_if = "is_default_deletion_threshold"
    )]
    pub threshold: u32,
}

/// Entra's default accidental-deletion threshold.
pub const DEFAULT_DELETION_THRESHOLD: u32 = 500;

fn default_deletion_threshold() -> u32 {
    DEFAULT_DELETION_THRESHOLD
}
fn is_default_deletion_threshold(t: &u32) -> bool {
    *t == DEFAULT_DELETION_THRESHOLD
}

impl Default for AccidentalDeletionPrevention {
    fn default() -> Self {
        AccidentalDeletionPrevention {
            enabled: false,
            threshold: DEFAULT_DELETION_THRESHOLD,
        }
    }
}

impl SyncJob {
    /// A new configuration with Entra's defaults: not started, scope "assigned", nobody assigned.
    pub fn new(id: &str, source: &str, target: &str) -> SyncJob {
        SyncJob {
            id: id.to_string(),
            display_name: None,
            source: source.to_string(),
            target: target.to_string(),
            state: JobState::NotStarted,
            scope: SyncScope::Assigned,
            assigned_users: Vec::new(),
            assigned_groups: Vec::new(),
            scoping_filters: Vec::new(),
            attribute_mappings: Vec::new(),
            target_object_actions: TargetObjectActions::default(),
            accidental_deletion_prevention: AccidentalDeletionPrevention::default(),
        }
    }
}
