//! Conversion to and from Graph's `attributeMappingSource` JSON:
//! `{"expression", "name", "parameters": [{"key", "value"}], "type": "Attribute"|"Constant"|"Function"}`.
//!
//! As Entra stores them: every constant (numbers and hex literals included) is a `Constant` whose `name`
//! is the value and whose `expression` is the quoted value; arguments left empty are omitted from
//! `parameters`. Comparisons have no published Graph form; ctsync writes them as a `Function` named by
//! the operator with parameters `left` and `right`.

use std::fmt;

use serde_json::{json, Value as Json};

use super::functions::Function;
use super::parser::{check_call, has_nested_select_unique_value, MAX_NESTING_DEPTH};
use super::syntax::{
    write_quoted, Comparison, ComparisonOperator, Expression, FunctionCall, Literal, LiteralKind,
};

/// A Graph `attributeMappingSource` that does not describe a valid expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    /// Where in the JSON, e.g. `parameters[1].value.name`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for GraphError {}

pub(crate) fn to_graph(expression: &Expression) -> Json {
    match expression {
        Expression::Attribute(name) => json!({
            "expression": expression.to_string(),
            "name": name,
            "parameters": [],
            "type": "Attribute",
        }),
        Expression::Constant(literal) => {
            let mut quoted = String::new();
            // Writing to a String cannot fail.
            let _ = write_quoted(&mut quoted, &literal.value);
            json!({
                "expression": quoted,
                "name": literal.value,
                "parameters": [],
                "type": "Constant",
            })
        }
        Expression::Function(call) => {
            let count = call.args.len();
            let parameters: Vec<Json> = call
                .args
                .iter()
                .enumerate()
                .filter_map(|(index, arg)| {
                    arg.as_ref().map(|arg| {
                        json!({"key": call.function.key_at(index, count), "value": to_graph(arg)})
                    })
                })
                .collect();
            json!({
                "expression": expression.to_string(),
                "name": call.name,
                "parameters": parameters,
                "type": "Function",
            })
        }
        Expression::Comparison(comparison) => json!({
            "expression": expression.to_string(),
            "name": comparison.operator.symbol(),
            "parameters": [
                {"key": "left", "value": to_graph(&comparison.left)},
                {"key": "right", "value": to_graph(&comparison.right)},
            ],
            "type": "Function",
        }),
    }
}

pub(crate) fn from_graph(json: &Json) -> Result<Expression, GraphError> {
    let expression = read(json, "", 0)?;
    if has_nested_select_unique_value(&expression) {
        return Err(GraphError {
            path: String::new(),
            message: "SelectUniqueValue must be the outermost function of the expression; it cannot be nested".into(),
        });
    }
    if matches!(expression, Expression::Comparison(_)) {
        return Err(GraphError {
            path: String::new(),
            message: "a comparison can only be used as a function's argument".into(),
        });
    }
    Ok(expression)
}

fn error(path: &str, message: impl Into<String>) -> GraphError {
    GraphError {
        path: path.to_string(),
        message: message.into(),
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn read(json: &Json, path: &str, depth: usize) -> Result<Expression, GraphError> {
    if depth > MAX_NESTING_DEPTH {
        return Err(error(
            path,
            format!("function calls nest more than {MAX_NESTING_DEPTH} deep"),
        ));
    }
    let object = json
        .as_object()
        .ok_or_else(|| error(path, "expected an attributeMappingSource object"))?;
    let kind = object.get("type").and_then(Json::as_str).ok_or_else(|| {
        error(
            &join(path, "type"),
            "expected \"Attribute\", \"Constant\" or \"Function\"",
        )
    })?;
    let name = object
        .get("name")
        .and_then(Json::as_str)
        .ok_or_else(|| error(&join(path, "name"), "expected a string"))?;
    match kind {
        "Attribute" => {
            if name.trim().is_empty() || name.contains(['[', ']']) {
                return Err(error(
                    &join(path, "name"),
                    format!("'{name}' is not an attribute name"),
                ));
            }
            Ok(Expression::Attribute(name.trim().to_string()))
        }
        "Constant" => Ok(Expression::Constant(Literal {
            value: name.to_string(),
            kind: LiteralKind::String,
        })),
        "Function" => {
            let parameters = match object.get("parameters") {
                None | Some(Json::Null) => Vec::new(),
                Some(Json::Array(items)) => items.clone(),
                Some(_) => return Err(error(&join(path, "parameters"), "expected an array")),
            };
            let mut read_parameters = Vec::with_capacity(parameters.len());
            for (index, parameter) in parameters.iter().enumerate() {
                let parameter_path = join(path, &format!("parameters[{index}]"));
                let key = parameter
                    .get("key")
                    .and_then(Json::as_str)
                    .ok_or_else(|| error(&join(&parameter_path, "key"), "expected a string"))?;
                let value = parameter
                    .get("value")
                    .ok_or_else(|| error(&join(&parameter_path, "value"), "missing"))?;
                let value = read(value, &join(&parameter_path, "value"), depth + 1)?;
                read_parameters.push((key.to_string(), value, parameter_path));
            }
            if let Some(operator) = ComparisonOperator::from_symbol(name) {
                return read_comparison(operator, read_parameters, path);
            }
            let function = Function::from_name(name)
                .ok_or_else(|| error(&join(path, "name"), format!("unknown function '{name}'")))?;
            let args = place_arguments(function, read_parameters, path)?;
            let call = FunctionCall {
                function,
                name: name.to_string(),
                args,
            };
            check_call(&call, 0, &[]).map_err(|e| error(path, e.message))?;
            Ok(Expression::Function(call))
        }
        other => Err(error(
            &join(path, "type"),
            format!("'{other}' is not Attribute, Constant or Function"),
        )),
    }
}

fn read_comparison(
    operator: ComparisonOperator,
    parameters: Vec<(String, Expression, String)>,
    path: &str,
) -> Result<Expression, GraphError> {
    let mut left = None;
    let mut right = None;
    for (key, value, parameter_path) in parameters {
        if matches!(value, Expression::Comparison(_)) {
            return Err(error(&parameter_path, "comparisons cannot be nested"));
        }
        match key.as_str() {
            "left" if left.is_none() => left = Some(value),
            "right" if right.is_none() => right = Some(value),
            _ => {
                return Err(error(
                    &join(&parameter_path, "key"),
                    format!("unexpected key '{key}'; a comparison has left and right"),
                ))
            }
        }
    }
    match (left, right) {
        (Some(left), Some(right)) => Ok(Expression::Comparison(Box::new(Comparison {
            left,
            operator,
            right,
        }))),
        _ => Err(error(
            path,
            "a comparison needs a left and a right parameter",
        )),
    }
}

/// Puts each keyed parameter at its position in the signature. A repeating key fills consecutive
/// positions; empty positions stay `None`. Replace gets all seven slots, as Microsoft writes it.
fn place_arguments(
    function: Function,
    parameters: Vec<(String, Expression, String)>,
    path: &str,
) -> Result<Vec<Option<Expression>>, GraphError> {
    let signature = function.signature();
    let keys = signature.keys;
    let mut args: Vec<Option<Expression>> = Vec::new();
    let repeating_from = if signature.repeats {
        Some(keys.len() - 1)
    } else {
        None
    };
    let mut next_repeat = repeating_from.unwrap_or(usize::MAX);
    for (key, value, parameter_path) in parameters {
        let position = match keys.iter().position(|k| *k == key) {
            Some(position) if Some(position) == repeating_from => {
                next_repeat = next_repeat.max(position);
                let at = next_repeat;
                next_repeat += 1;
                at
            }
            Some(position) => position,
            None => {
                return Err(error(
                    &join(&parameter_path, "key"),
                    format!(
                        "{} has no parameter '{key}' (expected one of {})",
                        function.name(),
                        keys.join(", ")
                    ),
                ))
            }
        };
        if args.len() <= position {
            args.resize(position + 1, None);
        }
        if args[position].is_some() {
            return Err(error(
                &join(&parameter_path, "key"),
                format!("parameter '{key}' is given twice"),
            ));
        }
        args[position] = Some(value);
    }
    if signature.all_slots && args.len() < keys.len() {
        args.resize(keys.len(), None);
    }
    if args.is_empty() && signature.min_args > 0 {
        return Err(error(path, format!("{} needs parameters", function.name())));
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    // The same tests run natively and, under wasm-bindgen-test-runner, in wasm32.
    use super::*;
    use crate::expr::parse;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The form a Graph round trip keeps: constants as strings, FormatDateTime's four-slot form.
    fn graph_normal_form(expression: &Expression) -> Expression {
        match expression {
            Expression::Constant(literal) => Expression::string(literal.value.clone()),
            Expression::Attribute(_) => expression.clone(),
            Expression::Comparison(c) => Expression::Comparison(Box::new(Comparison {
                left: graph_normal_form(&c.left),
                operator: c.operator,
                right: graph_normal_form(&c.right),
            })),
            Expression::Function(call) => {
                let mut args: Vec<Option<Expression>> = call
                    .args
                    .iter()
                    .map(|a| a.as_ref().map(graph_normal_form))
                    .collect();
                if call.function == Function::FormatDateTime && args.len() == 3 {
                    args.insert(1, None);
                }
                let signature = call.function.signature();
                if !signature.all_slots {
                    while args.len() > 1 && args.last().is_some_and(Option::is_none) {
                        args.pop();
                    }
                }
                Expression::Function(FunctionCall {
                    function: call.function,
                    name: call.name.clone(),
                    args,
                })
            }
        }
    }

    #[test]
    fn graph_parse_expression_sample_matches() {
        // Graph docs, synchronizationSchema: parseExpression (graph-samples/parse-expression.json).
        let sample: Json = serde_json::from_str(include_str!(
            "../../tests/expr/parse-expression-response.json"
        ))
        .unwrap();
        let parsed = parse("Replace([preferredLanguage], \"-\", , , \"_\", ,  )").unwrap();
        assert_eq!(parsed.to_graph(), sample);
        assert_eq!(Expression::from_graph(&sample).unwrap(), parsed);
    }

    #[test]
    fn round_trips_keep_meaning() {
        for text in [
            "Mid([userPrincipalName], 1, 8)",
            "Switch([Active], , \"1\", IIF(DateDiff(\"d\", Now(), CDate([StatusHireDate])) > 5, \"False\", \"True\"), \"0\", \"False\")",
            "FormatDateTime([x], \"yyyyMMdd\", \"yyyy-MM-dd\")",
            "Join(\", \", [a], [b])",
            "BitAnd(&HF, &HF7)",
            "InStr(\"repEated\", \"e\", 3, vbBinaryCompare)",
            "AltSecidFromNetid([netId])",
            "Coalesce([mail], [userPrincipalName], \"\")",
        ] {
            let parsed = parse(text).unwrap();
            let back = Expression::from_graph(&parsed.to_graph()).unwrap();
            assert_eq!(back, graph_normal_form(&parsed), "{text}");
        }
    }

    #[test]
    fn bad_graph_json_is_reported_with_its_path() {
        let bad = json!({"type": "Function", "name": "Append", "parameters": [
            {"key": "source", "value": {"type": "Attribute", "name": "givenName"}},
            {"key": "prefix", "value": {"type": "Constant", "name": "x"}}
        ]});
        let e = Expression::from_graph(&bad).unwrap_err();
        assert_eq!(e.path, "parameters[1].key");
        assert!(
            e.message.contains("Append has no parameter 'prefix'"),
            "{e}"
        );
        let e = Expression::from_graph(&json!({"type": "Function", "name": "iif"})).unwrap_err();
        assert_eq!(e.to_string(), "name: unknown function 'iif'");
    }
}
