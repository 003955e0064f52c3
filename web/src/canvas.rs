//! The topology canvas: tenants as nodes, sync jobs as directed arrows, drawn in SVG.

use leptos::prelude::*;

const NODE_WIDTH: f64 = 180.0;
const NODE_HEIGHT: f64 = 64.0;

/// Where a tenant's node sits on the canvas: a simple row until layout lands in the playground work.
fn node_position(index: usize) -> (f64, f64) {
    (40.0 + index as f64 * 280.0, 120.0)
}

#[component]
pub fn TopologyCanvas() -> impl IntoView {
    let scenario = expect_context::<RwSignal<ctsync_core::Scenario>>();
    let nodes = move || {
        scenario.with(|s| {
            s.tenants
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let (x, y) = node_position(i);
                    let users = t.users.len();
                    view! {
                        <g class="tenant-node" data-testid="tenant-node" data-tenant=t.id.clone()
                            transform=format!("translate({x},{y})")>
                            <rect width=NODE_WIDTH height=NODE_HEIGHT rx="8"/>
                            <text class="tenant-name" x="12" y="26">{t.display_name.clone()}</text>
                            <text class="tenant-count" x="12" y="48">{format!("{users} users")}</text>
                        </g>
                    }
                })
                .collect_view()
        })
    };
    let arrows = move || {
        scenario.with(|s| {
            s.jobs
                .iter()
                .filter_map(|job| {
                    let from = s.tenants.iter().position(|t| t.id == job.source)?;
                    let to = s.tenants.iter().position(|t| t.id == job.target)?;
                    let (x1, y1) = node_position(from);
                    let (x2, y2) = node_position(to);
                    let (x1, x2) = if x2 >= x1 {
                        (x1 + NODE_WIDTH, x2)
                    } else {
                        (x1, x2 + NODE_WIDTH)
                    };
                    let (y1, y2) = (y1 + NODE_HEIGHT / 2.0, y2 + NODE_HEIGHT / 2.0);
                    Some(view! {
                        <line class="job-arrow" data-testid="job-arrow" data-job=job.id.clone()
                            x1=x1 y1=y1 x2=x2 y2=y2 marker-end="url(#arrowhead)"/>
                    })
                })
                .collect_view()
        })
    };
    view! {
        <svg class="topology" data-testid="topology" viewBox="0 0 1000 400" role="img"
            aria-label="Tenants and sync jobs">
            <defs>
                <marker id="arrowhead" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto">
                    <polygon points="0 0, 10 4, 0 8"/>
                </marker>
            </defs>
            {arrows}
            {nodes}
        </svg>
    }
}
