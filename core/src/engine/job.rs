//! A sync job at run time: its configuration (changed by commands), compiled scope and mappings,
//! and the state Entra keeps for it — watermark, links to target objects, escrows, quarantine.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::attrs::{is_boolean, known, AttrId, AttrNames, IdSet, ViewLayout};
use super::directory::{TenantIdx, UserIdx};
use super::event::{CreateOrder, ErrorInfo, QuarantineReason};
use super::mapping::{self, Mapping, MappingSource};
use crate::clock::{Tick, TICKS_PER_DAY};
use crate::filter::CompiledFilter;
use crate::scenario::{JobState, SyncJob, SyncScope};

/// Consecutive cycles whose connection test fails before the job is quarantined. Entra says only
/// that a job is quarantined when calls "consistently fail"; ctsync picks three (two hours), see
/// docs/decisions.md.
pub const QUARANTINE_AFTER_FAILED_CYCLES: u32 = 3;

/// A quarantined job runs once a day.
pub const QUARANTINE_INTERVAL_TICKS: Tick = TICKS_PER_DAY;

/// More than four weeks in quarantine disables the job.
pub const QUARANTINE_DISABLE_AFTER_TICKS: Tick = 28 * TICKS_PER_DAY;

/// Escrow retries: 6 h, 12 h and 24 h after the first failure, then every 24 h, for 28 days.
pub const ESCROW_RETRY_OFFSETS_TICKS: [Tick; 3] = [9, 18, 36];
pub const ESCROW_GIVE_UP_AFTER_TICKS: Tick = 28 * TICKS_PER_DAY;

/// Escrow-based quarantine thresholds (approximate in Entra's docs; evaluation starts at 5,000).
pub const ESCROW_EVALUATION_MINIMUM: usize = 5_000;
pub const ESCROW_TOTAL_THRESHOLD: usize = 40_000;

/// Where a linked target object stands from this job's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Provisioned,
    /// Soft deleted in the target by this job, at this tick.
    SoftDeleted(Tick),
}

/// The job's link between a source user and the target object it created or matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub target: UserIdx,
    pub state: LinkState,
    /// The last export wrote `accountEnabled = false`: the engine treats the user as already
    /// deprovisioned, which is why a later removal from scope does not soft delete it.
    pub exported_disabled: bool,
    /// Linked through an unredeemed invitation: the UPN stays mail-derived until an initial cycle
    /// or provision on demand.
    pub upn_stale: bool,
}

/// A job's links, by source user: a slot per source user index up to the highest linked one,
/// rather than a map. An initial cycle links every user it creates, and the slot of a user is
/// then one write to a vector it fills in order, not a tree insertion; every lookup is one read.
/// Iteration is in source user order, as a sorted map's would be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    slots: Vec<Option<Link>>,
    len: usize,
}

impl Links {
    pub fn get(&self, u: &UserIdx) -> Option<&Link> {
        self.slots.get(*u as usize).and_then(Option::as_ref)
    }

    pub fn get_mut(&mut self, u: &UserIdx) -> Option<&mut Link> {
        self.slots.get_mut(*u as usize).and_then(Option::as_mut)
    }

    pub fn contains_key(&self, u: &UserIdx) -> bool {
        self.get(u).is_some()
    }

    /// Makes room for slots up to source user `u` at once (a cycle about to link users up to
    /// it), rather than growing the vector, and copying it, step by step.
    pub fn reserve_through(&mut self, u: UserIdx) {
        let wanted = u as usize + 1;
        self.slots.reserve(wanted.saturating_sub(self.slots.len()));
    }

    /// Links `u`; returns the link it replaces.
    pub fn insert(&mut self, u: UserIdx, link: Link) -> Option<Link> {
        let i = u as usize;
        if self.slots.len() <= i {
            self.slots.resize(i + 1, None);
        }
        let previous = self.slots[i].replace(link);
        if previous.is_none() {
            self.len += 1;
        }
        previous
    }

    pub fn remove(&mut self, u: &UserIdx) -> Option<Link> {
        let removed = self.slots.get_mut(*u as usize).and_then(Option::take);
        if removed.is_some() {
            self.len -= 1;
        }
        removed
    }

    pub fn clear(&mut self) {
        self.slots.clear();
        self.len = 0;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The links in source user order.
    pub fn iter(&self) -> impl Iterator<Item = (UserIdx, &Link)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(u, l)| l.as_ref().map(|l| (u as UserIdx, l)))
    }

    /// The linked source users, in order.
    pub fn keys(&self) -> impl Iterator<Item = UserIdx> + '_ {
        self.iter().map(|(u, _)| u)
    }

    pub fn values(&self) -> impl Iterator<Item = &Link> + '_ {
        self.slots.iter().flatten()
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Link> + '_ {
        self.slots.iter_mut().flatten()
    }
}

/// A failed user, retried on Entra's schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escrow {
    pub first_failure: Tick,
    pub retries: u32,
    pub next_retry: Tick,
    pub error: ErrorInfo,
}

impl Escrow {
    pub fn new(tick: Tick, error: ErrorInfo) -> Escrow {
        Escrow {
            first_failure: tick,
            retries: 0,
            next_retry: tick + ESCROW_RETRY_OFFSETS_TICKS[0],
            error,
        }
    }

    /// Schedules the next retry after another failure; `false` once Entra gives up (28 days).
    pub fn failed_again(&mut self, tick: Tick, error: ErrorInfo) -> bool {
        self.retries += 1;
        self.error = error;
        // 6 h, 12 h, 24 h after the first failure, then one more day for each further retry.
        let offset = match ESCROW_RETRY_OFFSETS_TICKS.get(self.retries as usize) {
            Some(offset) => *offset,
            None => {
                let extra_days =
                    u64::from(self.retries) + 1 - ESCROW_RETRY_OFFSETS_TICKS.len() as u64;
                ESCROW_RETRY_OFFSETS_TICKS[2] + TICKS_PER_DAY * extra_days
            }
        };
        self.next_retry = (self.first_failure + offset).max(tick + 1);
        self.next_retry <= self.first_failure + ESCROW_GIVE_UP_AFTER_TICKS
    }
}

/// The job's quarantine, as Graph's `synchronizationQuarantine` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantine {
    pub reason: QuarantineReason,
    pub error: Option<ErrorInfo>,
    pub series_began: Tick,
    pub current_began: Tick,
    pub series_count: u32,
    pub next_attempt: Tick,
}

/// The values a create evaluates, one per mapping that writes a value (all but the matching
/// attribute, the manager reference and `IsSoftDeleted`), in mapping order: their (target
/// attribute, redacted) pairs — what the create's log entry lists, shared by all its creates —
/// and the positions of those values in target-attribute order, in which the created object
/// stores them.
#[derive(Debug, Clone)]
pub struct CreateLayout {
    pub order: CreateOrder,
    pub sorted: Box<[usize]>,
}

impl CreateLayout {
    /// The layout of `mappings`; `None` when two of them write the same attribute.
    pub fn of(mappings: &[Mapping]) -> Option<CreateLayout> {
        let order: Vec<(AttrId, bool)> = mappings
            .iter()
            .filter_map(|m| match &m.source {
                MappingSource::Matching
                | MappingSource::ManagerReference
                | MappingSource::SoftDeleteState => None,
                MappingSource::Expression { redacted, .. } => Some((m.target, *redacted)),
                MappingSource::Direct(_) | MappingSource::Constant(_) | MappingSource::None => {
                    Some((m.target, false))
                }
            })
            .collect();
        let mut sorted: Vec<usize> = (0..order.len()).collect();
        crate::sort::sort_by_key(&mut sorted, |i| order[*i].0);
        if sorted.windows(2).any(|w| order[w[0]].0 == order[w[1]].0) {
            return None;
        }
        Some(CreateLayout {
            order: Arc::new(order),
            sorted: sorted.into_boxed_slice(),
        })
    }
}

/// How a create gets its values when every mapping that writes one copies a stored source
/// attribute unchanged to the same attribute (`displayName` → `displayName`, no default value)
/// or writes a constant — Entra's default mappings and most edits of them. The created account
/// then views the source user's attributes (see [`Attrs::view`](super::attrs::Attrs::view))
/// instead of copying each value; its B2B UPN is its only value of its own.
#[derive(Debug, Clone)]
pub struct CreateCopy {
    /// The create layout's order: what the create's log entry lists.
    pub order: CreateOrder,
    /// What every account the job creates this way shows of its source user (the attributes
    /// copied unchanged, all but `userPrincipalName`, which is rewritten) and holds in common
    /// (the constants, already converted to their attribute's type): shared by all of them.
    pub layout: Arc<ViewLayout>,
    /// Booleans among the attributes shown: a source value stored as text would be converted,
    /// not copied.
    pub shown_booleans: Vec<AttrId>,
    /// `userPrincipalName` is mapped from itself: the account gets the B2B form of it.
    pub upn: bool,
}

impl CreateCopy {
    /// The plan of `mappings`, or `None` when a mapping that writes a value does anything else
    /// (an expression, another source attribute, a computed one, a default value, type None) or
    /// two mappings write the same attribute (no `layout`).
    pub fn of(mappings: &[Mapping], layout: Option<&CreateLayout>) -> Option<CreateCopy> {
        let order = layout?.order.clone();
        let mut shown = IdSet::default();
        let mut shown_booleans = Vec::new();
        let mut constants = Vec::new();
        let mut upn = false;
        for m in mappings {
            match &m.source {
                MappingSource::Matching
                | MappingSource::ManagerReference
                | MappingSource::SoftDeleteState => {}
                MappingSource::Direct(a)
                    if *a == m.target
                        && !super::scope::is_computed(*a)
                        && m.default_value.is_none() =>
                {
                    if *a == known::USER_PRINCIPAL_NAME {
                        upn = true;
                    } else {
                        shown.insert(*a);
                        if is_boolean(*a) {
                            shown_booleans.push(*a);
                        }
                    }
                }
                // A constant UPN would be rewritten to the B2B form: not a plain constant.
                MappingSource::Constant(v) if m.target != known::USER_PRINCIPAL_NAME => {
                    constants.push((m.target, v.clone().coerce_for(m.target)));
                }
                _ => return None,
            }
        }
        Some(CreateCopy {
            order,
            layout: Arc::new(ViewLayout::new(shown, constants)),
            shown_booleans,
            upn,
        })
    }
}

/// A job at run time.
#[derive(Debug, Clone)]
pub struct JobRuntime {
    pub config: SyncJob,
    pub source: TenantIdx,
    pub target: TenantIdx,
    pub deleted: bool,
    /// The scope in effect: switching from "all" to "assigned" waits for a restart.
    pub effective_scope: SyncScope,
    pub filters: Vec<CompiledFilter>,
    pub mappings: Vec<Mapping>,
    /// How a create's values are laid out, derived from `mappings`; `None` when two mappings
    /// write the same attribute.
    pub create_layout: Option<CreateLayout>,
    /// How a create copies its values, derived from `mappings`; `None` when the mappings
    /// transform a value (creates then evaluate each mapping).
    pub create_copy: Option<CreateCopy>,
    pub needs_initial: bool,
    pub watermark: u64,
    pub cycles_run: u32,
    pub links: Links,
    pub escrows: BTreeMap<UserIdx, Escrow>,
    /// Users whose assignment changed, or who must be looked at again next cycle.
    pub pending: BTreeSet<UserIdx>,
    /// Deletions held back by accidental-deletion prevention.
    pub held_deletes: BTreeSet<UserIdx>,
    pub force_deletes: bool,
    pub quarantine: Option<Quarantine>,
    pub disabled: bool,
    pub consecutive_failures: u32,
    pub last_error: Option<ErrorInfo>,
    pub last_cycle_tick: Option<Tick>,
    pub last_success_tick: Option<Tick>,
}

impl JobRuntime {
    pub fn new(
        config: SyncJob,
        source: TenantIdx,
        target: TenantIdx,
        names: &mut AttrNames,
    ) -> Self {
        let mut job = JobRuntime {
            effective_scope: config.scope,
            filters: Vec::new(),
            mappings: Vec::new(),
            create_layout: None,
            create_copy: None,
            config,
            source,
            target,
            deleted: false,
            needs_initial: true,
            watermark: 0,
            cycles_run: 0,
            links: Links::default(),
            escrows: BTreeMap::new(),
            pending: BTreeSet::new(),
            held_deletes: BTreeSet::new(),
            force_deletes: false,
            quarantine: None,
            disabled: false,
            consecutive_failures: 0,
            last_error: None,
            last_cycle_tick: None,
            last_success_tick: None,
        };
        job.recompile(names);
        job
    }

    /// Recompiles filters and mappings after a configuration change.
    pub fn recompile(&mut self, names: &mut AttrNames) {
        self.filters = self
            .config
            .scoping_filters
            .iter()
            .map(|f| CompiledFilter::compile(names, f))
            .collect();
        self.mappings = mapping::compile(names, &self.config.attribute_mappings);
        self.create_layout = CreateLayout::of(&self.mappings);
        self.create_copy = CreateCopy::of(&self.mappings, self.create_layout.as_ref());
    }

    /// Whether the job runs a cycle in `tick`.
    pub fn is_due(&self, tick: Tick) -> bool {
        if self.deleted || self.disabled || self.config.state != JobState::Started {
            return false;
        }
        match &self.quarantine {
            None => true,
            Some(q) => tick >= q.next_attempt,
        }
    }

    /// Graph `synchronizationStatus.code`, or `Disabled` for a job disabled after quarantine.
    pub fn status_code(&self) -> &'static str {
        if self.disabled {
            "Disabled"
        } else if self.quarantine.is_some() {
            "Quarantine"
        } else {
            match self.config.state {
                // Graph shows a job that was never started as `Paused` (schedule `Disabled`).
                JobState::NotStarted | JobState::Paused => "Paused",
                // `NotRun` until the first cycle completes (a cycle whose connection test fails does not).
                JobState::Started if self.last_success_tick.is_none() => "NotRun",
                JobState::Started => "Active",
            }
        }
    }

    /// The badge the playground shows on the job's arrow.
    pub fn badge(&self) -> JobBadge {
        if self.deleted {
            JobBadge::Deleted
        } else if self.disabled {
            JobBadge::Disabled
        } else if self.quarantine.is_some() {
            JobBadge::Quarantined
        } else if self.last_error.is_some() {
            JobBadge::Failing
        } else {
            match self.config.state {
                JobState::NotStarted => JobBadge::NotStarted,
                JobState::Paused => JobBadge::Paused,
                JobState::Started => JobBadge::Running,
            }
        }
    }

    /// Restart: clears watermark, escrows, quarantine and held deletions; the next cycle is initial.
    pub fn restart(&mut self) {
        self.needs_initial = true;
        self.watermark = 0;
        self.escrows.clear();
        self.quarantine = None;
        self.held_deletes.clear();
        self.force_deletes = false;
        self.consecutive_failures = 0;
        self.disabled = false;
        self.effective_scope = self.config.scope;
        self.config.state = JobState::Started;
        for link in self.links.values_mut() {
            link.upn_stale = false;
        }
    }
}

/// A job's state as one word, for badges and summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobBadge {
    NotStarted,
    Running,
    Paused,
    Failing,
    Quarantined,
    Disabled,
    Deleted,
}

impl JobBadge {
    pub fn as_str(self) -> &'static str {
        match self {
            JobBadge::NotStarted => "not started",
            JobBadge::Running => "running",
            JobBadge::Paused => "paused",
            JobBadge::Failing => "failing",
            JobBadge::Quarantined => "quarantined",
            JobBadge::Disabled => "disabled",
            JobBadge::Deleted => "deleted",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::ErrorCode;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn error() -> ErrorInfo {
        ErrorInfo {
            code: ErrorCode::AzureActiveDirectoryForbidden,
            message: "x".into(),
        }
    }

    /// Semantics §5.3: retries 6 h, 12 h, 24 h after the first failure, then daily, for 28 days.
    #[test]
    fn escrow_retry_schedule() {
        let mut escrow = Escrow::new(100, error());
        let mut retries = vec![escrow.next_retry];
        while escrow.failed_again(escrow.next_retry, error()) {
            retries.push(escrow.next_retry);
        }
        assert_eq!(&retries[..5], &[109, 118, 136, 172, 208]);
        assert!(*retries.last().unwrap() <= 100 + ESCROW_GIVE_UP_AFTER_TICKS);
        assert_eq!(retries.len(), 30);
    }

    /// A user who changes is retried at once, whatever the schedule: failing again early never
    /// schedules a retry in the past.
    #[test]
    fn failing_again_early_keeps_the_schedule_ahead() {
        let mut escrow = Escrow::new(10, error());
        assert!(escrow.failed_again(11, error()));
        assert_eq!(escrow.next_retry, 28);
        assert!(escrow.failed_again(12, error()));
        assert!(escrow.failed_again(13, error()));
        assert_eq!(escrow.next_retry, 10 + 36 + 36);
    }
}
