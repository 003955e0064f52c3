//! The parser: text to [`Expression`], with Entra's syntax rules and positioned errors.
//!
//! Grammar (whitespace, including newlines, is allowed between tokens):
//!
//! ```text
//! expression := term                       (a comparison is only allowed as an argument)
//! argument   := term (operator term)?      operator: = <> > >= < <=
//! term       := "[" name "]" | string | number | "&H" hexdigits | call | vbTextCompare | vbBinaryCompare
//! call       := Name "(" (argument? ("," argument?)*)? ")"
//! ```
//!
//! The parser never panics: it works on a bounded character vector, bounds recursion by
//! [`MAX_NESTING_DEPTH`], and reports the first problem with its 0-based character position.

use std::fmt;

use super::functions::{check_static_replace, Function};
use super::syntax::{
    Comparison, ComparisonOperator, Expression, FunctionCall, Literal, LiteralKind,
};

/// Entra's documented maximum expression length, in characters.
pub const MAX_EXPRESSION_CHARS: usize = 10_000;

/// How deeply function calls may nest. Entra documents no limit; ctsync bounds recursion here, far above
/// anything a mapping needs.
pub const MAX_NESTING_DEPTH: usize = 64;

/// The VB enum names Entra accepts as bare arguments (`InStr(…, vbBinaryCompare)`).
const VB_NAMES: &[&str] = &["vbBinaryCompare", "vbTextCompare"];

/// A syntax or signature error at a 0-based character position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 0-based character offset (Unicode scalar values) into the expression text.
    pub position: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.message, self.position)
    }
}

impl std::error::Error for ParseError {}

pub(crate) fn parse(text: &str) -> Result<Expression, ParseError> {
    let char_count = text.chars().count();
    if char_count > MAX_EXPRESSION_CHARS {
        return Err(ParseError {
            position: MAX_EXPRESSION_CHARS,
            message: format!(
                "the expression is {char_count} characters long; Entra allows at most {MAX_EXPRESSION_CHARS}"
            ),
        });
    }
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
        depth: 0,
    };
    parser.skip_whitespace();
    if parser.at_end() {
        return Err(parser.error_here(
            "the expression is empty; expected a function call, an [attribute] or a \"string\"",
        ));
    }
    let expression = parser.term()?;
    parser.skip_whitespace();
    if !parser.at_end() {
        if parser.peek_operator().is_some() {
            return Err(parser.error_here(
                "a comparison can only be used as a function's argument, e.g. IIF([a] = \"b\", …)",
            ));
        }
        return Err(parser.error_here(&format!(
            "expected the end of the expression, found '{}'",
            parser.chars[parser.pos]
        )));
    }
    Ok(expression)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn error_at(&self, position: usize, message: &str) -> ParseError {
        ParseError {
            position,
            message: message.to_string(),
        }
    }

    fn error_here(&self, message: &str) -> ParseError {
        self.error_at(self.pos, message)
    }

    /// The comparison operator at the current position, with its length in characters.
    fn peek_operator(&self) -> Option<(ComparisonOperator, usize)> {
        match (self.peek()?, self.peek_at(1)) {
            ('<', Some('>')) => Some((ComparisonOperator::NotEqual, 2)),
            ('<', Some('=')) => Some((ComparisonOperator::LessOrEqual, 2)),
            ('>', Some('=')) => Some((ComparisonOperator::GreaterOrEqual, 2)),
            ('<', _) => Some((ComparisonOperator::Less, 1)),
            ('>', _) => Some((ComparisonOperator::Greater, 1)),
            ('=', _) => Some((ComparisonOperator::Equal, 1)),
            _ => None,
        }
    }

    /// An argument: a term, optionally compared with another term.
    fn argument(&mut self) -> Result<Expression, ParseError> {
        let left = self.term()?;
        self.skip_whitespace();
        let Some((operator, length)) = self.peek_operator() else {
            return Ok(left);
        };
        self.pos += length;
        self.skip_whitespace();
        let right = self.term()?;
        self.skip_whitespace();
        if self.peek_operator().is_some() {
            return Err(self.error_here(
                "comparisons cannot be chained; Entra has no AND/OR, nest IIF calls instead",
            ));
        }
        Ok(Expression::Comparison(Box::new(Comparison {
            left,
            operator,
            right,
        })))
    }

    fn term(&mut self) -> Result<Expression, ParseError> {
        let start = self.pos;
        match self.peek() {
            None => Err(self.error_here(
                "unexpected end of the expression; expected an [attribute], a \"string\", a number or a function call",
            )),
            Some('[') => self.attribute(),
            Some('"') => self.string(),
            Some('&') => self.hex(),
            Some(c) if c.is_ascii_digit() => self.number(),
            Some('-') if self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) => self.number(),
            Some(c) if c.is_alphabetic() || c == '_' => self.name_or_call(),
            Some(c) => Err(self.error_at(
                start,
                &format!(
                    "unexpected '{c}'; expected an [attribute], a \"string\", a number or a function call"
                ),
            )),
        }
    }

    fn attribute(&mut self) -> Result<Expression, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut name = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(
                        self.error_at(start, "unterminated attribute reference; expected ']'")
                    )
                }
                Some(']') => break,
                Some('[') => {
                    return Err(self.error_here("'[' inside an attribute reference; expected ']'"))
                }
                Some(c) => {
                    name.push(c);
                    self.pos += 1;
                }
            }
        }
        self.pos += 1;
        let trimmed = name.trim();
        if trimmed.is_empty() {
            return Err(self.error_at(
                start,
                "empty attribute reference '[]'; expected an attribute name",
            ));
        }
        Ok(Expression::Attribute(trimmed.to_string()))
    }

    fn string(&mut self) -> Result<Expression, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(self.error_at(start, "unterminated string constant; expected '\"'"))
                }
                Some('"') => break,
                Some('\\') => match self.peek_at(1) {
                    // `\"` and `\\` are the documented escapes. A backslash before anything else is kept
                    // as a literal backslash (lenient; see docs/decisions.md).
                    Some(c @ ('"' | '\\')) => {
                        value.push(c);
                        self.pos += 2;
                    }
                    _ => {
                        value.push('\\');
                        self.pos += 1;
                    }
                },
                Some(c) => {
                    value.push(c);
                    self.pos += 1;
                }
            }
        }
        self.pos += 1;
        Ok(Expression::Constant(Literal {
            value,
            kind: LiteralKind::String,
        }))
    }

    fn number(&mut self) -> Result<Expression, ParseError> {
        let start = self.pos;
        let mut text = String::new();
        if self.peek() == Some('-') {
            text.push('-');
            self.pos += 1;
        }
        self.take_digits(&mut text);
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            text.push('.');
            self.pos += 1;
            self.take_digits(&mut text);
        }
        if self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return Err(self.error_at(
                start,
                &format!(
                    "'{}' is not a number; write text as a \"string\"",
                    self.word_from(start)
                ),
            ));
        }
        Ok(Expression::Constant(Literal {
            value: text,
            kind: LiteralKind::Number,
        }))
    }

    fn take_digits(&mut self, text: &mut String) {
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            text.push(c);
            self.pos += 1;
        }
    }

    /// The run of word characters starting at `start`, for error messages.
    fn word_from(&self, start: usize) -> String {
        self.chars[start..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '&'))
            .take(40)
            .collect()
    }

    fn hex(&mut self) -> Result<Expression, ParseError> {
        let start = self.pos;
        if !matches!(self.peek_at(1), Some('H' | 'h')) {
            return Err(self.error_here(
                "unexpected '&'; a VB hex literal is written &H followed by hex digits",
            ));
        }
        self.pos += 2;
        let mut text: String = self.chars[start..self.pos].iter().collect();
        let digits_start = self.pos;
        while let Some(c) = self.peek().filter(char::is_ascii_hexdigit) {
            text.push(c);
            self.pos += 1;
        }
        if self.pos == digits_start {
            return Err(self.error_here("expected hex digits after '&H'"));
        }
        if self.pos - digits_start > 16 {
            return Err(self.error_at(start, "hex literal is longer than 16 digits"));
        }
        if self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return Err(self.error_here("expected hex digits (0-9, A-F) after '&H'"));
        }
        Ok(Expression::Constant(Literal {
            value: text,
            kind: LiteralKind::Hex,
        }))
    }

    fn name_or_call(&mut self) -> Result<Expression, ParseError> {
        let start = self.pos;
        let mut name = String::new();
        while let Some(c) = self.peek().filter(|c| c.is_alphanumeric() || *c == '_') {
            name.push(c);
            self.pos += 1;
        }
        let after_name = self.pos;
        self.skip_whitespace();
        if self.peek() != Some('(') {
            if VB_NAMES.contains(&name.as_str()) {
                self.pos = after_name;
                return Ok(Expression::Constant(Literal {
                    value: name,
                    kind: LiteralKind::VbName,
                }));
            }
            if Function::from_name(&name).is_some() {
                return Err(self.error_at(
                    after_name,
                    &format!("expected '(' after function name '{name}'"),
                ));
            }
            return Err(self.error_at(
                start,
                &format!(
                    "unknown name '{name}'; expected a function call like {name}(…), an [attribute], a \"string\" or a number"
                ),
            ));
        }
        let Some(function) = Function::from_name(&name) else {
            let hint = match Function::from_name_ignoring_case(&name) {
                Some(f) => format!(
                    " (function names are case-sensitive: did you mean '{}'?)",
                    f.name()
                ),
                None => String::new(),
            };
            return Err(self.error_at(start, &format!("unknown function '{name}'{hint}")));
        };
        if function == Function::SelectUniqueValue && self.depth > 0 {
            return Err(self.error_at(
                start,
                "SelectUniqueValue must be the outermost function of the expression; it cannot be nested",
            ));
        }
        if self.depth >= MAX_NESTING_DEPTH {
            return Err(self.error_at(
                start,
                &format!("function calls nest more than {MAX_NESTING_DEPTH} deep"),
            ));
        }
        self.depth += 1;
        self.pos += 1; // '('
        let mut args = Vec::new();
        let mut arg_positions = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(')') {
            self.pos += 1;
        } else {
            loop {
                self.skip_whitespace();
                arg_positions.push(self.pos);
                match self.peek() {
                    Some(',') | Some(')') => args.push(None),
                    _ => args.push(Some(self.argument()?)),
                }
                self.skip_whitespace();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    None => {
                        return Err(
                            self.error_here("unexpected end of the expression; expected ')'")
                        )
                    }
                    Some(c) => {
                        return Err(self.error_here(&format!("expected ',' or ')', found '{c}'")))
                    }
                }
            }
        }
        self.depth -= 1;
        let call = FunctionCall {
            function,
            name,
            args,
        };
        check_call(&call, start, &arg_positions)?;
        Ok(Expression::Function(call))
    }
}

/// Checks a call against its function's signature: argument count, required arguments, Switch's
/// key/value pairs, and Replace's modes and regular expression.
/// `arg_positions` gives each argument's position for error messages (may be empty: `call_position`).
pub(crate) fn check_call(
    call: &FunctionCall,
    call_position: usize,
    arg_positions: &[usize],
) -> Result<(), ParseError> {
    let function = call.function;
    let name = function.name();
    let signature = function.signature();
    let count = call.args.len();
    let position_of = |index: usize| arg_positions.get(index).copied().unwrap_or(call_position);
    if count < signature.min_args || count > signature.max_args {
        let expected = if signature.max_args == usize::MAX {
            format!("at least {}", signature.min_args)
        } else if signature.min_args == signature.max_args {
            format!("{}", signature.min_args)
        } else {
            format!("{} to {}", signature.min_args, signature.max_args)
        };
        let plural = if expected == "1" { "" } else { "s" };
        return Err(ParseError {
            position: call_position,
            message: format!("{name} expects {expected} argument{plural}, found {count}"),
        });
    }
    for (index, arg) in call.args.iter().enumerate() {
        if arg.is_none() && !signature.optional.contains(&index) {
            return Err(ParseError {
                position: position_of(index),
                message: format!(
                    "{name}: argument {} ({}) cannot be left empty",
                    index + 1,
                    function.key_at(index, count)
                ),
            });
        }
    }
    if function == Function::Switch && !count.is_multiple_of(2) {
        return Err(ParseError {
            position: call_position,
            message: format!(
                "Switch expects keys and values in pairs after source and defaultValue, found {count} arguments"
            ),
        });
    }
    if function == Function::Replace {
        check_static_replace(call).map_err(|(index, message)| ParseError {
            position: position_of(index),
            message,
        })?;
    }
    Ok(())
}

/// True when `SelectUniqueValue` appears anywhere but as the outermost call: Entra requires it to be
/// "at the top-level" and it "can't be nested".
pub(crate) fn has_nested_select_unique_value(expression: &Expression) -> bool {
    let mut nested = false;
    let mut first = true;
    expression.visit(&mut |node| {
        if let Expression::Function(call) = node {
            nested |= call.function == Function::SelectUniqueValue && !first;
        }
        first = false;
    });
    nested
}
