//! Automatic layout of the topology: layered for hubs and chains (sources first, each tenant one
//! layer after the tenants that feed it), circular for meshes (where no tenant is only a source).
//! Pure geometry over tenant ids and job edges; the canvas keeps the positions it returns.

use std::collections::BTreeMap;

/// A tenant node's size on the canvas, in canvas units (CSS pixels at zoom 1).
pub const NODE_WIDTH: f64 = 212.0;
pub const NODE_HEIGHT: f64 = 108.0;
/// Room between nodes for arrows and their badges.
const GAP_ACROSS: f64 = 36.0;
const GAP_ALONG: f64 = 140.0;

/// Top-left corners of the nodes, by tenant id.
pub type Positions = BTreeMap<String, (f64, f64)>;

/// Lays out `tenants` (in scenario order) connected by `edges` (source, target).
pub fn auto_layout(tenants: &[String], edges: &[(String, String)]) -> Positions {
    let index: BTreeMap<&str, usize> =
        ctsync_core::sort::collect_map(tenants.iter().enumerate().map(|(i, t)| (t.as_str(), i)));
    let edges: Vec<(usize, usize)> = edges
        .iter()
        .filter_map(|(s, t)| Some((*index.get(s.as_str())?, *index.get(t.as_str())?)))
        .filter(|(s, t)| s != t)
        .collect();
    let n = tenants.len();
    if n == 0 {
        return Positions::new();
    }
    let is_mesh = n >= 3 && {
        let connected: Vec<usize> = (0..n)
            .filter(|i| edges.iter().any(|(s, t)| s == i || t == i))
            .collect();
        connected.len() >= 3
            && connected
                .iter()
                .all(|i| edges.iter().any(|(_, t)| t == i) && edges.iter().any(|(s, _)| s == i))
    };
    let points = if is_mesh {
        circular(n)
    } else {
        layered(n, &edges)
    };
    ctsync_core::sort::collect_map(tenants.iter().cloned().zip(points))
}

/// Nodes on a circle, the first at the top, clockwise.
fn circular(n: usize) -> Vec<(f64, f64)> {
    let circumference = n as f64 * (NODE_WIDTH + GAP_ACROSS);
    let radius = (circumference / std::f64::consts::TAU).max(NODE_WIDTH * 0.9);
    (0..n)
        .map(|i| {
            let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
            (
                radius * 1.15 * angle.cos() - NODE_WIDTH / 2.0,
                radius * 0.8 * angle.sin() - NODE_HEIGHT / 2.0,
            )
        })
        .collect()
}

/// Longest-path layers over the edges (back edges of cycles ignored); layers run left to right
/// when every layer holds at most two tenants, top to bottom otherwise.
fn layered(n: usize, edges: &[(usize, usize)]) -> Vec<(f64, f64)> {
    let mut layer = vec![0usize; n];
    // Relax n times: longest paths in a DAG; cycles stop growing at the bound.
    for _ in 0..n {
        let mut changed = false;
        for (s, t) in edges {
            if layer[*t] < layer[*s] + 1 && layer[*s] + 1 < n {
                layer[*t] = layer[*s] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Compact: no empty layers.
    let mut used: Vec<usize> = layer.clone();
    used.sort_unstable();
    used.dedup();
    for l in &mut layer {
        *l = used.iter().position(|u| u == l).unwrap_or(0);
    }
    let layers = used.len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (i, l) in layer.iter().enumerate() {
        members[*l].push(i);
    }
    let widest = members.iter().map(Vec::len).max().unwrap_or(1);
    let across_is_vertical = widest <= 2;
    let mut out = vec![(0.0, 0.0); n];
    for (l, nodes) in members.iter().enumerate() {
        let count = nodes.len() as f64;
        for (k, i) in nodes.iter().enumerate() {
            // Centre each layer on the widest one.
            let offset = (widest as f64 - count) / 2.0 + k as f64;
            out[*i] = if across_is_vertical {
                (
                    l as f64 * (NODE_WIDTH + GAP_ALONG),
                    offset * (NODE_HEIGHT + GAP_ACROSS),
                )
            } else {
                (
                    offset * (NODE_WIDTH + GAP_ACROSS),
                    l as f64 * (NODE_HEIGHT + GAP_ALONG),
                )
            };
        }
    }
    out
}

/// The bounding box (min x, min y, max x, max y) of nodes at `positions`.
pub fn bounds(positions: &Positions) -> Option<(f64, f64, f64, f64)> {
    let mut it = positions.values();
    let (x, y) = *it.next()?;
    let mut b = (x, y, x + NODE_WIDTH, y + NODE_HEIGHT);
    for (x, y) in it {
        b.0 = b.0.min(*x);
        b.1 = b.1.min(*y);
        b.2 = b.2.max(x + NODE_WIDTH);
        b.3 = b.3.max(y + NODE_HEIGHT);
    }
    Some(b)
}

/// A free spot for a new node: below everything else, on the left, where arrows to it from
/// the existing drawing rarely cross another node.
pub fn free_spot(positions: &Positions) -> (f64, f64) {
    match bounds(positions) {
        Some((x0, _, _, y1)) => (x0, y1 + GAP_ALONG * 0.6),
        None => (0.0, 0.0),
    }
}

/// Where the straight line from the centre of a node at `from` towards `towards` leaves the node.
pub fn border_point(from: (f64, f64), towards: (f64, f64)) -> (f64, f64) {
    let (cx, cy) = (from.0 + NODE_WIDTH / 2.0, from.1 + NODE_HEIGHT / 2.0);
    let (dx, dy) = (towards.0 - cx, towards.1 - cy);
    if dx.abs() < 1e-9 && dy.abs() < 1e-9 {
        return (cx, cy);
    }
    let sx = if dx.abs() > 1e-9 {
        (NODE_WIDTH / 2.0) / dx.abs()
    } else {
        f64::INFINITY
    };
    let sy = if dy.abs() > 1e-9 {
        (NODE_HEIGHT / 2.0) / dy.abs()
    } else {
        f64::INFINITY
    };
    let s = sx.min(sy);
    (cx + dx * s, cy + dy * s)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn edges(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn overlap(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < NODE_WIDTH && (a.1 - b.1).abs() < NODE_HEIGHT
    }

    #[test]
    fn a_hub_is_one_layer_above_its_spokes() {
        let t = ids(&["hub", "a", "b", "c", "d"]);
        let p = auto_layout(
            &t,
            &edges(&[("hub", "a"), ("hub", "b"), ("hub", "c"), ("hub", "d")]),
        );
        assert!(p["hub"].1 < p["a"].1);
        assert_eq!(p["a"].1, p["d"].1);
        for (i, a) in t.iter().enumerate() {
            for b in &t[i + 1..] {
                assert!(!overlap(p[a], p[b]), "{a} and {b} overlap");
            }
        }
    }

    #[test]
    fn a_pair_runs_left_to_right() {
        let p = auto_layout(&ids(&["prod", "test"]), &edges(&[("prod", "test")]));
        assert!(p["prod"].0 + NODE_WIDTH < p["test"].0);
        assert_eq!(p["prod"].1, p["test"].1);
    }

    #[test]
    fn a_mesh_is_a_circle() {
        let t = ids(&["a", "b", "c"]);
        let p = auto_layout(
            &t,
            &edges(&[
                ("a", "b"),
                ("b", "a"),
                ("a", "c"),
                ("c", "a"),
                ("b", "c"),
                ("c", "b"),
            ]),
        );
        assert!(!overlap(p["a"], p["b"]) && !overlap(p["b"], p["c"]) && !overlap(p["a"], p["c"]));
        assert!(p["a"].1 < p["b"].1, "the first tenant is at the top");
    }

    #[test]
    fn a_line_leaves_a_node_on_its_border() {
        let (x, y) = border_point((0.0, 0.0), (1000.0, NODE_HEIGHT / 2.0));
        assert!((x - NODE_WIDTH).abs() < 1e-6 && (y - NODE_HEIGHT / 2.0).abs() < 1e-6);
        let (x, y) = border_point((0.0, 0.0), (NODE_WIDTH / 2.0, 1000.0));
        assert!((x - NODE_WIDTH / 2.0).abs() < 1e-6 && (y - NODE_HEIGHT).abs() < 1e-6);
    }
}
