//! Property and API tests of the expression language: the parser never panics, printing and parsing give
//! the same tree, a Graph round trip keeps the meaning, evaluation never panics, and the limits hold.
//! Native only: proptest does not build for wasm32.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use ctsync_core::expr::{
    self, parse, ComparisonOperator, EvalContext, Expression, Function, FunctionCall, Literal,
    LiteralKind, Outcome, Purpose, Value, MAX_EXPRESSION_CHARS, MAX_NESTING_DEPTH,
};
use ctsync_core::rng::SeededRng;
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    "2026-01-05T08:00:00Z".parse().unwrap()
}

fn eval_with(expression: &Expression, attrs: &BTreeMap<String, Value>, seed: u64) -> String {
    let mut rng = SeededRng::new(seed);
    let mut context = EvalContext {
        now: now(),
        rng: &mut rng,
        changed_attributes: None,
        existing_values: &[],
        purpose: Purpose::TestExpression,
    };
    format!("{:?}", expr::evaluate(expression, attrs, &mut context))
}

fn leaf() -> impl Strategy<Value = Expression> {
    prop_oneof![
        "[a-zA-Z][a-zA-Z0-9_.]{0,8}".prop_map(Expression::Attribute),
        "\\PC{0,8}".prop_map(Expression::string),
        "-?[0-9]{1,4}".prop_map(|value| Expression::Constant(Literal {
            value,
            kind: LiteralKind::Number
        })),
        "&H[0-9A-F]{1,4}".prop_map(|value| Expression::Constant(Literal {
            value,
            kind: LiteralKind::Hex
        })),
        prop_oneof![Just("vbTextCompare"), Just("vbBinaryCompare")].prop_map(|name| {
            Expression::Constant(Literal {
                value: name.to_string(),
                kind: LiteralKind::VbName,
            })
        }),
    ]
}

fn call(function: Function, args: Vec<Option<Expression>>) -> Expression {
    Expression::Function(FunctionCall {
        function,
        name: function.name().to_string(),
        args,
    })
}

fn operator() -> impl Strategy<Value = ComparisonOperator> {
    prop_oneof![
        Just(ComparisonOperator::Equal),
        Just(ComparisonOperator::NotEqual),
        Just(ComparisonOperator::Greater),
        Just(ComparisonOperator::GreaterOrEqual),
        Just(ComparisonOperator::Less),
        Just(ComparisonOperator::LessOrEqual),
    ]
}

/// Valid expressions: calls with argument counts their signatures accept.
fn expression() -> impl Strategy<Value = Expression> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        let some = |e: Expression| Some(e);
        prop_oneof![
            (inner.clone(), inner.clone())
                .prop_map(move |(a, b)| call(Function::Append, vec![some(a), some(b)])),
            (inner.clone(), prop::collection::vec(inner.clone(), 1..4)).prop_map(|(sep, rest)| {
                let mut args = vec![Some(sep)];
                args.extend(rest.into_iter().map(Some));
                call(Function::Join, args)
            }),
            prop::collection::vec(inner.clone(), 1..4)
                .prop_map(|args| call(Function::Coalesce, args.into_iter().map(Some).collect())),
            (
                inner.clone(),
                operator(),
                inner.clone(),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(l, op, r, t, f)| {
                    let condition =
                        Expression::Comparison(Box::new(ctsync_core::expr::Comparison {
                            left: l,
                            operator: op,
                            right: r,
                        }));
                    call(Function::IIF, vec![Some(condition), Some(t), Some(f)])
                }),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(s, a, b)| call(Function::Mid, vec![Some(s), Some(a), Some(b)])),
            (
                inner.clone(),
                prop::option::of(inner.clone()),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(s, d, k, v)| call(
                    Function::Switch,
                    vec![Some(s), d, Some(k), Some(v)]
                )),
            (
                inner.clone(),
                prop::option::of(inner.clone()),
                prop::option::of(inner.clone())
            )
                .prop_map(|(a, b, c)| call(Function::InStr, vec![Some(a.clone()), Some(a), b, c])),
            inner
                .clone()
                .prop_map(|a| call(Function::ToLower, vec![Some(a)])),
            inner
                .clone()
                .prop_map(|a| call(Function::IsPresent, vec![Some(a)])),
            inner
                .clone()
                .prop_map(|a| call(Function::NormalizeDiacritics, vec![Some(a)])),
            (inner.clone(), "\\PC{1,6}", inner.clone()).prop_map(|(s, find, r)| call(
                Function::Replace,
                vec![
                    Some(s),
                    Some(Expression::string(find)),
                    None,
                    None,
                    Some(r),
                    None,
                    None
                ]
            )),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(s, i, o)| call(
                Function::FormatDateTime,
                vec![Some(s), None, Some(i), Some(o)]
            )),
            Just(call(Function::Now, vec![])),
            Just(call(Function::Guid, vec![])),
        ]
    })
}

fn attributes() -> impl Strategy<Value = BTreeMap<String, Value>> {
    let value = prop_oneof![
        "\\PC{0,8}".prop_map(Value::String),
        any::<i64>().prop_map(Value::Number),
        any::<bool>().prop_map(Value::Boolean),
        prop::collection::vec("\\PC{0,4}".prop_map(Value::String), 0..3).prop_map(Value::Multi),
    ];
    prop::collection::btree_map("[a-zA-Z][a-zA-Z0-9_.]{0,8}", value, 0..6)
}

/// The Graph form without its `expression` strings, which echo the text as written.
fn without_expression_text(mut json: serde_json::Value) -> serde_json::Value {
    if let Some(object) = json.as_object_mut() {
        object.remove("expression");
        if let Some(serde_json::Value::Array(parameters)) = object.get_mut("parameters") {
            for parameter in parameters {
                if let Some(value) = parameter.get_mut("value") {
                    *value = without_expression_text(value.take());
                }
            }
        }
    }
    json
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parser_never_panics_on_any_text(text in "\\PC{0,300}") {
        let _ = parse(&text);
    }

    #[test]
    fn parser_never_panics_on_expression_like_text(text in "[\\[\\]\"(),=<>&Hh A-Za-z0-9_\\\\.-]{0,300}") {
        let _ = parse(&text);
    }

    #[test]
    fn printing_then_parsing_gives_the_same_tree(expression in expression()) {
        let printed = expression.to_string();
        prop_assert_eq!(parse(&printed), Ok(expression), "printed: {}", printed);
    }

    #[test]
    fn graph_round_trip_keeps_structure_and_meaning(expression in expression(), attrs in attributes(), seed in any::<u64>()) {
        let graph = expression.to_graph();
        let back = Expression::from_graph(&graph).expect("a valid expression's Graph form reads back");
        prop_assert_eq!(without_expression_text(back.to_graph()), without_expression_text(graph));
        prop_assert_eq!(eval_with(&back, &attrs, seed), eval_with(&expression, &attrs, seed));
    }

    #[test]
    fn evaluation_never_panics(expression in expression(), attrs in attributes(), seed in any::<u64>()) {
        let _ = eval_with(&expression, &attrs, seed);
    }
}

#[test]
fn nesting_is_bounded_with_a_clear_error() {
    let nest = |depth: usize| format!("{}[a]{}", "ToLower(".repeat(depth), ")".repeat(depth));
    assert!(parse(&nest(MAX_NESTING_DEPTH)).is_ok());
    let error = parse(&nest(MAX_NESTING_DEPTH + 1)).unwrap_err();
    assert_eq!(
        error.message,
        format!("function calls nest more than {MAX_NESTING_DEPTH} deep")
    );
    assert_eq!(error.position, MAX_NESTING_DEPTH * "ToLower(".len());
    // Far deeper input (within the length limit) fails the same way instead of overflowing the stack.
    assert!(parse(&"Not(".repeat(2400)).is_err());
}

#[test]
fn the_10000_character_limit_is_enforced() {
    let padding = MAX_EXPRESSION_CHARS - "Append([a], \"\")".len();
    let at_limit = format!("Append([a], \"{}\")", "x".repeat(padding));
    assert_eq!(at_limit.chars().count(), MAX_EXPRESSION_CHARS);
    assert!(parse(&at_limit).is_ok());
    let over = format!("Append([a], \"{}\")", "é".repeat(padding + 1));
    let error = parse(&over).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the expression is 10001 characters long; Entra allows at most 10000 at 10000"
    );
}

#[test]
fn parse_errors_display_message_and_zero_based_position() {
    let error = parse("Join(\" \", [givenName] [surname])").unwrap_err();
    assert_eq!(error.to_string(), "expected ',' or ')', found '[' at 22");
    assert_eq!(error.position, 22);
    let error = parse("").unwrap_err();
    assert_eq!(error.position, 0);
    assert!(parse("Append([], \"x\")")
        .unwrap_err()
        .message
        .contains("empty attribute reference"));
    assert_eq!(
        parse("BitAnd(&HG, 1)").unwrap_err().to_string(),
        "expected hex digits after '&H' at 9"
    );
}

#[test]
fn canonical_printing_matches_entra_echo() {
    // Graph parseExpression echoes `Replace([preferredLanguage], "-", , , "_", , )` for the request's
    // `Replace([preferredLanguage], "-", , , "_", ,  )`.
    let parsed = parse("Replace([preferredLanguage], \"-\", , , \"_\", ,  )").unwrap();
    assert_eq!(
        parsed.to_string(),
        "Replace([preferredLanguage], \"-\", , , \"_\", , )"
    );
    let parsed = parse("IIF([country]=\"USA\",[country],[department])").unwrap();
    assert_eq!(
        parsed.to_string(),
        "IIF([country] = \"USA\", [country], [department])"
    );
    let parsed = parse("BitAnd(&HF, &HF7)").unwrap();
    assert_eq!(parsed.to_string(), "BitAnd(&HF, &HF7)");
    let parsed = parse("Append(\"a\\\"b\\\\c\", \"\")").unwrap();
    assert_eq!(parsed.to_string(), "Append(\"a\\\"b\\\\c\", \"\")");
}

#[test]
fn referenced_attributes_and_redact_are_found_anywhere() {
    let e =
        parse("Join(\" \", [givenName], IIF([country] = \"NL\", Redact([surname]), [surname]))")
            .unwrap();
    let names: BTreeSet<String> = ["country", "givenName", "surname"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(e.referenced_attributes(), names);
    assert!(e.uses_redact());
    assert!(!parse("[mail]").unwrap().uses_redact());
}

#[test]
fn guid_and_random_string_are_reproducible_per_seed() {
    let attrs = BTreeMap::new();
    let guid = parse("Guid()").unwrap();
    assert_eq!(eval_with(&guid, &attrs, 7), eval_with(&guid, &attrs, 7));
    assert_ne!(eval_with(&guid, &attrs, 7), eval_with(&guid, &attrs, 8));
    let random = parse("RandomString(10,2,2,2,1,\"?,\")").unwrap();
    for seed in 0..200 {
        let mut rng = SeededRng::new(seed);
        let mut context = EvalContext {
            now: now(),
            rng: &mut rng,
            changed_attributes: None,
            existing_values: &[],
            purpose: Purpose::TestExpression,
        };
        let Ok(Outcome::Flow(Value::String(s))) = expr::evaluate(&random, &attrs, &mut context)
        else {
            panic!("RandomString flows a string");
        };
        let count = |f: fn(&char) -> bool| s.chars().filter(f).count();
        assert_eq!(s.chars().count(), 10, "{s}");
        assert!(count(char::is_ascii_digit) >= 2, "{s}");
        assert!(count(char::is_ascii_uppercase) >= 2, "{s}");
        assert!(count(char::is_ascii_lowercase) >= 1, "{s}");
        assert!(count(|c| c.is_ascii_punctuation()) >= 2, "{s}");
        assert!(!s.contains(['?', ',']), "{s}");
    }
}

#[test]
fn values_render_as_entra_writes_them() {
    let date: DateTime<Utc> = "2020-03-16T07:00:00Z".parse().unwrap();
    assert_eq!(
        Value::Date(date).to_entra_string().as_deref(),
        Some("3/16/2020 7:00:00 AM")
    );
    assert_eq!(
        Value::Boolean(true).to_entra_string().as_deref(),
        Some("True")
    );
    assert_eq!(Value::Number(-7).to_json(), serde_json::json!(-7));
    assert_eq!(
        Value::from(vec!["a", "b"]).to_json(),
        serde_json::json!(["a", "b"])
    );
    assert_eq!(Value::from(vec!["a", "b"]).log_display(), "(2 values)");
    assert_eq!(
        Value::from(vec!["a", "b"]).entra_values(),
        vec!["a".to_string(), "b".to_string()]
    );
    assert_eq!(Value::Null.to_json(), serde_json::Value::Null);
    assert_eq!(
        Value::from_json(&serde_json::json!(["x", 1, true, null])).unwrap(),
        Value::Multi(vec![
            Value::from("x"),
            Value::Number(1),
            Value::Boolean(true),
            Value::Null
        ])
    );
    assert!(Value::from_json(&serde_json::json!({"a": 1})).is_err());
    assert!(Value::from_json(&serde_json::json!([["nested"]])).is_err());
}

#[test]
fn outcome_reasons_read_as_log_sentences() {
    let mut rng = SeededRng::new(1);
    let changed: BTreeSet<String> = ["displayName".to_string()].into();
    let mut context = EvalContext {
        now: now(),
        rng: &mut rng,
        changed_attributes: Some(&changed),
        existing_values: &[],
        purpose: Purpose::CrossTenantMapping,
    };
    let attrs: BTreeMap<String, Value> =
        [("companyName".to_string(), Value::from("Company A"))].into();
    let quirk =
        parse("Switch([companyName], \"External\", \"Company A\", \"A\", \"Company B\", \"B\")")
            .unwrap();
    let Ok(Outcome::WriteNull { reason }) = expr::evaluate(&quirk, &attrs, &mut context) else {
        panic!("the Switch quirk writes null");
    };
    assert_eq!(
        reason,
        "Switch on [companyName] evaluated to null because [companyName] did not change in this update (documented cross-tenant sync behaviour; use IIF instead of Switch to avoid it)"
    );
    let Ok(Outcome::DoNotFlow(reason)) =
        expr::evaluate(&parse("[mail]").unwrap(), &attrs, &mut context)
    else {
        panic!("null does not flow");
    };
    assert_eq!(
        reason.to_string(),
        "the expression evaluated to null, and null values are not provisioned"
    );
}
