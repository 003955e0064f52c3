//! One sync cycle of one job, and provision on demand. A cycle runs in phases, as Entra's engine
//! does: connection test; import (every assigned user on an initial cycle, only users changed since
//! the watermark — plus escrows due — on an incremental one); scoping; matching; the accidental
//! deletion check over the whole cycle; export; reference resolution (manager); watermark.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::attrs::{known, AttrId, AttrValue, Attrs};
use super::directory::{
    DeletedBy, DirUser, ExternalHome, JobIdx, TenantIdx, UserChanges, UserIdx, WarmStage,
};
use super::event::{
    append, Action, CreateOrder, Effect, ErrorCode, ErrorInfo, Event, JobEvent, JobEventKind,
    MappingNote, MatchResult, Modified, ModifiedProperty, ObjectEvent, QuarantineReason,
    ScopeResult, SkipReason, Status,
};
use super::job::{
    Escrow, Link, LinkState, Quarantine, ESCROW_EVALUATION_MINIMUM, ESCROW_TOTAL_THRESHOLD,
    QUARANTINE_AFTER_FAILED_CYCLES, QUARANTINE_DISABLE_AFTER_TICKS, QUARANTINE_INTERVAL_TICKS,
};
use super::mapping::{self, MappingSource};
use super::scope::AssignmentIndex;
use super::Simulation;
use crate::clock::Tick;
use crate::expr;
use crate::rng::{stable_hash, SeededRng};
use crate::scenario::{ExternalUserState, FlowType, InviteRestriction};

/// A value a mapping wants in the target.
#[derive(Debug, Clone)]
struct DesiredValue {
    attr: AttrId,
    /// `None` with `write_null` clears the target (the Switch quirk); `None` otherwise means
    /// nothing flows.
    value: Option<AttrValue>,
    write_null: bool,
    /// Mapping type "None": written only when the target is empty.
    fill_if_empty: bool,
    redacted: bool,
}

#[derive(Debug, Clone, Default)]
struct Desired {
    values: Vec<DesiredValue>,
    notes: Vec<MappingNote>,
}

impl Desired {
    fn get(&self, attr: AttrId) -> Option<&AttrValue> {
        self.values
            .iter()
            .find(|v| v.attr == attr)
            .and_then(|v| v.value.as_ref())
    }
}

/// What the cycle will do with one user, decided before anything is exported.
#[derive(Debug, Clone)]
enum PlanKind {
    Skip {
        reason: Option<SkipReason>,
        detail: Option<Arc<str>>,
        matching: MatchResult,
    },
    /// The mapped values are evaluated when the create is carried out, not when it is planned:
    /// they depend only on the source user and the job's mappings, which no export of the cycle
    /// changes, and evaluating them late keeps an initial cycle's plans small and the source
    /// user's values in cache.
    Create,
    /// The values are boxed: updates are few (an incremental cycle's changes), and a small plan
    /// keeps a large cycle's vector of plans small.
    Update {
        target: UserIdx,
        desired: Box<Desired>,
        restore: bool,
        matching: MatchResult,
    },
    Delete {
        target: UserIdx,
    },
    HardDelete {
        target: UserIdx,
    },
    Fail(ErrorInfo),
}

/// A user's plan for this cycle.
#[derive(Debug, Clone)]
struct PlannedUser {
    user: UserIdx,
    /// Shared with the previous plan's when equal (see [`SharedScopes`]).
    scope: Option<Arc<ScopeResult>>,
    kind: PlanKind,
    /// Whether the plan deletes or disables (counted by accidental-deletion prevention).
    deprovisions: bool,
    /// What changed about the user since the watermark (`None`: evaluate everything), kept for
    /// the export so that it need not be looked up again.
    changes: Option<Box<UserChanges>>,
}

/// Who is running: a scheduled cycle or provision on demand.
#[derive(Debug, Clone, Copy)]
struct Run {
    job: JobIdx,
    tick: Tick,
    cycle: u32,
    initial: bool,
    on_demand: bool,
}

pub(super) fn run_cycle(sim: &mut Simulation, j: JobIdx, tick: Tick) {
    let job = &mut sim.jobs[j as usize];
    job.cycles_run += 1;
    job.last_cycle_tick = Some(tick);
    let cycle = job.cycles_run;
    if let Err((_, error)) = sim.policy_check(j) {
        connection_failed(sim, j, tick, error);
        return;
    }
    connection_succeeded(sim, j, tick);
    let initial = sim.job(j).needs_initial;
    let source = sim.job(j).source;
    let watermark_after = sim.tenant(source).dir.seq();
    let index = sim.assignment_index(j);
    let candidates = collect_candidates(sim, j, &index, initial, tick);
    let run = Run {
        job: j,
        tick,
        cycle,
        initial,
        on_demand: false,
    };
    let mut scopes = SharedScopes::default();
    let mut plans: Vec<PlannedUser> = candidates
        .into_iter()
        .filter_map(|(u, changes)| {
            let plan = plan_user(sim, run, u, changes.as_ref(), &index, &mut scopes)?;
            Some(PlannedUser {
                changes: changes.map(Box::new),
                ..plan
            })
        })
        .collect();
    let evaluated = plans.len() as u32;
    let staged = stage_deletions(sim, j, tick, &mut plans);
    let mut exported = 0u32;
    let mut failed = 0u32;
    let mut processed = Vec::with_capacity(plans.len());
    // Room for every plan's log entry and every create's object at once, rather than growing
    // (and copying) the stream and the target directory step by step through a large cycle.
    sim.events.reserve(plans.len() + 1);
    let creates = plans
        .iter()
        .filter(|p| matches!(p.kind, PlanKind::Create))
        .count();
    let target = sim.job(j).target;
    sim.tenants[target as usize].dir.reserve_users(creates);
    if let Some(last) = plans
        .iter()
        .rev()
        .find(|p| matches!(p.kind, PlanKind::Create))
    {
        sim.jobs[j as usize].links.reserve_through(last.user);
    }
    let source_users: Vec<UserIdx> = plans.iter().map(|p| p.user).collect();
    for (i, mut plan) in plans.into_iter().enumerate() {
        warm_ahead(sim, source, &source_users, i);
        let user = plan.user;
        let changes = plan.changes.take();
        if let Some((event_index, status)) = execute(sim, run, plan, changes.as_deref()) {
            match status {
                Status::Success => exported += 1,
                Status::Failure => failed += 1,
                _ => {}
            }
            processed.push((user, event_index));
        }
    }
    resolve_managers(sim, run, &processed);
    let job = &mut sim.jobs[j as usize];
    job.watermark = watermark_after;
    job.needs_initial = false;
    job.force_deletes = false;
    job.last_success_tick = Some(tick);
    if !staged
        && job
            .quarantine
            .as_ref()
            .is_some_and(|q| q.reason == QuarantineReason::TooManyDeletes)
    {
        job.quarantine = None;
        sim.push_event(Event::Job(Box::new(JobEvent {
            tick,
            job: j,
            kind: JobEventKind::QuarantineLeft,
        })));
    }
    check_escrow_thresholds(sim, j, tick, initial, evaluated, failed);
    let escrowed = sim.job(j).escrows.len() as u32;
    sim.push_event(Event::Job(Box::new(JobEvent {
        tick,
        job: j,
        kind: JobEventKind::CycleCompleted {
            cycle,
            initial,
            evaluated,
            exported,
            escrowed,
        },
    })));
}

/// Warms the source users a cycle processes a few places after the `i`th (see
/// [`Directory::warm_user`]): on a large cycle, each user's record, values and texts would
/// otherwise be cache misses one after another.
fn warm_ahead(sim: &Simulation, source: TenantIdx, users: &[UserIdx], i: usize) {
    let dir = &sim.tenant(source).dir;
    for (ahead, stage) in [
        (12, WarmStage::User),
        (8, WarmStage::Values),
        (4, WarmStage::Texts),
    ] {
        if let Some(&u) = users.get(i + ahead) {
            std::hint::black_box(dir.warm_user(u, stage));
        }
    }
}

/// What a job would do with one source user if it ran now: a dry run of the cycle's scoping,
/// matching and export decision, without changing anything. Explain and the playground's
/// "Test expression" column read it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserPreview {
    /// The connection test's failure, if it would fail (then nothing else would happen).
    pub policy_failure: Option<(super::PolicyFailure, ErrorInfo)>,
    /// `None` when the source user no longer exists.
    pub scope: Option<ScopeResult>,
    pub matching: MatchResult,
    /// The action Entra would log: Create, Update, Disable, Delete, or Other (nothing to do).
    pub action: Action,
    /// The export would fail with this error.
    pub error: Option<ErrorInfo>,
    pub skip_reason: Option<SkipReason>,
    /// ctsync's explanation when the decision is not a plain export.
    pub detail: Option<Arc<str>>,
    /// The target user the decision concerns (linked, matched), if any.
    pub target: Option<UserIdx>,
    /// Values the mappings would write (or, for a create, set), in mapping order: attribute, value
    /// (`None`: the Switch quirk would clear it), and whether the log would redact it.
    pub values: Vec<(AttrId, Option<AttrValue>, bool)>,
    /// Why mappings would not flow a value.
    pub notes: Vec<MappingNote>,
}

impl Simulation {
    /// A dry run of job `j` for source user `u`: what an initial cycle would decide now (every
    /// mapping evaluated, none marked as changed, so the Switch quirk does not apply).
    pub fn preview_user(&self, j: JobIdx, u: UserIdx) -> UserPreview {
        let policy_failure = self.policy_check(j).err();
        let run = Run {
            job: j,
            tick: self.next_tick(),
            cycle: 0,
            initial: true,
            on_demand: false,
        };
        let index = self.assignment_index(j);
        let mut preview = UserPreview {
            policy_failure,
            scope: None,
            matching: MatchResult::NotEvaluated,
            action: Action::Other,
            error: None,
            skip_reason: None,
            detail: None,
            target: None,
            values: Vec::new(),
            notes: Vec::new(),
        };
        let Some(plan) = plan_user(self, run, u, None, &index, &mut SharedScopes::default()) else {
            return preview;
        };
        preview.scope = plan.scope.map(Arc::unwrap_or_clone);
        let desired = match plan.kind {
            PlanKind::Skip {
                reason,
                detail,
                matching,
            } => {
                preview.skip_reason = reason;
                preview.detail = detail;
                preview.matching = matching;
                if let MatchResult::Linked(t) | MatchResult::Matched(t) = matching {
                    preview.target = Some(t);
                }
                None
            }
            PlanKind::Create => match desired_values(self, run, u, None, true) {
                Ok(desired) => {
                    preview.action = Action::Create;
                    preview.matching = MatchResult::NoMatch;
                    Some(desired)
                }
                Err(error) => {
                    preview.error = Some(error);
                    None
                }
            },
            PlanKind::Update {
                target,
                desired,
                restore,
                matching,
            } => {
                let target_user = self.tenant(self.job(j).target).dir.user(target);
                let disables = !restore
                    && target_user.account_enabled()
                    && desired
                        .get(known::ACCOUNT_ENABLED)
                        .and_then(AttrValue::as_bool)
                        == Some(false);
                preview.action = if disables {
                    Action::Disable
                } else {
                    Action::Update
                };
                preview.matching = matching;
                preview.target = Some(target);
                Some(*desired)
            }
            PlanKind::Delete { target } | PlanKind::HardDelete { target } => {
                preview.action = Action::Delete;
                preview.target = Some(target);
                preview.matching = MatchResult::Linked(target);
                None
            }
            PlanKind::Fail(error) => {
                preview.error = Some(error);
                None
            }
        };
        if let Some(desired) = desired {
            preview.values = desired
                .values
                .iter()
                .map(|v| (v.attr, v.value.clone(), v.redacted))
                .collect();
            preview.notes = desired.notes;
        }
        preview
    }
}

/// Provision on demand: one user through one job, now, outside the cycle.
pub(super) fn provision_on_demand(sim: &mut Simulation, j: JobIdx, u: UserIdx, tick: Tick) {
    let run = Run {
        job: j,
        tick,
        cycle: 0,
        initial: false,
        on_demand: true,
    };
    if let Err((_, error)) = sim.policy_check(j) {
        let event = base_event(
            sim,
            run,
            u,
            None,
            Action::Other,
            Status::Failure,
            Effect::Failed,
        );
        sim.push_event(Event::Object(Arc::new(ObjectEvent {
            error: Some(error),
            ..event
        })));
        return;
    }
    let source = sim.job(j).source;
    let user = sim.tenant(source).dir.user(u);
    if !user.is_active() || !user.account_enabled() {
        // The on-demand search only finds active users: a disabled or deleted user can't be picked.
        let event = base_event(
            sim,
            run,
            u,
            None,
            Action::Other,
            Status::Skipped,
            Effect::Skipped,
        );
        sim.push_event(Event::Object(Arc::new(ObjectEvent {
            detail: Some(Arc::from(
                "Provision on demand can't act on users who are disabled or deleted in the source tenant: they aren't searchable.",
            )),
            ..event
        })));
        return;
    }
    let index = sim.assignment_index(j);
    if let Some(plan) = plan_user(sim, run, u, None, &index, &mut SharedScopes::default()) {
        if let Some((event_index, _)) = execute(sim, run, plan, None) {
            resolve_managers(sim, run, &[(u, event_index)]);
        }
    }
}

/// The users a cycle imports, with what changed about each (`None`: evaluate everything).
fn collect_candidates(
    sim: &mut Simulation,
    j: JobIdx,
    index: &AssignmentIndex,
    initial: bool,
    tick: Tick,
) -> BTreeMap<UserIdx, Option<UserChanges>> {
    let source = sim.job(j).source;
    let pending = std::mem::take(&mut sim.jobs[j as usize].pending);
    let job = sim.job(j);
    let dir = &sim.tenant(source).dir;
    let mut out: BTreeMap<UserIdx, Option<UserChanges>> = BTreeMap::new();
    let linked = job.links.keys();
    if initial {
        let mut users: Vec<UserIdx> = if index.sync_all {
            (0..dir.users.len() as UserIdx)
                .filter(|u| dir.user(*u).is_active())
                .collect()
        } else {
            index.imported_user_list(sim, source)
        };
        users.extend(linked.chain(job.held_deletes.iter().copied()));
        // Building the map from sorted keys is much cheaper than inserting 100,000 users one by one.
        users.sort_unstable();
        users.dedup();
        return users.into_iter().map(|u| (u, None)).collect();
    }
    for (u, changes) in dir.changes_since(job.watermark) {
        let relevant = index.sync_all
            || job.links.contains_key(&u)
            || index.users.contains(&u)
            || dir
                .user(u)
                .member_of
                .iter()
                .any(|g| index.groups.contains(g))
            || pending.contains(&u)
            || job.escrows.contains_key(&u);
        if relevant {
            out.insert(u, Some(changes));
        }
    }
    for u in pending {
        out.entry(u).or_insert_with(|| {
            Some(UserChanges {
                membership: true,
                ..UserChanges::default()
            })
        });
    }
    for (u, escrow) in &job.escrows {
        if escrow.next_retry <= tick {
            out.entry(*u).or_insert(None);
        }
    }
    for u in &job.held_deletes {
        out.entry(*u).or_insert(None);
    }
    out
}

/// Decides what to do with one user. `None`: nothing at all (no log entry).
fn plan_user(
    sim: &Simulation,
    run: Run,
    u: UserIdx,
    changes: Option<&UserChanges>,
    index: &AssignmentIndex,
    scopes: &mut SharedScopes,
) -> Option<PlannedUser> {
    let job = sim.job(run.job);
    let (s, t) = (job.source, job.target);
    let source_user = sim.tenant(s).dir.user(u);
    let target_dir = &sim.tenant(t).dir;
    // A link whose target object is gone for good is no link: the user is matched again.
    let link = job
        .links
        .get(&u)
        .copied()
        .filter(|l| target_dir.user(l.target).exists());
    let delete_enabled = job.config.target_object_actions.delete;
    if !source_user.exists() {
        // Hard deleted in the source: the engine sends a delete for the linked object.
        return match link {
            Some(l) if delete_enabled => Some(PlannedUser {
                user: u,
                scope: None,
                kind: PlanKind::HardDelete { target: l.target },
                deprovisions: true,
                changes: None,
            }),
            _ => None,
        };
    }
    let scope = sim.evaluate_scope(run.job, u, index);
    let skip =
        |reason: Option<SkipReason>, detail: Option<&str>, matching: MatchResult| PlanKind::Skip {
            reason,
            detail: detail.map(Arc::from),
            matching,
        };
    let kind = if scope.in_scope {
        match link {
            Some(l) => {
                let target = target_dir.user(l.target);
                match target.deleted.map(|d| d.by) {
                    Some(DeletedBy::Admin) if !run.on_demand => skip(
                        None,
                        Some("The target user was deleted by an admin of the target tenant. Cross-tenant synchronization does not restore users deleted in the target tenant; restore it there."),
                        MatchResult::Linked(l.target),
                    ),
                    // On demand, the deleted target is not found and a new account is created:
                    // the documented duplicate.
                    Some(DeletedBy::Admin) => plan_create(sim, run),
                    Some(DeletedBy::Sync(_)) => plan_update(sim, run, u, l.target, changes, true, MatchResult::Linked(l.target)),
                    None => plan_update(sim, run, u, l.target, changes, false, MatchResult::Linked(l.target)),
                }
            }
            None if !scope.account_enabled => skip(
                Some(SkipReason::NotEffectivelyEntitled),
                Some("The user is disabled (accountEnabled = false) in the source tenant: provisioning a user that is disabled isn't supported, so no account is created."),
                MatchResult::NotEvaluated,
            ),
            None => {
                let home_accounts = target_dir.accounts_with_home(
                    &sim.tenant(s).tenant_id,
                    &source_user.object_id,
                );
                let active = home_accounts.iter().copied().find(|a| target_dir.user(*a).deleted.is_none());
                let deleted = home_accounts.iter().copied().find(|a| target_dir.user(*a).deleted.is_some());
                match (active, deleted) {
                    (Some(a), _) => plan_update(sim, run, u, a, changes, false, MatchResult::Matched(a)),
                    (None, Some(d)) => match target_dir.user(d).deleted.map(|x| x.by) {
                        Some(DeletedBy::Sync(_)) => plan_update(sim, run, u, d, changes, true, MatchResult::Matched(d)),
                        _ if run.on_demand => plan_create(sim, run),
                        _ => skip(
                            None,
                            Some("The matching user in the target tenant was deleted by an admin of the target tenant. Cross-tenant synchronization does not restore it; restore it there."),
                            MatchResult::Matched(d),
                        ),
                    },
                    (None, None) => plan_create(sim, run),
                }
            }
        }
    } else {
        match link {
            Some(l)
                if l.state == LinkState::Provisioned && target_dir.user(l.target).is_active() =>
            {
                if l.exported_disabled && !scope.account_enabled {
                    skip(
                        Some(SkipReason::NotEffectivelyEntitled),
                        Some("The user left scope after sync had already blocked their sign-in (accountEnabled = false). The engine treats such a user as already deprovisioned, so the target user is not soft deleted — the documented exception."),
                        MatchResult::Linked(l.target),
                    )
                } else if !delete_enabled {
                    skip(
                        Some(SkipReason::NotEffectivelyEntitled),
                        Some("The user left scope, but Delete is not selected in Target Object Actions, so the target user is not soft deleted."),
                        MatchResult::Linked(l.target),
                    )
                } else {
                    PlanKind::Delete { target: l.target }
                }
            }
            _ => skip(
                Some(SkipReason::NotEffectivelyEntitled),
                None,
                MatchResult::NotEvaluated,
            ),
        }
    };
    let deprovisions = match &kind {
        PlanKind::Delete { .. } | PlanKind::HardDelete { .. } => true,
        PlanKind::Update {
            target,
            desired,
            restore: false,
            ..
        } => {
            desired
                .get(known::ACCOUNT_ENABLED)
                .and_then(AttrValue::as_bool)
                == Some(false)
                && target_dir.user(*target).account_enabled()
        }
        _ => false,
    };
    Some(PlannedUser {
        user: u,
        scope: Some(scopes.share(scope)),
        kind,
        deprovisions,
        changes: None,
    })
}

fn plan_create(sim: &Simulation, run: Run) -> PlanKind {
    if !sim.job(run.job).config.target_object_actions.create {
        return PlanKind::Skip {
            reason: None,
            detail: Some(Arc::from(
                "No matching user was found in the target tenant, and Create is not selected in Target Object Actions: no account is created.",
            )),
            matching: MatchResult::NoMatch,
        };
    }
    PlanKind::Create
}

fn plan_update(
    sim: &Simulation,
    run: Run,
    u: UserIdx,
    target: UserIdx,
    changes: Option<&UserChanges>,
    restore: bool,
    matching: MatchResult,
) -> PlanKind {
    if !restore && !sim.job(run.job).config.target_object_actions.update {
        return PlanKind::Skip {
            reason: None,
            detail: Some(Arc::from(
                "Update is not selected in Target Object Actions: the target user is not updated.",
            )),
            matching,
        };
    }
    match desired_values(sim, run, u, changes, false) {
        Ok(desired) => PlanKind::Update {
            target,
            desired: Box::new(desired),
            restore,
            matching,
        },
        Err(error) => PlanKind::Fail(error),
    }
}

/// Reads a source user's attributes for expressions (stored and computed ones), as the
/// provisioning engine imports them; "Test expression" reads them the same way.
pub(crate) struct SourceAttributes<'a> {
    pub(crate) sim: &'a Simulation,
    pub(crate) tenant: TenantIdx,
    pub(crate) user: UserIdx,
}

impl expr::Attributes for SourceAttributes<'_> {
    fn get(&self, name: &str) -> expr::Value {
        match self.sim.names.get(name) {
            Some(id) => mapping::value_to_expr(
                self.sim
                    .source_value(self.tenant, self.user, id, None)
                    .as_ref(),
            ),
            None => expr::Value::Null,
        }
    }
}

/// Evaluates the job's mappings for source user `u`: for a create (`create`), every mapping with
/// default values for nulls; for an update, only mappings applied always.
fn desired_values(
    sim: &Simulation,
    run: Run,
    u: UserIdx,
    changes: Option<&UserChanges>,
    create: bool,
) -> Result<Desired, ErrorInfo> {
    let job = sim.job(run.job);
    let (s, t) = (job.source, job.target);
    let source_user = sim.tenant(s).dir.user(u);
    let mut desired = Desired {
        values: Vec::with_capacity(job.mappings.len()),
        notes: Vec::new(),
    };
    // What expressions need besides the user's attributes: the names of the source attributes
    // that changed (the Switch quirk; updates only) and the user's random generator. Made when
    // the first expression mapping needs them, as most mapping sets have none and this runs for
    // every user.
    let expression_inputs = || {
        let changed_names: Option<BTreeSet<String>> = match (create, changes) {
            (false, Some(c)) if !run.initial => Some(crate::sort::collect_set(
                c.attributes.iter().map(|a| sim.names.name(*a).to_string()),
            )),
            _ => None,
        };
        let rng = SeededRng::new(
            sim.seed ^ stable_hash(&format!("{}/{}/{}/{}", run.tick, run.job, u, run.on_demand)),
        );
        (changed_names, rng)
    };
    let mut expression_state: Option<(Option<BTreeSet<String>>, SeededRng)> = None;
    for m in &job.mappings {
        if !create && m.flow == FlowType::ObjectAddOnly {
            continue;
        }
        let mut redacted = false;
        let mut write_null = false;
        let mut fill_if_empty = false;
        let value: Option<AttrValue> = match &m.source {
            MappingSource::Matching
            | MappingSource::ManagerReference
            | MappingSource::SoftDeleteState => continue,
            MappingSource::Direct(a) if !super::scope::is_computed(*a) => {
                source_user.attrs.get(*a).cloned()
            }
            MappingSource::Direct(a) => sim.source_value(s, u, *a, None),
            MappingSource::Constant(v) => Some(v.clone()),
            MappingSource::None => {
                fill_if_empty = true;
                None
            }
            MappingSource::Expression {
                parsed,
                text,
                redacted: r,
                ..
            } => {
                redacted = *r;
                let attrs = SourceAttributes {
                    sim,
                    tenant: s,
                    user: u,
                };
                let (changed_names, rng) = expression_state.get_or_insert_with(expression_inputs);
                let mut ctx = expr::EvalContext {
                    now: sim.time_at(run.tick),
                    rng,
                    changed_attributes: changed_names.as_ref(),
                    existing_values: &[],
                    purpose: expr::Purpose::CrossTenantMapping,
                };
                match expr::evaluate(parsed, &attrs, &mut ctx) {
                    Ok(expr::Outcome::Flow(v)) => mapping::value_from_expr(v),
                    Ok(expr::Outcome::DoNotFlow(reason)) => {
                        desired.notes.push(MappingNote {
                            attr: m.target,
                            note: Arc::from(format!("{reason}").as_str()),
                        });
                        None
                    }
                    Ok(expr::Outcome::WriteNull { reason }) => {
                        write_null = true;
                        desired.notes.push(MappingNote {
                            attr: m.target,
                            note: Arc::from(reason.as_str()),
                        });
                        None
                    }
                    Err(e) => {
                        return Err(ErrorInfo {
                            code: ErrorCode::AttributeMappingExpressionFailure,
                            message: Arc::from(
                                format!(
                                    "The expression mapped to '{}' failed: {e}. Expression: {text}",
                                    m.target_name
                                )
                                .as_str(),
                            ),
                        })
                    }
                }
            }
        };
        let value = match value {
            None if create && !write_null => m.default_value.as_deref().map(AttrValue::str),
            None if fill_if_empty => m.default_value.as_deref().map(AttrValue::str),
            other => other,
        };
        let value = value.map(|v| {
            let v = v.coerce_for(m.target);
            if m.target == known::USER_PRINCIPAL_NAME {
                match &v {
                    AttrValue::Str(upn) => AttrValue::Str(mapping::external_upn_shared(
                        upn,
                        &sim.tenant(t).initial_domain,
                    )),
                    _ => v,
                }
            } else {
                v
            }
        });
        desired.values.push(DesiredValue {
            attr: m.target,
            value,
            write_null,
            fill_if_empty,
            redacted,
        });
    }
    Ok(desired)
}

/// Accidental-deletion prevention: when this cycle's deletes plus disables are strictly above the
/// threshold, those users are staged (`StagedDelete`), nothing is deleted, and the job is
/// quarantined with `TooManyDeletes` until someone allows the deletes or restarts it.
fn stage_deletions(
    sim: &mut Simulation,
    j: JobIdx,
    tick: Tick,
    plans: &mut Vec<PlannedUser>,
) -> bool {
    let job = sim.job(j);
    let settings = job.config.accidental_deletion_prevention;
    if !settings.enabled || job.force_deletes {
        sim.jobs[j as usize].held_deletes.clear();
        return false;
    }
    let count = plans.iter().filter(|p| p.deprovisions).count();
    if count <= settings.threshold as usize {
        sim.jobs[j as usize].held_deletes.clear();
        return false;
    }
    let (held, kept): (Vec<PlannedUser>, Vec<PlannedUser>) = std::mem::take(plans)
        .into_iter()
        .partition(|p| p.deprovisions);
    *plans = kept;
    let cycle = sim.job(j).cycles_run;
    let run = Run {
        job: j,
        tick,
        cycle,
        initial: sim.job(j).needs_initial,
        on_demand: false,
    };
    let mut held_users = BTreeSet::new();
    for plan in held {
        held_users.insert(plan.user);
        let target = match &plan.kind {
            PlanKind::Delete { target }
            | PlanKind::HardDelete { target }
            | PlanKind::Update { target, .. } => Some(*target),
            _ => None,
        };
        let event = base_event(
            sim,
            run,
            plan.user,
            target,
            Action::StagedDelete,
            Status::Skipped,
            Effect::Skipped,
        );
        sim.push_event(Event::Object(Arc::new(ObjectEvent {
            scope: plan.scope,
            detail: Some(Arc::from(
                format!(
                    "Held by accidental deletion prevention: this cycle would delete or disable {count} users, above the threshold of {}. Nothing is deleted until an admin selects Allow deletes, or fixes the cause and restarts provisioning.",
                    settings.threshold
                )
                .as_str(),
            )),
            ..event
        })));
    }
    let job = &mut sim.jobs[j as usize];
    job.held_deletes = held_users;
    match &mut job.quarantine {
        Some(q) if q.reason == QuarantineReason::TooManyDeletes => {
            q.series_count += 1;
            q.next_attempt = tick + QUARANTINE_INTERVAL_TICKS;
            let (series_count, next_attempt) = (q.series_count, q.next_attempt);
            sim.push_event(Event::Job(Box::new(JobEvent {
                tick,
                job: j,
                kind: JobEventKind::QuarantineContinued {
                    series_count,
                    next_attempt,
                },
            })));
        }
        _ => {
            job.quarantine = Some(Quarantine {
                reason: QuarantineReason::TooManyDeletes,
                error: None,
                series_began: tick,
                current_began: tick,
                series_count: 1,
                next_attempt: tick + QUARANTINE_INTERVAL_TICKS,
            });
            sim.push_event(Event::Job(Box::new(JobEvent {
                tick,
                job: j,
                kind: JobEventKind::QuarantineEntered {
                    reason: QuarantineReason::TooManyDeletes,
                    error: None,
                    series_count: 1,
                    next_attempt: tick + QUARANTINE_INTERVAL_TICKS,
                },
            })));
        }
    }
    true
}

/// An event with the identity fields filled in.
fn base_event(
    sim: &Simulation,
    run: Run,
    u: UserIdx,
    target: Option<UserIdx>,
    action: Action,
    status: Status,
    effect: Effect,
) -> ObjectEvent {
    let job = sim.job(run.job);
    let source_user = sim.tenant(job.source).dir.user(u);
    let target_upn = target.map(|x| sim.tenant(job.target).dir.user(x).upn_shared());
    ObjectEvent {
        tick: run.tick,
        job: run.job,
        job_cycle: run.cycle,
        on_demand: run.on_demand,
        initial_cycle: run.initial,
        source_tenant: job.source,
        source_user: u,
        source_upn: source_user.upn_shared(),
        source_display_name: source_user.display_name_shared(),
        target_tenant: job.target,
        target_user: target,
        target_upn,
        action,
        status,
        effect,
        skip_reason: None,
        error: None,
        detail: None,
        scope: None,
        matching: MatchResult::NotEvaluated,
        modified: Modified::default(),
        mapping_notes: Box::default(),
    }
}

/// Scoping results shared by the log entries of a cycle: most users of a cycle are in scope for
/// the same reasons (the same assigned group, no filter or the same clause results), so each
/// entry that has the previous entry's result shares it rather than allocating its own copy.
#[derive(Default)]
struct SharedScopes {
    last: Option<Arc<ScopeResult>>,
}

impl SharedScopes {
    fn share(&mut self, scope: ScopeResult) -> Arc<ScopeResult> {
        match &self.last {
            Some(last) if **last == scope => last.clone(),
            _ => {
                let shared = Arc::new(scope);
                self.last = Some(shared.clone());
                shared
            }
        }
    }
}

/// Carries out a plan; returns the index of the event it logged, and its status (so that the
/// caller need not read back the entry it has just stored).
fn execute(
    sim: &mut Simulation,
    run: Run,
    plan: PlannedUser,
    changes: Option<&UserChanges>,
) -> Option<(usize, Status)> {
    let j = run.job;
    let u = plan.user;
    let scope = plan.scope;
    let event = match plan.kind {
        PlanKind::Skip {
            reason,
            detail,
            matching,
        } => {
            let target = match matching {
                MatchResult::Linked(x) | MatchResult::Matched(x) => Some(x),
                _ => None,
            };
            let e = base_event(
                sim,
                run,
                u,
                target,
                Action::Other,
                Status::Skipped,
                Effect::Skipped,
            );
            ObjectEvent {
                skip_reason: reason,
                detail,
                scope,
                matching,
                ..e
            }
        }
        PlanKind::Fail(error) => mapping_failed(sim, run, u, error, scope),
        PlanKind::Create => match copied_create(sim, run, u) {
            Some(copied) => execute_create(sim, run, u, CreateValues::Copied(copied), scope),
            None => match desired_values(sim, run, u, None, true) {
                Ok(desired) => execute_create(sim, run, u, CreateValues::Desired(desired), scope),
                Err(error) => mapping_failed(sim, run, u, error, scope),
            },
        },
        PlanKind::Update {
            target,
            desired,
            restore,
            matching,
        } => execute_update(
            sim, run, u, target, *desired, restore, matching, scope, changes,
        ),
        PlanKind::Delete { target } => {
            let t = sim.job(j).target;
            sim.tenants[t as usize]
                .dir
                .soft_delete(target, run.tick, DeletedBy::Sync(j));
            if let Some(link) = sim.jobs[j as usize].links.get_mut(&u) {
                link.state = LinkState::SoftDeleted(run.tick);
            }
            let e = base_event(
                sim,
                run,
                u,
                Some(target),
                Action::Delete,
                Status::Success,
                Effect::SoftDeleted,
            );
            ObjectEvent {
                scope,
                matching: MatchResult::Linked(target),
                modified: Modified::from(vec![ModifiedProperty {
                    attr: known::IS_SOFT_DELETED,
                    old: Some(AttrValue::Bool(false)),
                    new: Some(AttrValue::Bool(true)),
                    redacted: false,
                }]),
                ..e
            }
        }
        PlanKind::HardDelete { target } => {
            let t = sim.job(j).target;
            let e = base_event(
                sim,
                run,
                u,
                Some(target),
                Action::Delete,
                Status::Success,
                Effect::HardDeleted,
            );
            sim.tenants[t as usize].dir.purge(target, run.tick);
            sim.jobs[j as usize].links.remove(&u);
            ObjectEvent {
                scope,
                matching: MatchResult::Linked(target),
                detail: Some(Arc::from("The user was permanently deleted in the source tenant, so the linked user is deleted in the target tenant.")),
                ..e
            }
        }
    };
    if event.status != Status::Failure {
        sim.jobs[j as usize].escrows.remove(&u);
    }
    let status = event.status;
    sim.push_event(Event::Object(Arc::new(event)));
    Some((sim.events.len() - 1, status))
}

/// A user whose mapped values could not be evaluated: escrowed, nothing exported.
fn mapping_failed(
    sim: &mut Simulation,
    run: Run,
    u: UserIdx,
    error: ErrorInfo,
    scope: Option<Arc<ScopeResult>>,
) -> ObjectEvent {
    escrow_failure(sim, run.job, u, run.tick, error.clone());
    let e = base_event(
        sim,
        run,
        u,
        None,
        Action::Other,
        Status::Failure,
        Effect::Failed,
    );
    ObjectEvent {
        error: Some(error),
        scope,
        ..e
    }
}

fn escrow_failure(sim: &mut Simulation, j: JobIdx, u: UserIdx, tick: Tick, error: ErrorInfo) {
    let escrows = &mut sim.jobs[j as usize].escrows;
    match escrows.get_mut(&u) {
        Some(escrow) => {
            if !escrow.failed_again(tick, error) {
                escrows.remove(&u);
            }
        }
        None => {
            escrows.insert(u, Escrow::new(tick, error));
        }
    }
}

fn address_matches(user: &DirUser, mail: &str) -> bool {
    user.mail().is_some_and(|m| m.eq_ignore_ascii_case(mail))
        || user
            .attrs
            .get(known::PROXY_ADDRESSES)
            .is_some_and(|v| match v {
                AttrValue::List(items) => items.iter().any(|a| {
                    let address = a.split_once(':').map_or(&**a, |(_, rest)| rest);
                    address.eq_ignore_ascii_case(mail)
                }),
                AttrValue::Str(a) => a.eq_ignore_ascii_case(mail),
                AttrValue::Bool(_) => false,
            })
}

/// What a create writes: the evaluated mappings, or — when the job's mappings only copy values
/// and write constants ([`CreateCopy`](super::job::CreateCopy)) — the created object's
/// attributes as a view of the source user's.
enum CreateValues {
    Desired(Desired),
    Copied(CopiedCreate),
}

/// A create whose values a job copies: exactly what evaluating its mappings and storing the
/// result would give, without copying each value.
struct CopiedCreate {
    attrs: Attrs,
    /// The job's create layout: the log lists the values in mapping order.
    order: CreateOrder,
    /// Why the `userType` that flowed can't be written (the create fails), if it can't.
    user_type_error: Option<String>,
    exported_disabled: bool,
}

/// Why a create can't write `userType` as `text`, if it can't: only Member and Guest are valid.
fn user_type_error(text: &str) -> Option<String> {
    (text != "Member" && text != "Guest")
        .then(|| format!("userType '{text}' is not valid: it must be Member or Guest."))
}

impl CreateValues {
    /// The evaluated mappings (for the rare paths that update an existing account instead).
    fn into_desired(self, sim: &Simulation, run: Run, u: UserIdx) -> Result<Desired, ErrorInfo> {
        match self {
            CreateValues::Desired(desired) => Ok(desired),
            CreateValues::Copied(_) => desired_values(sim, run, u, None, true),
        }
    }
}

/// The created object's attributes for a job whose mappings copy values (see
/// [`CreateCopy`](super::job::CreateCopy)); `None` when the job's mappings do more, or when this
/// user's values would not be stored as they flowed (a Boolean stored as text, no
/// `accountEnabled`, a `userType` that is not text): then the create evaluates every mapping.
fn copied_create(sim: &Simulation, run: Run, u: UserIdx) -> Option<CopiedCreate> {
    let job = sim.job(run.job);
    let copy = job.create_copy.as_ref()?;
    let source = &sim.tenant(job.source).dir.user(u).attrs;
    for &b in &copy.shown_booleans {
        if let Some(v @ AttrValue::Str(_)) = source.get(b) {
            if v.as_bool().is_some() {
                return None;
            }
        }
    }
    let mut own = Vec::with_capacity(3);
    if copy.upn {
        match source.get(known::USER_PRINCIPAL_NAME) {
            Some(AttrValue::Str(upn)) => own.push((
                known::USER_PRINCIPAL_NAME,
                AttrValue::Str(mapping::external_upn_shared(
                    upn,
                    &sim.tenant(job.target).initial_domain,
                )),
            )),
            Some(other) => own.push((known::USER_PRINCIPAL_NAME, other.clone())),
            None => {}
        }
    }
    // What flowed for accountEnabled and userType, as `desired_values` would give them (the
    // constants are the layout's, shared by every account the job creates).
    let layout = &*copy.layout;
    let flowed = |id: AttrId| -> Option<&AttrValue> {
        if layout.shows(id) {
            source.get(id)
        } else {
            layout.common(id)
        }
    };
    let mapped = |id: AttrId| layout.shows(id) || layout.common(id).is_some();
    let account_enabled = flowed(known::ACCOUNT_ENABLED);
    let exported_disabled = account_enabled.and_then(AttrValue::as_bool) == Some(false);
    if account_enabled.is_none() {
        if mapped(known::ACCOUNT_ENABLED) {
            // Mapped but null: the object is enabled, but the log must not list the value.
            return None;
        }
        own.push((known::ACCOUNT_ENABLED, AttrValue::Bool(true)));
    }
    let user_type_error = match flowed(known::USER_TYPE) {
        Some(AttrValue::Str(text)) => user_type_error(text),
        // Mapped but null, or not text: the object stores another value than flowed.
        Some(_) => return None,
        None if mapped(known::USER_TYPE) => return None,
        None => {
            own.push((known::USER_TYPE, AttrValue::str("Member")));
            None
        }
    };
    Some(CopiedCreate {
        attrs: Attrs::view(source, copy.layout.clone(), own),
        order: copy.order.clone(),
        user_type_error,
        exported_disabled,
    })
}

/// The create path: the invitation manager first looks for what already holds the address.
fn execute_create(
    sim: &mut Simulation,
    run: Run,
    u: UserIdx,
    values: CreateValues,
    scope: Option<Arc<ScopeResult>>,
) -> ObjectEvent {
    let j = run.job;
    let (s, t) = (sim.job(j).source, sim.job(j).target);
    let source_user = sim.tenant(s).dir.user(u);
    let mail = source_user.mail_shared();
    let source_home_tenant = sim.tenant(s).tenant_id.clone();
    let fail = |sim: &mut Simulation, code: ErrorCode, message: &str, matching: MatchResult| {
        let error = ErrorInfo {
            code,
            message: Arc::from(message),
        };
        escrow_failure(sim, j, u, run.tick, error.clone());
        let e = base_event(
            sim,
            run,
            u,
            None,
            Action::Create,
            Status::Failure,
            Effect::Failed,
        );
        ObjectEvent {
            error: Some(error),
            scope: scope.clone(),
            matching,
            ..e
        }
    };
    if let Some(mail) = &mail {
        let target_dir = &sim.tenant(t).dir;
        // Hashed once for both lookups.
        let with_address = target_dir.users_with_address(mail);
        let conflict = with_address.clone().find(|x| {
            let candidate = target_dir.user(*x);
            candidate.is_active() && candidate.is_internal() && address_matches(candidate, mail)
        });
        let existing = with_address.clone().find(|x| {
            let candidate = target_dir.user(*x);
            candidate.is_active()
                && candidate.external.as_ref().is_some_and(|h| {
                    h.state == ExternalUserState::PendingAcceptance
                        || (h.tenant_id == source_home_tenant && h.user != Some(u))
                })
                && candidate
                    .mail()
                    .is_some_and(|m| m.eq_ignore_ascii_case(mail))
        });
        if let Some(conflict) = conflict {
            let message = format!("The invited user's proxy address {mail} matches an internal user in the target tenant ({}). Cross-tenant synchronization can't match an internal user.", sim.tenant(t).dir.user(conflict).upn());
            return fail(
                sim,
                ErrorCode::InvitationCreationFailureAmbiguousUser,
                &message,
                MatchResult::InternalConflict(conflict),
            );
        }
        if let Some(existing) = existing {
            let pending = target_dir
                .user(existing)
                .external
                .as_ref()
                .is_some_and(|h| h.state == ExternalUserState::PendingAcceptance);
            let desired = match values.into_desired(sim, run, u) {
                Ok(desired) => desired,
                Err(error) => return mapping_failed(sim, run, u, error, scope),
            };
            if pending {
                return redeem_pending_invitation(sim, run, u, existing, desired, scope);
            }
            // Known issue: two source users with the same mail end up linked to one target user.
            let matching = MatchResult::SameMail(existing);
            let mut event =
                execute_update(sim, run, u, existing, desired, false, matching, scope, None);
            event.detail = Some(Arc::from(format!("Known issue: another source user with the same mail ({mail}) was already provisioned; the invitation found that account and linked this user to it as well.").as_str()));
            return event;
        }
    }
    if sim.tenant(t).allow_invites_from == InviteRestriction::None {
        return fail(
            sim,
            ErrorCode::AzureActiveDirectoryForbidden,
            "Guest invitations not allowed for your company. Contact your company administrator for more details.",
            MatchResult::NoMatch,
        );
    }
    if let Some(mail) = &mail {
        // The bytes after the last `@` (a short scan from the end beats `rsplit_once` here).
        let at = mail.bytes().rposition(|b| b == b'@');
        let domain = at.map_or("", |at| &mail[at + 1..]);
        if !sim.tenant(s).owns_domain(domain) {
            return fail(
                sim,
                ErrorCode::InvitationCreationFailureInvalidPropertyValue,
                &format!("The primary SMTP address {mail} is not valid for an invitation: its domain {domain} is not a verified domain of the source tenant."),
                MatchResult::NoMatch,
            );
        }
    }
    let (invalid_user_type, exported_disabled, attrs, modified, notes) = match values {
        CreateValues::Copied(copied) => {
            let modified = Modified::created(copied.attrs.clone(), copied.order);
            let invalid = copied.user_type_error;
            (
                invalid,
                copied.exported_disabled,
                copied.attrs,
                modified,
                Vec::new(),
            )
        }
        CreateValues::Desired(desired) => {
            // userType is stored as text: the mapped value itself when it already is text.
            let user_type = match desired.get(known::USER_TYPE) {
                Some(text @ AttrValue::Str(_)) => text.clone(),
                Some(other) => AttrValue::str(&other.to_string()),
                None => AttrValue::str("Member"),
            };
            let invalid = user_type_error(user_type.as_str().unwrap_or_default());
            let exported_disabled = desired
                .get(known::ACCOUNT_ENABLED)
                .and_then(AttrValue::as_bool)
                == Some(false);
            let (attrs, modified, notes) = evaluated_create(sim, j, desired, user_type);
            (invalid, exported_disabled, attrs, modified, notes)
        }
    };
    if let Some(message) = invalid_user_type {
        return fail(
            sim,
            ErrorCode::InvitationCreationFailureInvalidPropertyValue,
            &message,
            MatchResult::NoMatch,
        );
    }
    // Every reference count changes before the account is stored (the shared texts the log
    // entry and the account keep, the mail no longer needed): on x86 an atomic
    // instruction first waits for every earlier store to reach the cache, and storing the
    // account writes lines of memory not touched before. For the same reason the log entry is
    // made first, and names the created UPN from its attributes (as `upn_shared` would read it
    // from the stored account): reading the account back right after copying it into place
    // waited for that copy.
    drop(mail);
    let object_id = sim.next_guid();
    let source_object_id = sim.tenant(s).dir.user(u).object_id.clone();
    let target_upn = match attrs.get(known::USER_PRINCIPAL_NAME) {
        Some(AttrValue::Str(upn)) => upn.clone(),
        _ => Arc::from(""),
    };
    let e = base_event(
        sim,
        run,
        u,
        None,
        Action::Create,
        Status::Success,
        Effect::Created,
    );
    let new_user = DirUser {
        object_id,
        local_id: None,
        attrs,
        external: Some(ExternalHome {
            tenant_id: source_home_tenant,
            object_id: source_object_id,
            tenant: Some(s),
            user: Some(u),
            state: ExternalUserState::Accepted,
        }),
        manager: None,
        sms_sign_in_enabled: false,
        deleted: None,
        purged_at: None,
        created_by: Some(j),
        member_of: Default::default(),
    };
    let target = match sim.tenants[t as usize].dir.add_user(new_user) {
        Ok(x) => x,
        Err(message) => {
            return fail(
                sim,
                ErrorCode::InvitationCreationFailure,
                &message,
                MatchResult::NoMatch,
            );
        }
    };
    sim.jobs[j as usize].links.insert(
        u,
        Link {
            target,
            state: LinkState::Provisioned,
            exported_disabled,
            upn_stale: false,
        },
    );
    ObjectEvent {
        target_user: Some(target),
        target_upn: Some(target_upn),
        scope,
        matching: MatchResult::NoMatch,
        modified,
        mapping_notes: notes.into_boxed_slice(),
        ..e
    }
}

/// A create's attributes and log values from its evaluated mappings, and the mappings' notes.
fn evaluated_create(
    sim: &Simulation,
    j: JobIdx,
    desired: Desired,
    user_type: AttrValue,
) -> (Attrs, Modified, Vec<MappingNote>) {
    let Desired { mut values, notes } = desired;
    // The create's log entry shares the created object's attributes when they hold exactly the
    // values that flowed, in the job's layout: always, unless a mapping wrote no accountEnabled
    // or userType, or a userType that is not text (the object then holds another value).
    let layout = sim.job(j).create_layout.as_ref().filter(|layout| {
        layout.order.len() == values.len()
            && values
                .iter()
                .zip(layout.order.iter())
                .all(|(v, &(attr, redacted))| {
                    v.attr == attr
                        && v.redacted == redacted
                        && match attr {
                            a if a == known::ACCOUNT_ENABLED => v.value.is_some(),
                            a if a == known::USER_TYPE => v.value.as_ref() == Some(&user_type),
                            _ => true,
                        }
                })
    });
    match layout {
        Some(layout) => {
            let mut entries = Vec::with_capacity(values.len() + 2);
            for &i in layout.sorted.iter() {
                if let Some(value) = values[i].value.take() {
                    entries.push((values[i].attr, value));
                }
            }
            let attrs = created_attrs(entries, user_type);
            let modified = Modified::created(attrs.clone(), layout.order.clone());
            (attrs, modified, notes)
        }
        None => {
            let mut modified = Vec::with_capacity(values.len() + 1);
            let mut entries = Vec::with_capacity(values.len() + 2);
            for v in values {
                if let Some(value) = v.value {
                    modified.push(ModifiedProperty {
                        attr: v.attr,
                        old: None,
                        new: Some(value.clone()),
                        redacted: v.redacted,
                    });
                    entries.push((v.attr, value));
                }
            }
            (
                created_attrs(entries, user_type),
                Modified::from(modified),
                notes,
            )
        }
    }
}

/// The attributes of a created object: the mapped values, enabled unless a mapping said
/// otherwise, and its userType.
fn created_attrs(mut entries: Vec<(AttrId, AttrValue)>, user_type: AttrValue) -> Attrs {
    if !entries.iter().any(|(id, _)| *id == known::ACCOUNT_ENABLED) {
        entries.push((known::ACCOUNT_ENABLED, AttrValue::Bool(true)));
    }
    // The last value of an id wins.
    entries.push((known::USER_TYPE, user_type));
    Attrs::from_entries(entries)
}

/// An unredeemed invitation found by mail: the add redeems it, but drops the UPN update, so the
/// UPN stays derived from mail until an initial cycle or provision on demand.
fn redeem_pending_invitation(
    sim: &mut Simulation,
    run: Run,
    u: UserIdx,
    target: UserIdx,
    desired: Desired,
    scope: Option<Arc<ScopeResult>>,
) -> ObjectEvent {
    let j = run.job;
    let (s, t) = (sim.job(j).source, sim.job(j).target);
    let home_tenant = sim.tenant(s).tenant_id.clone();
    let home_object = sim.tenant(s).dir.user(u).object_id.clone();
    {
        let dir = &mut sim.tenants[t as usize].dir;
        let user = dir.user_mut(target);
        user.external = Some(ExternalHome {
            tenant_id: home_tenant,
            object_id: home_object,
            tenant: Some(s),
            user: Some(u),
            state: ExternalUserState::Accepted,
        });
    }
    sim.tenants[t as usize].dir.reindex_home(target);
    let mut modified = vec![ModifiedProperty {
        attr: known::EXTERNAL_USER_STATE,
        old: Some(AttrValue::str("PendingAcceptance")),
        new: Some(AttrValue::str("Accepted")),
        redacted: false,
    }];
    let mut notes = desired.notes.clone();
    for v in desired.values.iter().filter(|v| v.attr != known::USER_TYPE) {
        if v.attr == known::USER_PRINCIPAL_NAME {
            notes.push(MappingNote {
                attr: v.attr,
                note: Arc::from("The invitation was pending (PendingAcceptance), so the add went through the invitation manager and the UPN update was dropped: the UPN stays derived from mail until provision on demand or a restart."),
            });
            continue;
        }
        write_value(sim, t, target, v, &mut modified);
    }
    let exported_disabled = desired
        .get(known::ACCOUNT_ENABLED)
        .and_then(AttrValue::as_bool)
        == Some(false);
    sim.jobs[j as usize].links.insert(
        u,
        Link {
            target,
            state: LinkState::Provisioned,
            exported_disabled,
            upn_stale: true,
        },
    );
    let e = base_event(
        sim,
        run,
        u,
        Some(target),
        Action::Create,
        Status::Success,
        Effect::Updated,
    );
    ObjectEvent {
        scope,
        matching: MatchResult::PendingInvitation(target),
        modified: Modified::from(modified),
        mapping_notes: notes.into_boxed_slice(),
        ..e
    }
}

/// Writes one desired value when it differs from the target's current value (Entra compares
/// with the target's current value, not with what it wrote last time).
fn write_value(
    sim: &mut Simulation,
    t: TenantIdx,
    target: UserIdx,
    v: &DesiredValue,
    modified: &mut Vec<ModifiedProperty>,
) {
    let current = sim.tenant(t).dir.user(target).attrs.get(v.attr).cloned();
    let new = match (&v.value, &current) {
        (Some(_), Some(_)) if v.fill_if_empty => return,
        (Some(new), Some(old)) if new.same_as(old) => return,
        (Some(new), _) => Some(new.clone()),
        (None, Some(_)) if v.write_null => None,
        (None, _) => return,
    };
    sim.tenants[t as usize]
        .dir
        .write_attr(target, v.attr, new.clone());
    modified.push(ModifiedProperty {
        attr: v.attr,
        old: current,
        new,
        redacted: v.redacted,
    });
}

#[allow(clippy::too_many_arguments)]
fn execute_update(
    sim: &mut Simulation,
    run: Run,
    u: UserIdx,
    target: UserIdx,
    desired: Desired,
    restore: bool,
    matching: MatchResult,
    scope: Option<Arc<ScopeResult>>,
    changes: Option<&UserChanges>,
) -> ObjectEvent {
    let j = run.job;
    let (s, t) = (sim.job(j).source, sim.job(j).target);
    let mut modified = Vec::new();
    let mut notes = desired.notes.clone();
    if restore {
        sim.tenants[t as usize].dir.restore(target);
        modified.push(ModifiedProperty {
            attr: known::IS_SOFT_DELETED,
            old: Some(AttrValue::Bool(true)),
            new: Some(AttrValue::Bool(false)),
            redacted: false,
        });
    }
    let link = sim.job(j).links.get(&u).copied();
    let upn_stale =
        link.is_some_and(|l| l.upn_stale && l.target == target) && !run.initial && !run.on_demand;
    let was_enabled = sim.tenant(t).dir.user(target).account_enabled();
    for v in &desired.values {
        if v.attr == known::USER_PRINCIPAL_NAME && upn_stale {
            if v.value.as_ref().is_some_and(|new| {
                !sim.tenant(t)
                    .dir
                    .user(target)
                    .attrs
                    .get(v.attr)
                    .is_some_and(|old| new.same_as(old))
            }) {
                notes.push(MappingNote {
                    attr: v.attr,
                    note: Arc::from("Not updated: this user was linked through a pending invitation, and the UPN is only corrected by provision on demand or a restart (initial cycle)."),
                });
            }
            continue;
        }
        write_value(sim, t, target, v, &mut modified);
    }
    // Null values are not provisioned: a value cleared in the source stays in the target.
    if let Some(changes) = changes {
        for m in &sim.job(j).mappings {
            if let MappingSource::Direct(a) = m.source {
                if changes.attributes.contains(&a)
                    && m.flow == FlowType::Always
                    && sim.source_value(s, u, a, None).is_none()
                {
                    if let Some(old) = sim.tenant(t).dir.user(target).attrs.get(m.target) {
                        notes.push(MappingNote {
                            attr: m.target,
                            note: Arc::from(format!("{} was cleared in the source, but null values are not provisioned: the target keeps '{old}'.", sim.names.name(a)).as_str()),
                        });
                    }
                }
            }
        }
    }
    let is_enabled = sim.tenant(t).dir.user(target).account_enabled();
    let exported_disabled = match desired
        .get(known::ACCOUNT_ENABLED)
        .and_then(AttrValue::as_bool)
    {
        Some(enabled) => !enabled,
        None => link.is_some_and(|l| l.exported_disabled),
    };
    sim.jobs[j as usize].links.insert(
        u,
        Link {
            target,
            state: LinkState::Provisioned,
            exported_disabled,
            upn_stale: upn_stale && link.is_some_and(|l| l.upn_stale),
        },
    );
    let (action, status, effect, skip) = if restore {
        (Action::Update, Status::Success, Effect::Restored, None)
    } else if was_enabled && !is_enabled {
        (Action::Disable, Status::Success, Effect::Disabled, None)
    } else if !modified.is_empty() {
        (Action::Update, Status::Success, Effect::Updated, None)
    } else {
        (
            Action::Other,
            Status::Skipped,
            Effect::Skipped,
            Some(SkipReason::RedundantExport),
        )
    };
    let e = base_event(sim, run, u, Some(target), action, status, effect);
    ObjectEvent {
        skip_reason: skip,
        scope,
        matching,
        modified: Modified::from(modified),
        mapping_notes: notes.into_boxed_slice(),
        ..e
    }
}

/// Reference resolution after the users of a cycle were exported: the manager is written when
/// both the user and the manager are provisioned by this job; a manager removed in the source is
/// not cleared; a manager provisioned later is written only when this user is processed again.
fn resolve_managers(sim: &mut Simulation, run: Run, processed: &[(UserIdx, usize)]) {
    let j = run.job;
    let has_manager_mapping = sim
        .job(j)
        .mappings
        .iter()
        .any(|m| matches!(m.source, MappingSource::ManagerReference));
    if !has_manager_mapping {
        return;
    }
    let supported = sim.manager_supported(j);
    let (s, t) = (sim.job(j).source, sim.job(j).target);
    for &(u, event_index) in processed {
        let Event::Object(event) = &sim.events[event_index] else {
            continue;
        };
        let in_scope = event.scope.as_ref().is_some_and(|sc| sc.in_scope);
        let Some(target) = event.target_user else {
            continue;
        };
        if !in_scope || event.status == Status::Failure {
            continue;
        }
        let Some(manager) = sim.tenant(s).dir.user(u).manager else {
            continue;
        };
        // Only the notes below name the manager.
        let manager_upn = |sim: &Simulation| sim.tenant(s).dir.user(manager).upn_shared();
        if !supported {
            let manager_upn = manager_upn(sim);
            push_note(sim, event_index, known::MANAGER, format!("The manager ({manager_upn}) is not synchronized: manager sync isn't supported in Azure Government or across clouds."));
            continue;
        }
        let manager_target = sim
            .job(j)
            .links
            .get(&manager)
            .filter(|l| l.state == LinkState::Provisioned)
            .map(|l| l.target)
            .filter(|m| sim.tenant(t).dir.user(*m).is_active());
        let Some(manager_target) = manager_target else {
            let manager_upn = manager_upn(sim);
            push_note(sim, event_index, known::MANAGER, format!("The manager ({manager_upn}) is not provisioned by this job, so the reference can't be written. It is written when this user changes again, is provisioned on demand, or the job restarts."));
            continue;
        };
        let current = sim.tenant(t).dir.user(target).manager;
        if current == Some(manager_target) {
            continue;
        }
        let old = current.map(|m| AttrValue::Str(sim.tenant(t).dir.user(m).upn_shared()));
        let new = AttrValue::Str(sim.tenant(t).dir.user(manager_target).upn_shared());
        // The log entry first, the account after: making the entry unique is an atomic
        // instruction, which would wait for the store into the account (see `execute_create`).
        if let Event::Object(event) = &mut sim.events[event_index] {
            let event = Arc::make_mut(event);
            event.modified.push(ModifiedProperty {
                attr: known::MANAGER,
                old,
                new: Some(new),
                redacted: false,
            });
            if event.skip_reason == Some(SkipReason::RedundantExport) {
                event.skip_reason = None;
                event.action = Action::Update;
                event.status = Status::Success;
                event.effect = Effect::Updated;
            }
        }
        sim.tenants[t as usize].dir.user_mut(target).manager = Some(manager_target);
    }
}

fn push_note(sim: &mut Simulation, event_index: usize, attr: AttrId, note: String) {
    if let Event::Object(event) = &mut sim.events[event_index] {
        let event = Arc::make_mut(event);
        let note = MappingNote {
            attr,
            note: Arc::from(note.as_str()),
        };
        event.mapping_notes = append(std::mem::take(&mut event.mapping_notes), note);
    }
}

fn connection_failed(sim: &mut Simulation, j: JobIdx, tick: Tick, error: ErrorInfo) {
    sim.push_event(Event::Job(Box::new(JobEvent {
        tick,
        job: j,
        kind: JobEventKind::ConnectionTestFailed(error.clone()),
    })));
    let job = &mut sim.jobs[j as usize];
    job.consecutive_failures += 1;
    job.last_error = Some(error.clone());
    let next_attempt = tick + QUARANTINE_INTERVAL_TICKS;
    let kind = match &mut job.quarantine {
        Some(q) => {
            q.series_count += 1;
            q.next_attempt = next_attempt;
            if tick >= q.series_began + QUARANTINE_DISABLE_AFTER_TICKS {
                job.disabled = true;
                JobEventKind::Disabled
            } else {
                JobEventKind::QuarantineContinued {
                    series_count: q.series_count,
                    next_attempt,
                }
            }
        }
        None if job.consecutive_failures >= QUARANTINE_AFTER_FAILED_CYCLES => {
            job.quarantine = Some(Quarantine {
                reason: QuarantineReason::EncounteredQuarantineException,
                error: Some(error.clone()),
                series_began: tick,
                current_began: tick,
                series_count: 1,
                next_attempt,
            });
            JobEventKind::QuarantineEntered {
                reason: QuarantineReason::EncounteredQuarantineException,
                error: Some(error),
                series_count: 1,
                next_attempt,
            }
        }
        None => return,
    };
    sim.push_event(Event::Job(Box::new(JobEvent { tick, job: j, kind })));
}

fn connection_succeeded(sim: &mut Simulation, j: JobIdx, tick: Tick) {
    let job = &mut sim.jobs[j as usize];
    job.consecutive_failures = 0;
    job.last_error = None;
    if job
        .quarantine
        .as_ref()
        .is_some_and(|q| q.reason == QuarantineReason::EncounteredQuarantineException)
    {
        job.quarantine = None;
        sim.push_event(Event::Job(Box::new(JobEvent {
            tick,
            job: j,
            kind: JobEventKind::QuarantineLeft,
        })));
    }
}

/// Escrow thresholds (semantics §5.2): evaluated from 5,000 failures; quarantine when more than
/// 40% of the cycle's events failed or more than 40,000 failures are escrowed. During an initial
/// cycle the escrows are pruned instead.
fn check_escrow_thresholds(
    sim: &mut Simulation,
    j: JobIdx,
    tick: Tick,
    initial: bool,
    evaluated: u32,
    failed: u32,
) {
    let escrowed = sim.job(j).escrows.len();
    if escrowed < ESCROW_EVALUATION_MINIMUM {
        return;
    }
    let reason = if escrowed > ESCROW_TOTAL_THRESHOLD {
        QuarantineReason::EncounteredTotalEscrowThreshold
    } else if u64::from(failed) * 10 > u64::from(evaluated) * 4 {
        QuarantineReason::EncounteredEscrowProportionThreshold
    } else {
        return;
    };
    let job = &mut sim.jobs[j as usize];
    if initial {
        job.escrows.clear();
        sim.push_event(Event::Job(Box::new(JobEvent {
            tick,
            job: j,
            kind: JobEventKind::EscrowsPruned,
        })));
        return;
    }
    if job.quarantine.is_some() {
        return;
    }
    let next_attempt = tick + QUARANTINE_INTERVAL_TICKS;
    job.quarantine = Some(Quarantine {
        reason,
        error: None,
        series_began: tick,
        current_began: tick,
        series_count: 1,
        next_attempt,
    });
    sim.push_event(Event::Job(Box::new(JobEvent {
        tick,
        job: j,
        kind: JobEventKind::QuarantineEntered {
            reason,
            error: None,
            series_count: 1,
            next_attempt,
        },
    })));
}
