//! String and multi-valued functions: Append, Prepend, Join, Left, Mid, Word, Split, StripSpaces,
//! ToLower, ToUpper, PCase, NormalizeDiacritics, InStr, ConvertToBase64, ConvertToUTF8Hex, CStr, Count,
//! Item, RemoveDuplicates.
//!
//! Unless a function's documentation says otherwise, a null source gives a null result (which does not
//! flow); indexes are 1-based and count characters.

use super::Function;
use crate::expr::eval::{Abort, Evaluator};
use crate::expr::syntax::FunctionCall;
use crate::expr::text;
use crate::expr::value::Value;

pub(super) fn call(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Value, Abort> {
    use Function as F;
    match call.function {
        F::Append => {
            let source = string_arg(ev, call, 0, "source")?;
            let suffix = string_arg(ev, call, 1, "suffix")?;
            Ok(match source {
                None => Value::Null,
                Some(source) => Value::String(source + suffix.as_deref().unwrap_or("")),
            })
        }
        F::Prepend => {
            let prefix = string_arg(ev, call, 0, "prefix")?;
            let source = string_arg(ev, call, 1, "source")?;
            Ok(match source {
                None => Value::Null,
                Some(source) => Value::String(prefix.unwrap_or_default() + &source),
            })
        }
        F::Join => join(ev, call),
        F::Left => {
            // Documented: null → "", 0 → "", negative → the input, longer than the string → the string.
            let source = string_arg(ev, call, 0, "String")?;
            let count = integer_arg(ev, call, 1, "NumChars")?;
            let Some(source) = source else {
                return Ok(Value::String(String::new()));
            };
            let Some(count) = count else {
                return Ok(Value::Null);
            };
            Ok(Value::String(if count < 0 {
                source
            } else {
                source.chars().take(count as usize).collect()
            }))
        }
        F::Mid => {
            let source = string_arg(ev, call, 0, "source")?;
            let start = integer_arg(ev, call, 1, "start")?;
            let length = integer_arg(ev, call, 2, "length")?;
            let (Some(source), Some(start), Some(length)) = (source, start, length) else {
                return Ok(Value::Null);
            };
            if start < 1 {
                return Err(Evaluator::fail(
                    call,
                    format!("start {start} is invalid; the first character is 1"),
                ));
            }
            if length < 0 {
                return Err(Evaluator::fail(
                    call,
                    format!("length {length} is negative"),
                ));
            }
            Ok(Value::String(
                source
                    .chars()
                    .skip(start as usize - 1)
                    .take(length as usize)
                    .collect(),
            ))
        }
        F::Word => {
            // Documented: number < 1 → "", null → "", fewer words → "".
            let source = string_arg(ev, call, 0, "String")?;
            let number = integer_arg(ev, call, 1, "WordNumber")?;
            let delimiters = string_arg(ev, call, 2, "Delimiters")?.unwrap_or_default();
            let (Some(source), Some(number)) = (source, number) else {
                return Ok(Value::String(String::new()));
            };
            if number < 1 {
                return Ok(Value::String(String::new()));
            }
            let word = source
                .split(|c| delimiters.contains(c))
                .filter(|w| !w.is_empty())
                .nth(number as usize - 1)
                .unwrap_or("");
            Ok(Value::String(word.to_string()))
        }
        F::Split => {
            let source = string_arg(ev, call, 0, "source")?;
            let delimiter = string_arg(ev, call, 1, "delimiter")?.unwrap_or_default();
            let Some(source) = source else {
                return Ok(Value::Null);
            };
            if delimiter.is_empty() {
                return Ok(Value::Multi(vec![Value::String(source)]));
            }
            Ok(Value::Multi(
                source
                    .split(delimiter.as_str())
                    .map(|part| Value::String(part.to_string()))
                    .collect(),
            ))
        }
        F::StripSpaces => map_string(ev, call, |s| s.replace(' ', "")),
        F::NormalizeDiacritics => map_string(ev, call, text::normalize_diacritics),
        F::ToLower | F::ToUpper => {
            let source = string_arg(ev, call, 0, "source")?;
            let culture = match string_arg(ev, call, 1, "culture")? {
                Some(name) if !name.is_empty() => {
                    text::case_culture(&name).map_err(|message| Evaluator::fail(call, message))?
                }
                _ => text::CaseCulture::Invariant,
            };
            Ok(match source {
                None => Value::Null,
                Some(s) if call.function == F::ToLower => {
                    Value::String(text::to_lower(&s, culture))
                }
                Some(s) => Value::String(text::to_upper(&s, culture)),
            })
        }
        F::PCase => {
            let source = string_arg(ev, call, 0, "source")?;
            let separators = string_arg(ev, call, 1, "wordSeparators")?;
            Ok(match (source, separators) {
                (None, _) => Value::Null,
                (Some(s), Some(separators)) if !separators.is_empty() => {
                    Value::String(text::title_case_with_separators(&s, &separators))
                }
                (Some(s), _) => Value::String(text::title_case(&s)),
            })
        }
        F::InStr => in_str(ev, call),
        F::ConvertToBase64 => map_string(ev, call, |s| {
            let bytes: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
            text::base64(&bytes)
        }),
        F::ConvertToUTF8Hex => map_string(ev, call, |s| {
            s.bytes().map(|b| format!("{b:02X}")).collect()
        }),
        F::CStr => {
            let value = ev.arg(call, 0)?;
            Ok(match Evaluator::single_string(call, "value", value)? {
                None => Value::Null,
                Some(s) => Value::String(s),
            })
        }
        F::Count => {
            let value = ev.arg(call, 0)?;
            Ok(Value::Number(match value {
                Value::Null => 0,
                Value::Multi(values) => values.len() as i64,
                _ => 1,
            }))
        }
        F::Item => {
            let values = multi_arg(ev, call, 0)?;
            let index = integer_arg(ev, call, 1, "index")?;
            let (Some(values), Some(index)) = (values, index) else {
                return Ok(Value::Null);
            };
            if index < 1 {
                return Err(Evaluator::fail(
                    call,
                    format!("index {index} is invalid; Item is 1-based (the first value is 1)"),
                ));
            }
            Ok(values
                .into_iter()
                .nth(index as usize - 1)
                .unwrap_or(Value::Null))
        }
        F::RemoveDuplicates => {
            let Some(values) = multi_arg(ev, call, 0)? else {
                return Ok(Value::Null);
            };
            let mut unique: Vec<Value> = Vec::with_capacity(values.len());
            for value in values {
                if !unique.contains(&value) {
                    unique.push(value);
                }
            }
            Ok(Value::Multi(unique))
        }
        other => unreachable!("{} is not a string function", other.name()),
    }
}

/// Join: "a multi-valued source contributes all its values"; empty and null sources are skipped
/// (documented: `Join(", ", "", [surname], [givenName])` is `Doe, John`). Null when every source is null.
fn join(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Value, Abort> {
    let separator = string_arg(ev, call, 0, "separator")?.unwrap_or_default();
    let mut parts: Vec<String> = Vec::new();
    let mut any_value = false;
    for index in 1..call.args.len() {
        match ev.arg(call, index)? {
            Value::Null => {}
            Value::Multi(values) => {
                for value in values {
                    if let Some(s) = value.to_entra_string() {
                        any_value = true;
                        if !s.is_empty() {
                            parts.push(s);
                        }
                    }
                }
            }
            other => {
                any_value = true;
                let s = other.to_entra_string().unwrap_or_default();
                if !s.is_empty() {
                    parts.push(s);
                }
            }
        }
    }
    if !any_value {
        return Ok(Value::Null);
    }
    Ok(Value::String(parts.join(&separator)))
}

/// InStr with VB semantics: 1-based result, 0 when not found; an empty or null string to search gives 0,
/// an empty string to find gives `start`.
fn in_str(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Value, Abort> {
    let haystack = string_arg(ev, call, 0, "value1")?.unwrap_or_default();
    let needle = string_arg(ev, call, 1, "value2")?.unwrap_or_default();
    let start = integer_arg(ev, call, 2, "start")?.unwrap_or(1);
    if start < 1 {
        return Err(Evaluator::fail(
            call,
            format!("start {start} is invalid; the first character is 1"),
        ));
    }
    let text_compare = match string_arg(ev, call, 3, "compareType")?.as_deref() {
        None | Some("") | Some("vbBinaryCompare") | Some("0") => false,
        Some("vbTextCompare") | Some("1") => true,
        Some(other) => {
            return Err(Evaluator::fail(
                call,
                format!("compareType '{other}' is invalid; use vbBinaryCompare or vbTextCompare"),
            ))
        }
    };
    let chars: Vec<char> = haystack.chars().collect();
    let start = start as usize;
    if start > chars.len() {
        return Ok(Value::Number(0));
    }
    if needle.is_empty() {
        return Ok(Value::Number(start as i64));
    }
    let fold = |s: &str| -> Vec<char> {
        if text_compare {
            s.chars()
                .map(|c| text::lower_char(c, text::CaseCulture::Invariant))
                .collect()
        } else {
            s.chars().collect()
        }
    };
    let haystack = fold(&haystack);
    let needle = fold(&needle);
    let found = (start - 1..=haystack.len().saturating_sub(needle.len()))
        .find(|&i| haystack[i..].starts_with(&needle))
        .map(|i| i as i64 + 1)
        .unwrap_or(0);
    Ok(Value::Number(found))
}

/// Applies `f` to the single string of argument 0; null stays null.
fn map_string(
    ev: &mut Evaluator<'_, '_>,
    call: &FunctionCall,
    f: impl FnOnce(&str) -> String,
) -> Result<Value, Abort> {
    let key = call.function.key_at(0, call.args.len());
    Ok(match string_arg(ev, call, 0, key)? {
        None => Value::Null,
        Some(s) => Value::String(f(&s)),
    })
}

fn string_arg(
    ev: &mut Evaluator<'_, '_>,
    call: &FunctionCall,
    index: usize,
    parameter: &str,
) -> Result<Option<String>, Abort> {
    let value = ev.arg(call, index)?;
    Evaluator::single_string(call, parameter, value)
}

fn integer_arg(
    ev: &mut Evaluator<'_, '_>,
    call: &FunctionCall,
    index: usize,
    parameter: &str,
) -> Result<Option<i64>, Abort> {
    let value = ev.arg(call, index)?;
    Evaluator::integer(call, parameter, value)
}

/// The values of argument `index`: a multi-valued value's values, a single value as one value, `None`
/// for null.
fn multi_arg(
    ev: &mut Evaluator<'_, '_>,
    call: &FunctionCall,
    index: usize,
) -> Result<Option<Vec<Value>>, Abort> {
    Ok(match ev.arg(call, index)? {
        Value::Null => None,
        Value::Multi(values) => Some(values),
        single => Some(vec![single]),
    })
}
