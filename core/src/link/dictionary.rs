//! Short codes for the words a scenario repeats: every object key and every string value found in a
//! version's dictionary is replaced by a code of one or two letters (values by `~` and a code).
//! The coding is a bijection on all JSON documents, so a key or value that merely looks like a code
//! is escaped with a leading `~` rather than misread: nothing is lost, only shortened.
//!
//! A version's dictionaries are frozen once a link of that version exists: codes are positions in
//! the list, so entries may only ever be appended (by a new version), never reordered or removed.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{Budget, LinkError};

/// The letters codes are made of: a code is one letter for the first 52 entries, then two.
const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Marks a coded value (`~a`) and escapes literal keys and values that could be misread.
const ESCAPE: char = '~';

/// The two word lists of one link version.
pub struct Dictionary {
    /// Object keys: field names of the format and attribute names used as keys.
    pub keys: &'static [&'static str],
    /// String values: enumerations of the format (command names, states, operators, …).
    pub values: &'static [&'static str],
}

/// `first` followed by `then`, as an array of the two lengths' sum: how a later version's word
/// lists start from an earlier version's, in constant evaluation (a wrong `N` fails the build).
pub const fn concat<const N: usize>(
    first: &[&'static str],
    then: &[&'static str],
) -> [&'static str; N] {
    assert!(
        first.len() + then.len() == N,
        "N must be the sum of the lengths"
    );
    let mut words = [""; N];
    let mut i = 0;
    while i < first.len() {
        words[i] = first[i];
        i += 1;
    }
    while i < N {
        words[i] = then[i - first.len()];
        i += 1;
    }
    words
}

/// The code of the entry at `index`.
pub fn code(index: usize) -> String {
    let n = LETTERS.len();
    if index < n {
        char::from(LETTERS[index]).to_string()
    } else {
        let rest = index - n;
        assert!(rest < n * n, "dictionaries hold at most 2,756 entries");
        [LETTERS[rest / n], LETTERS[rest % n]]
            .iter()
            .map(|b| char::from(*b))
            .collect()
    }
}

/// The entry index a code stands for, if `text` has the shape of a code.
fn index_of_code(text: &str) -> Option<usize> {
    let position = |b: u8| LETTERS.iter().position(|l| *l == b);
    match text.as_bytes() {
        [a] => position(*a),
        [a, b] => Some(LETTERS.len() + position(*a)? * LETTERS.len() + position(*b)?),
        _ => None,
    }
}

/// Encodes and decodes documents with one dictionary.
pub struct Coder {
    dictionary: &'static Dictionary,
    key_codes: BTreeMap<&'static str, String>,
    value_codes: BTreeMap<&'static str, String>,
}

impl Coder {
    pub fn new(dictionary: &'static Dictionary) -> Coder {
        let codes = |words: &'static [&'static str]| {
            crate::sort::collect_map(words.iter().enumerate().map(|(i, w)| (*w, code(i))))
        };
        Coder {
            dictionary,
            key_codes: codes(dictionary.keys),
            value_codes: codes(dictionary.values),
        }
    }

    /// Replaces dictionary words by their codes, escaping anything that could be misread.
    pub fn encode(&self, value: Value) -> Value {
        match value {
            Value::Object(map) => {
                // `extend`, not `collect`: the same map without an instance of the standard sort
                // in the wasm (crate::sort).
                let mut encoded = Map::new();
                encoded.extend(
                    map.into_iter()
                        .map(|(k, v)| (self.encode_key(k), self.encode(v))),
                );
                Value::Object(encoded)
            }
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|v| self.encode(v)).collect())
            }
            Value::String(s) => Value::String(self.encode_value(s)),
            other => other,
        }
    }

    /// The inverse of [`Coder::encode`]; an unknown code is an error, as only a damaged or forged
    /// link contains one.
    pub fn decode(&self, value: Value, budget: &mut Budget) -> Result<Value, LinkError> {
        Ok(match value {
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    let key = self.decode_key(k, budget)?;
                    let v = self.decode(v, budget)?;
                    out.insert(key, v);
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .map(|v| self.decode(v, budget))
                    .collect::<Result<_, _>>()?,
            ),
            Value::String(s) => Value::String(self.decode_value(s, budget)?),
            other => other,
        })
    }

    fn encode_key(&self, key: String) -> String {
        if let Some(code) = self.key_codes.get(key.as_str()) {
            return code.clone();
        }
        if key.starts_with(ESCAPE) || self.is_key_code(&key) {
            return format!("{ESCAPE}{key}");
        }
        key
    }

    fn decode_key(&self, key: String, budget: &mut Budget) -> Result<String, LinkError> {
        if let Some(literal) = key.strip_prefix(ESCAPE) {
            return Ok(literal.to_string());
        }
        match index_of_code(&key) {
            Some(i) if i < self.dictionary.keys.len() => {
                let word = self.dictionary.keys[i];
                budget.spend(word.len())?;
                Ok(word.to_string())
            }
            _ => Ok(key),
        }
    }

    fn is_key_code(&self, key: &str) -> bool {
        index_of_code(key).is_some_and(|i| i < self.dictionary.keys.len())
    }

    fn encode_value(&self, value: String) -> String {
        if let Some(code) = self.value_codes.get(value.as_str()) {
            return format!("{ESCAPE}{code}");
        }
        if value.starts_with(ESCAPE) {
            return format!("{ESCAPE}{value}");
        }
        value
    }

    fn decode_value(&self, value: String, budget: &mut Budget) -> Result<String, LinkError> {
        let Some(rest) = value.strip_prefix(ESCAPE) else {
            return Ok(value);
        };
        if rest.starts_with(ESCAPE) {
            return Ok(rest.to_string());
        }
        match index_of_code(rest) {
            Some(i) if i < self.dictionary.values.len() => {
                let word = self.dictionary.values[i];
                budget.spend(word.len())?;
                Ok(word.to_string())
            }
            _ => Err(LinkError::Malformed(format!(
                "'{}' is not a value code of this version",
                truncate(&value)
            ))),
        }
    }
}

/// At most 40 characters of a text, for error messages about untrusted input.
pub fn truncate(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    static DICTIONARY: Dictionary = Dictionary {
        keys: &["displayName", "tenant"],
        values: &["started", "user"],
    };

    #[test]
    fn codes_are_one_letter_then_two() {
        assert_eq!(code(0), "a");
        assert_eq!(code(51), "Z");
        assert_eq!(code(52), "aa");
        assert_eq!(code(53), "ab");
        for i in 0..200 {
            assert_eq!(index_of_code(&code(i)), Some(i));
        }
    }

    #[test]
    fn words_become_codes_and_lookalikes_are_escaped() {
        let coder = Coder::new(&DICTIONARY);
        let doc = serde_json::json!({
            "displayName": "started", "a": "~b", "~x": ["user", "~", "other", "a"], "c": 1
        });
        let encoded = coder.encode(doc.clone());
        assert_eq!(
            encoded,
            serde_json::json!({"a": "~a", "~a": "~~b", "~~x": ["~b", "~~", "other", "a"], "c": 1})
        );
        let mut budget = Budget::new(1000);
        assert_eq!(coder.decode(encoded, &mut budget).unwrap(), doc);
    }

    #[test]
    fn an_unknown_value_code_is_an_error() {
        let coder = Coder::new(&DICTIONARY);
        let err = coder
            .decode(serde_json::json!(["~q"]), &mut Budget::new(1000))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the link's content is malformed: '~q' is not a value code of this version"
        );
    }
}
