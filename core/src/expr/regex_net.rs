//! .NET regular expressions on top of the `regex` crate.
//!
//! Entra's `Replace` runs .NET regular expressions. This module translates a .NET pattern to the `regex`
//! crate's syntax where both mean the same thing, and refuses, with an error naming the construct,
//! everything the crate lacks or reads differently: lookaround, backreferences, atomic groups,
//! conditionals, balancing groups, .NET character-class subtraction (`[a-z-[aeiou]]`), `\G`, `\Z` and
//! the `n` option. Characters the crate would read as syntax but .NET reads literally (`\<`, `&&`, `~~`
//! and `[` inside a class, a `{` that is not a quantifier) are escaped.
//!
//! It also reproduces .NET's group numbering (unnamed groups first, then named groups), its
//! substitution syntax (`${name}`, `$1`, `$$`, `$&`, `` $` ``, `$'`, `$+`, `$_`), and its iteration over
//! matches (an empty match directly after a non-empty one counts).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use regex::Regex;

/// A compiled .NET pattern.
#[derive(Debug)]
pub(crate) struct NetRegex {
    regex: Regex,
    /// `.NET group number → regex crate group index`; index 0 is the whole match.
    net_to_rust: Vec<usize>,
    /// Named groups in .NET numbering.
    names: BTreeMap<String, usize>,
    /// The pattern uses `$` as an anchor: .NET's `$` also matches before a final newline.
    has_dollar_anchor: bool,
}

/// One match, with groups addressed in .NET numbering.
pub(crate) struct NetMatch<'t> {
    captures: regex::Captures<'t>,
    net_to_rust: &'t [usize],
}

impl NetMatch<'_> {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.captures.get(0).map(|m| m.range()).unwrap_or(0..0)
    }

    /// The byte range of .NET group `number`, if it took part in the match.
    pub fn group(&self, number: usize) -> Option<std::ops::Range<usize>> {
        let index = *self.net_to_rust.get(number)?;
        self.captures.get(index).map(|m| m.range())
    }
}

thread_local! {
    /// Compiled patterns by text. Patterns are evaluated for every user; compiling once keeps a
    /// 100,000-user evaluation fast. Bounded: cleared when full.
    static CACHE: RefCell<BTreeMap<String, Rc<NetRegex>>> = const { RefCell::new(BTreeMap::new()) };
}

const CACHE_LIMIT: usize = 256;

impl NetRegex {
    /// Compiles a .NET pattern (cached).
    pub fn compile(pattern: &str) -> Result<Rc<NetRegex>, String> {
        if let Some(found) = CACHE.with(|cache| cache.borrow().get(pattern).cloned()) {
            return Ok(found);
        }
        let compiled = Rc::new(Self::compile_uncached(pattern)?);
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(pattern.to_string(), compiled.clone());
        });
        Ok(compiled)
    }

    fn compile_uncached(pattern: &str) -> Result<NetRegex, String> {
        let translation = translate(pattern)?;
        let regex = regex::RegexBuilder::new(&translation.pattern)
            .size_limit(1 << 22)
            .build()
            .map_err(|e| {
                let detail = e.to_string();
                let last = detail
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim()
                    .trim_start_matches("error: ");
                format!("invalid regular expression '{pattern}': {last}")
            })?;
        // .NET numbers unnamed groups first (left to right), then named groups.
        let mut net_to_rust = vec![0];
        let mut names = BTreeMap::new();
        for (index, group) in translation.groups.iter().enumerate() {
            if group.is_none() {
                net_to_rust.push(index + 1);
            }
        }
        for (index, group) in translation.groups.iter().enumerate() {
            if let Some(name) = group {
                names.insert(name.clone(), net_to_rust.len());
                net_to_rust.push(index + 1);
            }
        }
        Ok(NetRegex {
            regex,
            net_to_rust,
            names,
            has_dollar_anchor: translation.has_dollar_anchor,
        })
    }

    /// The .NET number of a named group.
    pub fn group_number(&self, name: &str) -> Option<usize> {
        self.names.get(name).copied()
    }

    pub fn group_count(&self) -> usize {
        self.net_to_rust.len() - 1
    }

    /// Refuses inputs where .NET's `$` would match differently (before a final newline).
    pub fn check_input(&self, input: &str) -> Result<(), String> {
        if self.has_dollar_anchor && input.ends_with('\n') {
            return Err("the pattern's '$' would also match before the input's final newline in .NET; ctsync does not reproduce that, remove the newline or use \\z".into());
        }
        Ok(())
    }

    /// Every match, in .NET's order: after an empty match the search moves on one character; after a
    /// non-empty match an empty match at its end still counts.
    pub fn matches<'t>(&'t self, input: &'t str) -> Vec<NetMatch<'t>> {
        let mut found = Vec::new();
        let mut position = 0;
        while position <= input.len() {
            let Some(captures) = self.regex.captures_at(input, position) else {
                break;
            };
            let range = captures.get(0).map(|m| m.range()).unwrap_or(0..0);
            found.push(NetMatch {
                captures,
                net_to_rust: &self.net_to_rust,
            });
            if range.is_empty() {
                match input[range.end..].chars().next() {
                    Some(c) => position = range.end + c.len_utf8(),
                    None => break,
                }
            } else {
                position = range.end;
            }
        }
        found
    }

    /// The first match.
    pub fn first_match<'t>(&'t self, input: &'t str) -> Option<NetMatch<'t>> {
        self.regex.captures(input).map(|captures| NetMatch {
            captures,
            net_to_rust: &self.net_to_rust,
        })
    }

    /// `Regex.Replace(input, replacement)` with .NET substitutions.
    pub fn replace_all(&self, input: &str, replacement: &str) -> String {
        let plan = self.substitution(replacement);
        let mut out = String::with_capacity(input.len());
        let mut last = 0;
        for m in self.matches(input) {
            let range = m.range();
            out.push_str(&input[last..range.start]);
            for part in &plan {
                match part {
                    Substitution::Text(text) => out.push_str(text),
                    Substitution::Group(number) => {
                        if let Some(r) = m.group(*number) {
                            out.push_str(&input[r]);
                        }
                    }
                    Substitution::Before => out.push_str(&input[..range.start]),
                    Substitution::After => out.push_str(&input[range.end..]),
                    Substitution::Input => out.push_str(input),
                }
            }
            last = range.end;
        }
        out.push_str(&input[last..]);
        out
    }

    /// Parses a .NET replacement pattern.
    fn substitution(&self, replacement: &str) -> Vec<Substitution> {
        let chars: Vec<char> = replacement.chars().collect();
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut i = 0;
        let flush = |text: &mut String, parts: &mut Vec<Substitution>| {
            if !text.is_empty() {
                parts.push(Substitution::Text(std::mem::take(text)));
            }
        };
        while i < chars.len() {
            if chars[i] != '$' || i + 1 == chars.len() {
                text.push(chars[i]);
                i += 1;
                continue;
            }
            let next = chars[i + 1];
            match next {
                '$' => {
                    text.push('$');
                    i += 2;
                }
                '&' | '`' | '\'' | '_' | '+' => {
                    flush(&mut text, &mut parts);
                    parts.push(match next {
                        '&' => Substitution::Group(0),
                        '`' => Substitution::Before,
                        '\'' => Substitution::After,
                        '_' => Substitution::Input,
                        _ => Substitution::Group(self.group_count()),
                    });
                    i += 2;
                }
                '{' => {
                    let close = chars[i + 2..]
                        .iter()
                        .position(|&c| c == '}')
                        .map(|p| p + i + 2);
                    let name: Option<String> = close.map(|c| chars[i + 2..c].iter().collect());
                    let number = name.as_deref().and_then(|name| {
                        if !name.is_empty() && name.chars().all(|c| c.is_ascii_digit()) {
                            name.parse::<usize>()
                                .ok()
                                .filter(|&n| n <= self.group_count())
                        } else {
                            self.group_number(name)
                        }
                    });
                    match (number, close) {
                        (Some(number), Some(close)) => {
                            flush(&mut text, &mut parts);
                            parts.push(Substitution::Group(number));
                            i = close + 1;
                        }
                        _ => {
                            // Not a group: .NET keeps the text as it is.
                            text.push('$');
                            i += 1;
                        }
                    }
                }
                c if c.is_ascii_digit() => {
                    // The longest run of digits that names an existing group.
                    let mut best = None;
                    let mut number = 0usize;
                    let mut j = i + 1;
                    while j < chars.len() && chars[j].is_ascii_digit() {
                        number = number
                            .saturating_mul(10)
                            .saturating_add(chars[j] as usize - '0' as usize);
                        if number <= self.group_count() {
                            best = Some((number, j + 1));
                        }
                        j += 1;
                    }
                    match best {
                        Some((number, end)) => {
                            flush(&mut text, &mut parts);
                            parts.push(Substitution::Group(number));
                            i = end;
                        }
                        None => {
                            text.push('$');
                            i += 1;
                        }
                    }
                }
                _ => {
                    text.push('$');
                    i += 1;
                }
            }
        }
        flush(&mut text, &mut parts);
        parts
    }
}

enum Substitution {
    Text(String),
    Group(usize),
    Before,
    After,
    Input,
}

struct Translation {
    pattern: String,
    /// Capturing groups in order of their opening parenthesis: `None` unnamed, `Some(name)` named.
    groups: Vec<Option<String>>,
    has_dollar_anchor: bool,
}

/// The Unicode general categories .NET's `\p{…}` accepts, by their two-letter and one-letter
/// names (it also accepts named blocks, `\p{IsGreek}`, which ctsync refuses). Only these are in the
/// wasm: the regex crate is built with general categories but without scripts or binary properties.
const NET_CATEGORIES: [&str; 37] = [
    "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc",
    "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C",
    "Cc", "Cf", "Cs", "Co", "Cn",
];

fn refuse(construct: &str) -> String {
    format!("the .NET regular-expression construct {construct} is not supported by ctsync")
}

/// Translates a .NET pattern to the `regex` crate's syntax, or refuses it.
/// Compiles a .NET pattern for a plain match test (scoping filters' REGEX MATCH): the same
/// translation and refusals as `Replace`, without .NET group numbering.
pub(crate) fn compile_for_match(pattern: &str) -> Result<Regex, String> {
    let translation = translate(pattern)?;
    regex::RegexBuilder::new(&translation.pattern)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map_err(|e| {
            let detail = e.to_string();
            let last = detail
                .lines()
                .last()
                .unwrap_or("")
                .trim()
                .trim_start_matches("error: ");
            format!("invalid regular expression '{pattern}': {last}")
        })
}

fn translate(pattern: &str) -> Result<Translation, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut groups = Vec::new();
    let mut has_dollar_anchor = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                i = translate_escape(&chars, i, &mut out, false)?;
            }
            '[' => {
                i = translate_class(&chars, i, &mut out)?;
            }
            '(' => {
                if chars.get(i + 1) != Some(&'?') {
                    groups.push(None);
                    out.push('(');
                    i += 1;
                    continue;
                }
                let rest: String = chars[i + 2..].iter().take(3).collect();
                if rest.starts_with('=') {
                    return Err(refuse("lookahead (?=…)"));
                }
                if rest.starts_with('!') {
                    return Err(refuse("negative lookahead (?!…)"));
                }
                if rest.starts_with("<=") {
                    return Err(refuse("lookbehind (?<=…)"));
                }
                if rest.starts_with("<!") {
                    return Err(refuse("negative lookbehind (?<!…)"));
                }
                if rest.starts_with('>') {
                    return Err(refuse("atomic group (?>…)"));
                }
                if rest.starts_with('(') {
                    return Err(refuse("conditional (?(…)…)"));
                }
                if rest.starts_with('#') {
                    // An inline comment: skip to the closing parenthesis.
                    let close = chars[i..].iter().position(|&c| c == ')').ok_or_else(|| {
                        "unterminated (?#…) comment in the regular expression".to_string()
                    })?;
                    i += close + 1;
                    continue;
                }
                if rest.starts_with('<') || rest.starts_with('\'') {
                    let closing = if rest.starts_with('<') { '>' } else { '\'' };
                    let start = i + 3;
                    let end = chars[start..]
                        .iter()
                        .position(|&c| c == closing)
                        .map(|p| p + start)
                        .ok_or_else(|| {
                            "unterminated group name in the regular expression".to_string()
                        })?;
                    let name: String = chars[start..end].iter().collect();
                    if name.contains('-') {
                        return Err(refuse(&format!("balancing group (?<{name}>…)")));
                    }
                    if name.chars().all(|c| c.is_ascii_digit()) {
                        return Err(refuse(&format!("numbered group (?<{name}>…)")));
                    }
                    if name.is_empty()
                        || name.starts_with(|c: char| c.is_ascii_digit())
                        || !name.chars().all(|c| c.is_alphanumeric() || c == '_')
                    {
                        return Err(format!(
                            "invalid group name '{name}' in the regular expression"
                        ));
                    }
                    out.push_str("(?<");
                    out.push_str(&name);
                    out.push('>');
                    groups.push(Some(name));
                    i = end + 1;
                    continue;
                }
                // Inline options (?imnsx-imnsx) or (?imnsx-imnsx:…), or a non-capturing group (?:…).
                let mut j = i + 2;
                while j < chars.len() && matches!(chars[j], 'i' | 'm' | 'n' | 's' | 'x' | '-') {
                    if chars[j] == 'n' {
                        return Err(refuse("option n (explicit capture)"));
                    }
                    j += 1;
                }
                match chars.get(j) {
                    Some(':') | Some(')') => {
                        out.extend(&chars[i..=j]);
                        i = j + 1;
                    }
                    _ => {
                        let shown: String = chars[i..(j + 1).min(chars.len())].iter().collect();
                        return Err(format!(
                            "unrecognized group construct '{shown}' in the regular expression"
                        ));
                    }
                }
            }
            '$' => {
                has_dollar_anchor = true;
                out.push('$');
                i += 1;
            }
            '{' => {
                // A valid quantifier {n}, {n,} or {n,m} stays; any other '{' is literal in .NET.
                let close = chars[i..].iter().position(|&c| c == '}').map(|p| p + i);
                let valid = close.is_some_and(|close| {
                    let body: String = chars[i + 1..close].iter().collect();
                    let mut parts = body.splitn(2, ',');
                    let first = parts.next().unwrap_or("");
                    let second = parts.next();
                    !first.is_empty()
                        && first.chars().all(|c| c.is_ascii_digit())
                        && second.is_none_or(|s| s.chars().all(|c| c.is_ascii_digit()))
                });
                match (valid, close) {
                    (true, Some(close)) => {
                        out.extend(&chars[i..=close]);
                        i = close + 1;
                    }
                    _ => {
                        out.push_str("\\{");
                        i += 1;
                    }
                }
            }
            '}' | ']' => {
                out.push('\\');
                out.push(c);
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    Ok(Translation {
        pattern: out,
        groups,
        has_dollar_anchor,
    })
}

/// Translates the escape at `chars[i]` (a backslash); returns the index after it.
fn translate_escape(
    chars: &[char],
    i: usize,
    out: &mut String,
    in_class: bool,
) -> Result<usize, String> {
    let Some(&c) = chars.get(i + 1) else {
        return Err("the regular expression ends with a lone backslash".into());
    };
    match c {
        '1'..='9' if !in_class => Err(refuse(&format!("backreference \\{c}"))),
        'k' if !in_class && matches!(chars.get(i + 2), Some('<' | '\'' | '{')) => {
            Err(refuse("named backreference \\k<name>"))
        }
        'G' if !in_class => Err(refuse("\\G (contiguous match)")),
        'Z' if !in_class => Err(refuse("\\Z (end, or before a final newline)")),
        'A' | 'z' | 'B' if !in_class => {
            out.push('\\');
            out.push(c);
            Ok(i + 2)
        }
        'b' if in_class => {
            out.push_str("\\x08");
            Ok(i + 2)
        }
        'b' => {
            out.push_str("\\b");
            Ok(i + 2)
        }
        'd' | 'D' | 'w' | 'W' | 's' | 'S' | 't' | 'n' | 'r' | 'f' | 'v' | 'a' => {
            out.push('\\');
            out.push(c);
            Ok(i + 2)
        }
        'e' => {
            out.push_str("\\x1B");
            Ok(i + 2)
        }
        'p' | 'P' => {
            if chars.get(i + 2) != Some(&'{') {
                return Err(format!(
                    "\\{c} must be followed by a {{name}} in a .NET regular expression"
                ));
            }
            let close = chars[i + 2..]
                .iter()
                .position(|&c| c == '}')
                .map(|p| p + i + 2)
                .ok_or_else(|| format!("unterminated \\{c}{{…}} in the regular expression"))?;
            let name: String = chars[i + 3..close].iter().collect();
            if !NET_CATEGORIES.contains(&name.as_str()) {
                return Err(if name.starts_with("Is") {
                    refuse(&format!("named block \\{c}{{{name}}}"))
                } else {
                    // .NET: "Unknown property 'Greek'". It has no script, age or binary-property classes.
                    format!(
                        "unknown property '{name}' in \\{c}{{{name}}}: .NET accepts Unicode general categories such as \\p{{L}}, \\p{{Lu}} or \\p{{Nd}}"
                    )
                });
            }
            out.extend(&chars[i..=close]);
            Ok(close + 1)
        }
        'x' => {
            let hex: String = chars[i + 2..].iter().take(2).collect();
            if hex.len() != 2 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(
                    "\\x must be followed by two hex digits in a .NET regular expression".into(),
                );
            }
            out.push_str("\\x");
            out.push_str(&hex);
            Ok(i + 4)
        }
        'u' => {
            let hex: String = chars[i + 2..].iter().take(4).collect();
            if hex.len() != 4 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(
                    "\\u must be followed by four hex digits in a .NET regular expression".into(),
                );
            }
            out.push_str("\\x{");
            out.push_str(&hex);
            out.push('}');
            Ok(i + 6)
        }
        'c' => {
            let letter = chars
                .get(i + 2)
                .filter(|l| l.is_ascii_alphabetic())
                .ok_or_else(|| {
                    "\\c must be followed by a letter in a .NET regular expression".to_string()
                })?;
            let code = (letter.to_ascii_uppercase() as u32) - ('A' as u32) + 1;
            out.push_str(&format!("\\x{{{code:X}}}"));
            Ok(i + 3)
        }
        '0' => {
            // .NET octal escape: \0 followed by up to two more octal digits.
            let mut j = i + 2;
            let mut value = 0u32;
            while j < chars.len() && j < i + 4 && ('0'..='7').contains(&chars[j]) {
                value = value * 8 + (chars[j] as u32 - '0' as u32);
                j += 1;
            }
            out.push_str(&format!("\\x{{{value:X}}}"));
            Ok(j)
        }
        c if c.is_ascii_alphanumeric() => Err(format!(
            "unrecognized escape '\\{c}' in the regular expression"
        )),
        c => {
            // An escaped literal character. The regex crate reads some escaped characters as syntax
            // (`\<` and `\>` are word boundaries there), so write the character in the crate's own
            // literal form instead.
            push_literal(out, c);
            Ok(i + 2)
        }
    }
}

/// Writes `c` so that the regex crate reads it as that literal character.
fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_punctuation() || c == ' ' || c == '#' {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// Translates the character class starting at `chars[start]` (a `[`); returns the index after it.
fn translate_class(chars: &[char], start: usize, out: &mut String) -> Result<usize, String> {
    out.push('[');
    let mut i = start + 1;
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    let mut previous_was_dash = false;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("unterminated character class '[' in the regular expression".into());
        };
        match c {
            ']' if !first => {
                out.push(']');
                return Ok(i + 1);
            }
            '\\' => {
                i = translate_escape(chars, i, out, true)?;
                previous_was_dash = false;
            }
            '-' if chars.get(i + 1) == Some(&'[') => {
                return Err(refuse("character class subtraction [a-z-[…]]"));
            }
            '-' => {
                if previous_was_dash {
                    out.push_str("\\-");
                    previous_was_dash = false;
                } else {
                    out.push('-');
                    previous_was_dash = true;
                }
                i += 1;
            }
            '[' | ']' | '&' | '~' => {
                // Literal in a .NET class; syntax (nesting, set operations) in the regex crate's.
                out.push('\\');
                out.push(c);
                previous_was_dash = false;
                i += 1;
            }
            other => {
                out.push(other);
                previous_was_dash = false;
                i += 1;
            }
        }
        first = false;
    }
}

#[cfg(test)]
mod tests {
    // The same tests run natively and, under wasm-bindgen-test-runner, in wasm32.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn refuses_what_it_cannot_reproduce_by_name() {
        for (pattern, construct) in [
            ("a(?=b)", "lookahead"),
            ("a(?!b)", "negative lookahead"),
            ("(?<=a)b", "lookbehind"),
            ("(?<!a)b", "negative lookbehind"),
            ("(a)\\1", "backreference \\1"),
            ("(?<x>a)\\k<x>", "named backreference"),
            ("[a-z-[aeiou]]", "character class subtraction"),
            ("(?>a+)b", "atomic group"),
            ("(?(a)b|c)", "conditional"),
            ("(?<a-b>x)", "balancing group"),
            ("\\Gx", "\\G"),
            ("x\\Z", "\\Z"),
            ("(?n)(a)", "option n"),
        ] {
            let error = NetRegex::compile(pattern).unwrap_err();
            assert!(error.contains(construct), "{pattern}: {error}");
        }
    }

    #[test]
    fn dotnet_literals_stay_literal() {
        let r = NetRegex::compile("\\<username\\>").unwrap();
        assert_eq!(
            r.replace_all("<username>@contoso.com", "jsmith"),
            "jsmith@contoso.com"
        );
        let r = NetRegex::compile("[a&&b~[]").unwrap();
        assert_eq!(r.replace_all("x&y~z[b", "_"), "x_y_z__");
        let r = NetRegex::compile("a{,2}").unwrap();
        assert_eq!(r.replace_all("a{,2}", "!"), "!");
        let r = NetRegex::compile("[[:alpha:]]").unwrap();
        // .NET reads `[[:alpha:]` as one class and the final `]` as a literal.
        assert_eq!(r.replace_all("x[:]y", "_"), "x[_y");
    }

    #[test]
    fn empty_matches_follow_dotnet() {
        let r = NetRegex::compile("[a-z]*").unwrap();
        assert_eq!(r.replace_all("abc1", "X"), "XX1X");
        assert_eq!(r.replace_all("john_doe72", ""), "_72");
    }

    #[test]
    fn group_numbers_and_substitutions_follow_dotnet() {
        // .NET: unnamed groups are numbered before named ones.
        let r = NetRegex::compile("(?<first>a)(b)").unwrap();
        assert_eq!(r.replace_all("ab", "$1-$2-${first}"), "b-a-a");
        assert_eq!(
            r.replace_all("xaby", "[$&|$`|$'|$_|$$|$9|${nope}]"),
            "x[ab|x|y|xaby|$|$9|${nope}]y"
        );
        assert_eq!(r.replace_all("ab", "$+"), "a");
    }

    #[test]
    fn dollar_before_final_newline_is_refused_only_when_it_matters() {
        let r = NetRegex::compile("a$").unwrap();
        assert!(r.check_input("a\n").is_err());
        assert!(r.check_input("a").is_ok());
    }
}
