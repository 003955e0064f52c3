//! The topology canvas: tenants as nodes, sync jobs as directed arrows, drawn in SVG.

use leptos::prelude::*;

/// The canvas's own coordinate system; the SVG scales it to the pane, keeping proportions.
const MIN_VIEW_WIDTH: f64 = 960.0;
const VIEW_HEIGHT: f64 = 420.0;
const VIEW_MARGIN: f64 = 24.0;
const NODE_WIDTH: f64 = 272.0;
const NODE_HEIGHT: f64 = 84.0;
/// Room between two nodes for an arrow and its label.
const NODE_GAP: f64 = 160.0;
/// Longest texts drawn in full inside a node; SVG text does not wrap, so longer ones are cut with
/// an ellipsis (the full text is in the node's tooltip).
const NAME_MAX_CHARS: usize = 22;
const DETAIL_MAX_CHARS: usize = 30;

fn row_width(count: usize) -> f64 {
    let count = count.max(1) as f64;
    count * NODE_WIDTH + (count - 1.0) * NODE_GAP
}

/// The canvas is wide enough for the whole row of tenants.
fn view_width(count: usize) -> f64 {
    MIN_VIEW_WIDTH.max(row_width(count) + 2.0 * VIEW_MARGIN)
}

/// Where a tenant's node sits: one centred row until layout lands in the playground work.
fn node_position(index: usize, count: usize) -> (f64, f64) {
    let left = (view_width(count) - row_width(count)) / 2.0;
    (
        left + index as f64 * (NODE_WIDTH + NODE_GAP),
        (VIEW_HEIGHT - NODE_HEIGHT) / 2.0,
    )
}

/// `text`, cut to `max_chars` characters with an ellipsis when longer.
fn fit(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[component]
pub fn TopologyCanvas() -> impl IntoView {
    let scenario = expect_context::<RwSignal<ctsync_core::Scenario>>();
    let nodes = move || {
        scenario.with(|s| {
            let count = s.tenants.len();
            s.tenants
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let (x, y) = node_position(i, count);
                    let users = match t.users.len() {
                        1 => "1 user".to_string(),
                        n => format!("{n} users"),
                    };
                    let domain = t
                        .verified_domains
                        .first()
                        .cloned()
                        .unwrap_or_else(|| t.id.clone());
                    let initial = t
                        .display_name
                        .chars()
                        .next()
                        .map(|c| c.to_uppercase().to_string())
                        .unwrap_or_default();
                    let detail = format!("{domain} · {users}");
                    let tooltip = format!("{} ({})\n{detail}", t.display_name, t.id);
                    view! {
                        <g class="tenant-node" data-testid="tenant-node" data-tenant=t.id.clone()
                            transform=format!("translate({x},{y})")>
                            <title>{tooltip}</title>
                            <rect class="tenant-card" width=NODE_WIDTH height=NODE_HEIGHT rx="8"/>
                            <rect class="tenant-badge" x="16" y="20" width="44" height="44" rx="6"/>
                            <text class="tenant-initial" x="38" y="49" text-anchor="middle">{initial}</text>
                            <text class="tenant-name" x="74" y="38">{fit(&t.display_name, NAME_MAX_CHARS)}</text>
                            <text class="tenant-detail" x="74" y="60">{fit(&detail, DETAIL_MAX_CHARS)}</text>
                        </g>
                    }
                })
                .collect_view()
        })
    };
    let arrows = move || {
        scenario.with(|s| {
            let count = s.tenants.len();
            s.jobs
                .iter()
                .filter_map(|job| {
                    let from = s.tenants.iter().position(|t| t.id == job.source)?;
                    let to = s.tenants.iter().position(|t| t.id == job.target)?;
                    let (x1, y1) = node_position(from, count);
                    let (x2, y2) = node_position(to, count);
                    let (x1, x2) = if x2 >= x1 {
                        (x1 + NODE_WIDTH, x2)
                    } else {
                        (x1, x2 + NODE_WIDTH)
                    };
                    let (y1, y2) = (y1 + NODE_HEIGHT / 2.0, y2 + NODE_HEIGHT / 2.0);
                    let (label_x, label_y) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0 - 12.0);
                    Some(view! {
                        <g class="sync-job">
                            <line class="job-arrow" data-testid="job-arrow" data-job=job.id.clone()
                                x1=x1 y1=y1 x2=x2 y2=y2 marker-end="url(#arrowhead)"/>
                            <text class="job-label" x=label_x y=label_y text-anchor="middle">
                                {job.id.clone()}
                            </text>
                        </g>
                    })
                })
                .collect_view()
        })
    };
    view! {
        <svg class="topology" data-testid="topology"
            viewBox=move || scenario.with(|s| format!("0 0 {} {VIEW_HEIGHT}", view_width(s.tenants.len())))
            preserveAspectRatio="xMidYMid meet"
            role="img" aria-label="Tenants and sync jobs">
            <defs>
                <marker id="arrowhead" markerWidth="10" markerHeight="10" refX="9" refY="5"
                    orient="auto" markerUnits="userSpaceOnUse">
                    <path d="M0,0 L10,5 L0,10 z"/>
                </marker>
            </defs>
            {arrows}
            {nodes}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    // The web crate builds only for wasm32: its tests run under wasm-bindgen-test-runner.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn long_texts_are_cut_with_an_ellipsis() {
        assert_eq!(fit("Contoso Test", 22), "Contoso Test");
        assert_eq!(fit("abcdef", 4), "abc…");
    }

    #[test]
    fn every_node_fits_the_canvas() {
        for count in 1..8 {
            let width = view_width(count);
            let (first_x, _) = node_position(0, count);
            let (last_x, _) = node_position(count - 1, count);
            assert!(first_x >= VIEW_MARGIN - 0.01, "{count} tenants");
            assert!(
                last_x + NODE_WIDTH <= width - VIEW_MARGIN + 0.01,
                "{count} tenants"
            );
        }
    }
}
