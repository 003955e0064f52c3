//! Version 2 of the links' compact shape. Format version 2 added downstream apps, lessons and the
//! `downstreamApp` expectation; the structural rules of version 1 still fit (the new fields pass
//! through them unchanged), so links of version 2 use [`super::v1`]'s rules with this dictionary:
//! version 1's words, in the same positions, with the new field names and values appended. Frozen
//! once a link of version 2 exists: entries may only be appended, by a new version.

use super::dictionary::{concat, Dictionary};
use super::v1;

/// Version 2's words: version 1's, then the words format version 2 added.
pub static DICTIONARY: Dictionary = Dictionary {
    keys: &KEYS,
    values: &VALUES,
};

static KEYS: [&str; v1::KEYS.len() + ADDED_KEYS.len()] = concat(v1::KEYS, ADDED_KEYS);
static VALUES: [&str; v1::VALUES.len() + ADDED_VALUES.len()] = concat(v1::VALUES, ADDED_VALUES);

/// The keys format version 2 added.
const ADDED_KEYS: &[&str] = &[
    "downstreamApps",
    "lesson",
    "painPoints",
    "goal",
    "instructions",
    "hints",
    "solution",
    "app",
    "provisioned",
    "rule",
];

/// The values format version 2 added.
const ADDED_VALUES: &[&str] = &["downstreamApp", "acceptAll"];

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Codes are positions: version 2 keeps every word of version 1 where it was.
    #[test]
    fn version_2_appends_to_version_1() {
        let (v1, v2) = (&super::super::v1::DICTIONARY, &super::DICTIONARY);
        assert_eq!(&v2.keys[..v1.keys.len()], v1.keys);
        assert_eq!(&v2.values[..v1.values.len()], v1.values);
        assert_eq!(&v2.keys[v1.keys.len()..], super::ADDED_KEYS);
        assert_eq!(&v2.values[v1.values.len()..], super::ADDED_VALUES);
        assert!(v2.keys.len() > v1.keys.len() && v2.values.len() > v1.values.len());
    }
}
