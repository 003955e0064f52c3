//! The parsed form of an expression and its canonical printing (`Display`).
//!
//! Printing is canonical: one space after each comma, none inside brackets, comparisons spaced as
//! `[a] = "b"`, string constants with `\"` and `\\` escapes. Parsing printed text gives the same tree.

use std::fmt;

use super::functions::Function;

/// One node of an expression, the shapes Graph calls `Attribute`, `Constant` and `Function`, plus the
/// comparison operators Entra accepts inside conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expression {
    /// `[attributeName]`: the value of a source attribute.
    Attribute(String),
    /// `"text"`, `7`, `&HF` or `vbTextCompare`: a constant (Entra stores every constant as a string).
    Constant(Literal),
    /// `Name(arg1, , arg3)`.
    Function(FunctionCall),
    /// `left = right` and the other comparison operators, used as conditions in `IIF` and `CBool`.
    Comparison(Box<Comparison>),
}

/// A constant. Entra stores numbers, hex literals and VB names as string constants; the kind only keeps
/// how it was written so that printing gives back the admin's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    /// The constant's value as Entra stores it (for a string: without quotes and escapes).
    pub value: String,
    pub kind: LiteralKind,
}

/// How a constant was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiteralKind {
    /// `"text"`.
    String,
    /// `7`, `-10`, `1.5`.
    Number,
    /// `&HF7` (a VB hex literal).
    Hex,
    /// `vbTextCompare` or `vbBinaryCompare`.
    VbName,
}

/// A function call. `args` holds one entry per written argument; `None` is an argument left empty
/// between commas (`Replace([mail], "@contoso.com", , , "", , )`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionCall {
    pub function: Function,
    /// The name as written; differs from `function.name()` only for `AltSecidFromNetid`, the second
    /// spelling Entra itself prints for `AltSecIdFromNetId`.
    pub name: String,
    pub args: Vec<Option<Expression>>,
}

/// `left op right`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub left: Expression,
    pub operator: ComparisonOperator,
    pub right: Expression,
}

/// The comparison operators Entra documents for conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComparisonOperator {
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

impl ComparisonOperator {
    /// The operator as written: `=`, `<>`, `>`, `>=`, `<`, `<=`.
    pub fn symbol(self) -> &'static str {
        match self {
            ComparisonOperator::Equal => "=",
            ComparisonOperator::NotEqual => "<>",
            ComparisonOperator::Greater => ">",
            ComparisonOperator::GreaterOrEqual => ">=",
            ComparisonOperator::Less => "<",
            ComparisonOperator::LessOrEqual => "<=",
        }
    }

    /// Reads an operator symbol.
    pub fn from_symbol(symbol: &str) -> Option<Self> {
        Some(match symbol {
            "=" => ComparisonOperator::Equal,
            "<>" => ComparisonOperator::NotEqual,
            ">" => ComparisonOperator::Greater,
            ">=" => ComparisonOperator::GreaterOrEqual,
            "<" => ComparisonOperator::Less,
            "<=" => ComparisonOperator::LessOrEqual,
            _ => return None,
        })
    }
}

impl Expression {
    /// A string constant, `"value"`.
    pub fn string(value: impl Into<String>) -> Expression {
        Expression::Constant(Literal {
            value: value.into(),
            kind: LiteralKind::String,
        })
    }

    /// An attribute reference, `[name]`.
    pub fn attribute(name: impl Into<String>) -> Expression {
        Expression::Attribute(name.into())
    }
}

/// Writes `text` as a double-quoted Entra string constant, escaping `\` and `"`.
pub(crate) fn write_quoted(f: &mut impl fmt::Write, text: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in text.chars() {
        if c == '"' || c == '\\' {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            LiteralKind::String => write_quoted(f, &self.value),
            LiteralKind::Number | LiteralKind::Hex | LiteralKind::VbName => {
                f.write_str(&self.value)
            }
        }
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expression::Attribute(name) => write!(f, "[{name}]"),
            Expression::Constant(literal) => literal.fmt(f),
            Expression::Function(call) => {
                write!(f, "{}(", call.name)?;
                for (index, arg) in call.args.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    if let Some(arg) = arg {
                        arg.fmt(f)?;
                    }
                }
                f.write_str(")")
            }
            Expression::Comparison(comparison) => write!(
                f,
                "{} {} {}",
                comparison.left,
                comparison.operator.symbol(),
                comparison.right
            ),
        }
    }
}
