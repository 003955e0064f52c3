//! Scoping filters: Entra's fourteen operators with their case and null rules, evaluated per
//! clause so the log can show each clause and its result as Entra does
//! (`Marketing department filter.department EQUALS 'Marketing'` → true).

use regex::Regex;

use crate::engine::attrs::{AttrId, AttrNames, AttrValue};
use crate::scenario::{FilterOperator, ScopingFilter};

/// The title and clause of the filter every cross-tenant sync job has built in: it keeps external
/// users (and users with SMS sign-in) out of scope.
pub const BUILT_IN_FILTER_TITLE: &str = "Filter external users";

/// Compiles a scoping-filter regular expression. Patterns are .NET's, unanchored and case
/// sensitive as `Regex.IsMatch` reads them; constructs the `regex` crate would read differently
/// (lookaround, backreferences, class subtraction) are refused with the construct named, and size
/// limits keep a hostile pattern from exhausting memory.
pub fn compile_regex(pattern: &str) -> Result<Regex, String> {
    crate::expr::regex_net::compile_for_match(pattern)
}

/// A clause ready to evaluate: attribute interned, regexes compiled, integers parsed.
#[derive(Debug, Clone)]
pub struct CompiledClause {
    pub attr: AttrId,
    pub attr_name: String,
    pub op: FilterOperator,
    pub values: Vec<String>,
    regexes: Vec<Regex>,
}

/// A scoping filter ready to evaluate.
#[derive(Debug, Clone)]
pub struct CompiledFilter {
    pub name: String,
    pub clauses: Vec<CompiledClause>,
}

impl CompiledClause {
    pub fn new(names: &mut AttrNames, attr: &str, op: FilterOperator, values: Vec<String>) -> Self {
        let regexes = if matches!(
            op,
            FilterOperator::RegexMatch | FilterOperator::NotRegexMatch
        ) {
            // Validation refused bad patterns; one that still fails (it cannot) would never match.
            values
                .iter()
                .filter_map(|v| compile_regex(v).ok())
                .collect()
        } else {
            Vec::new()
        };
        CompiledClause {
            attr: names.intern(attr),
            attr_name: attr.to_string(),
            op,
            values,
            regexes,
        }
    }

    /// The clause as the provisioning log prints it, prefixed with its filter's title.
    pub fn log_text(&self, filter_title: &str) -> String {
        if self.op.is_unary() {
            format!("{filter_title}.{} {}", self.attr_name, self.op.entra_name())
        } else {
            format!(
                "{filter_title}.{} {} '{}'",
                self.attr_name,
                self.op.entra_name(),
                self.values.join("','")
            )
        }
    }

    /// Evaluates the clause against one attribute value (`None` = the attribute is absent).
    pub fn evaluate(&self, value: Option<&AttrValue>) -> bool {
        evaluate_operator(self.op, value, &self.values, &self.regexes)
    }
}

impl CompiledFilter {
    pub fn compile(names: &mut AttrNames, filter: &ScopingFilter) -> CompiledFilter {
        CompiledFilter {
            name: filter.name.clone(),
            clauses: filter
                .clauses
                .iter()
                .map(|c| {
                    CompiledClause::new(
                        names,
                        &c.source_operand_name,
                        c.operator_name,
                        c.target_operand.values.clone(),
                    )
                })
                .collect(),
        }
    }
}

/// The documented rules, operator by operator:
/// - value-comparing operators are false when the attribute is null or empty ("Scoping filters
///   will return false if the value is null / empty"), including NOT EQUALS and NOT REGEX MATCH;
/// - EQUALS, NOT EQUALS, REGEX MATCH, Includes and ENDS_WITH are case sensitive;
/// - Greater_Than(_OR_EQUALS) compare integers and are false when either side is not one;
/// - multi-valued attributes are not supported for filtering: every operator but IS NULL / IS NOT
///   NULL evaluates to false on them;
/// - several target values: the positive operators hold if any value holds, the negative ones
///   if no value is matched.
fn evaluate_operator(
    op: FilterOperator,
    value: Option<&AttrValue>,
    targets: &[String],
    regexes: &[Regex],
) -> bool {
    let text: Option<String> = match value {
        None => None,
        Some(AttrValue::Str(s)) if s.is_empty() => None,
        Some(AttrValue::List(items)) if items.is_empty() => None,
        Some(v) => Some(v.to_string()),
    };
    let is_list = matches!(value, Some(AttrValue::List(items)) if !items.is_empty());
    match op {
        FilterOperator::IsNull => return text.is_none(),
        FilterOperator::IsNotNull => return text.is_some(),
        _ => {}
    }
    let Some(text) = text else { return false };
    if is_list {
        return false;
    }
    match op {
        FilterOperator::IsNull | FilterOperator::IsNotNull => unreachable!("handled above"),
        FilterOperator::IsTrue => value.and_then(AttrValue::as_bool) == Some(true),
        FilterOperator::IsFalse => value.and_then(AttrValue::as_bool) == Some(false),
        FilterOperator::Equals => targets.contains(&text),
        FilterOperator::NotEquals => targets.iter().all(|t| *t != text),
        FilterOperator::RegexMatch => regexes.iter().any(|r| r.is_match(&text)),
        FilterOperator::NotRegexMatch => !regexes.iter().any(|r| r.is_match(&text)),
        FilterOperator::GreaterThan | FilterOperator::GreaterThanOrEquals => {
            let Ok(left) = text.trim().parse::<i64>() else {
                return false;
            };
            targets.iter().any(|t| match t.trim().parse::<i64>() {
                Ok(right) if op == FilterOperator::GreaterThan => left > right,
                Ok(right) => left >= right,
                Err(_) => false,
            })
        }
        FilterOperator::Includes => targets.iter().any(|t| text.contains(t.as_str())),
        FilterOperator::EndsWith => targets.iter().any(|t| text.ends_with(t.as_str())),
        FilterOperator::Ampersand => targets.iter().any(|t| t.contains(text.as_str())),
        FilterOperator::NotAmpersand => targets.iter().all(|t| !t.contains(text.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(op: FilterOperator, value: Option<&str>, target: &str) -> bool {
        let mut names = AttrNames::default();
        let clause = CompiledClause::new(&mut names, "department", op, vec![target.to_string()]);
        clause.evaluate(value.map(AttrValue::str).as_ref())
    }

    use FilterOperator::*;

    /// Each row: operator, attribute value (None = absent), target value, expected result, and the
    /// rule it demonstrates (semantics §1.2–1.3).
    const TABLE: &[(FilterOperator, Option<&str>, &str, bool, &str)] = &[
        (Equals, Some("Marketing"), "Marketing", true, "EQUALS exact"),
        (
            Equals,
            Some("marketing"),
            "Marketing",
            false,
            "EQUALS is case sensitive",
        ),
        (Equals, None, "Marketing", false, "null is false"),
        (
            Equals,
            Some(""),
            "",
            false,
            "empty is false, even against an empty value",
        ),
        (NotEquals, Some("Sales"), "Marketing", true, "NOT EQUALS"),
        (
            NotEquals,
            Some("Marketing"),
            "Marketing",
            false,
            "NOT EQUALS equal",
        ),
        (
            NotEquals,
            None,
            "Marketing",
            false,
            "NOT EQUALS on null is false",
        ),
        (IsTrue, Some("True"), "", true, "IS TRUE"),
        (IsTrue, Some("False"), "", false, "IS TRUE on false"),
        (IsFalse, Some("false"), "", true, "IS FALSE"),
        (IsTrue, None, "", false, "IS TRUE on null"),
        (IsNull, None, "", true, "IS NULL absent"),
        (IsNull, Some(""), "", true, "IS NULL empty"),
        (IsNull, Some("x"), "", false, "IS NULL with value"),
        (IsNotNull, Some("x"), "", true, "IS NOT NULL"),
        (IsNotNull, None, "", false, "IS NOT NULL absent"),
        (
            RegexMatch,
            Some("12"),
            "([1-9][0-9])",
            true,
            "doc example 10..99",
        ),
        (
            RegexMatch,
            Some("123"),
            "([1-9][0-9])",
            true,
            "unanchored: 123 matches too",
        ),
        (RegexMatch, Some("7"), "([1-9][0-9])", false, "one digit"),
        (
            RegexMatch,
            Some("a@domain.com"),
            ".*\\@domain.com",
            true,
            "doc common filter",
        ),
        (
            RegexMatch,
            Some("SALES"),
            "sales",
            false,
            "regex case sensitive",
        ),
        (
            NotRegexMatch,
            Some("a@other.com"),
            ".*\\@domain.com",
            true,
            "NOT REGEX MATCH",
        ),
        (
            NotRegexMatch,
            None,
            ".*",
            false,
            "NOT REGEX MATCH on null is false",
        ),
        (GreaterThan, Some("10"), "9", true, "Greater_Than integers"),
        (GreaterThan, Some("9"), "9", false, "Greater_Than strict"),
        (
            GreaterThanOrEquals,
            Some("9"),
            "9",
            true,
            "Greater_Than_OR_EQUALS",
        ),
        (GreaterThan, Some("10"), "nine", false, "non-integer value"),
        (
            GreaterThan,
            Some("ten"),
            "9",
            false,
            "non-integer attribute",
        ),
        (Includes, Some("Marketing EMEA"), "EMEA", true, "Includes"),
        (
            Includes,
            Some("Marketing EMEA"),
            "emea",
            false,
            "Includes case sensitive",
        ),
        (
            EndsWith,
            Some("adele@contoso.com"),
            "@contoso.com",
            true,
            "ENDS_WITH",
        ),
        (
            EndsWith,
            Some("adele@contoso.com"),
            "@CONTOSO.COM",
            false,
            "ENDS_WITH case sensitive",
        ),
        (
            Ampersand,
            Some("Sales"),
            "Sales,Marketing",
            true,
            "& value contains attribute",
        ),
        (
            Ampersand,
            Some("HR"),
            "Sales,Marketing",
            false,
            "& not contained",
        ),
        (NotAmpersand, Some("HR"), "Sales,Marketing", true, "!&"),
        (NotAmpersand, None, "Sales", false, "!& on null is false"),
    ];

    #[test]
    fn operator_table() {
        for (op, value, target, expected, rule) in TABLE {
            assert_eq!(
                eval(*op, *value, target),
                *expected,
                "{} {:?} '{}' — {}",
                op.entra_name(),
                value,
                target,
                rule
            );
        }
    }

    #[test]
    fn every_operator_has_a_row() {
        for op in FilterOperator::ALL {
            assert!(
                TABLE.iter().any(|row| row.0 == op),
                "{} untested",
                op.entra_name()
            );
        }
    }

    #[test]
    fn multi_valued_attributes_do_not_filter() {
        let mut names = AttrNames::default();
        let clause = CompiledClause::new(&mut names, "proxyAddresses", Includes, vec!["x".into()]);
        let list = AttrValue::List(vec![std::sync::Arc::from("smtp:x@y")].into());
        assert!(!clause.evaluate(Some(&list)));
        let not_null = CompiledClause::new(&mut names, "proxyAddresses", IsNotNull, vec![]);
        assert!(not_null.evaluate(Some(&list)));
    }

    #[test]
    fn log_text_matches_entra() {
        let mut names = AttrNames::default();
        let clause =
            CompiledClause::new(&mut names, "department", Equals, vec!["Marketing".into()]);
        assert_eq!(
            clause.log_text("Marketing department filter"),
            "Marketing department filter.department EQUALS 'Marketing'"
        );
        let unary = CompiledClause::new(&mut names, "dirSyncEnabled", IsTrue, vec![]);
        assert_eq!(
            unary.log_text("On-prem Owned Users"),
            "On-prem Owned Users.dirSyncEnabled IS TRUE"
        );
    }

    #[test]
    fn bad_regex_is_an_error_not_a_panic() {
        let err = compile_regex("(1[0-9").unwrap_err();
        assert!(err.contains("unterminated character class"), "{err}");
        let err = compile_regex("^(?!admin).*").unwrap_err();
        assert!(
            err.contains("negative lookahead (?!…) is not supported"),
            "{err}"
        );
    }
}
