//! Generators and provisioning-specific functions: Guid, RandomString, Redact, SelectUniqueValue,
//! SingleAppRoleAssignment, the SCIM app-role functions, and cross-tenant sync's AltSecIdFromNetId.

use super::Function;
use crate::expr::eval::{Abort, EvalError, Evaluator, Purpose};
use crate::expr::syntax::FunctionCall;
use crate::expr::value::Value;

/// RandomString's documented maximum length.
const RANDOM_STRING_MAX_LENGTH: i64 = 256;

/// The special characters of Windows' password complexity rules, which RandomString's documentation
/// refers to.
const SPECIAL_CHARACTERS: &str = "~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/";

pub(super) fn call(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Value, Abort> {
    use Function as F;
    match call.function {
        F::Guid => Ok(Value::String(ev.context.rng.guid())),
        F::RandomString => random_string(ev, call),
        // The value flows unchanged; the provisioning log shows `[Redact]` (Expression::uses_redact).
        F::Redact => ev.arg(call, 0),
        F::SelectUniqueValue => select_unique_value(ev, call),
        F::SingleAppRoleAssignment => {
            let value = ev.arg(call, 0)?;
            match value {
                Value::Multi(values) if values.len() > 1 => Err(Evaluator::fail(
                    call,
                    format!("the user has {} app role assignments; SingleAppRoleAssignment supports exactly one", values.len()),
                )),
                Value::Multi(mut values) => Ok(values.pop().unwrap_or(Value::Null)),
                other => Ok(other),
            }
        }
        F::AppRoleAssignments | F::AppRoleAssignmentsComplex | F::AssertiveAppRoleAssignmentsComplex => {
            Err(Abort::Error(EvalError::NotApplicable {
                function: call.function.name().to_string(),
                reason: "provisions app roles to SCIM applications; it does not apply to cross-tenant synchronization".into(),
            }))
        }
        F::AltSecIdFromNetId => {
            // The built-in matching expression: the source user's netId becomes the single value of the
            // target user's alternativeSecurityIds ("(1 values)" in the provisioning log).
            let value = ev.arg(call, 0)?;
            Ok(match Evaluator::single_string(call, "source", value)? {
                Some(net_id) if !net_id.trim().is_empty() => {
                    Value::Multi(vec![Value::String(net_id.trim().to_string())])
                }
                _ => Value::Null,
            })
        }
        other => unreachable!("{} is not a generator function", other.name()),
    }
}

/// SelectUniqueValue: the first rule whose value is not already in the target (compared ignoring case,
/// as directory uniqueness is); null rules are skipped; when every value exists, the entry is escrowed.
fn select_unique_value(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Value, Abort> {
    if ev.context.purpose == Purpose::CrossTenantMapping {
        return Err(Abort::Error(EvalError::NotApplicable {
            function: "SelectUniqueValue".into(),
            reason: "only supported for Workday to Active Directory, SuccessFactors to Active Directory and API-driven provisioning to on-premises Active Directory; it isn't supported for cross-tenant synchronization".into(),
        }));
    }
    let mut candidates = Vec::new();
    for index in 0..call.args.len() {
        let value = ev.arg(call, index)?;
        let Some(candidate) = Evaluator::single_string(call, "uniqueValueRule", value)? else {
            continue;
        };
        let exists = ev
            .context
            .existing_values
            .iter()
            .any(|existing| existing.to_lowercase() == candidate.to_lowercase());
        if !exists {
            return Ok(Value::String(candidate));
        }
        candidates.push(candidate);
    }
    if candidates.is_empty() {
        return Ok(Value::Null);
    }
    Err(Abort::Error(EvalError::NoUniqueValue { candidates }))
}

/// RandomString(Length, MinimumNumbers, MinimumSpecialCharacters, MinimumCapital, MinimumLowerCase,
/// CharactersToAvoid): the minimums first, the rest from every allowed character, shuffled.
fn random_string(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Value, Abort> {
    let mut numbers = [0i64; 5];
    let names = [
        "Length",
        "MinimumNumbers",
        "MinimumSpecialCharacters",
        "MinimumCapital",
        "MinimumLowerCase",
    ];
    for (index, name) in names.iter().enumerate() {
        let value = ev.arg(call, index)?;
        numbers[index] = Evaluator::integer(call, name, value)?
            .ok_or_else(|| Evaluator::fail(call, format!("{name} is null")))?;
        if numbers[index] < 0 {
            return Err(Evaluator::fail(
                call,
                format!("{name} {} is negative", numbers[index]),
            ));
        }
    }
    let avoid = ev.arg(call, 5)?;
    let avoid = Evaluator::single_string(call, "CharactersToAvoid", avoid)?.unwrap_or_default();
    let [length, min_numbers, min_special, min_capital, min_lower] = numbers;
    if !(1..=RANDOM_STRING_MAX_LENGTH).contains(&length) {
        return Err(Evaluator::fail(
            call,
            format!("Length {length} is invalid; it must be 1 to {RANDOM_STRING_MAX_LENGTH}"),
        ));
    }
    let minimum_total = min_numbers + min_special + min_capital + min_lower;
    if minimum_total > length {
        return Err(Evaluator::fail(
            call,
            format!("Length {length} is smaller than the sum of the minimums ({minimum_total})"),
        ));
    }
    let allowed =
        |set: &str| -> Vec<char> { set.chars().filter(|c| !avoid.contains(*c)).collect() };
    let classes = [
        ("MinimumNumbers", allowed("0123456789"), min_numbers),
        (
            "MinimumSpecialCharacters",
            allowed(SPECIAL_CHARACTERS),
            min_special,
        ),
        (
            "MinimumCapital",
            allowed("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            min_capital,
        ),
        (
            "MinimumLowerCase",
            allowed("abcdefghijklmnopqrstuvwxyz"),
            min_lower,
        ),
    ];
    let mut chosen: Vec<char> = Vec::with_capacity(length as usize);
    for (name, pool, minimum) in &classes {
        if *minimum > 0 && pool.is_empty() {
            return Err(Evaluator::fail(
                call,
                format!("{name} cannot be met: CharactersToAvoid excludes every such character"),
            ));
        }
        for _ in 0..*minimum {
            chosen.push(pool[ev.context.rng.below(pool.len() as u64) as usize]);
        }
    }
    let everything: Vec<char> = classes
        .iter()
        .flat_map(|(_, pool, _)| pool.iter().copied())
        .collect();
    if everything.is_empty() {
        return Err(Evaluator::fail(
            call,
            "CharactersToAvoid excludes every character",
        ));
    }
    while chosen.len() < length as usize {
        chosen.push(everything[ev.context.rng.below(everything.len() as u64) as usize]);
    }
    // Fisher-Yates, so the required characters are not always first.
    for i in (1..chosen.len()).rev() {
        let j = ev.context.rng.below(i as u64 + 1) as usize;
        chosen.swap(i, j);
    }
    Ok(Value::String(chosen.into_iter().collect()))
}
