//! Downstream apps: after each tick's sync cycles, every tenant's downstream SaaS apps provision the
//! tenant's users onward with the app's own acceptance rule (seed 004, pain point 8) — an internal
//! member of a verified domain is accepted, a B2B guest is accepted, a cross-tenant-synced user typed
//! Member whose domain is not verified in the app's organisation is refused, with the reason. The
//! app runs like any provisioning connection: it logs a user when the outcome changes, and removes
//! users who leave its scope. Its events are the stream's `downstream` entries.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::directory::{DirUser, TenantIdx, UserIdx};
use super::event::{DownstreamEvent, DownstreamEventKind, Event};
use super::Simulation;
use crate::clock::Tick;
use crate::scenario::{DownstreamApp, DownstreamRule};

/// Where a user stands with one app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppAccount {
    Provisioned,
    Refused(Arc<str>),
}

/// A downstream app at run time: its configuration and the users it has seen.
#[derive(Debug, Clone)]
pub struct AppRuntime {
    pub config: DownstreamApp,
    pub accounts: BTreeMap<UserIdx, AppAccount>,
}

impl AppRuntime {
    pub fn new(config: DownstreamApp) -> AppRuntime {
        AppRuntime {
            config,
            accounts: BTreeMap::new(),
        }
    }

    /// Whether user `u` is provisioned to the app.
    pub fn is_provisioned(&self, u: UserIdx) -> bool {
        self.accounts.get(&u) == Some(&AppAccount::Provisioned)
    }
}

/// The app's decision for one user: provisioned, or refused with the reason.
pub fn decide(app: &DownstreamApp, user: &DirUser) -> AppAccount {
    if app.rule == DownstreamRule::AcceptAll || user.is_guest() {
        return AppAccount::Provisioned;
    }
    let address = user.mail().unwrap_or(user.upn());
    let domain = address.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
    if app
        .verified_domains
        .iter()
        .any(|d| d.eq_ignore_ascii_case(domain))
    {
        return AppAccount::Provisioned;
    }
    let who = if user.is_internal() {
        "an internal Member"
    } else {
        "an external Member (userType Member, synchronized from another tenant)"
    };
    AppAccount::Refused(Arc::from(
        format!(
            "{who} whose domain {domain} is not verified in {}'s organisation: Members must have a verified domain of the app's organisation; Guests are accepted",
            app.display_name
        )
        .as_str(),
    ))
}

/// Runs every downstream app of every tenant once, after the tick's cycles.
pub(super) fn run(sim: &mut Simulation, tick: Tick) {
    for t in 0..sim.tenants.len() {
        for a in 0..sim.tenants[t].downstream.len() {
            run_app(sim, t as TenantIdx, a, tick);
        }
    }
}

fn run_app(sim: &mut Simulation, t: TenantIdx, a: usize, tick: Tick) {
    let tenant = &sim.tenants[t as usize];
    let app = &tenant.downstream[a];
    let dir = &tenant.dir;
    // The users in the app's scope: direct members of its assigned groups, or everyone.
    let mut in_scope: BTreeMap<UserIdx, AppAccount> = BTreeMap::new();
    let mut consider = |u: UserIdx| {
        let user = dir.user(u);
        if user.is_active() {
            in_scope.insert(u, decide(&app.config, user));
        }
    };
    if app.config.assigned_groups.is_empty() {
        for u in 0..dir.users.len() as UserIdx {
            consider(u);
        }
    } else {
        for id in &app.config.assigned_groups {
            if let Some(g) = dir.group_by_id(id) {
                for u in dir.groups[g as usize].member_users.iter().copied() {
                    consider(u);
                }
            }
        }
    }
    let mut events = Vec::new();
    for (u, outcome) in &in_scope {
        if app.accounts.get(u) != Some(outcome) {
            let kind = match outcome {
                AppAccount::Provisioned => DownstreamEventKind::Provisioned,
                AppAccount::Refused(reason) => DownstreamEventKind::Refused {
                    reason: reason.clone(),
                },
            };
            events.push((*u, kind));
        }
    }
    for (u, account) in &app.accounts {
        if !in_scope.contains_key(u) && *account == AppAccount::Provisioned {
            events.push((*u, DownstreamEventKind::Deprovisioned));
        }
    }
    crate::sort::sort_by_key(&mut events, |(u, _)| *u);
    let app_id: Arc<str> = Arc::from(app.config.id.as_str());
    let app_name: Arc<str> = Arc::from(app.config.display_name.as_str());
    let events: Vec<DownstreamEvent> = events
        .into_iter()
        .map(|(u, kind)| DownstreamEvent {
            tick,
            tenant: t,
            app: app_id.clone(),
            app_name: app_name.clone(),
            user: u,
            upn: Arc::from(dir.user(u).upn()),
            kind,
        })
        .collect();
    sim.tenants[t as usize].downstream[a].accounts = in_scope;
    for e in events {
        sim.push_event(Event::Downstream(Box::new(e)));
    }
}
