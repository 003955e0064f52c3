//! The event stream, the single observable output of a simulation: object events shaped like
//! Graph's `provisioningObjectSummary`, job events shaped like `synchronizationStatus` /
//! `synchronizationQuarantine`, and directory events (the recycle bin). Events are compact
//! structured records; `render` turns them into Entra's wording on demand.

use std::sync::Arc;

use super::attrs::{AttrId, AttrValue, Attrs};
use super::directory::{GroupIdx, JobIdx, TenantIdx, UserIdx};
use crate::clock::Tick;

/// Entra's provisioning action, verbatim (UI spelling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Create,
    Update,
    Delete,
    Disable,
    StagedDelete,
    Other,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "Create",
            Action::Update => "Update",
            Action::Delete => "Delete",
            Action::Disable => "Disable",
            Action::StagedDelete => "StagedDelete",
            Action::Other => "Other",
        }
    }
}

/// Entra's provisioning status, verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Success,
    Failure,
    Skipped,
    Warning,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "Success",
            Status::Failure => "Failure",
            Status::Skipped => "Skipped",
            Status::Warning => "Warning",
        }
    }
}

/// What happened to the target, in ctsync's terms: drives counts and colours. Derived from
/// Entra's action and status as documented in `docs/scenario-format.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    Created,
    Updated,
    Disabled,
    SoftDeleted,
    Restored,
    HardDeleted,
    Skipped,
    Failed,
}

impl Effect {
    pub const ALL: [Effect; 8] = [
        Effect::Created,
        Effect::Updated,
        Effect::Disabled,
        Effect::SoftDeleted,
        Effect::Restored,
        Effect::HardDeleted,
        Effect::Skipped,
        Effect::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Created => "created",
            Effect::Updated => "updated",
            Effect::Disabled => "disabled",
            Effect::SoftDeleted => "softDeleted",
            Effect::Restored => "restored",
            Effect::HardDeleted => "hardDeleted",
            Effect::Skipped => "skipped",
            Effect::Failed => "failed",
        }
    }
}

/// Skip reasons Entra reports (`SkipReason` in step details).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// Not in scope: not assigned, failed a scoping filter, or not active in the source.
    NotEffectivelyEntitled,
    /// Source and target already match.
    RedundantExport,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::NotEffectivelyEntitled => "NotEffectivelyEntitled",
            SkipReason::RedundantExport => "RedundantExport",
        }
    }
}

/// Error codes ctsync reproduces, spelled as Entra spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorCode {
    AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure,
    AzureDirectoryB2BManagementPolicyCheckFailure,
    ExternalTenantNotFound,
    AzureActiveDirectoryTokenExpired,
    AzureActiveDirectoryForbidden,
    InvitationCreationFailureAmbiguousUser,
    InvitationCreationFailureInvalidPropertyValue,
    /// The invitation of the user in the target failed for another reason.
    InvitationCreationFailure,
    /// An attribute-mapping expression failed to evaluate for this user (ctsync names the expression error).
    AttributeMappingExpressionFailure,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure => {
                "AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure"
            }
            ErrorCode::AzureDirectoryB2BManagementPolicyCheckFailure => {
                "AzureDirectoryB2BManagementPolicyCheckFailure"
            }
            ErrorCode::ExternalTenantNotFound => "ExternalTenantNotFound",
            ErrorCode::AzureActiveDirectoryTokenExpired => "AzureActiveDirectoryTokenExpired",
            ErrorCode::AzureActiveDirectoryForbidden => "AzureActiveDirectoryForbidden",
            ErrorCode::InvitationCreationFailureAmbiguousUser => {
                "InvitationCreationFailureAmbiguousUser"
            }
            ErrorCode::InvitationCreationFailureInvalidPropertyValue => {
                "InvitationCreationFailureInvalidPropertyValue"
            }
            ErrorCode::InvitationCreationFailure => "InvitationCreationFailure",
            ErrorCode::AttributeMappingExpressionFailure => "AttributeMappingExpressionFailure",
        }
    }
}

/// An error as a log entry or job status shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorInfo {
    pub code: ErrorCode,
    pub message: Arc<str>,
}

/// How a user is assigned to a job, as the scoping step explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignment {
    /// Scope "Sync all users and groups".
    SyncAll,
    Direct,
    /// A direct member of an assigned group.
    Group(GroupIdx),
    /// Only a member of a group nested in an assigned group: not in scope.
    NestedOnly(GroupIdx),
    NotAssigned,
}

impl Assignment {
    pub fn is_assigned(self) -> bool {
        matches!(
            self,
            Assignment::SyncAll | Assignment::Direct | Assignment::Group(_)
        )
    }
}

/// Why a user is not eligible at all, before assignment and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ineligible {
    /// An external (B2B) user: the built-in "Filter external users" clause fails.
    External,
    /// SMS sign-in enabled: the built-in clause fails too.
    SmsSignIn,
    /// An internal guest (`userType` Guest): only internal members synchronize.
    InternalGuest,
    /// Soft deleted in the source.
    Deleted,
}

/// The scoping step: each part of the decision, in the order Entra evaluates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeResult {
    pub ineligible: Option<Ineligible>,
    pub account_enabled: bool,
    pub assignment: Assignment,
    /// The built-in clause's result (`Filter external users.alternativeSecurityIds EQUALS 'None'`).
    pub built_in_clause: bool,
    /// Each configured clause: (filter index, clause index, result).
    pub clauses: Vec<(u16, u16, bool)>,
    /// No filters configured, or every clause of at least one filter held.
    pub filters_passed: bool,
    pub in_scope: bool,
}

/// How the matching step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchResult {
    /// Not reached (out of scope, or the user was already linked by an earlier cycle).
    NotEvaluated,
    /// The linked target object from an earlier cycle.
    Linked(UserIdx),
    /// An existing external account with the same `alternativeSecurityIds`.
    Matched(UserIdx),
    /// An unredeemed invitation (`PendingAcceptance`) found by mail; redeemed by the add.
    PendingInvitation(UserIdx),
    /// An external account with the same mail from the same home tenant (known issue: linked).
    SameMail(UserIdx),
    /// No match: the user will be created.
    NoMatch,
    /// An internal target user holds the user's address: the invitation is ambiguous.
    InternalConflict(UserIdx),
}

/// A value change as the log's "Modified Properties" shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModifiedProperty {
    pub attr: AttrId,
    pub old: Option<AttrValue>,
    pub new: Option<AttrValue>,
    /// The mapping used `Redact()`: the log shows `[Redact]`.
    pub redacted: bool,
}

/// The "Modified Properties" of a log entry, in order. A create's values are kept as the created
/// object's attributes at creation — shared with the target directory, not copied — and the
/// order of the job's mappings; the properties changed after that (the manager reference
/// resolved after the cycle's exports) and every other entry's changes are a list.
#[derive(Debug, Clone, Default)]
pub struct Modified {
    created: Option<CreatedValues>,
    list: Box<[ModifiedProperty]>,
}

/// A create layout's (target attribute, redacted) pairs in mapping order, shared by the job and
/// every create's log entry. A thin pointer: log entries are the largest objects a large cycle
/// makes, and 8 bytes fewer for this, the notes and the list below keep each entry in a smaller
/// allocation size class.
pub type CreateOrder = Arc<Vec<(AttrId, bool)>>;

/// What a create wrote: each attribute of `order` (target attribute, redacted) that `attrs`
/// holds, with no old value.
#[derive(Debug, Clone)]
struct CreatedValues {
    attrs: Attrs,
    order: CreateOrder,
}

impl Modified {
    /// A create's values: for each (attribute, redacted) of `order`, the value `attrs` holds, if
    /// any. `order` names each attribute once.
    pub fn created(attrs: Attrs, order: CreateOrder) -> Modified {
        Modified {
            created: Some(CreatedValues { attrs, order }),
            list: Box::default(),
        }
    }

    pub fn push(&mut self, property: ModifiedProperty) {
        // Most entries get at most one property after the fact (a create's manager): room for
        // exactly one more (a growing vector would take four, then shrink by copying).
        self.list = append(std::mem::take(&mut self.list), property);
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// The properties in order.
    pub fn iter(&self) -> impl Iterator<Item = ModifiedProperty> + '_ {
        let created = self.created.iter().flat_map(|c| {
            c.order.iter().filter_map(|&(attr, redacted)| {
                c.attrs.get(attr).map(|v| ModifiedProperty {
                    attr,
                    old: None,
                    new: Some(v.clone()),
                    redacted,
                })
            })
        });
        created.chain(self.list.iter().cloned())
    }
}

/// `items` with `item` after them, in an allocation of exactly their size.
pub fn append<T>(items: Box<[T]>, item: T) -> Box<[T]> {
    let mut out = Vec::with_capacity(items.len() + 1);
    out.extend(items.into_vec());
    out.push(item);
    out.into_boxed_slice()
}

impl From<Vec<ModifiedProperty>> for Modified {
    fn from(list: Vec<ModifiedProperty>) -> Modified {
        Modified {
            created: None,
            list: list.into_boxed_slice(),
        }
    }
}

impl PartialEq for Modified {
    fn eq(&self, other: &Modified) -> bool {
        self.iter().eq(other.iter())
    }
}

/// Why a mapping did not flow a value, or did something unexpected: shown under the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingNote {
    pub attr: AttrId,
    pub note: Arc<str>,
}

/// One user through one job at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectEvent {
    pub tick: Tick,
    pub job: JobIdx,
    /// The job's own cycle number (1 = its first cycle); 0 for provision on demand.
    pub job_cycle: u32,
    pub on_demand: bool,
    pub initial_cycle: bool,
    pub source_tenant: TenantIdx,
    pub source_user: UserIdx,
    /// The source user's UPN and display name when the event happened.
    pub source_upn: Arc<str>,
    pub source_display_name: Arc<str>,
    pub target_tenant: TenantIdx,
    pub target_user: Option<UserIdx>,
    pub target_upn: Option<Arc<str>>,
    pub action: Action,
    pub status: Status,
    pub effect: Effect,
    pub skip_reason: Option<SkipReason>,
    pub error: Option<ErrorInfo>,
    /// A ctsync explanation when Entra's own fields do not say enough (e.g. why nothing was deleted).
    pub detail: Option<Arc<str>>,
    /// Shared: consecutive entries of a cycle with the same result share one.
    pub scope: Option<Arc<ScopeResult>>,
    pub matching: MatchResult,
    pub modified: Modified,
    pub mapping_notes: Box<[MappingNote]>,
}

/// Why a job was quarantined (Graph `quarantineReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuarantineReason {
    EncounteredQuarantineException,
    TooManyDeletes,
    EncounteredEscrowProportionThreshold,
    EncounteredTotalEscrowThreshold,
}

impl QuarantineReason {
    pub fn as_str(self) -> &'static str {
        match self {
            QuarantineReason::EncounteredQuarantineException => "EncounteredQuarantineException",
            QuarantineReason::TooManyDeletes => "TooManyDeletes",
            QuarantineReason::EncounteredEscrowProportionThreshold => {
                "EncounteredEscrowProportionThreshold"
            }
            QuarantineReason::EncounteredTotalEscrowThreshold => "EncounteredTotalEscrowThreshold",
        }
    }
}

/// Something that happened to a job rather than to a user.
#[derive(Debug, Clone, PartialEq)]
pub enum JobEventKind {
    Started,
    Paused,
    Restarted,
    Deleted,
    DeletesAllowed,
    /// The connection test (policy check) before a cycle failed; no user was processed.
    ConnectionTestFailed(ErrorInfo),
    /// A cycle ran: counts like Graph's `synchronizationTaskExecution`.
    CycleCompleted {
        cycle: u32,
        initial: bool,
        evaluated: u32,
        exported: u32,
        escrowed: u32,
    },
    QuarantineEntered {
        reason: QuarantineReason,
        error: Option<ErrorInfo>,
        series_count: u32,
        next_attempt: Tick,
    },
    QuarantineContinued {
        series_count: u32,
        next_attempt: Tick,
    },
    QuarantineLeft,
    /// More than four weeks in quarantine: the job stops running.
    Disabled,
    /// Escrows were pruned during an initial cycle instead of quarantining (`escrowsPruned`).
    EscrowsPruned,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JobEvent {
    pub tick: Tick,
    pub job: JobIdx,
    pub kind: JobEventKind,
}

/// Something the directory itself did.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectoryEvent {
    pub tick: Tick,
    pub tenant: TenantIdx,
    pub user: UserIdx,
    pub upn: Arc<str>,
    pub kind: DirectoryEventKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryEventKind {
    /// 30 days in the recycle bin are over: the user is deleted permanently.
    RecycleBinPurged,
}

/// A tenant's downstream app provisioned, refused or removed one of its users.
#[derive(Debug, Clone, PartialEq)]
pub struct DownstreamEvent {
    pub tick: Tick,
    pub tenant: TenantIdx,
    /// The app's id and display name.
    pub app: Arc<str>,
    pub app_name: Arc<str>,
    pub user: UserIdx,
    pub upn: Arc<str>,
    pub kind: DownstreamEventKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownstreamEventKind {
    Provisioned,
    /// The app's rule refused the user; the reason says which rule and why.
    Refused {
        reason: Arc<str>,
    },
    /// The user left the app's scope (deleted, removed from its group).
    Deprovisioned,
}

impl DownstreamEventKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            DownstreamEventKind::Provisioned => "provisioned",
            DownstreamEventKind::Refused { .. } => "refused",
            DownstreamEventKind::Deprovisioned => "deprovisioned",
        }
    }
}

/// One entry of the event stream: 16 bytes, the stream of a large initial cycle being mostly
/// object events. The other kinds are boxed (at most a few per cycle).
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Shared: a copy of the stream (a replay checkpoint) shares its log entries.
    Object(Arc<ObjectEvent>),
    Job(Box<JobEvent>),
    Directory(Box<DirectoryEvent>),
    /// A downstream app's provisioning (after the tick's cycles).
    Downstream(Box<DownstreamEvent>),
}

impl Event {
    pub fn tick(&self) -> Tick {
        match self {
            Event::Object(e) => e.tick,
            Event::Job(e) => e.tick,
            Event::Directory(e) => e.tick,
            Event::Downstream(e) => e.tick,
        }
    }

    /// The effect this event counts as, if it counts.
    pub fn effect(&self) -> Option<Effect> {
        match self {
            Event::Object(e) => Some(e.effect),
            Event::Directory(_) => Some(Effect::HardDeleted),
            // Downstream apps are not cross-tenant sync: they don't count in its effects.
            Event::Job(_) | Event::Downstream(_) => None,
        }
    }
}

// Sizes as on 64-bit targets, where the CLI and the benchmark run.
#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    use super::*;

    /// A large cycle makes one log entry per user and job; kept with its reference counts, an
    /// entry fits a 256-byte allocation (the next size class up is a quarter larger).
    #[test]
    fn a_log_entry_fits_a_256_byte_allocation() {
        assert!(
            std::mem::size_of::<ObjectEvent>() + 16 <= 256,
            "{} bytes",
            std::mem::size_of::<ObjectEvent>()
        );
        assert_eq!(std::mem::size_of::<Event>(), 16);
    }
}
