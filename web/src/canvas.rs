//! The topology canvas: tenants as SVG nodes with their user counts, sync jobs as directed arrows
//! with core's badge (and Entra's error code when failing), what the last tick changed highlighted.
//! Add a tenant, drag to move, drag from a node's handle onto another node to create a job with
//! Entra's defaults, select, Delete, pan and zoom, fit, automatic layout, export as SVG or PNG.
//!
//! Positions are view state kept here, not in the scenario: the automatic layout is a function of
//! the scenario, so a shared scenario opens with the same picture; only manual moves stay local.

use ctsync_core::engine::event::Effect as SyncEffect;
use ctsync_core::scenario::{Command, SyncJob, Tenant};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::files;
use crate::layout::{self, Positions, NODE_HEIGHT, NODE_WIDTH};
use crate::model::{self, JobArrow, TenantCard};
use crate::state::{Playground, Selection};
use crate::timer;

/// The canvas's styles, inside the SVG itself so that an exported picture looks the same.
const CANVAS_CSS: &str = include_str!("canvas.css");

const MIN_ZOOM: f64 = 0.25;
const MAX_ZOOM: f64 = 2.0;
/// Margin kept around the drawing when fitting it to the pane.
const FIT_MARGIN: f64 = 28.0;

/// The canvas's view state: where nodes sit, and the pan and zoom.
#[derive(Clone, Copy)]
pub struct CanvasView {
    pub positions: RwSignal<Positions>,
    pub pan: RwSignal<(f64, f64)>,
    pub zoom: RwSignal<f64>,
    svg: NodeRef<leptos::svg::Svg>,
    world: NodeRef<leptos::svg::G>,
}

/// What a pointer is doing on the canvas.
#[derive(Debug, Clone, PartialEq)]
enum Drag {
    Node {
        id: String,
        start: (f64, f64),
        origin: (f64, f64),
        moved: bool,
    },
    Connect {
        from: String,
    },
    Pan {
        start: (f64, f64),
        origin: (f64, f64),
        moved: bool,
    },
}

impl CanvasView {
    fn new() -> CanvasView {
        CanvasView {
            positions: RwSignal::new(Positions::new()),
            pan: RwSignal::new((0.0, 0.0)),
            zoom: RwSignal::new(1.0),
            svg: NodeRef::new(),
            world: NodeRef::new(),
        }
    }

    /// The pane's size in CSS pixels.
    fn pane_size(&self) -> (f64, f64) {
        self.svg
            .get_untracked()
            .map(|svg| {
                let el: &web_sys::Element = svg.unchecked_ref();
                (el.client_width() as f64, el.client_height() as f64)
            })
            .unwrap_or((800.0, 400.0))
    }

    /// The canvas's top-left corner in client coordinates.
    fn origin(&self) -> (f64, f64) {
        self.svg
            .get_untracked()
            .map(|svg| {
                let el: &web_sys::Element = svg.unchecked_ref();
                let r = el.get_bounding_client_rect();
                (r.left(), r.top())
            })
            .unwrap_or((0.0, 0.0))
    }

    /// A pointer's position in canvas coordinates.
    fn world_point(&self, client_x: f64, client_y: f64) -> (f64, f64) {
        let (left, top) = self.origin();
        let (px, py) = self.pan.get_untracked();
        let k = self.zoom.get_untracked();
        ((client_x - left - px) / k, (client_y - top - py) / k)
    }

    /// Zooms and pans so that every node is visible, at most at 100 %.
    pub fn fit(&self) {
        let Some((x0, y0, x1, y1)) = self.positions.with_untracked(layout::bounds) else {
            return;
        };
        let (w, h) = self.pane_size();
        let (bw, bh) = (x1 - x0 + 2.0 * FIT_MARGIN, y1 - y0 + 2.0 * FIT_MARGIN);
        let k = (w / bw).min(h / bh).clamp(MIN_ZOOM, 1.0);
        self.zoom.set(k);
        self.pan.set((
            (w - (x1 - x0) * k) / 2.0 - x0 * k,
            (h - (y1 - y0) * k) / 2.0 - y0 * k,
        ));
    }

    fn zoom_by(&self, factor: f64, around: Option<(f64, f64)>) {
        let (w, h) = self.pane_size();
        let (ax, ay) = around.unwrap_or((w / 2.0, h / 2.0));
        let k = self.zoom.get_untracked();
        let k2 = (k * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let (px, py) = self.pan.get_untracked();
        // Keep the point under (ax, ay) where it is.
        self.pan
            .set((ax - (ax - px) * k2 / k, ay - (ay - py) * k2 / k));
        self.zoom.set(k2);
    }

    /// The tenant whose node contains the canvas point `p`.
    fn node_at(&self, p: (f64, f64)) -> Option<String> {
        self.positions.with_untracked(|positions| {
            positions
                .iter()
                .rev()
                .find(|(_, (x, y))| {
                    p.0 >= *x && p.0 <= x + NODE_WIDTH && p.1 >= *y && p.1 <= y + NODE_HEIGHT
                })
                .map(|(id, _)| id.clone())
        })
    }

    /// The drawing as a standalone SVG document, and its size.
    fn export_svg(&self) -> Option<(String, f64, f64)> {
        let world = self.world.get_untracked()?;
        let el: &web_sys::Element = world.unchecked_ref();
        let (x0, y0, x1, y1) = self.positions.with_untracked(layout::bounds)?;
        let m = FIT_MARGIN;
        // Room for error codes under arrows that leave the nodes' box.
        let (x0, y0, x1, y1) = (x0 - m - 80.0, y0 - m, x1 + m + 80.0, y1 + m);
        let (w, h) = (x1 - x0, y1 - y0);
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"topology\" width=\"{w}\" height=\"{h}\" viewBox=\"{x0} {y0} {w} {h}\" font-family=\"Segoe UI, system-ui, sans-serif\"><style>{CANVAS_CSS}</style>{defs}<rect x=\"{x0}\" y=\"{y0}\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>{inner}</svg>",
            defs = ARROW_DEFS,
            inner = el.inner_html(),
        );
        Some((svg, w, h))
    }
}

const ARROW_DEFS: &str = r#"<defs><marker id="arrowhead" markerWidth="10" markerHeight="10" refX="9" refY="5" orient="auto" markerUnits="userSpaceOnUse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker><marker id="arrowhead-selected" markerWidth="10" markerHeight="10" refX="9" refY="5" orient="auto" markerUnits="userSpaceOnUse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead-selected"/></marker></defs>"#;

/// A fresh job id for `source` → `target`.
pub fn new_job_id(existing: &[String], source: &str, target: &str) -> String {
    let base = format!("{source}-to-{target}");
    if !existing.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !existing.contains(id))
        .expect("some suffix is free")
}

/// A fresh tenant: Entra's defaults, a name and a domain.
fn new_tenant(existing: &[String]) -> Tenant {
    let n = (1..)
        .find(|n| !existing.contains(&format!("tenant{n}")))
        .expect("some number is free");
    Tenant {
        id: format!("tenant{n}"),
        display_name: format!("Tenant {n}"),
        tenant_id: None,
        initial_domain: None,
        verified_domains: vec![format!("tenant{n}.example")],
        cloud: Default::default(),
        microsoft_cloud_settings: Vec::new(),
        cross_tenant_access: Default::default(),
        allow_invites_from: Default::default(),
        users: Vec::new(),
        groups: Vec::new(),
        downstream_apps: Vec::new(),
    }
}

/// `text`, cut to `max_chars` characters with an ellipsis when longer.
pub fn fit_text(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Lays out every tenant of the view anew.
fn auto_layout(pg: Playground) -> Positions {
    pg.with_view(|sim| {
        let tenants: Vec<String> = sim
            .tenants
            .iter()
            .filter(|t| !t.deleted)
            .map(|t| t.id.to_string())
            .collect();
        let edges: Vec<(String, String)> = sim
            .jobs
            .iter()
            .filter(|j| !j.deleted)
            .map(|j| {
                (
                    sim.tenant(j.source).id.to_string(),
                    sim.tenant(j.target).id.to_string(),
                )
            })
            .collect();
        layout::auto_layout(&tenants, &edges)
    })
}

#[component]
pub fn TopologyCanvas() -> impl IntoView {
    let pg = Playground::get();
    let cv = CanvasView::new();
    provide_context(cv);
    let drag = StoredValue::new(None::<Drag>);
    let connect_line = RwSignal::new(None::<((f64, f64), (f64, f64))>);

    // A new scenario gets a fresh automatic layout, fitted once the pane has its size.
    let generation = pg.generation;
    Effect::new(move |_| {
        generation.track();
        let positions = untrack(|| auto_layout(pg));
        cv.positions.set(positions);
        timer::next_frame(move || cv.fit());
    });
    // The pane narrows when a tool panel opens and widens when it closes: fit the drawing again.
    let panel_open = Memo::new(move |_| pg.panel.with(Option::is_some));
    Effect::new(move |previous: Option<bool>| {
        let open = panel_open.get();
        if previous.is_some_and(|p| p != open) {
            timer::next_frame(move || cv.fit());
        }
        open
    });
    // Tenants that appear later (added, or by a timeline entry) get a free spot.
    Effect::new(move |_| {
        let ids: Vec<String> =
            pg.with_view(|sim| sim.tenants.iter().map(|t| t.id.to_string()).collect());
        let missing: Vec<String> = cv.positions.with_untracked(|p| {
            ids.iter()
                .filter(|id| !p.contains_key(*id))
                .cloned()
                .collect()
        });
        if !missing.is_empty() {
            cv.positions.update(|p| {
                for id in missing {
                    let spot = layout::free_spot(p);
                    p.insert(id, spot);
                }
            });
            timer::next_frame(move || cv.fit());
        }
    });

    let cards = Memo::new(move |_| {
        pg.with(|r| {
            let last = model::last_tick_events(r.head(), r.cursor());
            model::tenant_cards(r.view(), last)
        })
    });
    let arrows = Memo::new(move |_| {
        pg.with(|r| {
            let last = model::last_tick_events(r.head(), r.cursor());
            model::job_arrows(r.view(), last)
        })
    });

    let on_pointer_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let target: Option<web_sys::Element> = ev.target().and_then(|t| t.dyn_into().ok());
        let Some(target) = target else { return };
        let p = cv.world_point(ev.client_x() as f64, ev.client_y() as f64);
        let tenant_of = |el: &web_sys::Element| {
            el.closest("[data-tenant]")
                .ok()
                .flatten()
                .and_then(|n| n.get_attribute("data-tenant"))
        };
        let new_drag = if target.closest(".connect-handle").ok().flatten().is_some() {
            tenant_of(&target).map(|from| {
                let start = cv
                    .positions
                    .with_untracked(|ps| ps.get(&from).copied())
                    .map(|(x, y)| (x + NODE_WIDTH, y + NODE_HEIGHT / 2.0))
                    .unwrap_or(p);
                connect_line.set(Some((start, p)));
                Drag::Connect { from }
            })
        } else if let Some(id) = target
            .closest(".tenant-node")
            .ok()
            .flatten()
            .and_then(|n| n.get_attribute("data-tenant"))
        {
            let origin = cv.positions.with_untracked(|ps| ps.get(&id).copied());
            origin.map(|origin| Drag::Node {
                id,
                start: p,
                origin,
                moved: false,
            })
        } else if target
            .closest(".sync-job, .job-label-group")
            .ok()
            .flatten()
            .is_some()
        {
            None
        } else {
            Some(Drag::Pan {
                start: (ev.client_x() as f64, ev.client_y() as f64),
                origin: cv.pan.get_untracked(),
                moved: false,
            })
        };
        if new_drag.is_some() {
            if let Some(svg) = cv.svg.get_untracked() {
                let el: &web_sys::Element = svg.unchecked_ref();
                let _ = el.set_pointer_capture(ev.pointer_id());
            }
            drag.set_value(new_drag);
        }
    };
    let on_pointer_move = move |ev: web_sys::PointerEvent| {
        let Some(current) = drag.get_value() else {
            return;
        };
        match current {
            Drag::Node {
                id,
                start,
                origin,
                moved,
            } => {
                let p = cv.world_point(ev.client_x() as f64, ev.client_y() as f64);
                let (dx, dy) = (p.0 - start.0, p.1 - start.1);
                if moved || dx.abs() + dy.abs() > 3.0 {
                    cv.positions.update(|ps| {
                        ps.insert(id.clone(), (origin.0 + dx, origin.1 + dy));
                    });
                    drag.set_value(Some(Drag::Node {
                        id,
                        start,
                        origin,
                        moved: true,
                    }));
                }
            }
            Drag::Connect { .. } => {
                let p = cv.world_point(ev.client_x() as f64, ev.client_y() as f64);
                connect_line.update(|l| {
                    if let Some(l) = l {
                        l.1 = p;
                    }
                });
            }
            Drag::Pan {
                start,
                origin,
                moved,
            } => {
                let (dx, dy) = (
                    ev.client_x() as f64 - start.0,
                    ev.client_y() as f64 - start.1,
                );
                if moved || dx.abs() + dy.abs() > 3.0 {
                    cv.pan.set((origin.0 + dx, origin.1 + dy));
                    drag.set_value(Some(Drag::Pan {
                        start,
                        origin,
                        moved: true,
                    }));
                }
            }
        }
    };
    let on_pointer_up = move |ev: web_sys::PointerEvent| {
        let Some(done) = drag.get_value() else { return };
        drag.set_value(None);
        match done {
            Drag::Node { id, moved, .. } => {
                if !moved {
                    pg.selection.set(Selection::Tenant(id));
                }
            }
            Drag::Connect { from } => {
                connect_line.set(None);
                let p = cv.world_point(ev.client_x() as f64, ev.client_y() as f64);
                match cv.node_at(p) {
                    Some(to) if to != from => {
                        let existing: Vec<String> =
                            pg.with_scenario(|s| s.jobs.iter().map(|j| j.id.clone()).collect());
                        let id = new_job_id(&existing, &from, &to);
                        if pg.edit(Command::AddJob {
                            job: Box::new(SyncJob::new(&id, &from, &to)),
                        }) {
                            pg.selection.set(Selection::Job(id));
                            pg.say("Configuration created with Entra's defaults: not started, \"Sync only assigned users and groups\", nobody assigned.");
                        }
                    }
                    Some(_) => {}
                    None => pg.say("Drop the arrow on another tenant to create a cross-tenant synchronization configuration."),
                }
            }
            Drag::Pan { moved, .. } => {
                if !moved {
                    pg.selection.set(Selection::None);
                }
            }
        }
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let (left, top) = cv.origin();
        let factor = (-ev.delta_y() * 0.0015).exp();
        cv.zoom_by(
            factor,
            Some((ev.client_x() as f64 - left, ev.client_y() as f64 - top)),
        );
    };

    let add_tenant = move |_| {
        let existing: Vec<String> =
            pg.with_scenario(|s| s.tenants.iter().map(|t| t.id.clone()).collect());
        let tenant = new_tenant(&existing);
        let id = tenant.id.clone();
        if pg.edit(Command::AddTenant {
            tenant: Box::new(tenant),
        }) {
            pg.selection.set(Selection::Tenant(id));
        }
    };
    let relayout = move |_| {
        cv.positions.set(auto_layout(pg));
        timer::next_frame(move || cv.fit());
    };
    let export_svg = move |_| {
        let name = pg.with_scenario(|s| file_stem(&s.name));
        match cv.export_svg() {
            Some((svg, _, _)) => {
                if let Err(e) = files::download_text(&format!("{name}.svg"), "image/svg+xml", &svg)
                {
                    pg.complain(format!("The picture could not be saved: {e}"));
                }
            }
            None => pg.complain("There is nothing to export yet."),
        }
    };
    let export_png = move |_| {
        let name = pg.with_scenario(|s| file_stem(&s.name));
        match cv.export_svg() {
            Some((svg, w, h)) => {
                files::download_svg_as_png(&format!("{name}.png"), &svg, w, h, 2.0, move |result| {
                    if let Err(e) = result {
                        pg.complain(format!("The picture could not be saved: {e}"));
                    }
                })
            }
            None => pg.complain("There is nothing to export yet."),
        }
    };

    let world_transform = move || {
        let (x, y) = cv.pan.get();
        format!("translate({x},{y}) scale({})", cv.zoom.get())
    };

    view! {
        <div class="canvas-toolbar" role="toolbar" aria-label="Topology">
            <button class="btn" data-testid="add-tenant" on:click=add_tenant title="Add a tenant with Entra's default settings">
                <span class="icon" aria-hidden="true">"+"</span>"Add tenant"
            </button>
            <button class="btn" data-testid="auto-layout" on:click=relayout title="Layered for hubs, circular for meshes">"Auto layout"</button>
            <button class="btn" data-testid="fit" on:click=move |_| cv.fit() title="Fit the drawing to the pane">"Fit"</button>
            <button class="btn icon-only" aria-label="Zoom out" title="Zoom out" on:click=move |_| cv.zoom_by(1.0 / 1.25, None)>"−"</button>
            <span class="zoom-level" aria-live="polite">{move || format!("{:.0} %", cv.zoom.get() * 100.0)}</span>
            <button class="btn icon-only" aria-label="Zoom in" title="Zoom in" on:click=move |_| cv.zoom_by(1.25, None)>"+"</button>
            <span class="toolbar-spacer"></span>
            <button class="btn" data-testid="export-svg" on:click=export_svg title="Save the picture as SVG">"Export SVG"</button>
            <button class="btn" data-testid="export-png" on:click=export_png title="Save the picture as PNG">"Export PNG"</button>
        </div>
        <svg class="topology" data-testid="topology" node_ref=cv.svg
            role="application" aria-label="Tenants and sync jobs. Drag a tenant to move it; drag from its handle onto another tenant to create a configuration."
            on:pointerdown=on_pointer_down on:pointermove=on_pointer_move on:pointerup=on_pointer_up
            on:pointercancel=move |_| { drag.set_value(None); connect_line.set(None); }
            on:wheel=on_wheel>
            <style>{CANVAS_CSS}</style>
            <defs>
                <marker id="arrowhead" markerWidth="10" markerHeight="10" refX="9" refY="5" orient="auto" markerUnits="userSpaceOnUse">
                    <path d="M0,0 L10,5 L0,10 z" class="arrowhead"/>
                </marker>
                <marker id="arrowhead-selected" markerWidth="10" markerHeight="10" refX="9" refY="5" orient="auto" markerUnits="userSpaceOnUse">
                    <path d="M0,0 L10,5 L0,10 z" class="arrowhead-selected"/>
                </marker>
            </defs>
            <g class="world" node_ref=cv.world transform=world_transform>
                <For each=move || arrows.get() key=|a| format!("{a:?}")
                    children=move |arrow| view! { <ArrowView arrow=arrow/> }/>
                <For each=move || cards.get() key=|c| format!("{c:?}")
                    children=move |card| view! { <NodeView card=card/> }/>
                <For each=move || arrows.get() key=|a| format!("{a:?}")
                    children=move |arrow| view! { <ArrowLabel arrow=arrow/> }/>
                {move || connect_line.get().map(|((x1, y1), (x2, y2))| view! {
                    <line class="connect-line" x1=x1 y1=y1 x2=x2 y2=y2 marker-end="url(#arrowhead)"/>
                })}
            </g>
        </svg>
        {move || cards.with(Vec::is_empty).then(|| view! {
            <p class="canvas-empty">"No tenants yet: add one to start drawing."</p>
        })}
    }
}

/// A file name from a scenario name.
pub fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if stem.is_empty() {
        "scenario".into()
    } else {
        stem.chars().take(60).collect()
    }
}

#[component]
fn NodeView(card: TenantCard) -> impl IntoView {
    let pg = Playground::get();
    let cv = expect_context::<CanvasView>();
    let id = card.id.clone();
    let position = {
        let id = id.clone();
        move || {
            cv.positions
                .with(|p| p.get(&id).copied().unwrap_or((0.0, 0.0)))
        }
    };
    let selected = {
        let id = id.clone();
        move || pg.selection.with(|s| s.tenant() == Some(id.as_str()))
    };
    let changed = !card.delta.is_empty();
    let c = card.counts;
    let tooltip = format!(
        "{} ({})\n{} · {}\n{} internal users, {} external members, {} external guests, {} soft-deleted",
        card.name, card.id, card.domain, card.cloud, c.internal, c.external_members, c.external_guests, c.soft_deleted
    );
    let counts = [
        ("internal", ("internal", "users"), c.internal),
        (
            "externalMembers",
            ("external", "members"),
            c.external_members,
        ),
        ("externalGuests", ("external", "guests"), c.external_guests),
        ("softDeleted", ("soft-", "deleted"), c.soft_deleted),
    ];
    let cell = (NODE_WIDTH - 24.0) / 4.0;
    let delta_text: Vec<(String, &'static str)> = card
        .delta
        .iter()
        .map(|(effect, n)| {
            let sign = match effect {
                SyncEffect::Created | SyncEffect::Restored => "+",
                SyncEffect::SoftDeleted | SyncEffect::HardDeleted => "−",
                SyncEffect::Failed => "!",
                _ => "~",
            };
            (format!("{sign}{n}"), model::effect_class(*effect))
        })
        .collect();
    let key_id = id.clone();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let step = if ev.shift_key() { 40.0 } else { 10.0 };
        let delta = match ev.key().as_str() {
            "Enter" | " " => {
                ev.prevent_default();
                pg.selection.set(Selection::Tenant(key_id.clone()));
                return;
            }
            "ArrowLeft" => (-step, 0.0),
            "ArrowRight" => (step, 0.0),
            "ArrowUp" => (0.0, -step),
            "ArrowDown" => (0.0, step),
            _ => return,
        };
        ev.prevent_default();
        cv.positions.update(|p| {
            if let Some(pos) = p.get_mut(&key_id) {
                pos.0 += delta.0;
                pos.1 += delta.1;
            }
        });
    };
    view! {
        <g class="tenant-node" class:selected=selected class:changed=changed
            data-testid="tenant-node" data-tenant=id.clone()
            transform=move || { let (x, y) = position(); format!("translate({x},{y})") }
            tabindex="0" role="button" aria-label=format!("Tenant {}", card.name)
            on:keydown=on_key>
            <title>{tooltip}</title>
            <rect class="tenant-card" width=NODE_WIDTH height=NODE_HEIGHT rx="8"/>
            <rect class="tenant-accent" x="0" y="8" width="4" height=NODE_HEIGHT - 16.0 rx="2"/>
            <text class="tenant-name" x="14" y="24">{fit_text(&card.name, 22)}</text>
            <text class="tenant-detail" x="14" y="41">{fit_text(&if card.cloud == "Commercial" { card.domain.clone() } else { format!("{} · {}", card.domain, card.cloud) }, 31)}</text>
            <line class="tenant-rule" x1="12" x2=NODE_WIDTH - 12.0 y1="51" y2="51"/>
            {counts.into_iter().enumerate().map(|(i, (key, (line1, line2), n))| {
                let x = 12.0 + cell * i as f64 + cell / 2.0;
                view! {
                    <g class="count" class:zero=n == 0 data-count=key>
                        <text class="count-value" x=x y="72" text-anchor="middle">{n}</text>
                        <text class="count-label" x=x y="86" text-anchor="middle">{line1}</text>
                        <text class="count-label" x=x y="97" text-anchor="middle">{line2}</text>
                    </g>
                }
            }).collect_view()}
            {(!delta_text.is_empty()).then(|| {
                let mut x = NODE_WIDTH - 8.0;
                delta_text.into_iter().rev().map(|(text, class)| {
                    let w = 10.0 + 7.0 * text.chars().count() as f64;
                    x -= w + 4.0;
                    view! {
                        <g class=format!("delta {class}") data-testid="tenant-delta">
                            <rect x=x y="-9" width=w height="18" rx="9"/>
                            <text x=x + w / 2.0 y="4" text-anchor="middle">{text}</text>
                        </g>
                    }
                }).collect_view()
            })}
            <circle class="connect-handle" data-testid="connect-handle" cx=NODE_WIDTH cy=NODE_HEIGHT / 2.0 r="7">
                <title>"Drag onto another tenant to create a configuration"</title>
            </circle>
        </g>
    }
}

/// Where a job's arrow runs: from its source node to its target node, bent apart from other jobs
/// between the same two tenants. Tracks positions and the simulation's jobs.
fn arrow_geometry_of(
    arrow: &JobArrow,
) -> impl Fn() -> Option<ArrowGeometry> + Clone + Send + Sync + 'static {
    let pg = Playground::get();
    let cv = expect_context::<CanvasView>();
    let (source, target, id) = (arrow.source.clone(), arrow.target.clone(), arrow.id.clone());
    move || {
        let (a, b) = cv
            .positions
            .with(|p| (p.get(&source).copied(), p.get(&target).copied()));
        let (a, b) = (a?, b?);
        let (rank, count) = pg.with_view(|sim| {
            let pair: Vec<String> = sim
                .jobs
                .iter()
                .filter(|j| !j.deleted)
                .filter(|j| {
                    let (s, t) = (&*sim.tenant(j.source).id, &*sim.tenant(j.target).id);
                    (s == source && t == target) || (s == target && t == source)
                })
                .map(|j| j.config.id.clone())
                .collect();
            (pair.iter().position(|j| *j == id).unwrap_or(0), pair.len())
        });
        Some(arrow_geometry(a, b, rank, count, source < target))
    }
}

/// A job's arrow (drawn under the nodes).
#[component]
fn ArrowView(arrow: JobArrow) -> impl IntoView {
    let pg = Playground::get();
    let id = arrow.id.clone();
    let geometry = arrow_geometry_of(&arrow);
    let selected = {
        let id = id.clone();
        move || {
            pg.selection
                .with(|s| matches!(s, Selection::Job(j) if *j == id))
        }
    };
    let select = {
        let id = id.clone();
        move || pg.selection.set(Selection::Job(id.clone()))
    };
    let select_click = select.clone();
    let tooltip = arrow_tooltip(&arrow);
    let selected_for_marker = selected.clone();
    let id_for_path = id.clone();
    view! {
        <g class="sync-job" class:selected=selected.clone() class:changed=arrow.changed
            data-job=id.clone() data-state=arrow.badge
            tabindex="0" role="button" aria-label=format!("Sync job {} from {} to {}: {}", arrow.name, arrow.source, arrow.target, arrow.badge)
            on:click=move |_| select_click()
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    select();
                }
            }>
            <title>{tooltip}</title>
            {move || geometry().map(|g| {
                let marker = if selected_for_marker() { "url(#arrowhead-selected)" } else { "url(#arrowhead)" };
                view! {
                    <path class="job-hit" d=g.path.clone()/>
                    <path class="job-arrow" data-testid="job-arrow" data-job=id_for_path.clone() d=g.path marker-end=marker/>
                }
            })}
        </g>
    }
}

fn arrow_tooltip(arrow: &JobArrow) -> String {
    format!(
        "{} ({} → {})\nStatus: {} ({}){}",
        arrow.name,
        arrow.source,
        arrow.target,
        arrow.badge,
        arrow.status_code,
        arrow
            .error
            .as_ref()
            .map(|(c, m)| format!("\n{c}: {m}"))
            .unwrap_or_default()
    )
}

/// A job's badge and error code, drawn above the nodes so that no node hides them.
#[component]
fn ArrowLabel(arrow: JobArrow) -> impl IntoView {
    let pg = Playground::get();
    let id = arrow.id.clone();
    let geometry = arrow_geometry_of(&arrow);
    let badge_class = format!("job-badge state-{}", arrow.badge.replace(' ', "-"));
    let badge_width = 16.0 + 6.6 * arrow.badge.chars().count() as f64;
    let error = arrow.error.clone();
    let tooltip = arrow_tooltip(&arrow);
    let select = move |_| pg.selection.set(Selection::Job(id.clone()));
    view! {
        <g class="job-label-group" data-job=arrow.id.clone() data-state=arrow.badge on:click=select>
            <title>{tooltip}</title>
            {move || geometry().map(|g| {
                let error = error.clone();
                view! {
                    <g class="job-label" transform=format!("translate({},{})", g.mid.0, g.mid.1)>
                        <rect class=badge_class.clone() data-testid="job-badge" x=-badge_width / 2.0 y="-10" width=badge_width height="20" rx="10"/>
                        <text class="job-badge-text" y="4" text-anchor="middle">{arrow.badge}</text>
                        {error.map(|(code, _)| view! {
                            <text class="job-error" data-testid="job-error" y="24" text-anchor="middle">{code}</text>
                        })}
                    </g>
                }
            })}
        </g>
    }
}

struct ArrowGeometry {
    path: String,
    mid: (f64, f64),
}

/// A path from node `a` to node `b`, bent when several jobs join the same two tenants.
fn arrow_geometry(
    a: (f64, f64),
    b: (f64, f64),
    rank: usize,
    count: usize,
    forward: bool,
) -> ArrowGeometry {
    let ca = (a.0 + NODE_WIDTH / 2.0, a.1 + NODE_HEIGHT / 2.0);
    let cb = (b.0 + NODE_WIDTH / 2.0, b.1 + NODE_HEIGHT / 2.0);
    let (dx, dy) = (cb.0 - ca.0, cb.1 - ca.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    // The perpendicular, oriented the same way for both directions between one pair of tenants.
    let sign = if forward { 1.0 } else { -1.0 };
    let (nx, ny) = (-dy / len * sign, dx / len * sign);
    let bend = if count <= 1 {
        0.0
    } else {
        (rank as f64 - (count as f64 - 1.0) / 2.0) * 56.0
    };
    let control = (
        (ca.0 + cb.0) / 2.0 + nx * bend * 2.0,
        (ca.1 + cb.1) / 2.0 + ny * bend * 2.0,
    );
    let start = layout::border_point(a, control);
    let end = layout::border_point(b, control);
    if bend == 0.0 {
        return ArrowGeometry {
            path: format!("M{:.1},{:.1} L{:.1},{:.1}", start.0, start.1, end.0, end.1),
            mid: ((start.0 + end.0) / 2.0, (start.1 + end.1) / 2.0),
        };
    }
    let mid = (
        0.25 * start.0 + 0.5 * control.0 + 0.25 * end.0,
        0.25 * start.1 + 0.5 * control.1 + 0.25 * end.1,
    );
    ArrowGeometry {
        path: format!(
            "M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}",
            start.0, start.1, control.0, control.1, end.0, end.1
        ),
        mid,
    }
}

/// Deletes a tenant (the Delete key on its node, or the inspector's button); undo brings it back.
pub fn delete_tenant(pg: Playground, id: &str) {
    let name = pg.with_view(|sim| {
        sim.tenant_index(id)
            .map(|t| sim.tenant(t).display_name.clone())
            .unwrap_or_else(|| id.to_string())
    });
    if pg.edit(Command::DeleteTenant {
        tenant: id.to_string(),
    }) {
        pg.selection.set(Selection::None);
        pg.say(format!(
            "Tenant '{name}' deleted: its sync configurations end; the users they provisioned in other tenants stay as they are. Undo (Ctrl+Z) brings it back."
        ));
    }
}

/// The selected tenant or job, for the Delete key.
pub fn delete_selection(pg: Playground) {
    match pg.selection.get_untracked() {
        Selection::Job(id) => {
            if pg.edit(Command::DeleteJob { job: id.clone() }) {
                pg.selection.set(Selection::None);
                pg.say(format!(
                    "Configuration '{id}' deleted; the users it provisioned stay as they are."
                ));
            }
        }
        Selection::Tenant(id) => delete_tenant(pg, &id),
        // A user or group is deleted from the inspector, never the tenant around it.
        Selection::User { .. } | Selection::Group { .. } | Selection::None => {}
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn long_texts_are_cut_with_an_ellipsis() {
        assert_eq!(fit_text("Contoso Test", 22), "Contoso Test");
        assert_eq!(fit_text("abcdef", 4), "abc…");
    }

    #[test]
    fn new_ids_do_not_collide() {
        let existing = vec!["a-to-b".to_string(), "a-to-b-2".to_string()];
        assert_eq!(new_job_id(&existing, "a", "b"), "a-to-b-3");
        assert_eq!(new_job_id(&existing, "b", "a"), "b-to-a");
        assert_eq!(new_tenant(&["tenant1".into()]).id, "tenant2");
    }

    #[test]
    fn file_names_come_from_scenario_names() {
        assert_eq!(file_stem("Production → test (1:1)"), "production-test-1-1");
        assert_eq!(file_stem("→"), "scenario");
    }

    #[test]
    fn parallel_jobs_bend_apart() {
        let a = arrow_geometry((0.0, 0.0), (400.0, 0.0), 0, 2, true);
        let b = arrow_geometry((400.0, 0.0), (0.0, 0.0), 1, 2, false);
        assert!((a.mid.1 - b.mid.1).abs() > 20.0, "{:?} {:?}", a.mid, b.mid);
    }
}
