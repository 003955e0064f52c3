//! The tenant inspector: overview (domains, cloud, counts), the users table (paged, so 10,000
//! users stay responsive; add, edit attributes, block/allow sign-in, delete, restore, group
//! membership — on accounts cross-tenant sync created these are labelled target-admin actions),
//! groups, cross-tenant access settings as the admin center shows them, and guest invitations.

use std::collections::BTreeMap;

use ctsync_core::readiness::{self, SettingView};
use ctsync_core::scenario::{
    Cloud, Command, Group, InviteRestriction, PolicySetting, User, UserRef,
};
use leptos::prelude::*;

use super::tab_strip;
use crate::model::{self, UserRow};
use crate::panels::WhyNotHere;
use crate::state::{Playground, Selection};

/// Users listed per page.
const USERS_PER_PAGE: usize = 50;

/// Attributes the user editor offers, in the admin center's order.
const EDITABLE_ATTRIBUTES: [(&str, &str); 10] = [
    ("displayName", "Display name"),
    ("givenName", "First name"),
    ("surname", "Last name"),
    ("mail", "Email"),
    ("department", "Department"),
    ("jobTitle", "Job title"),
    ("companyName", "Company name"),
    ("employeeId", "Employee ID"),
    ("city", "City"),
    ("country", "Country or region"),
];

const TABS: &[(&str, &str)] = &[
    ("overview", "Overview"),
    ("users", "Users"),
    ("groups", "Groups"),
    ("access", "Cross-tenant access"),
    ("collaboration", "Collaboration"),
];

#[component]
pub fn TenantInspector(id: String) -> impl IntoView {
    let pg = Playground::get();
    let tab = RwSignal::new(
        pg.selection
            .with_untracked(tab_showing)
            .unwrap_or("overview"),
    );
    // Selecting a user or a group (a review finding, a link, a reload) opens the tab showing it.
    Effect::new(move |_| {
        if let Some(t) = pg.selection.with(tab_showing) {
            tab.set(t);
        }
    });
    let tenant_id = StoredValue::new(id.clone());
    let exists = move || {
        pg.with_view(|sim| {
            sim.tenant_index(&tenant_id.get_value())
                .is_some_and(|t| !sim.tenant(t).deleted)
        })
    };
    let name = move || {
        pg.with_view(|sim| {
            sim.tenant_index(&tenant_id.get_value())
                .map(|t| sim.tenant(t).display_name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <div class="inspector-header">
            <div class="inspector-kind"><span class="kind-badge tenant">"Tenant"</span></div>
            <h2 data-testid="inspector-title">{name}</h2>
        </div>
        {move || if exists() {
            view! {
                {tab_strip(tab, TABS)}
                <div class="inspector-body">
                    {move || match tab.get() {
                        "users" => view! { <UsersTab tenant=tenant_id.get_value()/> }.into_any(),
                        "groups" => view! { <GroupsTab tenant=tenant_id.get_value()/> }.into_any(),
                        "access" => view! { <AccessTab tenant=tenant_id.get_value()/> }.into_any(),
                        "collaboration" => view! { <CollaborationTab tenant=tenant_id.get_value()/> }.into_any(),
                        _ => view! { <OverviewTab tenant=tenant_id.get_value()/> }.into_any(),
                    }}
                </div>
            }.into_any()
        } else {
            view! { <p class="empty">"This tenant does not exist at this tick."</p> }.into_any()
        }}
    }
}

#[component]
fn OverviewTab(tenant: String) -> impl IntoView {
    let pg = Playground::get();
    let tenant = StoredValue::new(tenant);
    let data = move || {
        pg.with_view(|sim| {
            let t = sim.tenant_index(&tenant.get_value())?;
            let ts = sim.tenant(t);
            Some((
                ts.id.to_string(),
                ts.display_name.clone(),
                ts.tenant_id.to_string(),
                ts.initial_domain.clone(),
                ts.verified_domains.clone(),
                ts.cloud,
                ts.microsoft_cloud_settings.clone(),
                sim.user_counts(t),
            ))
        })
    };
    let new_target = RwSignal::new(String::new());
    let partners = move || {
        pg.with_view(|sim| {
            let me = tenant.get_value();
            sim.tenants
                .iter()
                .filter(|t| *t.id != *me && !t.deleted)
                .map(|t| (t.id.to_string(), t.display_name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let create_job = move |_| {
        let (source, target) = (tenant.get_value(), new_target.get_untracked());
        if target.is_empty() {
            return;
        }
        let existing: Vec<String> =
            pg.with_scenario(|s| s.jobs.iter().map(|j| j.id.clone()).collect());
        let id = crate::canvas::new_job_id(&existing, &source, &target);
        if pg.edit(Command::AddJob {
            job: Box::new(ctsync_core::scenario::SyncJob::new(&id, &source, &target)),
        }) {
            pg.selection.set(crate::state::Selection::Job(id));
        }
    };
    let at_start = move || pg.cursor() == 0;
    move || {
        data().map(|(id, display_name, guid, initial, verified, cloud, cloud_settings, counts)| {
            let others: Vec<Cloud> = [Cloud::Commercial, Cloud::UsGovernment, Cloud::China21Vianet]
                .into_iter()
                .filter(|c| *c != cloud)
                .collect();
            let tenant_for_clouds = id.clone();
            let (id_name, id_domains, id_cloud, id_delete) = (id.clone(), id.clone(), id.clone(), id.clone());
            let current_name = display_name.clone();
            let current_domains = verified.join(", ");
            let shown_domains = current_domains.clone();
            view! {
                <label class="field">
                    <span>"Name"</span>
                    <input type="text" data-testid="tenant-name" prop:value=display_name on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if value.trim() != current_name
                            && !pg.edit(Command::RenameTenant { tenant: id_name.clone(), display_name: value })
                        {
                            set_input(&ev, &current_name);
                        }
                    }/>
                </label>
                <label class="field">
                    <span>"Verified domains"</span>
                    <input type="text" data-testid="tenant-domains" placeholder="contoso.com, contoso.eu" prop:value=shown_domains on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let verified_domains: Vec<String> = value
                            .split([',', ' ', ';'])
                            .map(str::trim)
                            .filter(|d| !d.is_empty())
                            .map(str::to_string)
                            .collect();
                        if verified_domains.join(", ") != current_domains
                            && !pg.edit(Command::SetVerifiedDomains { tenant: id_domains.clone(), verified_domains })
                        {
                            set_input(&ev, &current_domains);
                        }
                    }/>
                </label>
                <label class="field">
                    <span>"Cloud"</span>
                    <select data-testid="tenant-cloud" prop:disabled=move || !at_start() on:change=move |ev| {
                        let cloud = match event_target_value(&ev).as_str() {
                            "usGovernment" => Cloud::UsGovernment,
                            "china21Vianet" => Cloud::China21Vianet,
                            _ => Cloud::Commercial,
                        };
                        pg.edit(Command::SetTenantCloud { tenant: id_cloud.clone(), cloud });
                    }>
                        {[(Cloud::Commercial, "commercial"), (Cloud::UsGovernment, "usGovernment"), (Cloud::China21Vianet, "china21Vianet")]
                            .into_iter()
                            .map(|(c, value)| view! { <option value=value selected=c == cloud>{c.display_name()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <p class="help">{move || if at_start() {
                    "The tenant's id stays when it is renamed, as its tenant ID does in Entra: configurations and references follow. A tenant's cloud is chosen when it is created."
                } else {
                    "The tenant's id stays when it is renamed, as its tenant ID does in Entra. A tenant's cloud is chosen when it is created: go back to tick 0 to change the design."
                }}</p>
                <dl class="facts">
                    <dt>"Scenario id"</dt><dd><code>{id.clone()}</code></dd>
                    <dt>"Tenant ID"</dt><dd><code>{guid}</code></dd>
                    <dt>"Primary domain"</dt><dd>{verified.first().cloned().unwrap_or_else(|| initial.clone())}</dd>
                    <dt>"Initial domain"</dt><dd>{initial}</dd>
                    <dt>"Verified domains"</dt><dd>{if verified.is_empty() { "none".to_string() } else { verified.join(", ") }}</dd>
                </dl>
                <h3>"Users"</h3>
                <div class="count-grid" data-testid="tenant-counts">
                    <div><strong>{counts.internal}</strong><span>"internal"</span></div>
                    <div><strong>{counts.external_members}</strong><span>"external members"</span></div>
                    <div><strong>{counts.external_guests}</strong><span>"external guests"</span></div>
                    <div><strong>{counts.soft_deleted}</strong><span>"soft-deleted"</span></div>
                </div>
                <h3>"New cross-tenant sync configuration"</h3>
                <p class="help">"The same as dragging from this tenant's handle onto another tenant: Entra's defaults (not started, sync only assigned users and groups, nobody assigned)."</p>
                <div class="table-toolbar">
                    <select data-testid="new-job-target" aria-label="Target tenant" on:change=move |ev| new_target.set(event_target_value(&ev))>
                        <option value="">"Target tenant…"</option>
                        {partners().into_iter().map(|(pid, pname)| view! { <option value=pid>{pname}</option> }).collect_view()}
                    </select>
                    <button class="btn" data-testid="new-job" on:click=create_job>"Create configuration"</button>
                </div>
                <h3>"Microsoft cloud settings"</h3>
                <p class="help">"Cross-cloud synchronization needs each tenant to enable the other's cloud."</p>
                {others.into_iter().map(|other| {
                    let on = cloud_settings.contains(&other);
                    let current = cloud_settings.clone();
                    let tenant = tenant_for_clouds.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=on on:change=move |ev| {
                                let mut clouds: Vec<Cloud> = current.iter().copied().filter(|c| *c != other).collect();
                                if event_target_checked(&ev) { clouds.push(other); }
                                pg.edit(Command::SetMicrosoftCloudSettings { tenant: tenant.clone(), clouds });
                            }/>
                            {other.display_name()}
                        </label>
                    }
                }).collect_view()}
                <h3>"Delete tenant"</h3>
                <p class="help">"Its sync configurations end; the users they provisioned in other tenants stay as they are. Undo brings it back."</p>
                <button class="btn danger" data-testid="delete-tenant" on:click=move |_| crate::canvas::delete_tenant(pg, &id_delete)>"Delete tenant"</button>
            }
        })
    }
}

/// The tab that shows the selection, when it is a user or a group.
fn tab_showing(selection: &Selection) -> Option<&'static str> {
    match selection {
        Selection::User { .. } => Some("users"),
        Selection::Group { .. } => Some("groups"),
        _ => None,
    }
}

/// The user the Users tab shows in detail: the playground's selection when it is a user of this
/// tenant, so that a finding, a link or a reload can open it too.
#[derive(Clone, Copy)]
struct SelectedUser {
    pg: Playground,
    tenant: StoredValue<String>,
}

impl SelectedUser {
    fn get(&self) -> Option<UserRef> {
        self.pg.selection.with(|s| match s {
            Selection::User { tenant, user } if self.tenant.with_value(|t| t == tenant) => {
                Some(user.clone())
            }
            _ => None,
        })
    }

    /// Shows `user`'s details, or closes them (the tenant stays selected).
    fn set(&self, user: Option<UserRef>) {
        let tenant = self.tenant.get_value();
        self.pg.selection.set(match user {
            Some(user) => Selection::User { tenant, user },
            None => Selection::Tenant(tenant),
        });
    }
}

/// Puts an input back to `value` after a refused edit (the notice says why).
fn set_input(ev: &leptos::ev::Event, value: &str) {
    use wasm_bindgen::JsCast;
    if let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.set_value(value);
    }
}

#[component]
fn UsersTab(tenant: String) -> impl IntoView {
    let pg = Playground::get();
    let tenant = StoredValue::new(tenant);
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let selected = SelectedUser { pg, tenant };
    let adding = RwSignal::new(false);
    let rows = Memo::new(move |_| {
        let search = search.get();
        let offset = page.get() * USERS_PER_PAGE;
        pg.with(|r| {
            let sim = r.view();
            let Some(t) = sim.tenant_index(&tenant.get_value()) else {
                return (0, Vec::new());
            };
            let last = model::last_tick_events(r.head(), r.cursor());
            model::user_rows(sim, t, &search, last, offset, USERS_PER_PAGE)
        })
    });
    view! {
        <div class="table-toolbar">
            <input type="search" class="search" placeholder="Search users" aria-label="Search users"
                data-testid="user-search"
                on:input=move |ev| { search.set(event_target_value(&ev)); page.set(0); }/>
            <button class="btn" data-testid="add-user" on:click=move |_| adding.update(|a| *a = !*a)>"+ New user"</button>
        </div>
        {move || adding.get().then(|| view! { <NewUserForm tenant=tenant.get_value() open=adding/> })}
        {move || selected.get().map(|user| view! { <UserDetail tenant=tenant.get_value() user=user selected=selected/> })}
        {move || {
            let (total, rows) = rows.get();
            let pages = total.div_ceil(USERS_PER_PAGE).max(1);
            view! {
                <table class="data-table users" data-testid="users-table">
                    <thead><tr><th>"Display name"</th><th>"User type"</th><th>"State"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| user_row_view(row, selected, tenant.get_value())).collect_view()}
                    </tbody>
                </table>
                <div class="pager">
                    <span class="muted" data-testid="users-total">{format!("{total} users")}</span>
                    <button class="btn small" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"‹ Previous"</button>
                    <span>{move || format!("Page {} of {pages}", page.get() + 1)}</span>
                    <button class="btn small" disabled=move || { page.get() + 1 >= pages } on:click=move |_| page.update(|p| *p += 1)>"Next ›"</button>
                </div>
            }
        }}
        <WhyNotHere tenant=tenant.get_value()/>
    }
}

fn user_row_view(row: UserRow, selected: SelectedUser, tenant: String) -> impl IntoView {
    let pg = Playground::get();
    let explain = row.reference.clone().map(|person| {
        let label = format!("Explain {}", row.display_name);
        view! {
            <button class="btn small link" data-testid="explain-user" title=label.clone() aria-label=label
                on:click=move |ev| { ev.stop_propagation(); pg.explain(person.clone(), tenant.clone()); }>"Why?"</button>
        }
    });
    let reference = row.reference.clone();
    let reference_key = reference.clone();
    let state = if row.soft_deleted {
        "Soft-deleted"
    } else if row.enabled {
        "Active"
    } else {
        "Sign-in blocked"
    };
    let effect_class = row
        .last_effect
        .map(|e| format!("effect-row effect-{}", model::effect_class(e)))
        .unwrap_or_default();
    let select = move || {
        if let Some(r) = reference.clone() {
            selected.set(Some(r));
        }
    };
    let select_key = select.clone();
    view! {
        <tr class=effect_class class:selected=move || reference_key.is_some() && selected.get() == reference_key
            data-testid="user-row" data-upn=row.upn.clone() tabindex="0"
            on:click=move |_| select()
            on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { select_key() }>
            <td class="cell-name">
                <div class="cell-main">{row.display_name.clone()}</div>
                <div class="cell-sub ellipsis" title=row.upn.clone()>{row.upn.clone()}</div>
            </td>
            <td class="nowrap">
                {row.kind}
                {row.synced_by.clone().map(|j| view! { <div class="cell-sub" title="Created by cross-tenant synchronization">{format!("synced by {j}")}</div> })}
            </td>
            <td data-testid="user-state">{state}
                {row.last_effect.map(|e| view! { <div class=format!("effect-pill small effect-{}", model::effect_class(e))>{model::effect_label(e)}</div> })}
                {explain}
            </td>
        </tr>
    }
}

#[component]
fn NewUserForm(tenant: String, open: RwSignal<bool>) -> impl IntoView {
    let pg = Playground::get();
    let name = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let domain = pg.with_view(|sim| {
        sim.tenant_index(&tenant)
            .map(|t| {
                let ts = sim.tenant(t);
                ts.verified_domains
                    .first()
                    .cloned()
                    .unwrap_or_else(|| ts.initial_domain.clone())
            })
            .unwrap_or_default()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let display = name.get_untracked().trim().to_string();
        if display.is_empty() {
            pg.complain("Give the new user a name.");
            return;
        }
        let alias: String = display
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(".")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        let alias = if alias.is_empty() {
            "user".to_string()
        } else {
            alias
        };
        let mut parts = display.split_whitespace();
        let user = User {
            id: alias.replace('.', "-"),
            user_principal_name: format!("{alias}@{domain}"),
            display_name: Some(display.clone()),
            given_name: parts.next().map(str::to_string),
            surname: parts.last().map(str::to_string),
            mail: Some(format!("{alias}@{domain}")),
            mail_nickname: Some(alias.clone()),
            department: Some(department.get_untracked()).filter(|d| !d.trim().is_empty()),
            account_enabled: true,
            ..User::default()
        };
        if pg.edit(Command::AddUser {
            tenant: tenant.clone(),
            user: Box::new(user),
        }) {
            open.set(false);
            pg.say(format!("{display} added."));
        }
    };
    view! {
        <form class="inline-form" on:submit=submit data-testid="new-user-form">
            <label>"Display name"<input type="text" data-testid="new-user-name" required
                on:input=move |ev| name.set(event_target_value(&ev))/></label>
            <label>"Department"<input type="text" data-testid="new-user-department"
                on:input=move |ev| department.set(event_target_value(&ev))/></label>
            <div class="form-actions">
                <button type="submit" class="btn primary">"Create"</button>
                <button type="button" class="btn" on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </form>
    }
}

#[component]
fn UserDetail(tenant: String, user: UserRef, selected: SelectedUser) -> impl IntoView {
    let pg = Playground::get();
    let tenant = StoredValue::new(tenant);
    let user = StoredValue::new(user);
    let data = move || {
        pg.with_view(|sim| {
            let t = sim.tenant_index(&tenant.get_value())?;
            let u = *sim.resolve_user_ref(t, &user.get_value()).first()?;
            let du = sim.tenant(t).dir.user(u);
            let attrs: BTreeMap<String, String> = ctsync_core::sort::collect_map(
                du.attrs
                    .iter()
                    .map(|(id, v)| (sim.names.name(id).to_string(), v.to_string())),
            );
            let groups: Vec<(String, String, bool)> = if du.is_internal() {
                sim.tenant(t)
                    .dir
                    .groups
                    .iter()
                    .enumerate()
                    .map(|(g, group)| {
                        (
                            group.id.to_string(),
                            group.display_name.clone(),
                            du.member_of.contains(&(g as u32)),
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Some((
                du.upn().to_string(),
                attrs,
                du.account_enabled(),
                du.deleted.is_some(),
                du.created_by.map(|j| sim.job(j).config.id.clone()),
                du.is_internal(),
                groups,
            ))
        })
    };
    move || {
        let Some((upn, attrs, enabled, deleted, synced_by, internal, groups)) = data() else {
            return view! { <p class="empty">"This user no longer exists (deleted permanently)."</p> }.into_any();
        };
        let target_admin = synced_by.is_some() || !internal;
        let who = if target_admin { "Target admin: " } else { "" };
        let t = tenant.get_value();
        let u = user.get_value();
        let cmd = {
            let (t, u) = (t.clone(), u.clone());
            move |make: fn(String, UserRef) -> Command| {
                pg.edit(make(t.clone(), u.clone()));
            }
        };
        let (c1, c2, c3, c4, c5) = (cmd.clone(), cmd.clone(), cmd.clone(), cmd.clone(), cmd);
        view! {
            <section class="user-detail" data-testid="user-detail">
                <div class="detail-header">
                    <h3>{attrs.get("displayName").cloned().unwrap_or_else(|| upn.clone())}</h3>
                    <button class="btn icon-only" aria-label="Close" on:click=move |_| selected.set(None)>"×"</button>
                </div>
                <p class="cell-sub">{upn.clone()}</p>
                {target_admin.then(|| view! {
                    <p class="callout info">{format!("An account in this tenant{}. Changes here are target-admin actions: sync may overwrite them when the source user changes.",
                        synced_by.as_ref().map(|j| format!(" created by cross-tenant sync ({j})")).unwrap_or_default())}</p>
                })}
                <div class="button-row">
                    {
                        let (t, u) = (t.clone(), u.clone());
                        view! { <button class="btn" data-testid="explain-detail" title="Why is this user here, as what, and what will sync do next?"
                            on:click=move |_| pg.explain(u.clone(), t.clone())>"Explain"</button> }
                    }
                    {if deleted {
                        view! {
                            <button class="btn" data-testid="restore-user" on:click=move |_| c1(|tenant, user| Command::RestoreUser { tenant, user })>{format!("{who}Restore")}</button>
                            <button class="btn danger" data-testid="purge-user" on:click=move |_| c2(|tenant, user| Command::PurgeUser { tenant, user })>{format!("{who}Delete permanently")}</button>
                        }.into_any()
                    } else {
                        view! {
                            {if enabled {
                                view! { <button class="btn" data-testid="block-sign-in" on:click=move |_| c3(|tenant, user| Command::BlockSignIn { tenant, user })>{format!("{who}Block sign-in")}</button> }.into_any()
                            } else {
                                view! { <button class="btn" data-testid="allow-sign-in" on:click=move |_| c4(|tenant, user| Command::AllowSignIn { tenant, user })>{format!("{who}Allow sign-in")}</button> }.into_any()
                            }}
                            <button class="btn danger" data-testid="delete-user" on:click=move |_| c5(|tenant, user| Command::DeleteUser { tenant, user })>{format!("{who}Delete")}</button>
                        }.into_any()
                    }}
                </div>
                <p class="muted">{format!("Sign-in: {} · accountEnabled {}", if enabled { "allowed" } else { "blocked" }, if enabled { "True" } else { "False" })}
                    {deleted.then_some(" · in the recycle bin")}</p>
                <h4>{if target_admin { "Attributes (target admin: edit attribute)" } else { "Attributes" }}</h4>
                <div class="attr-form">
                    {EDITABLE_ATTRIBUTES.iter().map(|(name, label)| {
                        let current = attrs.get(*name).cloned().unwrap_or_default();
                        let (t, u) = (t.clone(), u.clone());
                        let original = current.clone();
                        view! {
                            <label class="attr-field">
                                <span>{*label}</span>
                                <input type="text" data-testid=format!("attr-{name}") prop:value=current.clone()
                                    on:change=move |ev| {
                                        let value = event_target_value(&ev);
                                        if value == original { return; }
                                        let value = Some(value).filter(|v| !v.trim().is_empty());
                                        pg.edit(Command::SetAttributes {
                                            tenant: t.clone(),
                                            user: u.clone(),
                                            attributes: [(name.to_string(), value)].into(),
                                        });
                                    }/>
                            </label>
                        }
                    }).collect_view()}
                </div>
                {(!groups.is_empty()).then(|| view! {
                    <h4>"Group membership (direct)"</h4>
                    <div class="check-list">
                        {groups.into_iter().map(|(gid, gname, member)| {
                            let (t, u) = (t.clone(), u.clone());
                            view! {
                                <label class="check">
                                    <input type="checkbox" prop:checked=member data-testid=format!("member-of-{gid}") on:change=move |ev| {
                                        let member = u.to_string();
                                        let (tenant, group) = (t.clone(), gid.clone());
                                        pg.edit(if event_target_checked(&ev) {
                                            Command::AddGroupMember { tenant, group, member }
                                        } else {
                                            Command::RemoveGroupMember { tenant, group, member }
                                        });
                                    }/>
                                    {gname}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                })}
                <details class="all-attributes">
                    <summary>"All attributes"</summary>
                    <dl class="facts small">
                        {attrs.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                    </dl>
                </details>
            </section>
        }.into_any()
    }
}

#[component]
fn GroupsTab(tenant: String) -> impl IntoView {
    let pg = Playground::get();
    let tenant = StoredValue::new(tenant);
    let new_name = RwSignal::new(String::new());
    let groups = move || {
        pg.with_view(|sim| {
            let Some(t) = sim.tenant_index(&tenant.get_value()) else {
                return Vec::new();
            };
            let dir = &sim.tenant(t).dir;
            dir.groups
                .iter()
                .map(|g| {
                    let members: Vec<String> = g
                        .member_users
                        .iter()
                        .map(|u| dir.user(*u).display_name().to_string())
                        .chain(g.member_groups.iter().map(|sub| {
                            format!("{} (group)", dir.groups[*sub as usize].display_name)
                        }))
                        .collect();
                    (
                        g.id.to_string(),
                        g.display_name.clone(),
                        g.security_enabled,
                        members,
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = new_name.get_untracked().trim().to_string();
        if name.is_empty() {
            return;
        }
        let id: String = name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        if pg.edit(Command::AddGroup {
            tenant: tenant.get_value(),
            group: Group {
                id,
                display_name: name,
                security_enabled: true,
                members: Vec::new(),
            },
        }) {
            new_name.set(String::new());
        }
    };
    view! {
        <form class="table-toolbar" on:submit=add>
            <input type="text" placeholder="New group name" aria-label="New group name" prop:value=move || new_name.get()
                on:input=move |ev| new_name.set(event_target_value(&ev))/>
            <button type="submit" class="btn">"+ New group"</button>
        </form>
        <p class="help">"Only direct members of a group assigned to a configuration are in scope; members of nested groups are not."</p>
        {move || {
            let groups = groups();
            if groups.is_empty() {
                view! { <p class="empty">"No groups."</p> }.into_any()
            } else {
                groups.into_iter().map(|(id, name, security, members)| {
                    let chosen = {
                        let id = id.clone();
                        move || pg.selection.with(|s| matches!(s, Selection::Group { tenant: t, group } if *group == id && tenant.with_value(|x| x == t)))
                    };
                    view! {
                    <details class="group-card" data-testid="group" data-group=id.clone()
                        class:selected=chosen.clone() prop:open=chosen>
                        <summary><strong>{name}</strong><span class="muted">{format!(" · {} direct members{}", members.len(), if security { " · security" } else { "" })}</span></summary>
                        <ul class="member-list">{members.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                        <p class="help">"Add or remove members from a user's page (Users tab)."</p>
                    </details>
                }}).collect_view().into_any()
            }
        }}
    }
}

/// A select showing one cross-tenant access setting: Inherited from default, or Customized on/off.
fn setting_select(
    pg: Playground,
    tenant: String,
    partner: String,
    setting: PolicySetting,
    view_: SettingView,
    default_text: &'static str,
    testid: String,
) -> impl IntoView {
    let value = if !view_.customized {
        "inherit"
    } else if view_.effective {
        "on"
    } else {
        "off"
    };
    view! {
        <select class="setting-select" data-testid=testid prop:value=value on:change=move |ev| {
            let value = match event_target_value(&ev).as_str() {
                "on" => Some(true),
                "off" => Some(false),
                _ => None,
            };
            pg.edit(Command::SetCrossTenantAccess { tenant: tenant.clone(), partner: Some(partner.clone()), setting, value });
        }>
            <option value="inherit" selected=value == "inherit">{format!("Inherited from default ({default_text})")}</option>
            <option value="on" selected=value == "on">"Customized: On"</option>
            <option value="off" selected=value == "off">"Customized: Off"</option>
        </select>
    }
}

#[component]
fn AccessTab(tenant: String) -> impl IntoView {
    let pg = Playground::get();
    let tenant = StoredValue::new(tenant);
    let data = move || {
        pg.with_view(|sim| {
            let t = sim.tenant_index(&tenant.get_value())?;
            let ts = sim.tenant(t);
            let access = ts.access.clone();
            let partners: Vec<(String, String)> = sim
                .tenants
                .iter()
                .filter(|o| o.id != ts.id && !o.deleted)
                .map(|o| (o.id.to_string(), o.display_name.clone()))
                .collect();
            Some((access, partners))
        })
    };
    move || {
        let Some((access, partners)) = data() else {
            return ().into_any();
        };
        let t = tenant.get_value();
        let defaults = access.default.automatic_user_consent_settings.clone();
        let default_toggle = |setting: PolicySetting,
                              on: bool,
                              label: &'static str,
                              testid: &'static str| {
            let t = t.clone();
            view! {
                <label class="check">
                    <input type="checkbox" data-testid=testid prop:checked=on on:change=move |ev| {
                        pg.edit(Command::SetCrossTenantAccess { tenant: t.clone(), partner: None, setting, value: Some(event_target_checked(&ev)) });
                    }/>
                    {label}
                </label>
            }
        };
        let on_off = |b: bool| if b { "On" } else { "Off" };
        view! {
            <h3>"Default settings"</h3>
            <p class="help">"Apply to every organization without its own settings. Cross-tenant sync has no default: it is off unless allowed per organization."</p>
            {default_toggle(PolicySetting::InboundAllowed, defaults.inbound_allowed, "Inbound: automatically redeem invitations", "default-inbound")}
            {default_toggle(PolicySetting::OutboundAllowed, defaults.outbound_allowed, "Outbound: automatically redeem invitations", "default-outbound")}
            <h3>"Organizational settings"</h3>
            {partners.into_iter().map(|(pid, pname)| {
                let sync = readiness::setting_view(&access, &pid, PolicySetting::IsSyncAllowed);
                let inbound = readiness::setting_view(&access, &pid, PolicySetting::InboundAllowed);
                let outbound = readiness::setting_view(&access, &pid, PolicySetting::OutboundAllowed);
                let added = access.partner(&pid).is_some();
                view! {
                    <div class="partner-card" data-testid="partner" data-partner=pid.clone()>
                        <div class="partner-head"><strong>{pname}</strong><span class="muted">{format!(" · {pid}{}", if added { "" } else { " · not added (defaults apply)" })}</span></div>
                        <div class="setting-row">
                            <span class="setting-label">"Inbound access › Cross-tenant sync: Allow users sync into this tenant"
                                <span class=if sync.effective { "state-on" } else { "state-off" }>{sync.describe()}</span></span>
                            {setting_select(pg, t.clone(), pid.clone(), PolicySetting::IsSyncAllowed, sync, "Off", format!("sync-{pid}"))}
                        </div>
                        <div class="setting-row">
                            <span class="setting-label">"Inbound access › Trust settings: Automatically redeem invitations"
                                <span class=if inbound.effective { "state-on" } else { "state-off" }>{inbound.describe()}</span></span>
                            {setting_select(pg, t.clone(), pid.clone(), PolicySetting::InboundAllowed, inbound, on_off(defaults.inbound_allowed), format!("inbound-{pid}"))}
                        </div>
                        <div class="setting-row">
                            <span class="setting-label">"Outbound access › Trust settings: Automatically redeem invitations"
                                <span class=if outbound.effective { "state-on" } else { "state-off" }>{outbound.describe()}</span></span>
                            {setting_select(pg, t.clone(), pid.clone(), PolicySetting::OutboundAllowed, outbound, on_off(defaults.outbound_allowed), format!("outbound-{pid}"))}
                        </div>
                    </div>
                }
            }).collect_view()}
        }.into_any()
    }
}

#[component]
fn CollaborationTab(tenant: String) -> impl IntoView {
    let pg = Playground::get();
    let tenant = StoredValue::new(tenant);
    let current = move || {
        pg.with_view(|sim| {
            sim.tenant_index(&tenant.get_value())
                .map(|t| sim.tenant(t).allow_invites_from)
                .unwrap_or_default()
        })
    };
    let options = [
        (InviteRestriction::Everyone, "Anyone in the organization can invite guest users including guests and non-admins (most inclusive)"),
        (InviteRestriction::AdminsGuestInvitersAndAllMembers, "Member users and users assigned to specific admin roles can invite guest users including guests with member permissions"),
        (InviteRestriction::AdminsAndGuestInviters, "Only users assigned to specific admin roles can invite guest users"),
        (InviteRestriction::None, "No one in the organization can invite guest users including admins (most restrictive)"),
    ];
    view! {
        <h3>"Guest invite settings"</h3>
        <p class="help">"External collaboration settings. Only the most restrictive setting blocks cross-tenant sync from creating users (AzureActiveDirectoryForbidden)."</p>
        <fieldset class="radio-list" data-testid="guest-invite">
            <legend class="visually-hidden">"Guest invite restrictions"</legend>
            {options.into_iter().map(|(value, label)| view! {
                <label class="radio">
                    <input type="radio" name="allow-invites-from" prop:checked=move || current() == value
                        on:change=move |_| { pg.edit(Command::SetAllowInvitesFrom { tenant: tenant.get_value(), value }); }/>
                    {label}
                </label>
            }).collect_view()}
        </fieldset>
    }
}
