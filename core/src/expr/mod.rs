//! Entra's attribute-mapping expression language: parsing, printing, Graph JSON and evaluation.
//!
//! The language is the one admins type into an "Expression" attribute mapping
//! (`Join(" ", [givenName], [surname])`, `Switch([country], "Other", "US", "United States")`, ...).
//! This module reproduces it the way Entra's provisioning engine reads it, quirks included:
//!
//! - null values never flow ([`Outcome::DoNotFlow`]), empty strings do;
//! - `IgnoreFlowIfNullOrEmpty` drops the attribute from the flow;
//! - an `IIF` whose condition reads a null or empty attribute fails and the attribute does not flow;
//! - on an update where a `Switch`'s own source attribute did not change, the `Switch` evaluates to null
//!   and that null is written ([`Outcome::WriteNull`]), the documented cross-tenant sync quirk.
//!
//! Positions in [`ParseError`] are 0-based character offsets (Unicode scalar values) into the text.
//! Everything here is pure: `Now()` reads [`EvalContext::now`], `Guid()` and `RandomString()` draw from
//! [`EvalContext::rng`].

mod datetime;
mod eval;
mod functions;
mod graph;
mod parser;
pub(crate) mod regex_net;
mod syntax;
mod text;
mod value;

use std::collections::BTreeSet;

pub use eval::{evaluate, EvalContext, EvalError, NoFlowReason, Outcome, Purpose};
pub use functions::Function;
pub use graph::GraphError;
pub use parser::{ParseError, MAX_EXPRESSION_CHARS, MAX_NESTING_DEPTH};
pub use syntax::{Comparison, ComparisonOperator, Expression, FunctionCall, Literal, LiteralKind};
pub use value::{Attributes, Value};

/// Parses an expression as the Entra admin center does when a mapping is saved or tested.
///
/// Function names are case-sensitive, argument counts are checked against each function's signature,
/// constant regular expressions are checked for constructs ctsync cannot reproduce, and the text may be
/// at most [`MAX_EXPRESSION_CHARS`] characters long with at most [`MAX_NESTING_DEPTH`] nested calls.
pub fn parse(text: &str) -> Result<Expression, ParseError> {
    parser::parse(text)
}

impl Expression {
    /// The Graph `attributeMappingSource` JSON of this expression:
    /// `{expression, name, parameters: [{key, value}], type: Attribute|Constant|Function}`.
    pub fn to_graph(&self) -> serde_json::Value {
        graph::to_graph(self)
    }

    /// Reads a Graph `attributeMappingSource` (as returned by `parseExpression` or stored in a schema).
    pub fn from_graph(value: &serde_json::Value) -> Result<Expression, GraphError> {
        graph::from_graph(value)
    }

    /// Every source attribute the expression reads, e.g. `{"givenName", "surname"}`.
    pub fn referenced_attributes(&self) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        self.visit(&mut |node| {
            if let Expression::Attribute(name) = node {
                names.insert(name.clone());
            }
        });
        names
    }

    /// True when the expression calls `Redact`: the provisioning log then shows `[Redact]` instead of
    /// the value.
    pub fn uses_redact(&self) -> bool {
        let mut found = false;
        self.visit(&mut |node| {
            if let Expression::Function(call) = node {
                found |= call.function == Function::Redact;
            }
        });
        found
    }

    /// Calls `visit` on this node and every node below it, depth first.
    pub fn visit(&self, visit: &mut dyn FnMut(&Expression)) {
        visit(self);
        match self {
            Expression::Attribute(_) | Expression::Constant(_) => {}
            Expression::Function(call) => {
                for arg in call.args.iter().flatten() {
                    arg.visit(visit);
                }
            }
            Expression::Comparison(comparison) => {
                comparison.left.visit(visit);
                comparison.right.visit(visit);
            }
        }
    }
}
