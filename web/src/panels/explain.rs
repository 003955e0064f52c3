//! "Why is this user (not) in this tenant?": core's explanation (`ctsync_core::explain`) of the
//! state the page shows — the verdict, every reason in Entra's wording with the fix (one click where
//! core offers one) and the decision row it rests on, each job's chain (configuration, connection
//! test, import, assignment, eligibility, every scoping clause with the user's actual value,
//! matching, the action and its values), and the history. Job and tenant names select the object.

use std::collections::BTreeMap;

use ctsync_core::explain::{self, Check, Explanation, Finding, JobChain};
use ctsync_core::readiness::Fix;
use ctsync_core::scenario::UserRef;
use leptos::prelude::*;

use super::{decision_note, panel_header, select_link};
use crate::state::{Playground, Selection};

/// What the panel shows, computed from the page's state.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    explanation: Explanation,
    /// The one-click fix of each finding, in the findings' order.
    fixes: Vec<Option<Fix>>,
    /// Tenant id → display name.
    tenants: BTreeMap<String, String>,
}

#[component]
pub fn ExplainPanel(user: UserRef, tenant: String) -> impl IntoView {
    let pg = Playground::get();
    let user = StoredValue::new(user);
    let tenant = StoredValue::new(tenant);
    let shown = Memo::new(move |_| {
        pg.with(|r| {
            let sim = r.view();
            let e =
                explain::explain_user(sim, r.scenario(), &user.get_value(), &tenant.get_value())
                    .map_err(|e| e.to_string())?;
            let fixes = e
                .findings
                .iter()
                .map(|f| explain::one_click_fix(sim, &e, f))
                .collect();
            let tenants = ctsync_core::sort::collect_map(
                sim.tenants
                    .iter()
                    .map(|t| (t.id.to_string(), t.display_name.clone())),
            );
            Ok::<Shown, String>(Shown {
                explanation: e,
                fixes,
                tenants,
            })
        })
    });
    // The person as `hometenant/homeuser`, which finds their accounts in any tenant; changes only
    // when the person does, so the attribute picked survives steps.
    let person = Memo::new(move |_| {
        shown.with(|s| {
            let p = &s.as_ref().ok()?.explanation.person;
            (!p.home_user.is_empty()).then(|| UserRef::Home {
                tenant: p.home_tenant.clone(),
                user: p.home_user.clone(),
            })
        })
    });
    let title = move || match shown.get() {
        Ok(s) => {
            let p = &s.explanation.person;
            let who = if p.display_name.is_empty() {
                p.user_principal_name.clone()
            } else {
                p.display_name.clone()
            };
            let where_ = s
                .tenants
                .get(&s.explanation.tenant)
                .cloned()
                .unwrap_or_else(|| s.explanation.tenant.clone());
            format!("{who} in {where_}")
        }
        Err(_) => "Explain".to_string(),
    };
    view! {
        {panel_header("Explain", title)}
        <div class="inspector-body panel-body" data-testid="explain-panel">
            {move || match shown.get() {
                Err(message) => view! {
                    <p class="callout error" data-testid="explain-error">{format!("This user can't be explained here: {message}.")}</p>
                }.into_any(),
                Ok(s) => explanation_view(s).into_any(),
            }}
            {move || person.get().map(|home| view! { <AttributeWhy user=home tenant=tenant.get_value()/> })}
        </div>
    }
}

/// A finding with its one-click fix, if core offers one.
type FindingAndFix = (Finding, Option<Fix>);

fn explanation_view(s: Shown) -> impl IntoView {
    let Shown {
        explanation: e,
        fixes,
        tenants,
    } = s;
    let name = |id: &str| tenants.get(id).cloned().unwrap_or_else(|| id.to_string());
    let after = match e.after_tick {
        Some(t) => format!("State after tick {t} — what the page shows now."),
        None => "State before the first sync cycle (tick 0) — what the page shows now.".to_string(),
    };
    let in_chain: Vec<bool> = e
        .findings
        .iter()
        .map(|f| e.jobs.iter().any(|c| c.findings.contains(f)))
        .collect();
    // Reasons outside any job's chain (no job, relay, deletions) first; then the jobs.
    let general: Vec<FindingAndFix> = e
        .findings
        .iter()
        .zip(&fixes)
        .zip(&in_chain)
        .filter(|(_, inside)| !**inside)
        .map(|((f, fix), _)| (f.clone(), fix.clone()))
        .collect();
    let fix_of = |f: &Finding| {
        e.findings
            .iter()
            .position(|x| x == f)
            .and_then(|i| fixes[i].clone())
    };
    let chains: Vec<(JobChain, Vec<FindingAndFix>)> = e
        .jobs
        .iter()
        .map(|c| {
            let findings = c.findings.iter().map(|f| (f.clone(), fix_of(f))).collect();
            (c.clone(), findings)
        })
        .collect();
    let home_tenant = e.person.home_tenant.clone();
    let home_label = name(&home_tenant);
    view! {
        <p class="muted small-print">{after}</p>
        <div class=if e.present { "callout verdict present" } else { "callout verdict absent" }
            data-testid="explain-verdict" data-present=e.present.to_string()>
            <strong>{if e.present { "Present" } else { "Not there" }}</strong>
            <p>{e.verdict.clone()}</p>
        </div>
        <dl class="facts">
            <dt>"User"</dt><dd>{if e.person.home_user.is_empty() {
                e.person.user_principal_name.clone().into_any()
            } else {
                select_link(Selection::User { tenant: home_tenant.clone(), user: UserRef::Local(e.person.home_user.clone()) }, e.person.user_principal_name.clone()).into_any()
            }}</dd>
            <dt>"Home tenant"</dt><dd>{select_link(Selection::Tenant(home_tenant), home_label)}</dd>
            <dt>"Asked about"</dt><dd>{select_link(Selection::Tenant(e.tenant.clone()), name(&e.tenant))}</dd>
            {(!e.accounts.is_empty()).then(|| view! {
                <dt>"Accounts there"</dt>
                <dd>{e.accounts.iter().map(|a| view! {
                    <div data-testid="explain-account">{format!("{} — {}, {}", a.user_principal_name, a.kind, a.state)}
                        {a.created_by_job.clone().map(|j| view! { <span class="muted">" · created by "</span>{select_link(Selection::Job(j.clone()), j)}})}
                    </div>
                }).collect_view()}</dd>
            })}
        </dl>
        {(!general.is_empty()).then(|| view! {
            <h3>"Why"</h3>
            <ul class="findings">{general.into_iter().map(|(f, fix)| finding_view(f, fix)).collect_view()}</ul>
        })}
        {chains.into_iter().map(|(c, findings)| chain_view(c, findings, &name)).collect_view()}
        {(!e.history.is_empty()).then(|| view! {
            <h3>"History"</h3>
            <ol class="history" data-testid="explain-history">
                {e.history.iter().map(|h| view! {
                    <li class:command=h.kind == "command">
                        <span class="history-tick">{format!("Tick {}", h.tick)}</span>
                        <span>{h.text.clone()}</span>
                    </li>
                }).collect_view()}
            </ol>
        })}
    }
}

/// One reason: its code, the sentence, the fix (a button when core offers one), the decision row.
fn finding_view(f: Finding, fix: Option<Fix>) -> impl IntoView {
    let pg = Playground::get();
    let bearing = match f.reason.bearing() {
        explain::Bearing::Blocks => "blocks",
        explain::Bearing::Present => "present",
        explain::Bearing::Info => "info",
    };
    view! {
        <li class=format!("finding bearing-{bearing}") data-testid="explain-finding" data-reason=f.reason.code()>
            <div class="finding-head">
                <code class="reason-code" title=f.reason.title()>{f.reason.code()}</code>
            </div>
            <p class="finding-text">{f.text.clone()}</p>
            {f.fix.clone().map(|text| view! { <p class="finding-fix"><span class="muted">"Fix: "</span>{text}</p> })}
            {fix.map(|fix| {
                let Fix { label, commands } = fix;
                view! {
                    <button class="btn primary small" data-testid="explain-fix"
                        on:click=move |_| {
                            if pg.edit_all(commands.clone()) {
                                pg.say("Fixed. Step to see the next sync cycle pick it up.");
                            }
                        }>{label}</button>
                }
            })}
            {f.decision.map(decision_note)}
        </li>
    }
}

fn mark(check: &Check) -> (&'static str, &'static str) {
    match check.passed {
        Some(true) => ("✓", "pass"),
        Some(false) => ("✗", "fail"),
        None => ("·", "skip"),
    }
}

fn check_row(name: &'static str, check: &Check) -> Option<impl IntoView> {
    if check.text.is_empty() {
        return None;
    }
    let (icon, class) = mark(check);
    Some(view! {
        <li class=format!("chain-step {class}") data-testid="chain-step" data-step=name data-passed=class>
            <span class="chain-icon" aria-hidden="true">{icon}</span>
            <span class="chain-name">{name}</span>
            <span class="chain-text">{check.text.clone()}</span>
        </li>
    })
}

fn shown(value: Option<&str>) -> String {
    value
        .map(|v| format!("'{v}'"))
        .unwrap_or_else(|| "(empty)".into())
}

/// One job's chain for the user.
fn chain_view(
    c: JobChain,
    findings: Vec<FindingAndFix>,
    name: &dyn Fn(&str) -> String,
) -> impl IntoView {
    let show_clauses = !c.clauses.is_empty() && c.eligibility.passed.is_some();
    let steps_before = [
        ("Configuration", &c.configuration),
        ("Connection test", &c.connection),
        ("Import", &c.import),
        ("Assignment", &c.assignment),
        ("Eligibility", &c.eligibility),
    ]
    .into_iter()
    .filter_map(|(n, check)| check_row(n, check))
    .collect_view();
    let steps_after = [("Scope", &c.scope), ("Matching", &c.matching)]
        .into_iter()
        .filter_map(|(n, check)| check_row(n, check))
        .collect_view();
    view! {
        <section class="chain" data-testid="explain-chain" data-job=c.job.clone()>
            <h3 class="chain-title">
                <span class="muted">"Sync job "</span>
                {select_link(Selection::Job(c.job.clone()), c.job.clone())}
                <span class="muted">{format!(" ({} → {}) · {}", name(&c.source), name(&c.target), c.status)}</span>
                {c.relay.then(|| view! { <span class="kind-badge warn">"relay through a hub"</span> })}
            </h3>
            {c.source_user.clone().map(|u| view! { <p class="muted">{format!("Source user: {u}")}</p> })}
            <ol class="chain-steps">
                {steps_before}
                {show_clauses.then(|| view! {
                    <li class="chain-clauses">
                        <table class="data-table clauses" data-testid="explain-clauses">
                            <thead><tr><th>"Scoping clause"</th><th>"User's value"</th><th>"Result"</th></tr></thead>
                            <tbody>
                                {c.clauses.iter().map(|cl| view! {
                                    <tr data-testid="explain-clause" data-result=cl.result.to_string() class:fail=!cl.result>
                                        <td>{cl.clause.clone()}
                                            {cl.note.clone().map(|n| view! { <div class="cell-sub">{n}</div> })}
                                        </td>
                                        <td><span class="mono">{format!("{} = {}", cl.attribute, shown(cl.value.as_deref()))}</span></td>
                                        <td class="nowrap">{if cl.result { "✓ true" } else { "✗ false" }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </li>
                })}
                {steps_after}
            </ol>
            {c.action.clone().map(|a| {
                let values: Vec<_> = a.values.iter().filter(|v| v.changes).cloned().collect();
                let create = a.action == "Create";
                view! {
                    <div class="chain-action" data-testid="explain-action">
                        <p><strong>{format!("Next: {}", a.action)}</strong>" "{a.text.clone()}</p>
                        {(!values.is_empty()).then(|| view! {
                            <table class="data-table values">
                                <thead><tr><th>"Attribute"</th>{(!create).then(|| view! { <th>"Now"</th> })}<th>"Would write"</th></tr></thead>
                                <tbody>
                                    {values.into_iter().map(|v| {
                                        let value = if v.redacted { "[Redact]".to_string() } else { shown(v.value.as_deref()) };
                                        view! {
                                            <tr>
                                                <td>{v.attribute.clone()}</td>
                                                {(!create).then(|| view! { <td>{shown(v.current.as_deref())}</td> })}
                                                <td>{value}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })}
                        {a.notes.iter().map(|n| view! { <p class="cell-sub">{n.clone()}</p> }).collect_view()}
                    </div>
                }
            })}
            {(!findings.is_empty()).then(|| view! {
                <ul class="findings">{findings.into_iter().map(|(f, fix)| finding_view(f, fix)).collect_view()}</ul>
            })}
        </section>
    }
}

/// "Why does this attribute hold this value?" for the person's synced account in the tenant:
/// core's attribute explanation (`explain::explain_attribute_in`) of an attribute picked from the
/// account's attributes.
#[component]
fn AttributeWhy(user: UserRef, tenant: String) -> impl IntoView {
    let pg = Playground::get();
    let user = StoredValue::new(user);
    let tenant = StoredValue::new(tenant);
    // The attributes of the person's external account in the tenant (none: no section).
    let attributes = Memo::new(move |_| {
        pg.with_view(|sim| {
            let Some(t) = sim.tenant_index(&tenant.get_value()) else {
                return Vec::new();
            };
            let accounts = sim.resolve_user_ref(t, &user.get_value());
            let active = accounts
                .iter()
                .copied()
                .find(|u| sim.tenant(t).dir.user(*u).is_active());
            let Some(u) = active.or_else(|| accounts.first().copied()) else {
                return Vec::new();
            };
            let account = sim.tenant(t).dir.user(u);
            if account.is_internal() {
                return Vec::new();
            }
            let mut names: Vec<String> = account
                .attrs
                .iter()
                .map(|(id, _)| sim.names.name(id).to_string())
                .collect();
            ctsync_core::sort::sort(&mut names);
            names
        })
    });
    let picked = RwSignal::new(None::<String>);
    let answer = Memo::new(move |_| {
        let attribute = picked.get()?;
        Some(pg.with(|r| {
            explain::explain_attribute_in(
                r.view(),
                r.scenario(),
                &user.get_value(),
                &tenant.get_value(),
                &attribute,
            )
            .map_err(|e| e.to_string())
        }))
    });
    move || {
        let names = attributes.get();
        (!names.is_empty()).then(|| view! {
            <section class="attribute-why" data-testid="attribute-why">
                <h3>"Why does an attribute hold its value?"</h3>
                <div class="table-toolbar">
                    <select data-testid="attribute-why-pick" aria-label="Attribute to explain"
                        on:change=move |ev| { let v = event_target_value(&ev); picked.set((!v.is_empty()).then_some(v)); }>
                        <option value="">"Pick an attribute…"</option>
                        {names.into_iter().map(|n| {
                            let selected = picked.get_untracked().as_deref() == Some(n.as_str());
                            view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {move || answer.get().map(|a| match a {
                    Err(e) => view! { <p class="callout error">{e}</p> }.into_any(),
                    Ok(a) => view! {
                        <p class="callout" data-testid="attribute-verdict">{a.verdict.clone()}</p>
                        <dl class="facts">
                            <dt>"Value now"</dt><dd>{shown(a.target_value.as_deref())}</dd>
                            {a.mapping.clone().map(|m| view! { <dt>"Mapping"</dt><dd class="mono">{m}</dd> })}
                            {a.mapping.is_some().then(|| view! { <dt>"Mapping gives"</dt><dd>{shown(a.mapped_value.as_deref())}</dd> })}
                        </dl>
                        {(!a.writes.is_empty()).then(|| view! {
                            <table class="data-table values">
                                <thead><tr><th>"Tick"</th><th>"Write by sync"</th><th>"Old → new"</th></tr></thead>
                                <tbody>{a.writes.iter().map(|w| view! {
                                    <tr><td>{w.tick}</td><td>{format!("{} {}", w.job, w.action)}</td>
                                        <td>{format!("{} → {}", shown(w.old.as_deref()), shown(w.new.as_deref()))}</td></tr>
                                }).collect_view()}</tbody>
                            </table>
                        })}
                        <ul class="findings">
                            {a.findings.iter().map(|f| view! {
                                <li class="finding bearing-info" data-testid="attribute-finding" data-reason=f.reason.code()>
                                    <div class="finding-head"><code class="reason-code" title=f.reason.title()>{f.reason.code()}</code></div>
                                    <p class="finding-text">{f.text.clone()}</p>
                                    {f.fix.clone().map(|t| view! { <p class="finding-fix"><span class="muted">"Fix: "</span>{t}</p> })}
                                    {f.decision.map(decision_note)}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </section>
        })
    }
}

/// "Why isn't … here?": a picker over the people of other tenants who are not in `tenant`.
#[component]
pub fn WhyNotHere(tenant: String) -> impl IntoView {
    let pg = Playground::get();
    let tenant = StoredValue::new(tenant);
    let candidates = Memo::new(move |_| {
        pg.with_view(|sim| {
            let Some(t) = sim.tenant_index(&tenant.get_value()) else {
                return Vec::new();
            };
            explain::absentees(sim, t)
                .into_iter()
                .map(|a| {
                    let home = sim
                        .tenant_index(&a.tenant)
                        .map(|h| sim.tenant(h).display_name.clone())
                        .unwrap_or_else(|| a.tenant.clone());
                    (
                        format!("{}/{}", a.tenant, a.user),
                        format!("{} ({}) — {home}", a.display_name, a.user_principal_name),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let count = move || candidates.with(Vec::len);
    view! {
        <div class="why-not-here" data-testid="why-not-here">
            <h3>"Why isn't someone here?"</h3>
            <p class="help">{move || match count() {
                0 => "Every user of the other tenants is here.".to_string(),
                1 => "1 user of the other tenants is not here. Pick them to see why.".to_string(),
                n => format!("{n} users of the other tenants are not here. Pick one to see why."),
            }}</p>
            {move || (count() > 0).then(|| view! {
                <crate::inspector::UserPicker candidates=Signal::from(candidates) label="Name or UPN of a missing user"
                    button="Explain" testid="why-not-here-user"
                    on_pick=move |id: String| pg.explain(UserRef::parse(&id), tenant.get_value())/>
            })}
        </div>
    }
}
