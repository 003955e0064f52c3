//! Date functions: CDate, DateAdd, DateDiff (VB.NET's DateAndTime rules), DateFromNum, FormatDateTime,
//! Now, NumFromDate.

use chrono::{DateTime, Datelike, Duration, Months, Utc};

use super::Function;
use crate::expr::datetime::{self, DateKind, Styles};
use crate::expr::eval::{Abort, Evaluator};
use crate::expr::syntax::FunctionCall;
use crate::expr::value::Value;

pub(super) fn call(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Value, Abort> {
    use Function as F;
    match call.function {
        F::Now => Ok(Value::Date(ev.context.now)),
        F::CDate => {
            let value = ev.arg(call, 0)?;
            Ok(match Evaluator::date(call, "expression", value)? {
                Some(date) => Value::Date(date),
                None => Value::Null,
            })
        }
        F::DateAdd => {
            let interval = interval_arg(ev, call)?;
            let amount = ev.arg(call, 1)?;
            let amount = Evaluator::integer(call, "value", amount)?;
            let date = ev.arg(call, 2)?;
            let date = Evaluator::date(call, "dateTime", date)?;
            let (Some(amount), Some(date)) = (amount, date) else {
                return Ok(Value::Null);
            };
            date_add(interval, amount, date)
                .map(Value::Date)
                .ok_or_else(|| {
                    Evaluator::fail(
                        call,
                        format!(
                            "adding {amount} '{}' leaves the supported date range",
                            interval.code()
                        ),
                    )
                })
        }
        F::DateDiff => {
            let interval = interval_arg(ev, call)?;
            let first = ev.arg(call, 1)?;
            let first = Evaluator::date(call, "date1", first)?;
            let second = ev.arg(call, 2)?;
            let second = Evaluator::date(call, "date2", second)?;
            let (Some(first), Some(second)) = (first, second) else {
                return Ok(Value::Null);
            };
            Ok(Value::Number(date_diff(interval, first, second)))
        }
        F::DateFromNum => {
            let value = ev.arg(call, 0)?;
            let Some(ticks) = Evaluator::integer(call, "value", value)? else {
                return Ok(Value::Null);
            };
            if ticks < 0 {
                return Err(Evaluator::fail(
                    call,
                    format!("{ticks} is not an AD date (ticks since 1601 cannot be negative)"),
                ));
            }
            datetime::from_filetime(ticks)
                .map(Value::Date)
                .ok_or_else(|| {
                    Evaluator::fail(call, format!("{ticks} is outside the supported date range"))
                })
        }
        F::NumFromDate => {
            let value = ev.arg(call, 0)?;
            let Some(date) = Evaluator::date(call, "value", value)? else {
                return Ok(Value::Null);
            };
            datetime::to_filetime(&date)
                .filter(|ticks| *ticks >= 0)
                .map(Value::Number)
                .ok_or_else(|| {
                    Evaluator::fail(call, "the date is before 1601, which AD cannot represent")
                })
        }
        F::FormatDateTime => format_date_time(ev, call),
        other => unreachable!("{} is not a date function", other.name()),
    }
}

/// FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat), or the older three-argument form
/// without dateTimeStyles. The source is parsed with inputFormat; when that fails, with the general
/// formats (ISO 8601, `M/d/yyyy h:mm:ss tt`, AD generalized time); anything else is an error naming it.
fn format_date_time(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Value, Abort> {
    let (styles_index, input_index, output_index) = if call.args.len() == 3 {
        (None, 1, 2)
    } else {
        (Some(1), 2, 3)
    };
    let source = ev.arg(call, 0)?;
    let styles = match styles_index {
        Some(index) => {
            let value = ev.arg(call, index)?;
            Evaluator::single_string(call, "dateTimeStyles", value)?
        }
        None => None,
    };
    let input_format = ev.arg(call, input_index)?;
    let input_format =
        Evaluator::single_string(call, "inputFormat", input_format)?.unwrap_or_default();
    let output_format = ev.arg(call, output_index)?;
    let output_format =
        Evaluator::single_string(call, "outputFormat", output_format)?.unwrap_or_default();
    let styles = match styles.as_deref().map(str::trim) {
        None | Some("") => Styles::entra_default(),
        Some(text) => Styles::parse(text)
            .map_err(|message| Evaluator::fail(call, format!("dateTimeStyles: {message}")))?,
    };
    let (date, kind) = match source {
        Value::Date(date) => (date, DateKind::Utc),
        other => {
            let Some(text) = Evaluator::single_string(call, "source", other)? else {
                return Ok(Value::Null);
            };
            let today = ev.context.now.date_naive();
            match datetime::parse_exact(&text, &input_format, styles, today) {
                Ok(parsed) => (parsed.utc, parsed.kind),
                Err(format_error) => match datetime::parse_general(&text) {
                    Some(parsed) => (parsed.utc, parsed.kind),
                    None => {
                        return Err(Evaluator::fail(
                            call,
                            format!("cannot parse '{text}' with format '{input_format}' ({format_error}), nor as ISO 8601, M/d/yyyy h:mm:ss tt or yyyyMMddHHmmss.0Z"),
                        ))
                    }
                },
            }
        }
    };
    datetime::format(&date, kind, &output_format)
        .map(Value::String)
        .map_err(|message| Evaluator::fail(call, format!("outputFormat: {message}")))
}

/// The interval codes of DateAdd and DateDiff (VB's `DateInterval`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Interval {
    Year,
    Quarter,
    Month,
    DayOfYear,
    Day,
    Weekday,
    WeekOfYear,
    Hour,
    Minute,
    Second,
}

impl Interval {
    fn from_code(code: &str) -> Option<Interval> {
        Some(match code {
            "yyyy" => Interval::Year,
            "q" => Interval::Quarter,
            "m" => Interval::Month,
            "y" => Interval::DayOfYear,
            "d" => Interval::Day,
            "w" => Interval::Weekday,
            "ww" => Interval::WeekOfYear,
            "h" => Interval::Hour,
            "n" => Interval::Minute,
            "s" => Interval::Second,
            _ => return None,
        })
    }

    fn code(self) -> &'static str {
        match self {
            Interval::Year => "yyyy",
            Interval::Quarter => "q",
            Interval::Month => "m",
            Interval::DayOfYear => "y",
            Interval::Day => "d",
            Interval::Weekday => "w",
            Interval::WeekOfYear => "ww",
            Interval::Hour => "h",
            Interval::Minute => "n",
            Interval::Second => "s",
        }
    }
}

fn interval_arg(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Interval, Abort> {
    let value = ev.arg(call, 0)?;
    let code = Evaluator::single_string(call, "interval", value)?.unwrap_or_default();
    Interval::from_code(code.trim()).ok_or_else(|| {
        Evaluator::fail(
            call,
            format!("interval '{code}' is invalid; use yyyy (year), m (month), d (day), ww (week), h (hour), n (minute) or s (second)"),
        )
    })
}

/// VB's DateAdd: months and years keep the day, clamped to the end of a shorter month.
fn date_add(interval: Interval, amount: i64, date: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let add_months = |months: i64| -> Option<DateTime<Utc>> {
        let magnitude = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
        if months >= 0 {
            date.checked_add_months(magnitude)
        } else {
            date.checked_sub_months(magnitude)
        }
    };
    let add = |duration: Option<Duration>| date.checked_add_signed(duration?);
    match interval {
        Interval::Year => add_months(amount.checked_mul(12)?),
        Interval::Quarter => add_months(amount.checked_mul(3)?),
        Interval::Month => add_months(amount),
        Interval::Day | Interval::DayOfYear | Interval::Weekday => add(Duration::try_days(amount)),
        Interval::WeekOfYear => add(Duration::try_weeks(amount)),
        Interval::Hour => add(Duration::try_hours(amount)),
        Interval::Minute => add(Duration::try_minutes(amount)),
        Interval::Second => add(Duration::try_seconds(amount)),
    }
}

/// VB.NET's `DateAndTime.DateDiff`: days, hours, minutes and seconds are whole elapsed units (truncated
/// toward zero); years, quarters and months count calendar boundaries; `ww` counts Sunday-started weeks.
/// Reproduces Microsoft's table, e.g. 8/25/2021 5:41:18 PM → 2012-03-16-07:00 is -9 years, -113 months,
/// -493 weeks and -3449 days.
fn date_diff(interval: Interval, first: DateTime<Utc>, second: DateTime<Utc>) -> i64 {
    let span = second.signed_duration_since(first);
    let whole_days = span.num_days();
    match interval {
        Interval::Year => i64::from(second.year() - first.year()),
        Interval::Quarter => {
            let quarter = |d: &DateTime<Utc>| i64::from(d.year()) * 4 + i64::from(d.month0() / 3);
            quarter(&second) - quarter(&first)
        }
        Interval::Month => {
            let month = |d: &DateTime<Utc>| i64::from(d.year()) * 12 + i64::from(d.month0());
            month(&second) - month(&first)
        }
        Interval::Day | Interval::DayOfYear => whole_days,
        Interval::Weekday => whole_days / 7,
        Interval::WeekOfYear => {
            let week_start = |d: DateTime<Utc>| {
                d - Duration::days(i64::from(d.weekday().num_days_from_sunday()))
            };
            week_start(second)
                .signed_duration_since(week_start(first))
                .num_days()
                / 7
        }
        Interval::Hour => span.num_hours(),
        Interval::Minute => span.num_minutes(),
        Interval::Second => span.num_seconds(),
    }
}
