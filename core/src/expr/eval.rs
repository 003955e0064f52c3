//! The evaluator: runs an [`Expression`] against a source object and decides whether the result flows.
//!
//! Null handling follows Entra's documented rules: a null result does not flow, `IgnoreFlowIfNullOrEmpty`
//! drops the attribute, an `IIF` whose condition reads a null or empty attribute fails (the attribute
//! does not flow), and a `Switch` whose own source attribute did not change on an update evaluates to a
//! null that is written (cross-tenant sync's documented quirk).

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Utc};

use super::datetime;
use super::functions;
use super::syntax::{Comparison, ComparisonOperator, Expression, FunctionCall};
use super::value::{Attributes, Value};
use crate::rng::SeededRng;

/// Why an expression is evaluated: the admin center's "Test expression", or a cross-tenant sync job's
/// attribute mapping. Some functions only apply to other provisioning applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    TestExpression,
    CrossTenantMapping,
}

/// Everything outside the source object an evaluation may read.
pub struct EvalContext<'a> {
    /// The simulated clock; `Now()` returns it.
    pub now: DateTime<Utc>,
    /// `Guid()` and `RandomString()` draw from it.
    pub rng: &'a mut SeededRng,
    /// `None` for a creation or a "Test expression"; `Some(set)` for an update where these source
    /// attributes changed (drives the Switch quirk).
    pub changed_attributes: Option<&'a BTreeSet<String>>,
    /// Values already present in the target, for `SelectUniqueValue`.
    pub existing_values: &'a [String],
    pub purpose: Purpose,
}

/// What happens to the target attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A non-null value to write.
    Flow(super::Value),
    /// Nothing is written; the reason goes to the provisioning log.
    DoNotFlow(NoFlowReason),
    /// The documented cross-tenant sync Switch quirk: a null that *is* written, clearing the target.
    WriteNull { reason: String },
}

/// Why an evaluated expression does not flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoFlowReason {
    /// The expression evaluated to null; "the provisioning service doesn't support provisioning null
    /// values".
    NullResult,
    /// `IgnoreFlowIfNullOrEmpty` dropped the attribute because its value is null or empty.
    IgnoredNullOrEmpty,
    /// An `IIF` condition read an attribute that is null or empty; Entra documents such conditions as
    /// unsupported ("the condition check fails").
    IifConditionReadNullOrEmpty { attribute: String },
}

impl fmt::Display for NoFlowReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoFlowReason::NullResult => {
                f.write_str("the expression evaluated to null, and null values are not provisioned")
            }
            NoFlowReason::IgnoredNullOrEmpty => f.write_str(
                "IgnoreFlowIfNullOrEmpty dropped the attribute from the flow because its value is null or empty",
            ),
            NoFlowReason::IifConditionReadNullOrEmpty { attribute } => write!(
                f,
                "the IIF condition reads [{attribute}], which is null or empty; Entra does not support that and the condition check fails (use Switch([{attribute}], …, \"\", …) instead)"
            ),
        }
    }
}

/// An expression that cannot be evaluated for this object. The engine logs it as a failure for the
/// object; other objects are unaffected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// A function got an argument it cannot use.
    #[error("{function}: {message}")]
    Function { function: String, message: String },
    /// The function does not apply to cross-tenant synchronization.
    #[error("{function}: {reason}")]
    NotApplicable { function: String, reason: String },
    /// Every value `SelectUniqueValue` generated already exists in the target: Entra escrows the entry.
    #[error("SelectUniqueValue: every generated value already exists in the target ({}); the entry is escrowed", .candidates.join(", "))]
    NoUniqueValue { candidates: Vec<String> },
}

/// Evaluates `expression` for one source object.
pub fn evaluate(
    expression: &Expression,
    attributes: &dyn Attributes,
    context: &mut EvalContext,
) -> Result<Outcome, EvalError> {
    let mut evaluator = Evaluator {
        attributes,
        context,
        condition_depth: 0,
        condition_null_read: None,
        switch_nulled: None,
    };
    match evaluator.eval(expression) {
        Ok(value) if value.is_null() => Ok(match evaluator.switch_nulled {
            Some(reason) => Outcome::WriteNull { reason },
            None => Outcome::DoNotFlow(NoFlowReason::NullResult),
        }),
        Ok(value) => Ok(Outcome::Flow(value)),
        Err(Abort::NoFlow(reason)) => Ok(Outcome::DoNotFlow(reason)),
        Err(Abort::Error(error)) => Err(error),
    }
}

/// Why evaluation stopped before producing a value.
#[derive(Debug)]
pub(crate) enum Abort {
    Error(EvalError),
    NoFlow(NoFlowReason),
}

impl From<EvalError> for Abort {
    fn from(error: EvalError) -> Abort {
        Abort::Error(error)
    }
}

pub(crate) struct Evaluator<'a, 'b> {
    attributes: &'a dyn Attributes,
    pub(crate) context: &'a mut EvalContext<'b>,
    /// Above zero while an IIF condition is being evaluated.
    condition_depth: usize,
    /// The first null or empty attribute an IIF condition read.
    condition_null_read: Option<String>,
    /// Set when a Switch evaluated to null because of the update quirk.
    switch_nulled: Option<String>,
}

impl Evaluator<'_, '_> {
    pub(crate) fn eval(&mut self, expression: &Expression) -> Result<Value, Abort> {
        match expression {
            Expression::Attribute(name) => {
                let value = self.attributes.get(name);
                if self.condition_depth > 0
                    && self.condition_null_read.is_none()
                    && value.is_null_or_empty()
                {
                    self.condition_null_read = Some(name.clone());
                }
                Ok(value)
            }
            Expression::Constant(literal) => Ok(Value::String(literal.value.clone())),
            Expression::Function(call) => functions::call(self, call),
            Expression::Comparison(comparison) => self.compare(comparison),
        }
    }

    /// Evaluates argument `index`; an empty or missing argument is null.
    pub(crate) fn arg(&mut self, call: &FunctionCall, index: usize) -> Result<Value, Abort> {
        match call.args.get(index) {
            Some(Some(expression)) => self.eval(expression),
            _ => Ok(Value::Null),
        }
    }

    /// True when argument `index` was written (not left empty).
    pub(crate) fn has_arg(call: &FunctionCall, index: usize) -> bool {
        matches!(call.args.get(index), Some(Some(_)))
    }

    /// Evaluates an IIF condition, failing the flow if it read a null or empty attribute.
    pub(crate) fn condition(&mut self, expression: &Expression) -> Result<Value, Abort> {
        let outer_read = self.condition_null_read.take();
        self.condition_depth += 1;
        let result = self.eval(expression);
        self.condition_depth -= 1;
        let read = std::mem::replace(&mut self.condition_null_read, outer_read);
        let value = result?;
        if let Some(attribute) = read {
            return Err(Abort::NoFlow(NoFlowReason::IifConditionReadNullOrEmpty {
                attribute,
            }));
        }
        Ok(value)
    }

    /// The Switch quirk: on an update where none of the attributes its source reads changed, a Switch
    /// evaluates to null. Returns the reason when the quirk applies.
    pub(crate) fn switch_quirk_applies(&mut self, source: Option<&Expression>) -> Option<String> {
        let changed = self.context.changed_attributes?;
        let read = source
            .map(Expression::referenced_attributes)
            .unwrap_or_default();
        if read.iter().any(|name| changed.contains(name)) {
            return None;
        }
        let source_text = source.map(|s| s.to_string()).unwrap_or_default();
        let reason = format!(
            "Switch on {source_text} evaluated to null because {source_text} did not change in this update (documented cross-tenant sync behaviour; use IIF instead of Switch to avoid it)"
        );
        self.switch_nulled.get_or_insert(reason.clone());
        Some(reason)
    }

    fn compare(&mut self, comparison: &Comparison) -> Result<Value, Abort> {
        let left = self.eval(&comparison.left)?;
        let right = self.eval(&comparison.right)?;
        let ordering = compare_values(&left, &right).map_err(|message| EvalError::Function {
            function: format!("comparison '{}'", comparison.operator.symbol()),
            message,
        })?;
        use std::cmp::Ordering::*;
        let result = match comparison.operator {
            ComparisonOperator::Equal => ordering == Equal,
            ComparisonOperator::NotEqual => ordering != Equal,
            ComparisonOperator::Greater => ordering == Greater,
            ComparisonOperator::GreaterOrEqual => ordering != Less,
            ComparisonOperator::Less => ordering == Less,
            ComparisonOperator::LessOrEqual => ordering != Greater,
        };
        Ok(Value::Boolean(result))
    }

    /// The error for a bad argument of `function`.
    pub(crate) fn fail(function: &FunctionCall, message: impl Into<String>) -> Abort {
        Abort::Error(EvalError::Function {
            function: function.function.name().to_string(),
            message: message.into(),
        })
    }

    /// A single string for a function's argument: `None` for null, an error for several values.
    pub(crate) fn single_string(
        call: &FunctionCall,
        parameter: &str,
        value: Value,
    ) -> Result<Option<String>, Abort> {
        match value {
            Value::Multi(mut values) => match values.len() {
                0 => Ok(None),
                1 => Self::single_string(call, parameter, values.remove(0)),
                n => Err(Self::fail(
                    call,
                    format!("{parameter} has {n} values; this function takes a single value"),
                )),
            },
            other => Ok(other.to_entra_string()),
        }
    }

    /// A whole number for a function's argument: `None` for null.
    pub(crate) fn integer(
        call: &FunctionCall,
        parameter: &str,
        value: Value,
    ) -> Result<Option<i64>, Abort> {
        match value {
            Value::Number(n) => Ok(Some(n)),
            Value::Null => Ok(None),
            other => {
                let Some(text) = Self::single_string(call, parameter, other)? else {
                    return Ok(None);
                };
                parse_integer(&text).map(Some).ok_or_else(|| {
                    Self::fail(call, format!("{parameter} '{text}' is not a whole number"))
                })
            }
        }
    }

    /// A date for a function's argument: `None` for null.
    pub(crate) fn date(
        call: &FunctionCall,
        parameter: &str,
        value: Value,
    ) -> Result<Option<DateTime<Utc>>, Abort> {
        match value {
            Value::Date(d) => Ok(Some(d)),
            other => {
                let Some(text) = Self::single_string(call, parameter, other)? else {
                    return Ok(None);
                };
                datetime::parse_general(&text)
                    .map(|parsed| Some(parsed.utc))
                    .ok_or_else(|| {
                        Self::fail(call, format!("cannot read {parameter} '{text}' as a date"))
                    })
            }
        }
    }
}

/// Reads an integer the way VB conversions do: decimal, `&H` hex, surrounding spaces, and decimals with a
/// zero fraction.
pub(crate) fn parse_integer(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix("&H").or_else(|| text.strip_prefix("&h")) {
        if hex.is_empty() || hex.len() > 16 {
            return None;
        }
        return u64::from_str_radix(hex, 16).ok().map(|n| n as i64);
    }
    if let Ok(n) = text.parse::<i64>() {
        return Some(n);
    }
    let (whole, fraction) = text.split_once('.')?;
    if !fraction.is_empty() && fraction.chars().all(|c| c == '0') {
        return whole.parse().ok();
    }
    None
}

/// Orders two values for the comparison operators: numerically when both read as whole numbers, by date
/// when both are dates, otherwise as case-sensitive strings (null reads as the empty string).
fn compare_values(left: &Value, right: &Value) -> Result<std::cmp::Ordering, String> {
    let text = |v: &Value| -> Result<String, String> {
        match v {
            Value::Multi(values) if values.len() > 1 => Err(format!(
                "cannot compare a multi-valued value ({} values)",
                values.len()
            )),
            Value::Multi(values) => Ok(values
                .first()
                .and_then(Value::to_entra_string)
                .unwrap_or_default()),
            other => Ok(other.to_entra_string().unwrap_or_default()),
        }
    };
    match (left, right) {
        (Value::Date(a), Value::Date(b)) => return Ok(a.cmp(b)),
        (Value::Date(a), other) | (other, Value::Date(a)) => {
            if let Some(b) = datetime::parse_general(&text(other)?) {
                let ordering = a.cmp(&b.utc);
                return Ok(if matches!(left, Value::Date(_)) {
                    ordering
                } else {
                    ordering.reverse()
                });
            }
        }
        (Value::Boolean(a), other) | (other, Value::Boolean(a)) => {
            if let Some(b) = parse_boolean(&text(other)?) {
                let ordering = a.cmp(&b);
                return Ok(if matches!(left, Value::Boolean(_)) {
                    ordering
                } else {
                    ordering.reverse()
                });
            }
        }
        _ => {}
    }
    let (a, b) = (text(left)?, text(right)?);
    if let (Some(x), Some(y)) = (parse_integer(&a), parse_integer(&b)) {
        return Ok(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (parse_decimal(&a), parse_decimal(&b)) {
        return Ok(x.total_cmp(&y));
    }
    Ok(a.cmp(&b))
}

/// Reads a plain decimal number (`-1.25`): digits with an optional sign and one decimal point, nothing
/// else (no exponent, no `NaN` or `inf`, which Rust's float parser would accept).
fn parse_decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let plain = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit());
    plain.then(|| text.parse().ok()).flatten()
}

/// Reads `True`/`False` in any letter case, as .NET's `Boolean.Parse` does.
pub(crate) fn parse_boolean(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}
