//! Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName,
//! template) and its five documented modes, chosen by which arguments are written:
//!
//! 1. oldValue + replacementValue: replace every occurrence (case-sensitive);
//! 2. oldValue + template: replace oldValue inside template with the source;
//! 3. regexPattern + replacementValue: regex replace, with .NET substitutions (`${name}`, `$1`);
//! 4. regexPattern + regexGroupName + replacementValue: replace the named group's text in every match;
//! 5. regexPattern + regexGroupName + replacementAttributeName: the source if it has a value, else the
//!    named group of the first match in the other attribute.

use crate::expr::eval::{Abort, Evaluator};
use crate::expr::regex_net::NetRegex;
use crate::expr::syntax::{Expression, FunctionCall, LiteralKind};
use crate::expr::value::Value;

const SOURCE: usize = 0;
const OLD_VALUE: usize = 1;
const PATTERN: usize = 2;
const GROUP: usize = 3;
const REPLACEMENT: usize = 4;
const REPLACEMENT_ATTRIBUTE: usize = 5;
const TEMPLATE: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Plain,
    Template,
    Regex,
    RegexGroup,
    RegexGroupFromAttribute,
}

fn mode(call: &FunctionCall) -> Option<Mode> {
    let has = |index| Evaluator::has_arg(call, index);
    if has(OLD_VALUE) && has(TEMPLATE) {
        Some(Mode::Template)
    } else if has(OLD_VALUE) && has(REPLACEMENT) {
        Some(Mode::Plain)
    } else if has(PATTERN) && has(GROUP) && has(REPLACEMENT_ATTRIBUTE) {
        Some(Mode::RegexGroupFromAttribute)
    } else if has(PATTERN) && has(GROUP) && has(REPLACEMENT) {
        Some(Mode::RegexGroup)
    } else if has(PATTERN) && has(REPLACEMENT) {
        Some(Mode::Regex)
    } else {
        None
    }
}

fn constant_text(call: &FunctionCall, index: usize) -> Option<&str> {
    match call.args.get(index) {
        Some(Some(Expression::Constant(literal))) if literal.kind == LiteralKind::String => {
            Some(&literal.value)
        }
        _ => None,
    }
}

/// Parse-time checks: a recognizable mode, and a constant pattern that compiles and has the named group.
/// Returns the index of the offending argument and the message.
pub(crate) fn check_static_replace(call: &FunctionCall) -> Result<(), (usize, String)> {
    let Some(mode) = mode(call) else {
        return Err((
            SOURCE,
            "Replace needs oldValue with replacementValue or template, or regexPattern with replacementValue, or regexPattern and regexGroupName with replacementValue or replacementAttributeName".into(),
        ));
    };
    if matches!(mode, Mode::Plain | Mode::Template) {
        if constant_text(call, OLD_VALUE) == Some("") {
            return Err((OLD_VALUE, "Replace: oldValue cannot be empty".into()));
        }
        return Ok(());
    }
    let Some(pattern) = constant_text(call, PATTERN) else {
        return Ok(());
    };
    let regex =
        NetRegex::compile(pattern).map_err(|message| (PATTERN, format!("Replace: {message}")))?;
    if let (Some(group), Mode::RegexGroup | Mode::RegexGroupFromAttribute) =
        (constant_text(call, GROUP), mode)
    {
        if regex.group_number(group).is_none() {
            return Err((
                GROUP,
                format!("Replace: the regular expression has no group named '{group}'"),
            ));
        }
    }
    Ok(())
}

pub(super) fn call(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Value, Abort> {
    let Some(mode) = mode(call) else {
        return Err(Evaluator::fail(
            call,
            "no documented combination of arguments is given",
        ));
    };
    let source = text_arg(ev, call, SOURCE, "source")?;
    match mode {
        Mode::Plain => {
            let old_value = text_arg(ev, call, OLD_VALUE, "oldValue")?.unwrap_or_default();
            let replacement =
                text_arg(ev, call, REPLACEMENT, "replacementValue")?.unwrap_or_default();
            let Some(source) = source else {
                return Ok(Value::Null);
            };
            if old_value.is_empty() {
                return Err(Evaluator::fail(call, "oldValue cannot be empty"));
            }
            Ok(Value::String(source.replace(&old_value, &replacement)))
        }
        Mode::Template => {
            let old_value = text_arg(ev, call, OLD_VALUE, "oldValue")?.unwrap_or_default();
            let template = text_arg(ev, call, TEMPLATE, "template")?;
            let (Some(source), Some(template)) = (source, template) else {
                return Ok(Value::Null);
            };
            if old_value.is_empty() {
                return Err(Evaluator::fail(call, "oldValue cannot be empty"));
            }
            Ok(Value::String(template.replace(&old_value, &source)))
        }
        Mode::Regex => {
            let regex = regex_arg(ev, call)?;
            let replacement =
                text_arg(ev, call, REPLACEMENT, "replacementValue")?.unwrap_or_default();
            let Some(source) = source else {
                return Ok(Value::Null);
            };
            regex
                .check_input(&source)
                .map_err(|m| Evaluator::fail(call, m))?;
            Ok(Value::String(regex.replace_all(&source, &replacement)))
        }
        Mode::RegexGroup => {
            let regex = regex_arg(ev, call)?;
            let group = group_arg(ev, call, &regex)?;
            let replacement =
                text_arg(ev, call, REPLACEMENT, "replacementValue")?.unwrap_or_default();
            let Some(source) = source else {
                return Ok(Value::Null);
            };
            regex
                .check_input(&source)
                .map_err(|m| Evaluator::fail(call, m))?;
            let mut out = String::with_capacity(source.len());
            let mut last = 0;
            for found in regex.matches(&source) {
                if let Some(range) = found.group(group) {
                    if range.start >= last {
                        out.push_str(&source[last..range.start]);
                        out.push_str(&replacement);
                        last = range.end;
                    }
                }
            }
            out.push_str(&source[last..]);
            Ok(Value::String(out))
        }
        Mode::RegexGroupFromAttribute => {
            if let Some(source) = source.filter(|s| !s.is_empty()) {
                return Ok(Value::String(source));
            }
            let regex = regex_arg(ev, call)?;
            let group = group_arg(ev, call, &regex)?;
            let Some(other) =
                text_arg(ev, call, REPLACEMENT_ATTRIBUTE, "replacementAttributeName")?
            else {
                return Ok(Value::Null);
            };
            regex
                .check_input(&other)
                .map_err(|m| Evaluator::fail(call, m))?;
            Ok(regex
                .first_match(&other)
                .and_then(|found| found.group(group))
                .map(|range| Value::String(other[range].to_string()))
                .unwrap_or(Value::Null))
        }
    }
}

fn text_arg(
    ev: &mut Evaluator<'_, '_>,
    call: &FunctionCall,
    index: usize,
    parameter: &str,
) -> Result<Option<String>, Abort> {
    let value = ev.arg(call, index)?;
    Evaluator::single_string(call, parameter, value)
}

fn regex_arg(
    ev: &mut Evaluator<'_, '_>,
    call: &FunctionCall,
) -> Result<std::rc::Rc<NetRegex>, Abort> {
    let pattern = text_arg(ev, call, PATTERN, "regexPattern")?.unwrap_or_default();
    NetRegex::compile(&pattern).map_err(|message| Evaluator::fail(call, message))
}

fn group_arg(
    ev: &mut Evaluator<'_, '_>,
    call: &FunctionCall,
    regex: &NetRegex,
) -> Result<usize, Abort> {
    let name = text_arg(ev, call, GROUP, "regexGroupName")?.unwrap_or_default();
    regex.group_number(&name).ok_or_else(|| {
        Evaluator::fail(
            call,
            format!("the regular expression has no group named '{name}'"),
        )
    })
}
