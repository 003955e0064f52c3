//! Attribute mappings as the admin center lists them (the default schema with the job's edits),
//! and the "Edit attribute" pane: mapping type Direct / Constant / Expression / None, default
//! value if null, apply always or only during object creation, an expression field with inline
//! parse errors, "Test expression" against a chosen user, and a results column for every user in
//! scope. Saving sends one `setAttributeMappings` with the job's edits.

use ctsync_core::engine::mapping::{effective_specs, MATCHING_ATTRIBUTE};
use ctsync_core::expr;
use ctsync_core::scenario::{AttributeMappingSpec, Command, FlowType, MappingType};
use ctsync_core::test_expression::{describe, test_expression};
use leptos::prelude::*;

use crate::state::Playground;

/// Users in the results column at once.
const RESULT_ROWS: usize = 30;

fn type_name(t: MappingType) -> &'static str {
    match t {
        MappingType::Direct => "Direct",
        MappingType::Constant => "Constant",
        MappingType::Expression => "Expression",
        MappingType::None => "None",
    }
}

/// The job's edits after saving `spec` (replacing its target's entry, or adding one).
fn with_edit(
    edits: &[AttributeMappingSpec],
    spec: AttributeMappingSpec,
) -> Vec<AttributeMappingSpec> {
    let mut next: Vec<AttributeMappingSpec> = edits
        .iter()
        .filter(|e| e.target_attribute_name != spec.target_attribute_name)
        .cloned()
        .collect();
    next.push(spec);
    next
}

#[component]
pub fn MappingsTab(job: String) -> impl IntoView {
    let pg = Playground::get();
    let job = StoredValue::new(job);
    let editing = RwSignal::new(None::<AttributeMappingSpec>);
    let data = Memo::new(move |_| {
        pg.with_view(|sim| {
            sim.job_index(&job.get_value()).map(|j| {
                let edits = sim.job(j).config.attribute_mappings.clone();
                (effective_specs(&edits), edits)
            })
        })
    });
    let save = move |spec: AttributeMappingSpec| {
        let Some((_, edits)) = data.get_untracked() else {
            return;
        };
        if pg.edit(Command::SetAttributeMappings {
            job: job.get_value(),
            attribute_mappings: with_edit(&edits, spec),
        }) {
            editing.set(None);
        }
    };
    let delete = move |target: String| {
        let Some((_, edits)) = data.get_untracked() else {
            return;
        };
        if pg.edit(Command::SetAttributeMappings {
            job: job.get_value(),
            attribute_mappings: with_edit(
                &edits,
                AttributeMappingSpec {
                    target_attribute_name: target,
                    delete: true,
                    mapping_type: MappingType::Direct,
                    source: None,
                    default_value: None,
                    flow_type: FlowType::Always,
                    matching_priority: 0,
                },
            ),
        }) {
            editing.set(None);
        }
    };
    move || {
        match editing.get() {
        Some(spec) => view! { <MappingEditor job=job.get_value() spec=spec editing=editing on_save=save on_delete=delete/> }.into_any(),
        None => view! { <MappingList job=job editing=editing data=data/> }.into_any(),
    }
    }
}

type MappingData = Memo<Option<(Vec<AttributeMappingSpec>, Vec<AttributeMappingSpec>)>>;

#[component]
fn MappingList(
    job: StoredValue<String>,
    editing: RwSignal<Option<AttributeMappingSpec>>,
    data: MappingData,
) -> impl IntoView {
    let pg = Playground::get();
    view! {
        <div class="table-toolbar">
            <button class="btn" data-testid="add-mapping" on:click=move |_| editing.set(Some(AttributeMappingSpec {
                target_attribute_name: String::new(),
                delete: false,
                mapping_type: MappingType::Expression,
                source: Some(String::new()),
                default_value: None,
                flow_type: FlowType::Always,
                matching_priority: 0,
            }))>"+ Add new mapping"</button>
            <button class="btn" data-testid="restore-mappings" on:click=move |_| {
                pg.edit(Command::SetAttributeMappings { job: job.get_value(), attribute_mappings: Vec::new() });
            }>"Restore default mappings"</button>
        </div>
        {move || data.get().map(|(specs, edits)| view! {
            <table class="data-table mappings" data-testid="mappings">
                <thead><tr><th>"Source attribute"</th><th>"Target attribute"</th><th>"Apply"</th><th></th></tr></thead>
                <tbody>
                    {specs.into_iter().map(|spec| {
                        let edited = edits.iter().any(|e| e.target_attribute_name == spec.target_attribute_name);
                        let matching = spec.target_attribute_name == MATCHING_ATTRIBUTE;
                        let source = match spec.mapping_type {
                            MappingType::Constant => format!("\"{}\"", spec.source.clone().unwrap_or_default()),
                            MappingType::None => "(none)".to_string(),
                            _ => spec.source.clone().unwrap_or_default(),
                        };
                        let to_edit = spec.clone();
                        view! {
                            <tr class:edited=edited data-testid="mapping-row" data-target=spec.target_attribute_name.clone()>
                                <td><div class="cell-main mono">{source}</div><div class="cell-sub">{type_name(spec.mapping_type)}</div></td>
                                <td>{spec.target_attribute_name.clone()}{matching.then(|| view! { <div class="cell-sub">"Matching (precedence 1)"</div> })}</td>
                                <td class="cell-sub">{if spec.flow_type == FlowType::Always { "Always" } else { "Only during object creation" }}</td>
                                <td class="row-actions">
                                    {(!matching).then(|| view! {
                                        <button class="btn small" data-testid="edit-mapping" on:click=move |_| editing.set(Some(to_edit.clone()))>"Edit"</button>

                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}

#[component]
fn MappingEditor(
    job: String,
    spec: AttributeMappingSpec,
    editing: RwSignal<Option<AttributeMappingSpec>>,
    on_save: impl Fn(AttributeMappingSpec) + Copy + Send + Sync + 'static,
    on_delete: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let pg = Playground::get();
    let job = StoredValue::new(job);
    let draft = RwSignal::new(spec.clone());
    let is_new = spec.target_attribute_name.is_empty();
    let target_name = spec.target_attribute_name.clone();
    // Show the pane from its top, wherever the list was scrolled to.
    let pane = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(el) = pane.get() {
            el.scroll_into_view();
        }
    });
    let test_user = RwSignal::new(String::new());
    let shown = RwSignal::new(RESULT_ROWS);
    let parsed = Memo::new(move |_| {
        let d = draft.get();
        (d.mapping_type == MappingType::Expression).then(|| {
            let text = d.source.unwrap_or_default();
            expr::parse(&text)
                .map(|_| ())
                .map_err(|e| (e.position, e.message))
        })
    });
    // Source users for "Test expression" and the users in scope for the results column.
    let users = Memo::new(move |_| {
        pg.with_view(|sim| {
            let Some(j) = sim.job_index(&job.get_value()) else {
                return Vec::new();
            };
            let index = sim.assignment_index(j);
            let source = sim.job(j).source;
            let dir = &sim.tenant(source).dir;
            dir.users
                .iter()
                .enumerate()
                .filter(|(_, u)| u.is_active() && u.is_internal())
                .filter_map(|(i, u)| {
                    let in_scope = sim.evaluate_scope(j, i as u32, &index).in_scope;
                    Some((
                        u.local_id.as_ref()?.to_string(),
                        u.display_name().to_string(),
                        u.upn().to_string(),
                        in_scope,
                    ))
                })
                .collect::<Vec<_>>()
        })
    });
    // The same users for the "Test expression" picker: (id, "Display name (UPN)").
    let test_candidates = Signal::derive(move || {
        users.with(|u| {
            u.iter()
                .map(|(id, name, upn, _)| (id.clone(), format!("{name} ({upn})")))
                .collect::<Vec<_>>()
        })
    });
    // Evaluates the draft's value for user `id` (Direct and Constant too, as the admin center shows).
    let evaluate = move |id: &str| -> String {
        let d = draft.get();
        let text = match d.mapping_type {
            MappingType::Expression => d.source.clone().unwrap_or_default(),
            MappingType::Direct => format!("[{}]", d.source.clone().unwrap_or_default()),
            MappingType::Constant => format!(
                "\"{}\"",
                d.source
                    .clone()
                    .unwrap_or_default()
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
            ),
            MappingType::None => return "(target left unmodified)".into(),
        };
        let Ok(expression) = expr::parse(&text) else {
            return "(does not parse)".into();
        };
        pg.with_view(|sim| {
            let Some(j) = sim.job_index(&job.get_value()) else {
                return String::new();
            };
            let t = sim.job(j).source;
            let Some(u) = sim.tenant(t).dir.user_by_local_id(id) else {
                return String::new();
            };
            let seed = pg.with_scenario(|s| s.seed);
            let result = describe(&test_expression(sim, t, u, &expression, seed));
            match (&d.default_value, result.starts_with("(no value)")) {
                (Some(default), true) if !default.is_empty() => {
                    format!("{default} (default value, on creation)")
                }
                _ => result,
            }
        })
    };
    let update = move |f: &dyn Fn(&mut AttributeMappingSpec)| draft.update(|d| f(d));
    view! {
        <section class="mapping-editor" data-testid="mapping-editor" aria-label="Edit attribute" node_ref=pane>
            <div class="detail-header">
                <h3>{if is_new { "Add attribute mapping".to_string() } else { format!("Edit attribute: {}", spec.target_attribute_name) }}</h3>
                <button class="btn icon-only" aria-label="Close" on:click=move |_| editing.set(None)>"×"</button>
            </div>
            <label class="field">
                <span>"Mapping type"</span>
                <select data-testid="mapping-type" on:change=move |ev| {
                    let t = match event_target_value(&ev).as_str() {
                        "Constant" => MappingType::Constant,
                        "Expression" => MappingType::Expression,
                        "None" => MappingType::None,
                        _ => MappingType::Direct,
                    };
                    update(&|d| d.mapping_type = t);
                }>
                    {[MappingType::Direct, MappingType::Constant, MappingType::Expression, MappingType::None].into_iter().map(|t| view! {
                        <option value=type_name(t) selected=move || draft.with(|d| d.mapping_type == t)>{type_name(t)}</option>
                    }).collect_view()}
                </select>
            </label>
            {move || match draft.with(|d| d.mapping_type) {
                MappingType::Expression => view! {
                    <label class="field">
                        <span>"Expression"</span>
                        <textarea class="expression" data-testid="expression" rows="3" spellcheck="false"
                            prop:value=move || draft.with(|d| d.source.clone().unwrap_or_default())
                            on:input=move |ev| { let v = event_target_value(&ev); update(&|d| d.source = Some(v.clone())); }></textarea>
                    </label>
                    {move || match parsed.get() {
                        Some(Err((position, message))) => {
                            let text = draft.with(|d| d.source.clone().unwrap_or_default());
                            let before: String = text.chars().take(position).collect();
                            let at: String = text.chars().skip(position).take(1).collect();
                            let after: String = text.chars().skip(position + 1).collect();
                            view! {
                                <div class="parse-error" data-testid="parse-error" role="alert">
                                    <span>{format!("{message} at position {position}")}</span>
                                    <code class="parse-context">{before}<mark>{if at.is_empty() { "␣".to_string() } else { at }}</mark>{after}</code>
                                </div>
                            }.into_any()
                        }
                        Some(Ok(())) => view! { <p class="parse-ok">"The expression parses."</p> }.into_any(),
                        None => ().into_any(),
                    }}
                }.into_any(),
                MappingType::None => view! { <p class="help">"The target attribute is left as it is; the default value fills it when it is empty."</p> }.into_any(),
                t => view! {
                    <label class="field">
                        <span>{if t == MappingType::Direct { "Source attribute" } else { "Constant value" }}</span>
                        <input type="text" data-testid="mapping-source" prop:value=move || draft.with(|d| d.source.clone().unwrap_or_default())
                            on:input=move |ev| { let v = event_target_value(&ev); update(&|d| d.source = Some(v.clone())); }/>
                    </label>
                }.into_any(),
            }}
            <label class="field">
                <span>"Default value if null (optional)"</span>
                <input type="text" data-testid="mapping-default" prop:value=move || draft.with(|d| d.default_value.clone().unwrap_or_default())
                    on:input=move |ev| { let v = event_target_value(&ev); update(&|d| d.default_value = Some(v.clone()).filter(|v| !v.is_empty())); }/>
            </label>
            <label class="field">
                <span>"Target attribute"</span>
                <input type="text" data-testid="mapping-target" disabled=!is_new prop:value=move || draft.with(|d| d.target_attribute_name.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); update(&|d| d.target_attribute_name = v.clone()); }/>
            </label>
            <label class="field">
                <span>"Apply this mapping"</span>
                <select data-testid="mapping-flow" on:change=move |ev| {
                    let f = if event_target_value(&ev) == "ObjectAddOnly" { FlowType::ObjectAddOnly } else { FlowType::Always };
                    update(&|d| d.flow_type = f);
                }>
                    <option value="Always" selected=move || draft.with(|d| d.flow_type == FlowType::Always)>"Always"</option>
                    <option value="ObjectAddOnly" selected=move || draft.with(|d| d.flow_type == FlowType::ObjectAddOnly)>"Only during object creation"</option>
                </select>
            </label>
            <div class="test-expression">
                <h4>"Test expression"</h4>
                <super::UserPicker candidates=test_candidates label="Find a source user to test with" button="Test" testid="test-user"
                    on_pick=move |id| test_user.set(id)/>
                {move || {
                    let id = test_user.get();
                    (!id.is_empty()).then(|| {
                        let who = users.with(|u| u.iter().find(|u| u.0 == id).map(|u| format!("{} ({})", u.1, u.2)));
                        view! {
                            <p class="muted" data-testid="test-user-chosen">{who.map(|w| format!("For {w}"))}</p>
                            <p class="test-result" data-testid="test-result"><span class="muted">"Result: "</span><strong>{evaluate(&id)}</strong></p>
                        }
                    })
                }}
                <h4>"Results for users in scope"</h4>
                <table class="data-table" data-testid="mapping-results">
                    <thead><tr><th>"User"</th><th>"Value"</th></tr></thead>
                    <tbody>
                        {move || users.get().into_iter().filter(|u| u.3).take(shown.get()).map(|(id, name, _, _)| view! {
                            <tr><td>{name}</td><td class="mono">{evaluate(&id)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {move || {
                    let in_scope = users.with(|u| u.iter().filter(|u| u.3).count());
                    (in_scope > shown.get()).then(|| view! {
                        <button class="btn link" on:click=move |_| shown.update(|s| *s += RESULT_ROWS)>
                            {format!("Show more ({} of {in_scope} users in scope shown)", shown.get())}
                        </button>
                    })
                }}
            </div>
            <div class="form-actions sticky">
                <button class="btn primary" data-testid="save-mapping"
                    disabled=move || matches!(parsed.get(), Some(Err(_))) || draft.with(|d| d.target_attribute_name.trim().is_empty())
                    on:click=move |_| on_save(draft.get_untracked())>"Save"</button>
                <button class="btn" on:click=move |_| editing.set(None)>"Discard"</button>
                {(!is_new).then(|| view! {
                    <button class="btn danger push-right" data-testid="delete-mapping" on:click=move |_| on_delete(target_name.clone())>"Delete mapping"</button>
                })}
            </div>
        </section>
    }
}
