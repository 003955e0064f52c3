//! The sync engine: a deterministic simulation of Entra cross-tenant synchronization.
//!
//! A [`Simulation`] is built from a [`Scenario`] and moves only through [`Simulation::step`]: in
//! tick N the timeline commands stamped N apply first, in file order; then every started job that
//! is due runs one cycle, in job order. Everything observable is appended to the event stream.

pub mod attrs;
mod commands;
mod cycle;
pub mod directory;
pub mod downstream;
pub mod event;
pub mod job;
pub mod mapping;
pub mod policy;
mod rebase;
pub mod render;
mod render_text;
mod scope;
mod stream;
pub mod view;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::clock::{self, Tick};
use crate::rng::{derived_guid, SeededRng};
use crate::scenario::{
    Cloud, Command, CrossTenantAccess, InviteRestriction, Scenario, Tenant, TimelineEntry, User,
};
use attrs::{known, AttrId, AttrNames, AttrValue, Attrs};
use directory::{
    DeletedBy, DirGroup, DirUser, Directory, ExternalHome, JobIdx, Member, TenantIdx, UserIdx,
};
use event::{DirectoryEvent, DirectoryEventKind, Event};
use job::JobRuntime;

pub use commands::summarize as summarize_command;
pub(crate) use cycle::SourceAttributes;
pub use cycle::UserPreview;
pub use policy::PolicyFailure;

/// A tenant at run time.
#[derive(Debug, Clone)]
pub struct TenantState {
    pub id: Arc<str>,
    pub display_name: String,
    pub tenant_id: Arc<str>,
    pub initial_domain: String,
    pub verified_domains: Vec<String>,
    pub cloud: Cloud,
    pub microsoft_cloud_settings: Vec<Cloud>,
    pub access: CrossTenantAccess,
    pub allow_invites_from: InviteRestriction,
    pub dir: Directory,
    /// SaaS apps the tenant provisions its users to, run after each tick's cycles.
    pub downstream: Vec<downstream::AppRuntime>,
    /// Deleted by a `deleteTenant` command: no command applies to it any more and views leave it
    /// out, but it stays in place so that indexes — and the accounts in other tenants whose home
    /// it was — keep resolving.
    pub deleted: bool,
}

impl TenantState {
    /// Whether `domain` is one of the tenant's verified domains or its initial domain.
    pub fn owns_domain(&self, domain: &str) -> bool {
        // Domains are mostly written as verified: an exact comparison first is cheaper than
        // folding case byte by byte (sync checks the domain of every user it invites).
        let same =
            |d: &str| d.len() == domain.len() && (d == domain || d.eq_ignore_ascii_case(domain));
        same(&self.initial_domain) || self.verified_domains.iter().any(|d| same(d))
    }
}

/// A timeline command as applied, for the log and the timeline marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedCommand {
    pub tick: Tick,
    /// Index of the entry in the scenario's timeline (`None` for commands sent interactively).
    pub timeline_index: Option<usize>,
    pub name: &'static str,
    pub summary: String,
    /// Why the command could not apply (e.g. the user was purged by then): it is reported, not fatal.
    pub rejected: Option<String>,
}

/// A running simulation.
#[derive(Debug, Clone)]
pub struct Simulation {
    start: DateTime<Utc>,
    seed: u64,
    pub names: AttrNames,
    pub tenants: Vec<TenantState>,
    pub jobs: Vec<JobRuntime>,
    timeline: Vec<TimelineEntry>,
    next_entry: usize,
    /// The last tick that ran; `None` before the first step.
    last_tick: Option<Tick>,
    events: Vec<Event>,
    /// Index into `events` where each tick's events start (tick N at `tick_starts[N]`).
    tick_starts: Vec<usize>,
    commands: Vec<AppliedCommand>,
    rng: SeededRng,
}

impl Simulation {
    /// Builds the initial state (tick 0, before anything ran) of a validated scenario.
    pub fn new(scenario: &Scenario) -> Simulation {
        let mut sim = Simulation {
            start: scenario.start,
            seed: scenario.seed,
            names: AttrNames::default(),
            tenants: Vec::new(),
            jobs: Vec::new(),
            timeline: scenario.timeline.clone(),
            next_entry: 0,
            last_tick: None,
            events: Vec::new(),
            tick_starts: Vec::new(),
            commands: Vec::new(),
            rng: SeededRng::new(scenario.seed),
        };
        for tenant in &scenario.tenants {
            sim.add_tenant_state(tenant);
        }
        // External users refer to home users of other tenants: resolve once all tenants exist.
        for t in 0..scenario.tenants.len() {
            sim.fill_users(t as TenantIdx, &scenario.tenants[t]);
        }
        for job in &scenario.jobs {
            sim.add_job(job.clone());
        }
        sim
    }

    /// The simulated time at the start of `tick`.
    pub fn time_at(&self, tick: Tick) -> DateTime<Utc> {
        clock::time_at(self.start, tick)
    }

    /// The last tick that ran, `None` before the first step.
    pub fn last_tick(&self) -> Option<Tick> {
        self.last_tick
    }

    /// The tick the next [`step`](Self::step) runs.
    pub fn next_tick(&self) -> Tick {
        self.last_tick.map_or(0, |t| t + 1)
    }

    /// Runs one tick: timeline commands stamped with it, the recycle bin, then due jobs' cycles.
    pub fn step(&mut self) {
        let tick = self.next_tick();
        self.tick_starts.push(self.events.len());
        while let Some(entry) = self.timeline.get(self.next_entry) {
            if entry.tick > tick {
                break;
            }
            let command = entry.command.clone();
            let index = self.next_entry;
            self.next_entry += 1;
            self.apply_at(tick, Some(index), &command);
        }
        self.empty_recycle_bins(tick);
        for j in 0..self.jobs.len() {
            if self.jobs[j].is_due(tick) {
                cycle::run_cycle(self, j as JobIdx, tick);
            }
        }
        downstream::run(self, tick);
        self.compact_journals();
        self.last_tick = Some(tick);
    }

    /// Runs ticks until `tick` has run.
    pub fn run_through(&mut self, tick: Tick) {
        while self.last_tick.is_none_or(|t| t < tick) {
            self.step();
        }
    }

    /// Applies a command now, as part of the next tick (the playground's live edits).
    pub fn apply(&mut self, command: &Command) {
        let tick = self.next_tick();
        self.apply_at(tick, None, command);
    }

    /// Every event so far, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The events of one tick.
    pub fn events_of_tick(&self, tick: Tick) -> &[Event] {
        let Some(start) = self.tick_starts.get(tick as usize).copied() else {
            return &[];
        };
        let end = self
            .tick_starts
            .get(tick as usize + 1)
            .copied()
            .unwrap_or(self.events.len());
        &self.events[start..end]
    }

    /// Commands applied so far, with the reason when one was rejected.
    pub fn applied_commands(&self) -> &[AppliedCommand] {
        &self.commands
    }

    pub fn tenant_index(&self, id: &str) -> Option<TenantIdx> {
        self.tenants
            .iter()
            .position(|t| &*t.id == id)
            .map(|i| i as TenantIdx)
    }

    pub fn job_index(&self, id: &str) -> Option<JobIdx> {
        self.jobs
            .iter()
            .position(|j| j.config.id == id)
            .map(|i| i as JobIdx)
    }

    pub fn tenant(&self, t: TenantIdx) -> &TenantState {
        &self.tenants[t as usize]
    }

    pub fn job(&self, j: JobIdx) -> &JobRuntime {
        &self.jobs[j as usize]
    }

    /// Resolves a user reference inside tenant `t` to every matching account that still exists
    /// (a home reference can find several: the documented duplicates).
    pub fn resolve_user_ref(&self, t: TenantIdx, user: &crate::scenario::UserRef) -> Vec<UserIdx> {
        let dir = &self.tenant(t).dir;
        match user {
            crate::scenario::UserRef::Local(id) => dir.user_by_local_id(id).into_iter().collect(),
            crate::scenario::UserRef::Home { tenant, user } => {
                let Some(home_t) = self.tenant_index(tenant) else {
                    return Vec::new();
                };
                if home_t == t {
                    return dir.user_by_local_id(user).into_iter().collect();
                }
                let home = self.tenant(home_t);
                let Some(home_u) = home.dir.user_by_local_id(user) else {
                    return Vec::new();
                };
                dir.accounts_with_home(&home.tenant_id, &home.dir.user(home_u).object_id)
            }
        }
    }

    /// A readable name for a user in tenant `t`: its UPN.
    pub fn user_label(&self, t: TenantIdx, u: UserIdx) -> String {
        self.tenant(t).dir.user(u).upn().to_string()
    }

    fn push_event(&mut self, event: Event) {
        self.events.push(event);
    }

    fn next_guid(&mut self) -> Arc<str> {
        Arc::from(self.rng.guid_text().as_str())
    }

    fn add_tenant_state(&mut self, tenant: &Tenant) -> TenantIdx {
        let idx = self.tenants.len() as TenantIdx;
        self.tenants.push(TenantState {
            id: Arc::from(tenant.id.as_str()),
            display_name: tenant.display_name.clone(),
            tenant_id: Arc::from(
                tenant
                    .tenant_id
                    .clone()
                    .unwrap_or_else(|| derived_guid(self.seed, &format!("tenant/{}", tenant.id)))
                    .as_str(),
            ),
            initial_domain: tenant.initial_domain(),
            verified_domains: tenant.verified_domains.clone(),
            cloud: tenant.cloud,
            microsoft_cloud_settings: tenant.microsoft_cloud_settings.clone(),
            access: tenant.cross_tenant_access.clone(),
            allow_invites_from: tenant.allow_invites_from,
            dir: Directory::default(),
            downstream: tenant
                .downstream_apps
                .iter()
                .cloned()
                .map(downstream::AppRuntime::new)
                .collect(),
            deleted: false,
        });
        idx
    }

    /// Adds a tenant's users (and then groups and managers) to its directory.
    fn fill_users(&mut self, t: TenantIdx, tenant: &Tenant) {
        for user in &tenant.users {
            // A scenario never exceeds the bound: validation counts users.
            let _ = self.add_scenario_user(t, user);
        }
        for group in &tenant.groups {
            self.add_scenario_group(t, group);
        }
        for user in &tenant.users {
            if let Some(manager) = &user.manager {
                let dir = &mut self.tenants[t as usize].dir;
                if let (Some(u), Some(m)) = (
                    dir.user_by_local_id(&user.id),
                    dir.user_by_local_id(manager),
                ) {
                    dir.user_mut(u).manager = Some(m);
                }
            }
        }
    }

    fn add_scenario_group(&mut self, t: TenantIdx, group: &crate::scenario::Group) {
        let dir = &mut self.tenants[t as usize].dir;
        let g = dir.add_group(DirGroup {
            id: Arc::from(group.id.as_str()),
            display_name: group.display_name.clone(),
            security_enabled: group.security_enabled,
            member_users: Default::default(),
            member_groups: Default::default(),
        });
        for member in &group.members {
            let m = if let Some(u) = dir.user_by_local_id(member) {
                Member::User(u)
            } else if let Some(sub) = dir.group_by_id(member) {
                Member::Group(sub)
            } else {
                continue;
            };
            dir.set_membership(g, m, true);
        }
    }

    /// Turns a scenario user into a directory user.
    fn add_scenario_user(&mut self, t: TenantIdx, user: &User) -> Result<UserIdx, String> {
        let tenant_id = self.tenants[t as usize].id.clone();
        let object_id = user.object_id.clone().unwrap_or_else(|| {
            derived_guid(self.seed, &format!("tenant/{tenant_id}/user/{}", user.id))
        });
        // The values in the order they are set, the last of an id winning, made into the
        // user's attributes at once (setting them one by one would copy them each time).
        let mut entries: Vec<(AttrId, AttrValue)> = Vec::with_capacity(32);
        let mut set = |names: &mut AttrNames, name: &str, value: &Option<String>| {
            if let Some(v) = value {
                let id = names.intern(name);
                entries.push((id, AttrValue::str(v)));
            }
        };
        let names = &mut self.names;
        set(
            names,
            "userPrincipalName",
            &Some(user.user_principal_name.clone()),
        );
        for (name, value) in user.named_attributes() {
            set(names, name, value);
        }
        for (name, value) in &user.extension_attributes {
            set(names, name, &Some(value.clone()));
        }
        if !user.proxy_addresses.is_empty() {
            entries.push((
                known::PROXY_ADDRESSES,
                AttrValue::List(
                    user.proxy_addresses
                        .iter()
                        .map(|a| Arc::from(a.as_str()))
                        .collect(),
                ),
            ));
        }
        entries.push((
            known::ACCOUNT_ENABLED,
            AttrValue::Bool(user.account_enabled),
        ));
        entries.push((known::USER_TYPE, AttrValue::str(user.user_type.as_str())));
        let attrs = Attrs::from_entries(entries);
        let external = user.external.as_ref().map(|ext| self.external_home(ext));
        let deleted = user.soft_deleted.then_some(directory::Deletion {
            at_tick: 0,
            by: DeletedBy::Admin,
        });
        let dir_user = DirUser {
            object_id: Arc::from(object_id.as_str()),
            local_id: Some(Arc::from(user.id.as_str())),
            attrs,
            external,
            manager: None,
            sms_sign_in_enabled: user.sms_sign_in_enabled,
            deleted,
            purged_at: None,
            created_by: None,
            member_of: Default::default(),
        };
        self.tenants[t as usize].dir.add_user(dir_user)
    }

    /// The home of an external user named in a scenario: the home user's ids when the home tenant
    /// is part of the scenario, ids derived from the names otherwise.
    fn external_home(&self, ext: &crate::scenario::ExternalIdentity) -> ExternalHome {
        let home_t = self.tenant_index(&ext.home_tenant);
        let tenant_id: Arc<str> = match home_t {
            Some(h) => self.tenant(h).tenant_id.clone(),
            None => {
                Arc::from(derived_guid(self.seed, &format!("tenant/{}", ext.home_tenant)).as_str())
            }
        };
        let home_u = home_t.and_then(|h| self.tenant(h).dir.user_by_local_id(&ext.home_user));
        let object_id: Arc<str> = match (home_t, home_u) {
            (Some(h), Some(u)) => self.tenant(h).dir.user(u).object_id.clone(),
            _ => Arc::from(
                derived_guid(
                    self.seed,
                    &format!("tenant/{}/user/{}", ext.home_tenant, ext.home_user),
                )
                .as_str(),
            ),
        };
        ExternalHome {
            tenant_id,
            object_id,
            tenant: home_t,
            user: home_u,
            state: ext.external_user_state,
        }
    }

    fn add_job(&mut self, config: crate::scenario::SyncJob) -> Option<JobIdx> {
        let source = self.tenant_index(&config.source)?;
        let target = self.tenant_index(&config.target)?;
        let idx = self.jobs.len() as JobIdx;
        let runtime = JobRuntime::new(config, source, target, &mut self.names);
        self.jobs.push(runtime);
        Some(idx)
    }

    /// The directory's recycle bin: soft-deleted users are deleted for good after 30 days,
    /// whether or not any job still runs.
    fn empty_recycle_bins(&mut self, tick: Tick) {
        for t in 0..self.tenants.len() {
            if self.tenants[t].deleted {
                continue;
            }
            for u in self.tenants[t].dir.recycle_bin_expired(tick) {
                let upn: Arc<str> = Arc::from(self.tenants[t].dir.user(u).upn());
                self.tenants[t].dir.purge(u, tick);
                self.push_event(Event::Directory(Box::new(DirectoryEvent {
                    tick,
                    tenant: t as TenantIdx,
                    user: u,
                    upn,
                    kind: DirectoryEventKind::RecycleBinPurged,
                })));
            }
        }
    }

    /// Drops journal entries that every job reading a directory has seen.
    fn compact_journals(&mut self) {
        for t in 0..self.tenants.len() {
            let readers = self
                .jobs
                .iter()
                .filter(|j| !j.deleted && !j.needs_initial && j.source as usize == t);
            let min = readers.map(|j| j.watermark).min();
            // A job that has not run (or will restart) starts with an initial cycle and needs no history.
            let upto = min.unwrap_or(self.tenants[t].dir.seq());
            self.tenants[t].dir.compact(upto);
        }
    }
}
