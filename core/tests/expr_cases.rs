//! Data-driven expression tests: every case in `tests/expr/functions.cases` (the format is described at
//! the top of that file) is parsed, evaluated, and compared; all failures are reported together, each
//! with its name, expression, expectation and actual result. They run natively and in wasm32, so both
//! builds give the same results.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use ctsync_core::expr::{self, EvalContext, Outcome, Purpose, Value};
use ctsync_core::rng::SeededRng;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const CASES: &str = include_str!("expr/functions.cases");

#[derive(Debug, Default)]
struct Case {
    name: String,
    line: usize,
    expr: String,
    attrs: Option<String>,
    changed: Option<String>,
    existing: Option<String>,
    purpose: Option<String>,
    now: Option<String>,
    seed: Option<u64>,
    expect: Vec<(String, String)>,
}

fn read_cases(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut current: Option<Case> = None;
    let mut last_key = String::new();
    for (index, line) in text.lines().enumerate() {
        if let Some(name) = line.strip_prefix("## ") {
            cases.extend(current.take());
            current = Some(Case {
                name: name.trim().to_string(),
                line: index + 1,
                ..Case::default()
            });
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let case = current
            .as_mut()
            .unwrap_or_else(|| panic!("line {}: a case must start with '## name'", index + 1));
        if line.starts_with([' ', '\t']) {
            assert_eq!(
                last_key,
                "expr",
                "line {}: only expr: continues on indented lines",
                index + 1
            );
            case.expr.push('\n');
            case.expr.push_str(line);
            continue;
        }
        let (key, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("line {}: expected 'key: value'", index + 1));
        last_key = key.to_string();
        match key {
            "expr" => case.expr = value.to_string(),
            "attrs" => case.attrs = Some(value.to_string()),
            "changed" => case.changed = Some(value.to_string()),
            "existing" => case.existing = Some(value.to_string()),
            "purpose" => case.purpose = Some(value.to_string()),
            "now" => case.now = Some(value.to_string()),
            "seed" => case.seed = Some(value.parse().expect("seed is a number")),
            k if k.starts_with("expect") => case.expect.push((k.to_string(), value.to_string())),
            other => panic!("line {}: unknown key '{other}'", index + 1),
        }
    }
    cases.extend(current);
    cases
}

/// Runs one case; `Err` describes the mismatch.
fn run(case: &Case) -> Result<(), String> {
    let [(kind, expected)] = case.expect.as_slice() else {
        return Err("a case needs exactly one expect line".into());
    };
    let parsed = expr::parse(&case.expr);
    if kind == "expect-parse-error" {
        return match parsed {
            Err(e) if e.to_string().contains(expected.as_str()) => Ok(()),
            Err(e) => Err(format!("parse error was: {e}")),
            Ok(e) => Err(format!("parsed as {e}")),
        };
    }
    let expression = parsed.map_err(|e| format!("parse error: {e}"))?;
    let attrs: BTreeMap<String, Value> = match &case.attrs {
        None => BTreeMap::new(),
        Some(json) => {
            let json: BTreeMap<String, serde_json::Value> =
                serde_json::from_str(json).map_err(|e| format!("attrs: {e}"))?;
            json.into_iter()
                .map(|(k, v)| (k, Value::from_json(&v).expect("attribute value")))
                .collect()
        }
    };
    let changed: Option<BTreeSet<String>> = case
        .changed
        .as_ref()
        .map(|json| serde_json::from_str(json).expect("changed is a JSON array of names"));
    let existing: Vec<String> = case
        .existing
        .as_ref()
        .map(|json| serde_json::from_str(json).expect("existing is a JSON array of strings"))
        .unwrap_or_default();
    let now: DateTime<Utc> = case
        .now
        .as_deref()
        .unwrap_or("2026-01-05T08:00:00Z")
        .parse()
        .expect("now is RFC 3339");
    let mut rng = SeededRng::new(case.seed.unwrap_or(1));
    let mut context = EvalContext {
        now,
        rng: &mut rng,
        changed_attributes: changed.as_ref(),
        existing_values: &existing,
        purpose: match case.purpose.as_deref() {
            None => Purpose::TestExpression,
            Some("cross-tenant") => Purpose::CrossTenantMapping,
            Some(other) => return Err(format!("unknown purpose {other}")),
        },
    };
    let outcome = expr::evaluate(&expression, &attrs, &mut context);
    let shown = match &outcome {
        Ok(Outcome::Flow(v)) => format!("flows {}", v.to_json()),
        Ok(Outcome::DoNotFlow(reason)) => format!("does not flow: {reason}"),
        Ok(Outcome::WriteNull { reason }) => format!("writes null: {reason}"),
        Err(e) => format!("error: {e}"),
    };
    let ok = match (kind.as_str(), &outcome) {
        ("expect", Ok(Outcome::Flow(v))) => {
            let expected: serde_json::Value =
                serde_json::from_str(expected).map_err(|e| format!("expect is not JSON: {e}"))?;
            v.to_json() == expected
        }
        ("expect-match", Ok(Outcome::Flow(Value::String(s)))) => regex::Regex::new(expected)
            .map_err(|e| e.to_string())?
            .is_match(s),
        ("expect-no-flow", Ok(Outcome::DoNotFlow(reason))) => {
            reason.to_string().contains(expected.as_str())
        }
        ("expect-write-null", Ok(Outcome::WriteNull { reason })) => {
            reason.contains(expected.as_str())
        }
        ("expect-error", Err(e)) => e.to_string().contains(expected.as_str()),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(shown)
    }
}

#[test]
fn every_case_in_functions_cases() {
    let cases = read_cases(CASES);
    assert!(cases.len() > 200, "only {} cases were read", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(actual) = run(case) {
            let (kind, expected) = case.expect.first().cloned().unwrap_or_default();
            failures.push(format!(
                "line {} — {}\n    expr:     {}\n    {kind}: {expected}\n    actual:   {actual}",
                case.line, case.name, case.expr
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_function_has_a_case() {
    let cases = read_cases(CASES);
    for function in expr::Function::all() {
        let call = format!("{}(", function.name());
        assert!(
            cases.iter().any(|c| c.expr.contains(&call)),
            "no case calls {}",
            function.name()
        );
    }
}
