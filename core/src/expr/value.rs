//! Typed values of the expression language, their JSON form, and the strings Entra writes for them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::datetime;

/// A value an expression reads or produces.
///
/// Entra's engine works on strings; the types record what a value is so that booleans print as
/// `True`/`False`, dates as `M/d/yyyy h:mm:ss tt`, and multi-valued attributes keep their values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    /// No value: an absent attribute, or a function result that is not there. Null never flows.
    #[default]
    Null,
    String(String),
    Number(i64),
    Boolean(bool),
    Date(DateTime<Utc>),
    /// A multi-valued attribute or result (`proxyAddresses`, `Split(…)`).
    Multi(Vec<Value>),
}

/// The source object an expression reads: `[name]` evaluates to `get(name)`, [`Value::Null`] when the
/// attribute is absent.
pub trait Attributes {
    fn get(&self, name: &str) -> Value;
}

impl Attributes for BTreeMap<String, Value> {
    fn get(&self, name: &str) -> Value {
        BTreeMap::get(self, name).cloned().unwrap_or(Value::Null)
    }
}

impl<A: Attributes + ?Sized> Attributes for &A {
    fn get(&self, name: &str) -> Value {
        (**self).get(name)
    }
}

/// A JSON value that cannot be an attribute value (an object, or a nested array).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0} cannot be an attribute value; use a string, number, boolean, null or an array of those"
)]
pub struct ValueFromJsonError(String);

impl Value {
    /// True for null and for a multi-valued value without values.
    pub fn is_null(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Multi(values) => values.is_empty(),
            _ => false,
        }
    }

    /// True for null, the empty string, and a multi-valued value without values.
    pub fn is_null_or_empty(&self) -> bool {
        match self {
            Value::String(s) => s.is_empty(),
            other => other.is_null(),
        }
    }

    /// The JSON form: strings, numbers, booleans and `null` as themselves, a date as the string Entra
    /// writes (`3/16/2020 7:00:00 AM`), a multi-valued value as an array.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Number(n) => serde_json::Value::from(*n),
            Value::Boolean(b) => serde_json::Value::Bool(*b),
            Value::Date(d) => serde_json::Value::String(datetime::entra_string(d)),
            Value::Multi(values) => {
                serde_json::Value::Array(values.iter().map(Value::to_json).collect())
            }
        }
    }

    /// Reads a JSON attribute value: strings, integers, booleans, null, and arrays of those
    /// (multi-valued). Non-integer numbers are kept as their text.
    pub fn from_json(json: &serde_json::Value) -> Result<Value, ValueFromJsonError> {
        Self::from_json_at(json, 0)
    }

    fn from_json_at(json: &serde_json::Value, depth: usize) -> Result<Value, ValueFromJsonError> {
        Ok(match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Boolean(*b),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Number(i),
                None => Value::String(n.to_string()),
            },
            serde_json::Value::Array(items) if depth == 0 => Value::Multi(
                items
                    .iter()
                    .map(|item| Self::from_json_at(item, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            serde_json::Value::Array(_) => return Err(ValueFromJsonError("a nested array".into())),
            serde_json::Value::Object(_) => return Err(ValueFromJsonError("an object".into())),
        })
    }

    /// The string Entra writes for a single value: `True`/`False` for booleans, `M/d/yyyy h:mm:ss tt` for
    /// dates, decimal for numbers. `None` for null and for multi-valued values (see [`Value::entra_values`]).
    pub fn to_entra_string(&self) -> Option<String> {
        match self {
            Value::Null | Value::Multi(_) => None,
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Boolean(true) => Some("True".to_string()),
            Value::Boolean(false) => Some("False".to_string()),
            Value::Date(d) => Some(datetime::entra_string(d)),
        }
    }

    /// Every string Entra writes for this value: none for null, one per value of a multi-valued value.
    pub fn entra_values(&self) -> Vec<String> {
        match self {
            Value::Multi(values) => values.iter().filter_map(Value::to_entra_string).collect(),
            other => other.to_entra_string().into_iter().collect(),
        }
    }

    /// How the provisioning log shows the value: the string itself, or `(N values)` for a multi-valued
    /// value, as the on-demand provisioning view does.
    pub fn log_display(&self) -> String {
        match self {
            Value::Multi(values) => format!("({} values)", values.len()),
            other => other.to_entra_string().unwrap_or_default(),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Number(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Boolean(b)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(values: Vec<T>) -> Value {
        Value::Multi(values.into_iter().map(Into::into).collect())
    }
}
