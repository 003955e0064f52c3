//! .NET date and time formats, as Entra's engine uses them: custom format strings (`yyyy-MM-dd`,
//! `M/d/yyyy h:mm:ss tt`, …) for parsing and formatting, the single-letter standard formats of the
//! en-US culture (`G` is Entra's own `M/d/yyyy h:mm:ss tt`), `DateTimeStyles`, and the general parser
//! used when no format is given (ISO 8601, `M/d/yyyy h:mm:ss tt`, AD generalized time).
//!
//! Entra's servers are taken to run in UTC: "local" times equal UTC, so a parsed offset converts the
//! value to UTC and `zzz` prints `+00:00`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

/// .NET's `DateTimeKind` of a parsed value, which decides what `K` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateKind {
    Unspecified,
    Utc,
    Local,
}

/// A parsed date: the instant in UTC and its .NET kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub utc: DateTime<Utc>,
    pub kind: DateKind,
}

/// The `DateTimeStyles` flags ctsync honours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Styles {
    pub allow_leading_white: bool,
    pub allow_trailing_white: bool,
    pub allow_inner_white: bool,
    pub no_current_date_default: bool,
    pub adjust_to_universal: bool,
    pub assume_local: bool,
    pub assume_universal: bool,
    pub roundtrip_kind: bool,
}

impl Styles {
    /// FormatDateTime's default when dateTimeStyles is left empty: RoundtripKind, AllowLeadingWhite,
    /// AllowTrailingWhite.
    pub fn entra_default() -> Styles {
        Styles {
            allow_leading_white: true,
            allow_trailing_white: true,
            roundtrip_kind: true,
            ..Styles::default()
        }
    }

    /// Reads a list of `DateTimeStyles` names separated by commas or `|`, e.g.
    /// `"AdjustToUniversal, AllowWhiteSpaces"` (an optional `DateTimeStyles.` prefix is accepted).
    pub fn parse(text: &str) -> Result<Styles, String> {
        let mut styles = Styles::default();
        for raw in text.split([',', '|']) {
            let name = raw.trim();
            let name = name.strip_prefix("DateTimeStyles.").unwrap_or(name);
            match name.to_ascii_lowercase().as_str() {
                "" | "none" => {}
                "allowleadingwhite" => styles.allow_leading_white = true,
                "allowtrailingwhite" => styles.allow_trailing_white = true,
                "allowinnerwhite" => styles.allow_inner_white = true,
                "allowwhitespaces" => {
                    styles.allow_leading_white = true;
                    styles.allow_trailing_white = true;
                    styles.allow_inner_white = true;
                }
                "nocurrentdatedefault" => styles.no_current_date_default = true,
                "adjusttouniversal" => styles.adjust_to_universal = true,
                "assumelocal" => styles.assume_local = true,
                "assumeuniversal" => styles.assume_universal = true,
                "roundtripkind" => styles.roundtrip_kind = true,
                _ => {
                    return Err(format!(
                        "'{name}' is not a DateTimeStyles value (None, AllowLeadingWhite, AllowTrailingWhite, AllowInnerWhite, AllowWhiteSpaces, NoCurrentDateDefault, AdjustToUniversal, AssumeLocal, AssumeUniversal, RoundtripKind)"
                    ))
                }
            }
        }
        if styles.assume_local && styles.assume_universal {
            return Err("AssumeLocal and AssumeUniversal cannot be combined".into());
        }
        if styles.roundtrip_kind
            && (styles.adjust_to_universal || styles.assume_local || styles.assume_universal)
        {
            return Err(
                "RoundtripKind cannot be combined with AdjustToUniversal, AssumeLocal or AssumeUniversal".into(),
            );
        }
        Ok(styles)
    }
}

/// The string Entra writes for a date: `M/d/yyyy h:mm:ss tt` (e.g. `7/2/2021 3:33:38 PM`).
pub(crate) fn entra_string(date: &DateTime<Utc>) -> String {
    format(date, DateKind::Utc, "M/d/yyyy h:mm:ss tt").expect("constant format is valid")
}

/// Reads a date without a given format: ISO 8601 (`2021-06-30+08:00`, `2009-06-15T01:45:30-07:00`,
/// `2021-08-24`), Entra's own `M/d/yyyy h:mm:ss tt` (and `M/d/yyyy`), or AD generalized time
/// (`20150123105347.0Z`).
pub(crate) fn parse_general(text: &str) -> Option<Parsed> {
    let text = text.trim();
    if let Some(parsed) = parse_iso(text) {
        return Some(parsed);
    }
    if let Some(parsed) = parse_generalized_time(text) {
        return Some(parsed);
    }
    let fallback_date = NaiveDate::from_ymd_opt(1, 1, 1)?;
    for format in ["M/d/yyyy h:mm:ss tt", "M/d/yyyy H:mm:ss", "M/d/yyyy"] {
        if let Ok(parsed) = parse_exact(text, format, Styles::entra_default(), fallback_date) {
            return Some(parsed);
        }
    }
    None
}

/// `yyyy-MM-dd[(T| )HH:mm[:ss[.fffffff]]][Z|±hh[:mm]]`.
fn parse_iso(text: &str) -> Option<Parsed> {
    let mut cursor = Cursor::new(text);
    let year = cursor.digits_exact(4)? as i32;
    cursor.expect('-')?;
    let month = cursor.digits_exact(2)?;
    cursor.expect('-')?;
    let day = cursor.digits_exact(2)?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let mut time = NaiveTime::MIN;
    if matches!(cursor.peek(), Some('T' | 't' | ' '))
        && cursor.peek_at(1).is_some_and(|c| c.is_ascii_digit())
    {
        cursor.advance();
        let hour = cursor.digits_exact(2)?;
        cursor.expect(':')?;
        let minute = cursor.digits_exact(2)?;
        let mut second = 0;
        let mut nanos = 0;
        if cursor.peek() == Some(':') {
            cursor.advance();
            second = cursor.digits_exact(2)?;
            if matches!(cursor.peek(), Some('.' | ',')) {
                cursor.advance();
                nanos = cursor.fraction_nanos(1, 9)?;
            }
        }
        time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    }
    let local = NaiveDateTime::new(date, time);
    let (utc, kind) = match cursor.peek() {
        None => (local, DateKind::Unspecified),
        Some('Z' | 'z') => {
            cursor.advance();
            (local, DateKind::Utc)
        }
        Some('+' | '-') => {
            let offset = cursor.offset_minutes(true)?;
            (local - Duration::minutes(offset), DateKind::Local)
        }
        _ => return None,
    };
    if !cursor.at_end() {
        return None;
    }
    Some(Parsed {
        utc: utc.and_utc(),
        kind,
    })
}

/// AD generalized time: `yyyyMMddHHmmss[.f…][Z|±hhmm]`.
fn parse_generalized_time(text: &str) -> Option<Parsed> {
    let mut cursor = Cursor::new(text);
    let year = cursor.digits_exact(4)? as i32;
    let month = cursor.digits_exact(2)?;
    let day = cursor.digits_exact(2)?;
    let hour = cursor.digits_exact(2)?;
    let minute = cursor.digits_exact(2)?;
    let second = cursor.digits_exact(2)?;
    let mut nanos = 0;
    if cursor.peek() == Some('.') {
        cursor.advance();
        nanos = cursor.fraction_nanos(1, 7)?;
    }
    let local =
        NaiveDate::from_ymd_opt(year, month, day)?.and_hms_nano_opt(hour, minute, second, nanos)?;
    let (utc, kind) = match cursor.peek() {
        None => (local, DateKind::Unspecified),
        Some('Z') => {
            cursor.advance();
            (local, DateKind::Utc)
        }
        Some('+' | '-') => {
            let offset = cursor.offset_minutes(true)?;
            (local - Duration::minutes(offset), DateKind::Local)
        }
        _ => return None,
    };
    cursor.at_end().then_some(Parsed {
        utc: utc.and_utc(),
        kind,
    })
}

/// One element of a .NET custom date format.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A format specifier and how many times it repeats (`yyyy` is `('y', 4)`).
    Field(char, usize),
    /// `Z`: the UTC designator when parsing, a literal `Z` when formatting.
    UtcDesignator,
    Literal(String),
}

/// The en-US standard format patterns (.NET's single-letter formats).
fn standard_pattern(letter: char) -> Option<&'static str> {
    Some(match letter {
        'd' => "M/d/yyyy",
        'D' => "dddd, MMMM d, yyyy",
        'f' => "dddd, MMMM d, yyyy h:mm tt",
        'F' | 'U' => "dddd, MMMM d, yyyy h:mm:ss tt",
        'g' => "M/d/yyyy h:mm tt",
        'G' => "M/d/yyyy h:mm:ss tt",
        'M' | 'm' => "MMMM d",
        'O' | 'o' => "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
        'R' | 'r' => "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
        's' => "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
        't' => "h:mm tt",
        'T' => "h:mm:ss tt",
        'u' => "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
        'Y' | 'y' => "MMMM yyyy",
        _ => return None,
    })
}

fn tokenize(format: &str) -> Result<Vec<Token>, String> {
    if format.is_empty() {
        return Err("the format is empty".into());
    }
    let chars: Vec<char> = format.chars().collect();
    if chars.len() == 1 {
        let pattern = standard_pattern(chars[0]).ok_or_else(|| {
            format!(
                "'{format}' is not a .NET standard date format (a one-letter format must be one of d D f F g G M O R s t T u U Y)"
            )
        })?;
        return tokenize(pattern);
    }
    let mut tokens = Vec::new();
    let mut i = 0;
    let push_literal = |tokens: &mut Vec<Token>, text: &str| match tokens.last_mut() {
        Some(Token::Literal(existing)) => existing.push_str(text),
        _ => tokens.push(Token::Literal(text.to_string())),
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            'd' | 'f' | 'F' | 'g' | 'h' | 'H' | 'm' | 'M' | 's' | 't' | 'y' | 'z' => {
                let mut count = 1;
                while i + count < chars.len() && chars[i + count] == c {
                    count += 1;
                }
                if matches!(c, 'f' | 'F') && count > 7 {
                    return Err(format!(
                        "'{}' has more than 7 fraction digits",
                        c.to_string().repeat(count)
                    ));
                }
                tokens.push(Token::Field(c, count));
                i += count;
            }
            'K' => {
                tokens.push(Token::Field('K', 1));
                i += 1;
            }
            'Z' => {
                tokens.push(Token::UtcDesignator);
                i += 1;
            }
            '\'' | '"' => {
                let mut text = String::new();
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => {
                            return Err(format!("unterminated quoted text in format '{format}'"))
                        }
                        Some(&q) if q == c => break,
                        Some('\\') => {
                            let escaped = chars.get(j + 1).ok_or_else(|| {
                                format!("format '{format}' ends with a backslash")
                            })?;
                            text.push(*escaped);
                            j += 2;
                        }
                        Some(&other) => {
                            text.push(other);
                            j += 1;
                        }
                    }
                }
                push_literal(&mut tokens, &text);
                i = j + 1;
            }
            '%' => {
                // `%d` is the one-character custom specifier `d`, not the standard format `d`.
                match chars.get(i + 1) {
                    Some(&next) if "dfFghHKmMstyz".contains(next) => {
                        tokens.push(Token::Field(next, 1))
                    }
                    Some(&next) if next != '%' => push_literal(&mut tokens, &next.to_string()),
                    _ => return Err(format!("invalid '%' in format '{format}'")),
                }
                i += 2;
            }
            '\\' => {
                let escaped = chars
                    .get(i + 1)
                    .ok_or_else(|| format!("format '{format}' ends with a backslash"))?;
                push_literal(&mut tokens, &escaped.to_string());
                i += 2;
            }
            other => {
                push_literal(&mut tokens, &other.to_string());
                i += 1;
            }
        }
    }
    Ok(tokens)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Formats `date` with a .NET custom or standard format string (en-US names).
pub(crate) fn format(date: &DateTime<Utc>, kind: DateKind, format: &str) -> Result<String, String> {
    let tokens = tokenize(format)?;
    let d = date.naive_utc();
    let mut out = String::new();
    let ticks = d.nanosecond() / 100;
    for token in tokens {
        match token {
            Token::Literal(text) => out.push_str(&text),
            Token::UtcDesignator => out.push('Z'),
            Token::Field(c, n) => match (c, n) {
                ('d', 1) => out.push_str(&d.day().to_string()),
                ('d', 2) => out.push_str(&format!("{:02}", d.day())),
                ('d', 3) => out.push_str(&DAYS[d.weekday().num_days_from_sunday() as usize][..3]),
                ('d', _) => out.push_str(DAYS[d.weekday().num_days_from_sunday() as usize]),
                ('f', n) => out.push_str(&format!("{ticks:07}")[..n]),
                ('F', n) => {
                    let digits = format!("{ticks:07}");
                    let digits = digits[..n].trim_end_matches('0');
                    if digits.is_empty() {
                        if out.ends_with('.') {
                            out.pop();
                        }
                    } else {
                        out.push_str(digits);
                    }
                }
                ('g', _) => out.push_str("A.D."),
                ('h', n) => {
                    let hour = match d.hour() % 12 {
                        0 => 12,
                        h => h,
                    };
                    out.push_str(&if n == 1 {
                        hour.to_string()
                    } else {
                        format!("{hour:02}")
                    });
                }
                ('H', 1) => out.push_str(&d.hour().to_string()),
                ('H', _) => out.push_str(&format!("{:02}", d.hour())),
                ('K', _) => out.push_str(match kind {
                    DateKind::Unspecified => "",
                    DateKind::Utc => "Z",
                    DateKind::Local => "+00:00",
                }),
                ('m', 1) => out.push_str(&d.minute().to_string()),
                ('m', _) => out.push_str(&format!("{:02}", d.minute())),
                ('M', 1) => out.push_str(&d.month().to_string()),
                ('M', 2) => out.push_str(&format!("{:02}", d.month())),
                ('M', 3) => out.push_str(&MONTHS[d.month0() as usize][..3]),
                ('M', _) => out.push_str(MONTHS[d.month0() as usize]),
                ('s', 1) => out.push_str(&d.second().to_string()),
                ('s', _) => out.push_str(&format!("{:02}", d.second())),
                ('t', 1) => out.push(if d.hour() < 12 { 'A' } else { 'P' }),
                ('t', _) => out.push_str(if d.hour() < 12 { "AM" } else { "PM" }),
                ('y', 1) => out.push_str(&(d.year() % 100).to_string()),
                ('y', 2) => out.push_str(&format!("{:02}", d.year() % 100)),
                ('y', n) => out.push_str(&format!("{:0n$}", d.year())),
                ('z', 1) => out.push_str("+0"),
                ('z', 2) => out.push_str("+00"),
                ('z', _) => out.push_str("+00:00"),
                (other, _) => out.push(other),
            },
        }
    }
    Ok(out)
}

/// Parses `text` with a .NET custom or standard format string, like `DateTime.ParseExact`.
/// `today` fills in a date the format lacks (.NET uses the current date).
pub(crate) fn parse_exact(
    text: &str,
    format: &str,
    styles: Styles,
    today: NaiveDate,
) -> Result<Parsed, String> {
    let tokens = tokenize(format)?;
    let mut input = text;
    if styles.allow_leading_white {
        input = input.trim_start();
    }
    if styles.allow_trailing_white {
        input = input.trim_end();
    }
    let mut cursor = Cursor::new(input);
    let mut fields = Fields::default();
    let mismatch = || format!("'{text}' does not match the format '{format}'");
    for token in &tokens {
        if styles.allow_inner_white {
            cursor.skip_whitespace();
        }
        match token {
            Token::Literal(literal) => {
                for expected in literal.chars() {
                    if expected.is_whitespace() && styles.allow_inner_white {
                        cursor.skip_whitespace();
                        continue;
                    }
                    if cursor.peek() != Some(expected) {
                        return Err(mismatch());
                    }
                    cursor.advance();
                }
            }
            Token::UtcDesignator => {
                if cursor.peek() != Some('Z') {
                    return Err(mismatch());
                }
                cursor.advance();
                fields.offset_minutes = Some(0);
                fields.utc_designator = true;
            }
            Token::Field(c, n) => {
                parse_field(&mut cursor, &mut fields, *c, *n).ok_or_else(mismatch)?;
            }
        }
    }
    if styles.allow_inner_white {
        cursor.skip_whitespace();
    }
    if !cursor.at_end() {
        return Err(mismatch());
    }
    fields.build(text, styles, today)
}

#[derive(Default)]
struct Fields {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    weekday: Option<u32>,
    hour: Option<u32>,
    hour12: bool,
    pm: Option<bool>,
    minute: Option<u32>,
    second: Option<u32>,
    nanos: u32,
    offset_minutes: Option<i64>,
    utc_designator: bool,
}

impl Fields {
    fn build(self, text: &str, styles: Styles, today: NaiveDate) -> Result<Parsed, String> {
        let invalid = || format!("'{text}' is not a valid date");
        let has_date = self.year.is_some() || self.month.is_some() || self.day.is_some();
        let default_date = if !has_date && styles.no_current_date_default {
            NaiveDate::from_ymd_opt(1, 1, 1).ok_or_else(invalid)?
        } else {
            today
        };
        let year = self.year.unwrap_or(default_date.year());
        let month = self
            .month
            .unwrap_or(if has_date { 1 } else { default_date.month() });
        let day = self
            .day
            .unwrap_or(if has_date { 1 } else { default_date.day() });
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(invalid)?;
        if let Some(weekday) = self.weekday {
            if date.weekday().num_days_from_sunday() != weekday {
                return Err(format!(
                    "'{text}': the day of the week does not match the date"
                ));
            }
        }
        let mut hour = self.hour.unwrap_or(0);
        if self.hour12 && !(1..=12).contains(&hour) {
            return Err(invalid());
        }
        match self.pm {
            Some(true) if hour < 12 => hour += 12,
            Some(false) if hour == 12 => hour = 0,
            _ => {}
        }
        if self.pm.is_some() && !self.hour12 && self.hour.is_some_and(|h| h > 12) {
            return Err(invalid());
        }
        let time = NaiveTime::from_hms_nano_opt(
            hour,
            self.minute.unwrap_or(0),
            self.second.unwrap_or(0),
            self.nanos,
        )
        .ok_or_else(invalid)?;
        let local = NaiveDateTime::new(date, time);
        let (utc, kind) = match self.offset_minutes {
            Some(offset) => {
                let kind = if styles.adjust_to_universal
                    || (styles.roundtrip_kind && self.utc_designator)
                {
                    DateKind::Utc
                } else {
                    DateKind::Local
                };
                (local - Duration::minutes(offset), kind)
            }
            None if styles.assume_universal || styles.assume_local => (
                local,
                if styles.adjust_to_universal {
                    DateKind::Utc
                } else {
                    DateKind::Local
                },
            ),
            None => (local, DateKind::Unspecified),
        };
        Ok(Parsed {
            utc: utc.and_utc(),
            kind,
        })
    }
}

fn parse_field(cursor: &mut Cursor, fields: &mut Fields, c: char, n: usize) -> Option<()> {
    // One letter accepts one or two digits; two letters exactly two (as .NET's ParseExact does).
    let small = |cursor: &mut Cursor| {
        if n == 1 {
            cursor.digits_range(1, 2)
        } else {
            cursor.digits_exact(2)
        }
    };
    match c {
        'd' if n <= 2 => fields.day = Some(small(cursor)?),
        'd' => {
            let names: Vec<String> = DAYS
                .iter()
                .map(|d| {
                    if n == 3 {
                        d[..3].to_string()
                    } else {
                        d.to_string()
                    }
                })
                .collect();
            fields.weekday = Some(cursor.one_of(&names)? as u32);
        }
        'f' => fields.nanos = cursor.fraction_nanos(n, n)?,
        'F' => {
            if cursor.peek().is_some_and(|c| c.is_ascii_digit()) {
                fields.nanos = cursor.fraction_nanos(1, n)?;
            }
        }
        'g' => {
            cursor.one_of(&["A.D.".to_string(), "AD".to_string()])?;
        }
        'h' => {
            fields.hour = Some(small(cursor)?);
            fields.hour12 = true;
        }
        'H' => fields.hour = Some(small(cursor)?),
        'm' => fields.minute = Some(small(cursor)?),
        's' => fields.second = Some(small(cursor)?),
        'M' if n <= 2 => fields.month = Some(small(cursor)?),
        'M' => {
            let names: Vec<String> = MONTHS
                .iter()
                .map(|m| {
                    if n == 3 {
                        m[..3].to_string()
                    } else {
                        m.to_string()
                    }
                })
                .collect();
            fields.month = Some(cursor.one_of(&names)? as u32 + 1);
        }
        't' => {
            let names: Vec<String> = if n == 1 {
                vec!["A".into(), "P".into()]
            } else {
                vec!["AM".into(), "PM".into()]
            };
            fields.pm = Some(cursor.one_of(&names)? == 1);
        }
        'y' => {
            let year = match n {
                1 => two_digit_year(cursor.digits_range(1, 2)?),
                2 => two_digit_year(cursor.digits_exact(2)?),
                3 => cursor.digits_range(3, 4)? as i32,
                _ => cursor.digits_exact(n)? as i32,
            };
            fields.year = Some(year);
        }
        'z' => {
            fields.offset_minutes = Some(match n {
                1 | 2 => {
                    let sign = cursor.sign()?;
                    let hours = if n == 1 {
                        cursor.digits_range(1, 2)?
                    } else {
                        cursor.digits_exact(2)?
                    };
                    sign * i64::from(hours) * 60
                }
                _ => cursor.offset_minutes(false)?,
            });
        }
        'K' => match cursor.peek() {
            Some('Z') => {
                cursor.advance();
                fields.offset_minutes = Some(0);
                fields.utc_designator = true;
            }
            Some('+' | '-') => fields.offset_minutes = Some(cursor.offset_minutes(false)?),
            _ => {}
        },
        _ => return None,
    }
    Some(())
}

/// .NET's two-digit-year rule with the Gregorian calendar's `TwoDigitYearMax` of 2049.
fn two_digit_year(yy: u32) -> i32 {
    if yy < 50 {
        2000 + yy as i32
    } else {
        1900 + yy as i32
    }
}

/// A character cursor over the input being parsed.
struct Cursor<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            chars: text.chars().peekable(),
            rest: text,
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.rest.chars().nth(offset)
    }

    fn advance(&mut self) {
        if let Some(c) = self.chars.next() {
            self.rest = &self.rest[c.len_utf8()..];
        }
    }

    fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.advance();
        }
    }

    fn expect(&mut self, c: char) -> Option<()> {
        (self.peek() == Some(c)).then(|| self.advance())
    }

    fn digits_range(&mut self, min: usize, max: usize) -> Option<u32> {
        let mut value: u32 = 0;
        let mut count = 0;
        while count < max {
            match self.peek().filter(char::is_ascii_digit) {
                Some(c) => {
                    value = value.checked_mul(10)?.checked_add(c as u32 - '0' as u32)?;
                    self.advance();
                    count += 1;
                }
                _ => break,
            }
        }
        (count >= min).then_some(value)
    }

    fn digits_exact(&mut self, n: usize) -> Option<u32> {
        self.digits_range(n, n)
    }

    /// Between `min` and `max` fraction digits, as nanoseconds. With `max` of 9 or more, any number of
    /// digits is read and those beyond nanosecond precision are ignored.
    fn fraction_nanos(&mut self, min: usize, max: usize) -> Option<u32> {
        let mut digits = String::new();
        let mut count = 0;
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            if max < 9 && count >= max {
                break;
            }
            if digits.len() < 9 {
                digits.push(c);
            }
            count += 1;
            self.advance();
        }
        if count < min {
            return None;
        }
        while digits.len() < 9 {
            digits.push('0');
        }
        digits.parse().ok()
    }

    fn sign(&mut self) -> Option<i64> {
        match self.peek()? {
            '+' => {
                self.advance();
                Some(1)
            }
            '-' => {
                self.advance();
                Some(-1)
            }
            _ => None,
        }
    }

    /// `±hh`, `±hh:mm` or `±hhmm` (`allow_hours_only`: the bare `±hh` form), in minutes.
    fn offset_minutes(&mut self, allow_hours_only: bool) -> Option<i64> {
        let sign = self.sign()?;
        let hours = self.digits_exact(2)?;
        let minutes = if self.peek() == Some(':') {
            self.advance();
            self.digits_exact(2)?
        } else if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.digits_exact(2)?
        } else if allow_hours_only {
            0
        } else {
            return None;
        };
        if hours > 14 || minutes > 59 {
            return None;
        }
        Some(sign * (i64::from(hours) * 60 + i64::from(minutes)))
    }

    /// Matches one of `names` (case-insensitive, longest first); returns its index.
    fn one_of(&mut self, names: &[String]) -> Option<usize> {
        let mut order: Vec<usize> = (0..names.len()).collect();
        crate::sort::sort_by_key(&mut order, |&i| std::cmp::Reverse(names[i].len()));
        for index in order {
            let name = &names[index];
            let candidate: String = self.rest.chars().take(name.chars().count()).collect();
            if candidate.to_lowercase() == name.to_lowercase() {
                for _ in 0..name.chars().count() {
                    self.advance();
                }
                return Some(index);
            }
        }
        None
    }
}

/// AD FILETIME: 100-nanosecond ticks since 1601-01-01 UTC.
pub(crate) fn from_filetime(ticks: i64) -> Option<DateTime<Utc>> {
    let epoch = NaiveDate::from_ymd_opt(1601, 1, 1)?.and_hms_opt(0, 0, 0)?;
    let seconds = ticks.div_euclid(10_000_000);
    let nanos = ticks.rem_euclid(10_000_000) * 100;
    epoch
        .checked_add_signed(Duration::try_seconds(seconds)?)?
        .checked_add_signed(Duration::nanoseconds(nanos))
        .map(|d| d.and_utc())
}

/// The AD FILETIME of a date.
pub(crate) fn to_filetime(date: &DateTime<Utc>) -> Option<i64> {
    let epoch = NaiveDate::from_ymd_opt(1601, 1, 1)?
        .and_hms_opt(0, 0, 0)?
        .and_utc();
    let span = date.signed_duration_since(epoch);
    let seconds = span.num_seconds();
    let sub_ticks = i64::from(span.subsec_nanos()) / 100;
    seconds.checked_mul(10_000_000)?.checked_add(sub_ticks)
}

#[cfg(test)]
mod tests {
    // The same tests run natively and, under wasm-bindgen-test-runner, in wasm32.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn entra_string_is_en_us_general_format() {
        assert_eq!(
            entra_string(&utc("2021-07-02T15:33:38Z")),
            "7/2/2021 3:33:38 PM"
        );
        assert_eq!(
            entra_string(&utc("2021-07-02T00:05:00Z")),
            "7/2/2021 12:05:00 AM"
        );
    }

    #[test]
    fn iso_forms_with_and_without_offsets() {
        assert_eq!(
            parse_general("2020-03-16-07:00").unwrap().utc,
            utc("2020-03-16T07:00:00Z")
        );
        assert_eq!(
            parse_general("2021-06-30+08:00").unwrap().utc,
            utc("2021-06-29T16:00:00Z")
        );
        let p = parse_general("2009-06-15T01:45:30-07:00").unwrap();
        assert_eq!(
            (p.utc, p.kind),
            (utc("2009-06-15T08:45:30Z"), DateKind::Local)
        );
        let p = parse_general("2021-08-24").unwrap();
        assert_eq!(
            (p.utc, p.kind),
            (utc("2021-08-24T00:00:00Z"), DateKind::Unspecified)
        );
        assert_eq!(
            parse_general("2021-08-24T10:00:00.1234567Z").unwrap().kind,
            DateKind::Utc
        );
        assert_eq!(
            parse_general("8/25/2021 5:41:18 PM").unwrap().utc,
            utc("2021-08-25T17:41:18Z")
        );
        assert_eq!(
            parse_general("20150123105347.0Z").unwrap().utc,
            utc("2015-01-23T10:53:47Z")
        );
        assert!(parse_general("2026-13-01").is_none());
        assert!(parse_general("yesterday").is_none());
    }

    #[test]
    fn custom_formats_round_trip() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let p = parse_exact(
            "20150123105347.1Z",
            "yyyyMMddHHmmss.fZ",
            Styles::entra_default(),
            today,
        )
        .unwrap();
        assert_eq!(p.utc, utc("2015-01-23T10:53:47.1Z"));
        assert_eq!(p.kind, DateKind::Utc);
        assert_eq!(format(&p.utc, p.kind, "yyyy-MM-dd").unwrap(), "2015-01-23");
        assert_eq!(
            format(&p.utc, p.kind, "o").unwrap(),
            "2015-01-23T10:53:47.1000000Z"
        );
        assert_eq!(
            format(&p.utc, p.kind, "dddd, MMM d yy 'at' HH\\h").unwrap(),
            "Friday, Jan 23 15 at 10h"
        );
        assert_eq!(format(&p.utc, p.kind, "s.FFF").unwrap(), "47.1");
        assert_eq!(
            format(&utc("2015-01-23T10:53:47Z"), DateKind::Utc, "ss.FFF").unwrap(),
            "47"
        );
        let p = parse_exact(
            "2020-12-31-08:00",
            "yyyy-MM-ddzzz",
            Styles::entra_default(),
            today,
        )
        .unwrap();
        assert_eq!(p.utc, utc("2020-12-31T08:00:00Z"));
        assert_eq!(
            format(&p.utc, p.kind, "yyyy-MM-ddK").unwrap(),
            "2020-12-31+00:00"
        );
        assert!(parse_exact("2026-13-01", "yyyy-MM-dd", Styles::entra_default(), today).is_err());
        assert!(parse_exact(
            "12/31/2020 11:59:59 PM",
            "M/d/yyyy hh:mm:ss tt",
            Styles::entra_default(),
            today
        )
        .is_ok());
        let p = parse_exact("14:30", "HH:mm", Styles::entra_default(), today).unwrap();
        assert_eq!(p.utc, utc("2026-01-05T14:30:00Z"));
    }

    #[test]
    fn filetime_both_ways() {
        let d = from_filetime(129_699_324_000_000_000).unwrap();
        assert_eq!(d, utc("2012-01-01T23:00:00Z"));
        assert_eq!(to_filetime(&d), Some(129_699_324_000_000_000));
    }
}
