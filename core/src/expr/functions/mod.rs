//! The function catalogue: every function ctsync knows, its signature (Graph parameter keys, argument
//! counts, which arguments may be left empty), and the dispatch from a call to its implementation.
//!
//! Parameter keys are the engine's own names where Graph publishes them (`functions-schema-full.json`:
//! `Replace(source, Find, RegularExpression, …)`, `Switch(source, defaultValue, switchValue*)`), and the
//! names of Microsoft's function reference elsewhere.

mod dates;
mod logic;
mod misc;
mod replace;
mod strings;

use super::eval::{Abort, Evaluator};
use super::syntax::FunctionCall;
use super::value::Value;

pub(crate) use replace::check_static_replace;

/// Every function of Entra's expression language that ctsync parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Function {
    AltSecIdFromNetId,
    Append,
    AppRoleAssignments,
    AppRoleAssignmentsComplex,
    AssertiveAppRoleAssignmentsComplex,
    BitAnd,
    CBool,
    CDate,
    Coalesce,
    ConvertToBase64,
    ConvertToUTF8Hex,
    Count,
    CStr,
    DateAdd,
    DateDiff,
    DateFromNum,
    FormatDateTime,
    Guid,
    IgnoreFlowIfNullOrEmpty,
    IIF,
    InStr,
    IsNothing,
    IsNull,
    IsNullOrEmpty,
    IsPresent,
    IsString,
    Item,
    Join,
    Left,
    Mid,
    NormalizeDiacritics,
    Not,
    Now,
    NumFromDate,
    PCase,
    Prepend,
    RandomString,
    Redact,
    RemoveDuplicates,
    Replace,
    SelectUniqueValue,
    SingleAppRoleAssignment,
    Split,
    StripSpaces,
    Switch,
    ToLower,
    ToUpper,
    Word,
}

/// A function's signature.
#[derive(Debug)]
pub(crate) struct Signature {
    /// Parameter keys in order. When `repeats` is set, the last key repeats.
    pub keys: &'static [&'static str],
    pub min_args: usize,
    /// `usize::MAX` for functions with a repeating parameter.
    pub max_args: usize,
    pub repeats: bool,
    /// Positions (0-based) that may be left empty between commas.
    pub optional: &'static [usize],
    /// Print and read every positional slot, as Microsoft's examples always write them
    /// (`Replace(source, , , , , , )` has seven).
    pub all_slots: bool,
}

const fn sig(
    keys: &'static [&'static str],
    min_args: usize,
    max_args: usize,
    optional: &'static [usize],
) -> Signature {
    Signature {
        keys,
        min_args,
        max_args,
        repeats: false,
        optional,
        all_slots: false,
    }
}

const fn repeating(
    keys: &'static [&'static str],
    min_args: usize,
    optional: &'static [usize],
) -> Signature {
    Signature {
        keys,
        min_args,
        max_args: usize::MAX,
        repeats: true,
        optional,
        all_slots: false,
    }
}

const ALL: &[Function] = &[
    Function::AltSecIdFromNetId,
    Function::Append,
    Function::AppRoleAssignments,
    Function::AppRoleAssignmentsComplex,
    Function::AssertiveAppRoleAssignmentsComplex,
    Function::BitAnd,
    Function::CBool,
    Function::CDate,
    Function::Coalesce,
    Function::ConvertToBase64,
    Function::ConvertToUTF8Hex,
    Function::Count,
    Function::CStr,
    Function::DateAdd,
    Function::DateDiff,
    Function::DateFromNum,
    Function::FormatDateTime,
    Function::Guid,
    Function::IgnoreFlowIfNullOrEmpty,
    Function::IIF,
    Function::InStr,
    Function::IsNothing,
    Function::IsNull,
    Function::IsNullOrEmpty,
    Function::IsPresent,
    Function::IsString,
    Function::Item,
    Function::Join,
    Function::Left,
    Function::Mid,
    Function::NormalizeDiacritics,
    Function::Not,
    Function::Now,
    Function::NumFromDate,
    Function::PCase,
    Function::Prepend,
    Function::RandomString,
    Function::Redact,
    Function::RemoveDuplicates,
    Function::Replace,
    Function::SelectUniqueValue,
    Function::SingleAppRoleAssignment,
    Function::Split,
    Function::StripSpaces,
    Function::Switch,
    Function::ToLower,
    Function::ToUpper,
    Function::Word,
];

impl Function {
    /// Every function, in alphabetical order of the enum.
    pub fn all() -> &'static [Function] {
        ALL
    }

    /// The function's name as Entra spells it.
    pub fn name(self) -> &'static str {
        match self {
            Function::AltSecIdFromNetId => "AltSecIdFromNetId",
            Function::Append => "Append",
            Function::AppRoleAssignments => "AppRoleAssignments",
            Function::AppRoleAssignmentsComplex => "AppRoleAssignmentsComplex",
            Function::AssertiveAppRoleAssignmentsComplex => "AssertiveAppRoleAssignmentsComplex",
            Function::BitAnd => "BitAnd",
            Function::CBool => "CBool",
            Function::CDate => "CDate",
            Function::Coalesce => "Coalesce",
            Function::ConvertToBase64 => "ConvertToBase64",
            Function::ConvertToUTF8Hex => "ConvertToUTF8Hex",
            Function::Count => "Count",
            Function::CStr => "CStr",
            Function::DateAdd => "DateAdd",
            Function::DateDiff => "DateDiff",
            Function::DateFromNum => "DateFromNum",
            Function::FormatDateTime => "FormatDateTime",
            Function::Guid => "Guid",
            Function::IgnoreFlowIfNullOrEmpty => "IgnoreFlowIfNullOrEmpty",
            Function::IIF => "IIF",
            Function::InStr => "InStr",
            Function::IsNothing => "IsNothing",
            Function::IsNull => "IsNull",
            Function::IsNullOrEmpty => "IsNullOrEmpty",
            Function::IsPresent => "IsPresent",
            Function::IsString => "IsString",
            Function::Item => "Item",
            Function::Join => "Join",
            Function::Left => "Left",
            Function::Mid => "Mid",
            Function::NormalizeDiacritics => "NormalizeDiacritics",
            Function::Not => "Not",
            Function::Now => "Now",
            Function::NumFromDate => "NumFromDate",
            Function::PCase => "PCase",
            Function::Prepend => "Prepend",
            Function::RandomString => "RandomString",
            Function::Redact => "Redact",
            Function::RemoveDuplicates => "RemoveDuplicates",
            Function::Replace => "Replace",
            Function::SelectUniqueValue => "SelectUniqueValue",
            Function::SingleAppRoleAssignment => "SingleAppRoleAssignment",
            Function::Split => "Split",
            Function::StripSpaces => "StripSpaces",
            Function::Switch => "Switch",
            Function::ToLower => "ToLower",
            Function::ToUpper => "ToUpper",
            Function::Word => "Word",
        }
    }

    /// Looks a function up by its exact, case-sensitive name. `AltSecidFromNetid` is accepted as well:
    /// Entra prints the cross-tenant matching function with both spellings.
    pub fn from_name(name: &str) -> Option<Function> {
        if name == "AltSecidFromNetid" {
            return Some(Function::AltSecIdFromNetId);
        }
        ALL.iter().copied().find(|f| f.name() == name)
    }

    /// A function whose name differs from `name` only in letter case, for "did you mean" hints.
    pub fn from_name_ignoring_case(name: &str) -> Option<Function> {
        ALL.iter()
            .copied()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    pub(crate) fn signature(self) -> Signature {
        use Function as F;
        match self {
            F::AltSecIdFromNetId => sig(&["source"], 1, 1, &[]),
            F::Append => sig(&["source", "suffix"], 2, 2, &[]),
            F::AppRoleAssignments
            | F::AppRoleAssignmentsComplex
            | F::AssertiveAppRoleAssignmentsComplex
            | F::SingleAppRoleAssignment => sig(&["source"], 1, 1, &[]),
            F::BitAnd => sig(&["value1", "value2"], 2, 2, &[]),
            F::CBool | F::IsNull | F::IsNullOrEmpty | F::IsPresent | F::IsString => {
                sig(&["Expression"], 1, 1, &[])
            }
            F::CDate => sig(&["expression"], 1, 1, &[]),
            F::IgnoreFlowIfNullOrEmpty => sig(&["expression"], 1, 1, &[]),
            F::Coalesce => repeating(&["source"], 1, &[]),
            F::ConvertToBase64
            | F::ConvertToUTF8Hex
            | F::NormalizeDiacritics
            | F::Redact
            | F::StripSpaces
            | F::IsNothing
            | F::Not => sig(&["source"], 1, 1, &[]),
            F::Count | F::RemoveDuplicates => sig(&["attribute"], 1, 1, &[]),
            F::CStr => sig(&["value"], 1, 1, &[]),
            F::DateAdd => sig(&["interval", "value", "dateTime"], 3, 3, &[]),
            F::DateDiff => sig(&["interval", "date1", "date2"], 3, 3, &[]),
            F::DateFromNum | F::NumFromDate => sig(&["value"], 1, 1, &[]),
            // Three arguments is the older form Graph's function list still shows (source,
            // inputFormat, outputFormat); four adds dateTimeStyles in second place.
            F::FormatDateTime => sig(
                &["source", "dateTimeStyles", "inputFormat", "outputFormat"],
                3,
                4,
                &[1],
            ),
            F::Guid | F::Now => sig(&[], 0, 0, &[]),
            F::IIF => sig(&["condition", "valueIfTrue", "valueIfFalse"], 3, 3, &[]),
            F::InStr => sig(&["value1", "value2", "start", "compareType"], 2, 4, &[2, 3]),
            F::Item => sig(&["attribute", "index"], 2, 2, &[]),
            F::Join => repeating(&["separator", "source"], 2, &[]),
            F::Left => sig(&["String", "NumChars"], 2, 2, &[]),
            F::Mid => sig(&["source", "start", "length"], 3, 3, &[]),
            F::PCase => sig(&["source", "wordSeparators"], 1, 2, &[1]),
            F::Prepend => sig(&["prefix", "source"], 2, 2, &[]),
            F::RandomString => sig(
                &[
                    "Length",
                    "MinimumNumbers",
                    "MinimumSpecialCharacters",
                    "MinimumCapital",
                    "MinimumLowerCase",
                    "CharactersToAvoid",
                ],
                5,
                6,
                &[5],
            ),
            F::Replace => Signature {
                all_slots: true,
                ..sig(
                    &[
                        "source",
                        "Find",
                        "RegularExpression",
                        "RegularExpressionGroupName",
                        "Replacement",
                        "ReplacementPropertyName",
                        "Template",
                    ],
                    3,
                    7,
                    &[1, 2, 3, 4, 5, 6],
                )
            },
            F::SelectUniqueValue => repeating(&["uniqueValueRule"], 2, &[]),
            F::Split => sig(&["source", "delimiter"], 2, 2, &[]),
            F::Switch => repeating(&["source", "defaultValue", "switchValue"], 4, &[1]),
            F::ToLower | F::ToUpper => sig(&["source", "culture"], 1, 2, &[1]),
            F::Word => sig(&["String", "WordNumber", "Delimiters"], 3, 3, &[]),
        }
    }

    /// The Graph parameter key of argument `index` in a call with `arg_count` arguments.
    pub(crate) fn key_at(self, index: usize, arg_count: usize) -> &'static str {
        let signature = self.signature();
        if self == Function::FormatDateTime && arg_count == 3 {
            return ["source", "inputFormat", "outputFormat"][index];
        }
        let last = signature.keys.len() - 1;
        signature.keys[index.min(last)]
    }
}

/// Evaluates one call of a function; the evaluator handles arguments, nulls and the quirks it owns.
pub(crate) fn call(ev: &mut Evaluator<'_, '_>, call: &FunctionCall) -> Result<Value, Abort> {
    use Function as F;
    match call.function {
        F::Append
        | F::Prepend
        | F::Join
        | F::Left
        | F::Mid
        | F::Word
        | F::Split
        | F::StripSpaces
        | F::ToLower
        | F::ToUpper
        | F::PCase
        | F::NormalizeDiacritics
        | F::InStr
        | F::ConvertToBase64
        | F::ConvertToUTF8Hex
        | F::CStr
        | F::Count
        | F::Item
        | F::RemoveDuplicates => strings::call(ev, call),
        F::CDate
        | F::DateAdd
        | F::DateDiff
        | F::DateFromNum
        | F::FormatDateTime
        | F::Now
        | F::NumFromDate => dates::call(ev, call),
        F::IIF
        | F::Switch
        | F::Coalesce
        | F::CBool
        | F::Not
        | F::IsNull
        | F::IsNothing
        | F::IsNullOrEmpty
        | F::IsPresent
        | F::IsString
        | F::IgnoreFlowIfNullOrEmpty
        | F::BitAnd => logic::call(ev, call),
        F::Replace => replace::call(ev, call),
        F::Guid
        | F::RandomString
        | F::Redact
        | F::SelectUniqueValue
        | F::SingleAppRoleAssignment
        | F::AppRoleAssignments
        | F::AppRoleAssignmentsComplex
        | F::AssertiveAppRoleAssignmentsComplex
        | F::AltSecIdFromNetId => misc::call(ev, call),
    }
}
