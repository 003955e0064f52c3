//! Plain rows the components render, read from core's simulation: tenant cards, job arrows,
//! change rows and counts. No rule is decided here — every value comes from core (counts, badges,
//! status codes, Entra's action and status, the effect) — this only gathers them per component.

use std::collections::BTreeMap;

use ctsync_core::engine::event::{Action, Effect, Event, JobEventKind, ObjectEvent, Status};
use ctsync_core::engine::view::UserCounts;
use ctsync_core::scenario::UserRef;
use ctsync_core::Simulation;

/// A tenant's node on the canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantCard {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub cloud: &'static str,
    pub counts: UserCounts,
    /// What the last tick did to this tenant's users, by effect (skips left out).
    pub delta: Vec<(Effect, usize)>,
}

/// A sync job's arrow on the canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct JobArrow {
    pub id: String,
    pub name: String,
    pub source: String,
    pub target: String,
    /// Core's badge: not started, running, paused, failing, quarantined, disabled.
    pub badge: &'static str,
    /// Graph's `synchronizationStatus.code`.
    pub status_code: &'static str,
    /// Entra's error code and message when failing or quarantined.
    pub error: Option<(String, String)>,
    /// The last tick changed users through this job, or the job itself.
    pub changed: bool,
}

/// A short name for the cloud on a node.
fn cloud_short(cloud: ctsync_core::scenario::Cloud) -> &'static str {
    use ctsync_core::scenario::Cloud;
    match cloud {
        Cloud::Commercial => "Commercial",
        Cloud::UsGovernment => "US Government",
        Cloud::China21Vianet => "21Vianet",
    }
}

/// The events of the tick that just ran (the one before `cursor`), in `head`.
pub fn last_tick_events(head: &Simulation, cursor: u64) -> &[Event] {
    match cursor.checked_sub(1) {
        Some(tick) => head.events_of_tick(tick),
        None => &[],
    }
}

/// Counts of `events` by effect, every effect listed (zeros included), in core's order.
pub fn effect_counts(events: &[Event]) -> Vec<(Effect, usize)> {
    let mut counts: BTreeMap<Effect, usize> =
        ctsync_core::sort::collect_map(Effect::ALL.iter().map(|e| (*e, 0)));
    for effect in events.iter().filter_map(Event::effect) {
        *counts.entry(effect).or_insert(0) += 1;
    }
    Effect::ALL.iter().map(|e| (*e, counts[e])).collect()
}

/// Tenant cards for every tenant of `view`, with the last tick's changes from `last`.
pub fn tenant_cards(view: &Simulation, last: &[Event]) -> Vec<TenantCard> {
    let mut deltas: BTreeMap<u16, BTreeMap<Effect, usize>> = BTreeMap::new();
    for event in last {
        let (tenant, effect) = match event {
            Event::Object(e) if e.effect != Effect::Skipped => (e.target_tenant, e.effect),
            Event::Directory(e) => (e.tenant, Effect::HardDeleted),
            _ => continue,
        };
        *deltas.entry(tenant).or_default().entry(effect).or_insert(0) += 1;
    }
    (0..view.tenants.len())
        .filter(|&i| !view.tenants[i].deleted)
        .map(|i| {
            let t = i as u16;
            let ts = view.tenant(t);
            TenantCard {
                id: ts.id.to_string(),
                name: ts.display_name.clone(),
                domain: ts
                    .verified_domains
                    .first()
                    .cloned()
                    .unwrap_or_else(|| ts.initial_domain.clone()),
                cloud: cloud_short(ts.cloud),
                counts: view.user_counts(t),
                delta: deltas
                    .remove(&t)
                    .map(|d| d.into_iter().collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// Arrows for every job of `view` that was not deleted.
pub fn job_arrows(view: &Simulation, last: &[Event]) -> Vec<JobArrow> {
    (0..view.jobs.len())
        .filter(|j| !view.jobs[*j].deleted)
        .map(|j| {
            let jx = j as u16;
            let job = view.job(jx);
            let changed = last.iter().any(|e| match e {
                Event::Object(o) => o.job == jx && o.effect != Effect::Skipped,
                Event::Job(je) => {
                    je.job == jx && !matches!(je.kind, JobEventKind::CycleCompleted { .. })
                }
                Event::Directory(_) | Event::Downstream(_) => false,
            });
            let badge = job.badge();
            let error = match badge.as_str() {
                "failing" | "quarantined" | "disabled" => job
                    .quarantine
                    .as_ref()
                    .and_then(|q| q.error.clone())
                    .or_else(|| job.last_error.clone())
                    .map(|e| (e.code.as_str().to_string(), e.message.to_string()))
                    .or_else(|| {
                        job.quarantine
                            .as_ref()
                            .map(|q| (q.reason.as_str().to_string(), String::new()))
                    }),
                _ => None,
            };
            JobArrow {
                id: job.config.id.clone(),
                name: view.job_display_name(jx),
                source: view.tenant(job.source).id.to_string(),
                target: view.tenant(job.target).id.to_string(),
                badge: badge.as_str(),
                status_code: job.status_code(),
                error,
                changed,
            }
        })
        .collect()
}

/// One row of the change list and the provisioning log.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    /// Index of the event in the simulation's stream.
    pub index: usize,
    pub tick: u64,
    pub effect: Effect,
    pub action: &'static str,
    pub status: &'static str,
    /// The source user (UPN), or for a recycle-bin purge the user purged.
    pub user: String,
    /// How explain names the person (their home user), when the scenario knows them.
    pub person: Option<UserRef>,
    pub user_name: String,
    pub target_user: String,
    /// Target tenant id (or the tenant of a directory event).
    pub tenant: String,
    pub tenant_name: String,
    /// Job id; empty for directory events.
    pub job: String,
    pub on_demand: bool,
    /// Attribute, old value, new value, for updates.
    pub changes: Vec<(String, String, String)>,
    pub error: Option<(String, String)>,
    pub skip_reason: Option<&'static str>,
    pub detail: Option<String>,
}

fn show_value(value: &Option<ctsync_core::engine::attrs::AttrValue>, redacted: bool) -> String {
    match (value, redacted) {
        (_, true) => "[Redact]".into(),
        (Some(v), false) => v.to_string(),
        (None, false) => "(empty)".into(),
    }
}

/// The row of an object event, with every value it wrote (the steps panel shows them).
pub fn object_row(sim: &Simulation, index: usize, e: &ObjectEvent) -> ChangeRow {
    row_of(sim, index, e, true)
}

/// The row of an object event in a list: the list shows a create's target account rather than
/// its values, so they are left out — an initial cycle's tens of thousands of creates would
/// otherwise turn every value they wrote into text at once.
fn list_row(sim: &Simulation, index: usize, e: &ObjectEvent) -> ChangeRow {
    row_of(sim, index, e, false)
}

fn row_of(sim: &Simulation, index: usize, e: &ObjectEvent, create_values: bool) -> ChangeRow {
    let changes = if matches!(e.action, Action::Update | Action::Disable)
        || (create_values && e.action == Action::Create)
    {
        e.modified
            .iter()
            .map(|m| {
                (
                    sim.names.name(m.attr).to_string(),
                    show_value(&m.old, m.redacted),
                    show_value(&m.new, m.redacted),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    ChangeRow {
        index,
        tick: e.tick,
        effect: e.effect,
        action: e.action.as_str(),
        status: e.status.as_str(),
        user: e.source_upn.to_string(),
        person: user_ref(sim, e.source_tenant, e.source_user),
        user_name: e.source_display_name.to_string(),
        target_user: e.target_upn.as_deref().unwrap_or("").to_string(),
        tenant: sim.tenant(e.target_tenant).id.to_string(),
        tenant_name: sim.tenant(e.target_tenant).display_name.clone(),
        job: sim.job(e.job).config.id.clone(),
        on_demand: e.on_demand,
        changes,
        error: e
            .error
            .as_ref()
            .map(|err| (err.code.as_str().to_string(), err.message.to_string())),
        skip_reason: e.skip_reason.map(|r| r.as_str()),
        detail: e.detail.as_deref().map(str::to_string),
    }
}

/// Rows for the object and directory events among `events` (whose first index in the stream is
/// `first_index`), skipping job events.
pub fn change_rows(sim: &Simulation, first_index: usize, events: &[Event]) -> Vec<ChangeRow> {
    events
        .iter()
        .enumerate()
        .filter_map(|(i, event)| match event {
            Event::Object(e) => Some(list_row(sim, first_index + i, e)),
            Event::Directory(d) => Some(ChangeRow {
                index: first_index + i,
                tick: d.tick,
                effect: Effect::HardDeleted,
                action: "Delete",
                status: Status::Success.as_str(),
                user: d.upn.to_string(),
                person: user_ref(sim, d.tenant, d.user),
                user_name: String::new(),
                target_user: d.upn.to_string(),
                tenant: sim.tenant(d.tenant).id.to_string(),
                tenant_name: sim.tenant(d.tenant).display_name.clone(),
                job: String::new(),
                on_demand: false,
                changes: Vec::new(),
                error: None,
                skip_reason: None,
                detail: Some(
                    "Deleted permanently: 30 days in the recycle bin are over".to_string(),
                ),
            }),
            // Downstream apps are not cross-tenant sync: the change list leaves them out.
            Event::Job(_) | Event::Downstream(_) => None,
        })
        .collect()
}

/// The job events among `events`: (tick, job id, readable line, is it a problem); with
/// `notable_only`, completed cycles are left out (they happen every tick).
pub fn job_event_lines(
    sim: &Simulation,
    events: &[Event],
    notable_only: bool,
) -> Vec<(u64, String, String, bool)> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Job(e)
                if notable_only && matches!(e.kind, JobEventKind::CycleCompleted { .. }) =>
            {
                None
            }
            Event::Job(e) => {
                let problem = matches!(
                    e.kind,
                    JobEventKind::ConnectionTestFailed(_)
                        | JobEventKind::QuarantineEntered { .. }
                        | JobEventKind::QuarantineContinued { .. }
                        | JobEventKind::Disabled
                );
                let line = sim.event_line(event);
                // The line starts with "tick N  [job] ": keep what follows.
                let text = line
                    .split_once("] ")
                    .map(|(_, rest)| rest.to_string())
                    .unwrap_or(line);
                Some((e.tick, sim.job(e.job).config.id.clone(), text, problem))
            }
            _ => None,
        })
        .collect()
}

/// The effect's CSS class and the word the UI uses for it.
pub fn effect_class(effect: Effect) -> &'static str {
    match effect {
        Effect::Created => "created",
        Effect::Updated => "updated",
        Effect::Disabled => "disabled",
        Effect::SoftDeleted => "soft-deleted",
        Effect::Restored => "restored",
        Effect::HardDeleted => "hard-deleted",
        Effect::Skipped => "skipped",
        Effect::Failed => "failed",
    }
}

pub fn effect_label(effect: Effect) -> &'static str {
    match effect {
        Effect::Created => "Created",
        Effect::Updated => "Updated",
        Effect::Disabled => "Disabled",
        Effect::SoftDeleted => "Soft-deleted",
        Effect::Restored => "Restored",
        Effect::HardDeleted => "Hard-deleted",
        Effect::Skipped => "Skipped",
        Effect::Failed => "Failed",
    }
}

/// The simulated date and time as the clock shows it, e.g. `Mon 5 Jan 2026, 08:40 UTC`.
pub fn clock_text(sim: &Simulation, cursor: u64) -> String {
    sim.time_at(cursor)
        .format("%a %-d %b %Y, %H:%M UTC")
        .to_string()
}

/// How a command names user `u` of tenant `t`: its id for users the scenario or a command named,
/// `hometenant/homeuser` for an account synchronized from a scenario tenant; `None` otherwise.
pub fn user_ref(sim: &Simulation, t: u16, u: u32) -> Option<UserRef> {
    let user = sim.tenant(t).dir.user(u);
    if let Some(id) = &user.local_id {
        return Some(UserRef::Local(id.to_string()));
    }
    let home = user.external.as_ref()?;
    let (ht, hu) = (home.tenant?, home.user?);
    let home_id = sim.tenant(ht).dir.user(hu).local_id.clone()?;
    Some(UserRef::Home {
        tenant: sim.tenant(ht).id.to_string(),
        user: home_id.to_string(),
    })
}

/// A user as the tenant's users table lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    pub index: u32,
    pub reference: Option<UserRef>,
    pub display_name: String,
    pub upn: String,
    /// `internal member`, `external member`, …
    pub kind: &'static str,
    pub enabled: bool,
    pub soft_deleted: bool,
    /// The job that created the account (cross-tenant sync), if any.
    pub synced_by: Option<String>,
    pub department: String,
    /// What the last tick did to this user in this tenant.
    pub last_effect: Option<Effect>,
}

/// Users of tenant `t` that exist, filtered by `search` (name, UPN, mail, department), with what
/// the last tick (`last`) did to them; `(total matching, the page at offset)`.
pub fn user_rows(
    sim: &Simulation,
    t: u16,
    search: &str,
    last: &[Event],
    offset: usize,
    page: usize,
) -> (usize, Vec<UserRow>) {
    use ctsync_core::engine::attrs::known;
    let dir = &sim.tenant(t).dir;
    let needle = search.trim().to_lowercase();
    let mut effects: BTreeMap<u32, Effect> = BTreeMap::new();
    for event in last {
        match event {
            Event::Object(e) if e.effect != Effect::Skipped && e.target_tenant == t => {
                if let Some(target) = e.target_user {
                    effects.insert(target, e.effect);
                }
            }
            Event::Directory(d) if d.tenant == t => {
                effects.insert(d.user, Effect::HardDeleted);
            }
            _ => {}
        }
    }
    let attr = |u: &ctsync_core::engine::directory::DirUser, id| {
        u.attrs.get(id).map(|v| v.to_string()).unwrap_or_default()
    };
    let matching = dir
        .users
        .iter()
        .enumerate()
        .filter(|(_, u)| u.exists())
        .filter(|(_, u)| {
            needle.is_empty()
                || u.upn().to_lowercase().contains(&needle)
                || u.display_name().to_lowercase().contains(&needle)
                || u.mail().is_some_and(|m| m.to_lowercase().contains(&needle))
                || attr(u, known::DEPARTMENT).to_lowercase().contains(&needle)
        });
    let mut total = 0;
    let mut rows = Vec::new();
    for (i, u) in matching {
        if total >= offset && rows.len() < page {
            let index = i as u32;
            rows.push(UserRow {
                index,
                reference: user_ref(sim, t, index),
                display_name: u.display_name().to_string(),
                upn: u.upn().to_string(),
                kind: match (u.is_internal(), u.is_guest()) {
                    (true, false) => "internal member",
                    (true, true) => "internal guest",
                    (false, false) => "external member",
                    (false, true) => "external guest",
                },
                enabled: u.account_enabled(),
                soft_deleted: u.deleted.is_some(),
                synced_by: u.created_by.map(|j| sim.job(j).config.id.clone()),
                department: attr(u, known::DEPARTMENT),
                last_effect: effects.get(&index).copied(),
            });
        }
        total += 1;
    }
    (total, rows)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use ctsync_core::Scenario;

    fn user_hub() -> Simulation {
        let s =
            Scenario::from_json(include_str!("../../scenarios/examples/user-hub.json")).unwrap();
        let mut sim = Simulation::new(&s);
        sim.step();
        sim
    }

    #[test]
    fn counts_and_rows_agree_with_the_stream() {
        let sim = user_hub();
        let events = last_tick_events(&sim, 1);
        let counts = effect_counts(events);
        let core: BTreeMap<Effect, usize> = sim.effect_counts(0);
        for (effect, n) in &counts {
            assert_eq!(*n, core.get(effect).copied().unwrap_or(0), "{effect:?}");
        }
        let rows = change_rows(&sim, 0, events);
        let created = rows.iter().filter(|r| r.effect == Effect::Created).count();
        assert_eq!(created, core[&Effect::Created]);
        let cards = tenant_cards(&sim, events);
        let spokes_created: usize = cards
            .iter()
            .flat_map(|c| c.delta.iter())
            .filter(|(e, _)| *e == Effect::Created)
            .map(|(_, n)| n)
            .sum();
        assert_eq!(spokes_created, created);
    }

    #[test]
    fn the_clock_reads_like_a_date() {
        let sim = user_hub();
        assert_eq!(clock_text(&sim, 1), "Mon 5 Jan 2026, 08:40 UTC");
    }
}
