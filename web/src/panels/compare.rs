//! The compare view: two designs side by side after the same number of ticks, as core compares
//! them (`ctsync_core::compare`) — what each costs (sync jobs and partner settings to configure,
//! accounts created, licences in both documented readings) and gives (users reachable per tenant,
//! users missing where the design wants them, review counts) — with the rows that differ marked,
//! and each design's presence matrix: who is in which tenant, and as what.
//!
//! The designs: the scenario open now, the local scenarios of this browser (`storage.rs`), a
//! template, or a scenario file picked from disk. "Export Markdown" downloads the comparison as
//! core's Markdown document.

use ctsync_core::compare::{self, Comparison, PresenceMatrix};
use ctsync_core::Scenario;
use leptos::prelude::*;

use crate::examples::{self, TEMPLATES};
use crate::files;
use crate::modal::Modal;
use crate::state::Playground;
use crate::storage;

/// Where a design comes from.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    Current,
    Template(&'static str),
    /// A local scenario of this browser: (id, name).
    Local(String, String),
    /// A scenario file read from disk: (file name, scenario).
    File(String, Box<Scenario>),
}

impl Source {
    fn key(&self) -> String {
        match self {
            Source::Current => "current".into(),
            Source::Template(id) => format!("template:{id}"),
            Source::Local(id, _) => format!("local:{id}"),
            Source::File(name, _) => format!("file:{name}"),
        }
    }

    fn load(&self, pg: Playground) -> Result<Scenario, String> {
        match self {
            Source::Current => Ok(pg.with_scenario_untracked(Clone::clone)),
            Source::Template(id) => TEMPLATES
                .iter()
                .find(|t| t.id == *id)
                .ok_or_else(|| format!("no template {id}"))
                .and_then(examples::load),
            Source::File(_, s) => Ok((**s).clone()),
            Source::Local(id, name) => storage::load(id)
                .map(|(s, _)| s)
                .map_err(|e| format!("The local scenario \"{name}\" could not be read: {e}")),
        }
    }
}

#[component]
pub fn CompareDialog() -> impl IntoView {
    let pg = Playground::get();
    let files = RwSignal::new_local(Vec::<Source>::new());
    let a = RwSignal::new("current".to_string());
    let b = RwSignal::new(format!("template:{}", TEMPLATES[1].id));
    let ticks_text = RwSignal::new(String::new());
    let file_input = NodeRef::<leptos::html::Input>::new();
    let sources = move || {
        let mut all = vec![Source::Current];
        all.extend(
            storage::list()
                .into_iter()
                .map(|e| Source::Local(e.id, e.name)),
        );
        all.extend(TEMPLATES.iter().map(|t| Source::Template(t.id)));
        all.extend(files.get());
        all
    };
    let label = |s: &Source, current: &str| match s {
        Source::Current => format!("This scenario — {current}"),
        Source::Template(id) => TEMPLATES
            .iter()
            .find(|t| t.id == *id)
            .map(|t| format!("Template — {}", t.label))
            .unwrap_or_default(),
        Source::File(name, s) => format!("File {name} — {}", s.name),
        Source::Local(_, name) => format!("Local scenario — {name}"),
    };
    let result = Memo::new(move |_| {
        let all = sources();
        let pick = |key: &str| all.iter().find(|s| s.key() == key).cloned();
        let (Some(sa), Some(sb)) = (pick(&a.get()), pick(&b.get())) else {
            return Err("Pick two designs.".to_string());
        };
        // The scenario open now is read tracked, so the view follows edits.
        let da = match &sa {
            Source::Current => pg.with_scenario(Clone::clone),
            other => other.load(pg)?,
        };
        let db = match &sb {
            Source::Current => pg.with_scenario(Clone::clone),
            other => other.load(pg)?,
        };
        let ticks = match ticks_text.get().trim() {
            "" => da.last_scripted_tick().max(db.last_scripted_tick()) + 1,
            t => t
                .parse::<u64>()
                .ok()
                .filter(|t| *t <= ctsync_core::scenario::MAX_TICKS)
                .ok_or_else(|| {
                    format!(
                        "Ticks must be a whole number from 0 to {}.",
                        ctsync_core::scenario::MAX_TICKS
                    )
                })?,
        };
        Ok::<Comparison, String>(compare::compare(&[&da, &db], ticks))
    });
    let import = move |ev: leptos::ev::Event| {
        files::read_picked_scenario(&ev, move |result| match result {
            Ok((file, s)) => {
                let source = Source::File(file, Box::new(s));
                let key = source.key();
                files.update(|f| {
                    f.retain(|x| x.key() != key);
                    f.push(source);
                });
                b.set(key);
            }
            Err(message) => pg.complain(message),
        });
    };
    // The comparison as a Markdown document for a design review (core writes it, as the CLI's
    // `compare --markdown`).
    let export = move |_| {
        let Ok(c) = result.get_untracked() else {
            return;
        };
        let names: Vec<String> = c
            .designs
            .iter()
            .map(|d| crate::canvas::file_stem(&d.scenario))
            .collect();
        let file = format!("compare-{}.md", names.join("-vs-"));
        if let Err(e) = files::download_text(&file, "text/markdown", &compare::markdown(&c)) {
            pg.complain(format!("The comparison could not be saved: {e}"));
        }
    };
    let picker = move |which: RwSignal<String>, testid: &'static str, aria: &'static str| {
        view! {
            <select data-testid=testid aria-label=aria on:change=move |ev| which.set(event_target_value(&ev))>
                {move || {
                    let current = pg.with_scenario(|s| s.name.clone());
                    sources().into_iter().map(|s| {
                        let key = s.key();
                        let selected = which.get() == key;
                        view! { <option value=key selected=selected>{label(&s, &current)}</option> }
                    }).collect_view()
                }}
            </select>
        }
    };
    view! {
        <Modal close=Callback::new(move |()| pg.compare_open.set(false)) labelledby="compare-title" testid="compare-dialog"
            class="modal compare-dialog" close_on_backdrop=true>
                <div class="modal-header">
                    <h2 id="compare-title">"Compare designs"</h2>
                    <button class="btn icon-only" aria-label="Close" data-testid="close-compare" autofocus on:click=move |_| pg.compare_open.set(false)>"×"</button>
                </div>
                <div class="compare-controls">
                    <label>"Design A"{picker(a, "compare-a", "Design A")}</label>
                    <label>"Design B"{picker(b, "compare-b", "Design B")}</label>
                    <button class="btn" data-testid="compare-import" on:click=move |_| {
                        if let Some(input) = file_input.get_untracked() { input.click(); }
                    }>"Compare with a file…"</button>
                    <input type="file" accept=".json,application/json" class="visually-hidden" tabindex="-1"
                        data-testid="compare-file" node_ref=file_input on:change=import/>
                    <button class="btn" data-testid="compare-export" disabled=move || result.with(Result::is_err)
                        title="Download the comparison as a Markdown document, for a design review"
                        on:click=export>"Export Markdown"</button>
                    <label class="ticks">"After ticks"
                        <input type="number" min="0" data-testid="compare-ticks" placeholder="auto"
                            on:change=move |ev| ticks_text.set(event_target_value(&ev))/>
                    </label>
                </div>
                <div class="compare-body">
                    {move || match result.get() {
                        Err(e) => view! { <p class="callout error" data-testid="compare-error">{e}</p> }.into_any(),
                        Ok(c) => comparison_view(c).into_any(),
                    }}
                </div>
        </Modal>
    }
}

fn comparison_view(c: Comparison) -> impl IntoView {
    let names: Vec<String> = c.designs.iter().map(|d| d.scenario.clone()).collect();
    let missing: Vec<Vec<String>> = c
        .designs
        .iter()
        .map(|d| {
            d.missing
                .iter()
                .map(|m| format!("After tick {}: {} — {}", m.after_tick, m.what, m.actual))
                .collect()
        })
        .collect();
    let licence_note = compare::licence_note(&c);
    view! {
        <p class="muted">{format!("Both designs after {} tick{} (sync cycles 0 to {}).", c.ticks, if c.ticks == 1 { "" } else { "s" }, c.ticks.saturating_sub(1))}</p>
        <table class="data-table compare-table" data-testid="compare-table">
            <thead><tr><th></th>{names.iter().map(|n| view! { <th>{n.clone()}</th> }).collect_view()}</tr></thead>
            <tbody>
                {c.table.iter().map(|row| {
                    let differs = row.values.windows(2).any(|w| w[0] != w[1]);
                    view! {
                        <tr class:differs=differs data-testid="compare-row" data-label=row.label.clone() data-differs=differs.to_string()>
                            <th scope="row">{row.label.clone()}</th>
                            {row.values.iter().map(|v| view! { <td>{v.clone()}</td> }).collect_view()}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="help">"Rows in bold differ between the designs."
            {licence_note.map(|note| view! { " Licences (docs/decisions.md): "{note}})}</p>
        {missing.iter().zip(&names).filter(|(m, _)| !m.is_empty()).map(|(m, n)| view! {
            <h3>{format!("Missing in {n}")}</h3>
            <ul class="compare-missing">{m.iter().map(|x| view! { <li>{x.clone()}</li> }).collect_view()}</ul>
        }).collect_view()}
        <div class="matrices">
            {c.matrices.into_iter().map(matrix_view).collect_view()}
        </div>
    }
}

/// Who is where in one design: rows are tenants, columns home tenants.
fn matrix_view(m: PresenceMatrix) -> impl IntoView {
    view! {
        <section class="matrix" data-testid="presence-matrix">
            <h3>{format!("Who is where — {}", m.scenario)}</h3>
            <table class="data-table presence">
                <thead><tr><th>"In tenant ↓ / users of →"</th>{m.home_tenants.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {m.rows.iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.tenant.clone()}</th>
                            {r.cells.iter().map(|cell| {
                                let detail = format!(
                                    "{} members, {} guests, {} missing of {}; {} in the address list",
                                    cell.external_members, cell.external_guests, cell.missing, cell.home_users, cell.in_address_list
                                );
                                let title = detail.clone();
                                view! { <td class=format!("presence-{}", cell.summary.replace(' ', "-")) title=title>
                                    <div>{cell.summary.clone()}</div>
                                    {(cell.summary != "home").then(|| view! { <div class="cell-sub">{detail}</div> })}
                                </td> }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
