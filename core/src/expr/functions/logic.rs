//! Conditions and null handling: IIF, Switch, Coalesce, CBool, Not, IsNull, IsNothing, IsNullOrEmpty,
//! IsPresent, IsString, IgnoreFlowIfNullOrEmpty, BitAnd.

use super::Function;
use crate::expr::eval::{parse_boolean, parse_integer, Abort, Evaluator, NoFlowReason};
use crate::expr::syntax::FunctionCall;
use crate::expr::value::Value;

pub(super) fn call(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Value, Abort> {
    use Function as F;
    match call.function {
        F::IIF => {
            let Some(Some(condition)) = call.args.first() else {
                return Err(Evaluator::fail(call, "the condition is missing"));
            };
            let value = ev.condition(condition)?;
            let truth = truth(call, "condition", &value)?;
            // Only the chosen branch is evaluated (it may call Guid() or RandomString()).
            ev.arg(call, if truth { 1 } else { 2 })
        }
        F::Switch => switch(ev, call),
        F::Coalesce => {
            // "Returns the first source value that isn't NULL", else the last argument (defaultValue):
            // both readings give the first non-null argument. An empty string is not null.
            for index in 0..call.args.len() {
                let value = ev.arg(call, index)?;
                if !value.is_null() {
                    return Ok(value);
                }
            }
            Ok(Value::Null)
        }
        F::CBool => {
            let value = ev.arg(call, 0)?;
            if value.is_null() {
                return Ok(Value::Boolean(false));
            }
            Ok(Value::Boolean(truth(call, "Expression", &value)?))
        }
        F::Not => {
            // "If source value is True, returns False. Otherwise, returns True."
            let value = ev.arg(call, 0)?;
            let is_true = match &value {
                Value::Boolean(b) => *b,
                other => Evaluator::single_string(call, "source", other.clone())?
                    .is_some_and(|s| s.trim().eq_ignore_ascii_case("true")),
            };
            Ok(Value::Boolean(!is_true))
        }
        F::IsNull | F::IsNothing => Ok(Value::Boolean(ev.arg(call, 0)?.is_null())),
        F::IsNullOrEmpty => Ok(Value::Boolean(ev.arg(call, 0)?.is_null_or_empty())),
        F::IsPresent => Ok(Value::Boolean(!ev.arg(call, 0)?.is_null_or_empty())),
        F::IsString => {
            // A single value that converts to a string: not null, not several values.
            let value = ev.arg(call, 0)?;
            Ok(Value::Boolean(match value {
                Value::Null => false,
                Value::Multi(values) => values.len() == 1,
                _ => true,
            }))
        }
        F::IgnoreFlowIfNullOrEmpty => {
            let value = ev.arg(call, 0)?;
            if value.is_null_or_empty() {
                return Err(Abort::NoFlow(NoFlowReason::IgnoredNullOrEmpty));
            }
            Ok(value)
        }
        F::BitAnd => {
            let a = ev.arg(call, 0)?;
            let b = ev.arg(call, 1)?;
            let a = Evaluator::integer(call, "value1", a)?;
            let b = Evaluator::integer(call, "value2", b)?;
            Ok(match (a, b) {
                (Some(a), Some(b)) => Value::Number(a & b),
                _ => Value::Null,
            })
        }
        other => unreachable!("{} is not a logic function", other.name()),
    }
}

/// Switch: the value of the first key equal to the source (case-sensitive), else defaultValue.
/// A null source matches the key `""` (the documented way to catch empty values). On an update where the
/// source's attributes did not change, Switch is null (cross-tenant sync's documented quirk).
fn switch(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Value, Abort> {
    let source_expression = call.args.first().and_then(Option::as_ref);
    if ev.switch_quirk_applies(source_expression).is_some() {
        return Ok(Value::Null);
    }
    let source = ev.arg(call, 0)?;
    let source = Evaluator::single_string(call, "source", source)?.unwrap_or_default();
    let mut index = 2;
    while index + 1 < call.args.len() {
        let key = ev.arg(call, index)?;
        let key = Evaluator::single_string(call, "key", key)?.unwrap_or_default();
        if key == source {
            return ev.arg(call, index + 1);
        }
        index += 2;
    }
    ev.arg(call, 1)
}

/// Reads a condition: a boolean, `True`/`False` in any case, or a number (non-zero is true).
fn truth(call: &FunctionCall, parameter: &str, value: &Value) -> Result<bool, Abort> {
    match value {
        Value::Boolean(b) => Ok(*b),
        Value::Number(n) => Ok(*n != 0),
        other => {
            let text =
                Evaluator::single_string(call, parameter, other.clone())?.unwrap_or_default();
            if let Some(b) = parse_boolean(&text) {
                return Ok(b);
            }
            if let Some(n) = parse_integer(&text) {
                return Ok(n != 0);
            }
            Err(Evaluator::fail(
                call,
                format!("{parameter} '{text}' is neither True/False nor a number"),
            ))
        }
    }
}
