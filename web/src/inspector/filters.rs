//! The scoping filter builder: filters (ORed) of clauses (ANDed), every operator Entra offers with
//! a short help on its rule, and live below it which source users pass — and, for the others,
//! which clause fails — as core's scope evaluation says. Each change is one `setScopingFilters`.

use ctsync_core::scenario::{Command, FilterClause, FilterOperator, ScopingFilter, TargetOperand};
use leptos::prelude::*;

use crate::state::Playground;

/// Source users listed in the live result at once.
const RESULT_ROWS: usize = 40;

/// Attribute names offered in the clause's attribute field (any name may be typed).
const ATTRIBUTES: [&str; 16] = [
    "department",
    "jobTitle",
    "companyName",
    "country",
    "city",
    "usageLocation",
    "employeeId",
    "userType",
    "accountEnabled",
    "mail",
    "userPrincipalName",
    "displayName",
    "extensionAttribute1",
    "physicalDeliveryOfficeName",
    "preferredLanguage",
    "state",
];

/// One source user's scope, as the live result lists it.
#[derive(Debug, Clone, PartialEq)]
struct ScopeRow {
    upn: String,
    name: String,
    in_scope: bool,
    /// Why not: the failing clauses, or core's summary (not assigned, external, …).
    why: String,
}

#[component]
pub fn FiltersTab(job: String) -> impl IntoView {
    let pg = Playground::get();
    let job = StoredValue::new(job);
    let filters = Memo::new(move |_| {
        pg.with_view(|sim| {
            sim.job_index(&job.get_value())
                .map(|j| sim.job(j).config.scoping_filters.clone())
                .unwrap_or_default()
        })
    });
    let set = move |next: Vec<ScopingFilter>| {
        pg.edit(Command::SetScopingFilters {
            job: job.get_value(),
            scoping_filters: next,
        });
    };
    let shown = RwSignal::new(RESULT_ROWS);
    let results = Memo::new(move |_| {
        let limit = shown.get();
        pg.with_view(|sim| {
            let Some(j) = sim.job_index(&job.get_value()) else {
                return (0, 0, Vec::new());
            };
            let index = sim.assignment_index(j);
            let source = sim.job(j).source;
            let dir = &sim.tenant(source).dir;
            let mut passed = 0;
            let mut total = 0;
            let mut rows = Vec::new();
            for (u, user) in dir.users.iter().enumerate() {
                if !user.is_active() || !user.is_internal() {
                    continue;
                }
                let scope = sim.evaluate_scope(j, u as u32, &index);
                total += 1;
                if scope.in_scope {
                    passed += 1;
                }
                if rows.len() < limit {
                    // Core words why: not assigned, external, or which clause is false.
                    let why = if scope.in_scope {
                        String::new()
                    } else {
                        sim.scope_summary(j, &scope)
                    };
                    rows.push(ScopeRow {
                        upn: user.upn().to_string(),
                        name: user.display_name().to_string(),
                        in_scope: scope.in_scope,
                        why,
                    });
                }
            }
            (passed, total, rows)
        })
    });
    view! {
        <p class="help">"A user is in scope when every clause of at least one filter holds. Entra always adds \"Filter external users.alternativeSecurityIds EQUALS 'None'\"."</p>
        {move || {
            let current = filters.get();
            view! {
                <div class="filters" data-testid="scoping-filters">
                    {current.iter().enumerate().map(|(f, filter)| {
                        let all = current.clone();
                        let rename_all = all.clone();
                        let remove_all = all.clone();
                        let add_all = all.clone();
                        view! {
                            <fieldset class="filter-card" data-testid="scoping-filter">
                                <legend class="visually-hidden">{format!("Scoping filter {}", f + 1)}</legend>
                                <div class="filter-head">
                                    <input type="text" class="filter-name" aria-label="Scoping filter title" prop:value=filter.name.clone()
                                        on:change=move |ev| {
                                            let mut next = rename_all.clone();
                                            next[f].name = event_target_value(&ev);
                                            set(next);
                                        }/>
                                    <button class="btn small" on:click=move |_| {
                                        let mut next = remove_all.clone();
                                        next.remove(f);
                                        set(next);
                                    }>"Delete filter"</button>
                                </div>
                                {filter.clauses.iter().enumerate().map(|(c, clause)| clause_row(all.clone(), f, c, clause.clone(), set)).collect_view()}
                                <button class="btn small link" data-testid="add-clause" on:click=move |_| {
                                    let mut next = add_all.clone();
                                    next[f].clauses.push(FilterClause {
                                        source_operand_name: "department".into(),
                                        operator_name: FilterOperator::Equals,
                                        target_operand: TargetOperand { values: vec![String::new()] },
                                    });
                                    set(next);
                                }>"+ Add clause (AND)"</button>
                            </fieldset>
                        }
                    }).collect_view()}
                    <button class="btn" data-testid="add-filter" on:click=move |_| {
                        let mut next = filters.get_untracked();
                        let n = next.len() + 1;
                        next.push(ScopingFilter {
                            name: format!("Scoping filter {n}"),
                            clauses: vec![FilterClause {
                                source_operand_name: "department".into(),
                                operator_name: FilterOperator::IsNotNull,
                                target_operand: TargetOperand::default(),
                            }],
                        });
                        set(next);
                    }>"+ Add scoping filter (OR)"</button>
                </div>
            }
        }}
        <datalist id="filter-attributes">
            {ATTRIBUTES.iter().map(|a| view! { <option value=*a></option> }).collect_view()}
        </datalist>
        <h3>"Who is in scope now"</h3>
        {move || {
            let (passed, total, rows) = results.get();
            view! {
                <p data-testid="scope-summary"><strong>{format!("{passed} of {total}")}</strong>" active internal users in scope"
                    {(total > rows.len()).then(|| format!(" (first {} listed)", rows.len()))}</p>
                {(total > rows.len()).then(|| view! {
                    <button class="btn link" on:click=move |_| shown.update(|s| *s += RESULT_ROWS * 5)>"List more users"</button>
                })}
                <table class="data-table scope-results" data-testid="scope-results">
                    <thead><tr><th>"User"</th><th>"In scope"</th><th>"Why not"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr class:out=!r.in_scope data-testid="scope-row" data-upn=r.upn.clone() data-in-scope=r.in_scope.to_string()>
                                <td><div class="cell-main">{r.name}</div><div class="cell-sub">{r.upn.clone()}</div></td>
                                <td>{if r.in_scope { "Yes" } else { "No" }}</td>
                                <td class="cell-sub">{r.why}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
        }}
    }
}

fn clause_row(
    all: Vec<ScopingFilter>,
    f: usize,
    c: usize,
    clause: FilterClause,
    set: impl Fn(Vec<ScopingFilter>) + Copy + 'static,
) -> impl IntoView {
    let (a1, a2, a3, a4) = (all.clone(), all.clone(), all.clone(), all);
    let op = clause.operator_name;
    view! {
        <div class="clause" data-testid="clause">
            <input type="text" class="clause-attr" list="filter-attributes" aria-label="Source attribute"
                prop:value=clause.source_operand_name.clone()
                on:change=move |ev| {
                    let mut next = a1.clone();
                    next[f].clauses[c].source_operand_name = event_target_value(&ev);
                    set(next);
                }/>
            <select class="clause-op" aria-label="Operator" data-testid="clause-operator" on:change=move |ev| {
                let name = event_target_value(&ev);
                if let Some(op) = FilterOperator::ALL.iter().find(|o| o.entra_name() == name) {
                    let mut next = a2.clone();
                    next[f].clauses[c].operator_name = *op;
                    if op.is_unary() {
                        next[f].clauses[c].target_operand.values.clear();
                    } else if next[f].clauses[c].target_operand.values.is_empty() {
                        next[f].clauses[c].target_operand.values.push(String::new());
                    }
                    set(next);
                }
            }>
                {FilterOperator::ALL.iter().map(|o| view! {
                    <option value=o.entra_name() selected=*o == op title=o.rule()>{o.entra_name()}</option>
                }).collect_view()}
            </select>
            {(!op.is_unary()).then(|| view! {
                <input type="text" class="clause-value" aria-label="Value" data-testid="clause-value"
                    prop:value=clause.target_operand.values.first().cloned().unwrap_or_default()
                    on:change=move |ev| {
                        let mut next = a3.clone();
                        next[f].clauses[c].target_operand.values = vec![event_target_value(&ev)];
                        set(next);
                    }/>
            })}
            <button class="btn icon-only" aria-label="Delete clause" on:click=move |_| {
                let mut next = a4.clone();
                next[f].clauses.remove(c);
                set(next);
            }>"×"</button>
            <p class="clause-help">{format!("{}: {}.", op.entra_name(), op.rule())}</p>
        </div>
    }
}
