//! Stable sorting that costs the wasm one copy of the standard library's sort.
//!
//! `slice::sort_by` and friends are instantiated once per element type *and comparison closure*:
//! about 3.5 KB of wasm each, for thirty call sites. Here, in wasm32, the standard sort runs only
//! on a vector of indices with one `dyn` comparison (a single instantiation for the program), and
//! the slice is then permuted into that order. Natively (the CLI, the benchmarks) these call the
//! standard library directly. Both are stable sorts, so the result is the same element for element:
//! equal elements keep their order either way.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Like `v.sort_by(compare)`.
pub fn sort_by<T>(v: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if cfg!(target_arch = "wasm32") {
        let order = stable_order(v.len(), &mut |a, b| compare(&v[a], &v[b]));
        permute(v, &order);
    } else {
        v.sort_by(compare);
    }
}

/// Like `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Like `v.sort()`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Like `iter.collect::<BTreeMap<_, _>>()`: for a repeated key the last value wins. `collect`
/// sorts its input before building the tree, one more instance of the standard sort per map
/// type; in wasm32 this inserts the pairs one by one instead (natively it is `collect`).
pub fn collect_map<K: Ord, V>(iter: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    if cfg!(target_arch = "wasm32") {
        let mut map = BTreeMap::new();
        map.extend(iter);
        map
    } else {
        iter.into_iter().collect()
    }
}

/// Like `iter.collect::<BTreeSet<_>>()`, without its sort in wasm32 (see [`collect_map`]).
pub fn collect_set<T: Ord>(iter: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    if cfg!(target_arch = "wasm32") {
        let mut set = BTreeSet::new();
        set.extend(iter);
        set
    } else {
        iter.into_iter().collect()
    }
}

/// The positions `0..n` in the stable order `compare` gives them. Not generic: the one instance
/// of the standard sort that the wasm build needs.
fn stable_order(n: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges `v` so that position `i` holds what was at `order[i]`; `order` is a permutation of
/// `0..v.len()`. Follows each cycle of the permutation once with swaps: linear time, no copies.
fn permute<T>(v: &mut [T], order: &[usize]) {
    let mut placed = vec![false; v.len()];
    for start in 0..v.len() {
        let mut i = start;
        while !placed[i] {
            placed[i] = true;
            let from = order[i];
            if from == start {
                break;
            }
            // Position `i` holds what `start` held; `from` still holds its original element.
            v.swap(i, from);
            i = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SeededRng;

    /// The index sort and permutation give exactly what the standard stable sort gives, equal
    /// keys included (the tag records where each element came from).
    #[test]
    fn the_index_sort_is_the_standard_stable_sort() {
        let mut rng = SeededRng::new(7);
        for len in [0usize, 1, 2, 3, 5, 17, 100, 1000] {
            for keys in [1u64, 3, 1000] {
                let v: Vec<(u64, usize)> = (0..len).map(|i| (rng.next_u64() % keys, i)).collect();
                let mut expected = v.clone();
                expected.sort_by_key(|e| e.0);
                let mut got = v.clone();
                let order = stable_order(got.len(), &mut |a, b| v[a].0.cmp(&v[b].0));
                permute(&mut got, &order);
                assert_eq!(got, expected, "len {len}, {keys} distinct keys");
            }
        }
    }

    #[test]
    fn the_public_functions_sort() {
        let mut v = vec!["b", "c", "a"];
        sort(&mut v);
        assert_eq!(v, ["a", "b", "c"]);
        sort_by_key(&mut v, |s| std::cmp::Reverse(*s));
        assert_eq!(v, ["c", "b", "a"]);
        sort_by(&mut v, |a, b| a.cmp(b));
        assert_eq!(v, ["a", "b", "c"]);
        let pairs = [(2, "b"), (1, "a"), (2, "c")];
        assert_eq!(
            collect_map(pairs),
            pairs.into_iter().collect::<BTreeMap<_, _>>()
        );
        assert_eq!(collect_set([3, 1, 3]), BTreeSet::from([1, 3]));
    }
}
