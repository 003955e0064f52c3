//! Text helpers with .NET's behaviour: NormalizeDiacritics' table, `TextInfo.ToTitleCase` word breaking
//! for PCase, culture-aware simple case mapping for ToLower/ToUpper, and Base64.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Microsoft's NormalizeDiacritics table (functions-for-customizing-application-data.md), one row per
/// normalized form: the characters (some are a letter plus combining marks) and what replaces them.
const DIACRITICS: &[(&str, &str)] = &[
    ("ä, à, â, ã, å, á, ą, ă, ā, ā́, ā̀, ā̂, ā̃, ǟ, ā̈, ǡ, a̱, å̄", "a"),
    ("Ä, À, Â, Ã, Å, Á, Ą, Ă, Ā, Ā́, Ā̀, Ā̂, Ā̃, Ǟ, Ā̈, Ǡ, A̱, Å̄", "A"),
    ("æ, ǣ", "ae"),
    ("Æ, Ǣ", "AE"),
    ("ç, č, ć, c̄, c̱", "c"),
    ("Ç, Č, Ć, C̄, C̱", "C"),
    ("ď, d̄, ḏ", "d"),
    ("Ď, D̄, Ḏ", "D"),
    ("ë, è, é, ê, ę, ě, ė, ē, ḗ, ḕ, ē̂, ē̃, ê̄, e̱, ë̄, e̊̄", "e"),
    ("Ë, È, É, Ê, Ę, Ě, Ė, Ē, Ḗ, Ḕ, Ē̂, Ē̃, Ê̄, E̱, Ë̄, E̊̄", "E"),
    ("ğ, ḡ, g̱", "g"),
    ("Ğ, Ḡ, G̱", "G"),
    ("ï, î, ì, í, ı, ī, ī́, ī̀, ī̂, ī̃, i̱", "i"),
    ("Ï, Î, Ì, Í, İ, Ī, Ī́, Ī̀, Ī̂, Ī̃, I̱", "I"),
    ("ľ, ł, l̄, ḹ, ḻ", "l"),
    ("Ł, Ľ, L̄, Ḹ, Ḻ", "L"),
    ("ñ, ń, ň, n̄, ṉ", "n"),
    ("Ñ, Ń, Ň, N̄, Ṉ", "N"),
    ("ö, ò, ő, õ, ô, ó, ō, ṓ, ṑ, ō̂, ō̃, ȫ, ō̈, ǭ, ȭ, ȱ, o̱", "o"),
    ("Ö, Ò, Ő, Õ, Ô, Ó, Ō, Ṓ, Ṑ, Ō̂, Ō̃, Ȫ, Ō̈, Ǭ, Ȭ, Ȱ, O̱", "O"),
    ("ø, ø̄, œ̄", "oe"),
    ("Ø, Ø̄, Œ̄", "OE"),
    ("ř, r̄, ṟ, ṝ", "r"),
    ("Ř, R̄, Ṟ, Ṝ", "R"),
    ("ß", "ss"),
    ("š, ś, ș, ş, s̄, s̱", "s"),
    ("Š, Ś, Ș, Ş, S̄, S̱", "S"),
    ("ť, ț, t̄, ṯ", "t"),
    ("Ť, Ț, T̄, Ṯ", "T"),
    ("ü, ù, û, ú, ů, ű, ū, ū́, ū̀, ū̂, ū̃, u̇̄, ǖ, ṻ, ṳ̄, u̱", "u"),
    ("Ü, Ù, Û, Ú, Ů, Ű, Ū, Ū́, Ū̀, Ū̂, Ū̃, U̇̄, Ǖ, Ṻ, Ṳ̄, U̱", "U"),
    ("ÿ, ý, ȳ, ȳ́, ȳ̀, ȳ̃, y̱", "y"),
    ("Ÿ, Ý, Ȳ, Ȳ́, Ȳ̀, Ȳ̃, Y̱", "Y"),
    ("ź, ž, ż, z̄, ẕ", "z"),
    ("Ź, Ž, Ż, Z̄, Ẕ", "Z"),
];

struct DiacriticTable {
    /// Each table entry (a character, possibly followed by combining marks) and its replacement.
    map: BTreeMap<Vec<char>, &'static str>,
    longest: usize,
}

fn diacritic_table() -> &'static DiacriticTable {
    static TABLE: OnceLock<DiacriticTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = BTreeMap::new();
        for (characters, replacement) in DIACRITICS {
            for entry in characters.split(", ") {
                map.insert(entry.chars().collect::<Vec<char>>(), *replacement);
            }
        }
        let longest = map.keys().map(Vec::len).max().unwrap_or(1);
        DiacriticTable { map, longest }
    })
}

/// NormalizeDiacritics: replaces every entry of Microsoft's table (longest match first); characters
/// outside the table are kept as they are.
pub(crate) fn normalize_diacritics(source: &str) -> String {
    let table = diacritic_table();
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    'outer: while i < chars.len() {
        // Fast path: every table entry that starts with an ASCII letter continues with a combining mark.
        if chars[i].is_ascii() && !chars.get(i + 1).is_some_and(|c| is_combining_mark(*c)) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        for length in (1..=table.longest.min(chars.len() - i)).rev() {
            if let Some(replacement) = table.map.get(&chars[i..i + length]) {
                out.push_str(replacement);
                i += length;
                continue 'outer;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Combining Diacritical Marks (U+0300–U+036F), the marks the table's multi-character entries use.
fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
}

/// The .NET culture rules ctsync distinguishes for ToLower/ToUpper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseCulture {
    /// Invariant and every culture without special casing rules.
    Invariant,
    /// Turkish and Azerbaijani: dotted and dotless i.
    Turkic,
}

/// Reads a culture name like `en-US`, `tr-TR`, `ja-JP` or `ast` (RFC 4646 shape).
pub(crate) fn case_culture(name: &str) -> Result<CaseCulture, String> {
    let mut parts = name.split(['-', '_']);
    let language = parts.next().unwrap_or("");
    let language_ok =
        (2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if !language_ok || !rest_ok {
        return Err(format!(
            "'{name}' is not a culture name (expected languagecode2-country/regioncode2, e.g. en-US)"
        ));
    }
    Ok(match language.to_ascii_lowercase().as_str() {
        "tr" | "az" => CaseCulture::Turkic,
        _ => CaseCulture::Invariant,
    })
}

/// .NET's simple (one character to one character) upper-case mapping.
pub(crate) fn upper_char(c: char, culture: CaseCulture) -> char {
    if culture == CaseCulture::Turkic && c == 'i' {
        return 'İ';
    }
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// .NET's simple lower-case mapping.
pub(crate) fn lower_char(c: char, culture: CaseCulture) -> char {
    match (culture, c) {
        (CaseCulture::Turkic, 'I') => return 'ı',
        (CaseCulture::Turkic, 'İ') => return 'i',
        // The simple lower-case mapping of U+0130 is a plain 'i'.
        (CaseCulture::Invariant, 'İ') => return 'i',
        _ => {}
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

pub(crate) fn to_upper(source: &str, culture: CaseCulture) -> String {
    source.chars().map(|c| upper_char(c, culture)).collect()
}

pub(crate) fn to_lower(source: &str, culture: CaseCulture) -> String {
    source.chars().map(|c| lower_char(c, culture)).collect()
}

struct Categories {
    letter: regex::Regex,
    word_separator: regex::Regex,
}

fn categories() -> &'static Categories {
    static CATEGORIES: OnceLock<Categories> = OnceLock::new();
    CATEGORIES.get_or_init(|| Categories {
        letter: regex::Regex::new(r"^\p{L}$").expect("valid class"),
        // .NET's TextInfo.IsWordSeparator categories.
        word_separator: regex::Regex::new(r"^[\p{Zs}\p{Zl}\p{Zp}\p{Cc}\p{Cf}\p{Pc}\p{Pd}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}\p{Sm}\p{Sc}\p{Sk}\p{So}]$")
            .expect("valid class"),
    })
}

fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    categories().letter.is_match(c.encode_utf8(&mut [0; 4]))
}

fn is_word_separator(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_alphanumeric();
    }
    categories()
        .word_separator
        .is_match(c.encode_utf8(&mut [0; 4]))
}

/// PCase without separators: .NET `TextInfo.ToTitleCase` applied to the lower-cased text. A word starts
/// at a letter and runs over letters, apostrophes and other non-separator characters (digits, marks), so
/// `o'neil` becomes `O'neil` and `3rd` becomes `3Rd`, as in .NET.
pub(crate) fn title_case(source: &str) -> String {
    let lower = to_lower(source, CaseCulture::Invariant);
    let chars: Vec<char> = lower.chars().collect();
    let mut out = String::with_capacity(lower.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !is_letter(c) {
            out.push(c);
            i += 1;
            continue;
        }
        out.push(upper_char(c, CaseCulture::Invariant));
        i += 1;
        while i < chars.len() {
            let next = chars[i];
            if is_letter(next) || next == '\'' || !is_word_separator(next) {
                out.push(next);
                i += 1;
            } else {
                break;
            }
        }
    }
    out
}

/// PCase with separators: only the given characters split words; the first character of each word is
/// upper-cased and the rest lower-cased.
pub(crate) fn title_case_with_separators(source: &str, separators: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut word_start = true;
    for c in source.chars() {
        if separators.contains(c) {
            out.push(c);
            word_start = true;
        } else if word_start {
            out.push(upper_char(c, CaseCulture::Invariant));
            word_start = false;
        } else {
            out.push(lower_char(c, CaseCulture::Invariant));
        }
    }
    out
}

/// Standard Base64 with padding.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (index, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if index <= chunk.len() {
                out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    // The same tests run natively and, under wasm-bindgen-test-runner, in wasm32.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn every_table_row_normalizes() {
        for (characters, replacement) in DIACRITICS {
            for entry in characters.split(", ") {
                assert_eq!(normalize_diacritics(entry), *replacement, "{entry}");
            }
        }
        assert_eq!(
            normalize_diacritics("Zoë Ångström-Łukasiewicz"),
            "Zoe Angstrom-Lukasiewicz"
        );
        assert_eq!(normalize_diacritics("Straße Œuvre"), "Strasse Œuvre");
    }

    #[test]
    fn title_case_follows_dotnet() {
        assert_eq!(
            title_case("PABLO GONSALVES (SECOND)"),
            "Pablo Gonsalves (Second)"
        );
        assert_eq!(
            title_case("o'neil 3rd_avenue x-ray"),
            "O'neil 3Rd_Avenue X-Ray"
        );
        assert_eq!(
            title_case_with_separators("PINTO-DE'SILVA", " '-"),
            "Pinto-De'Silva"
        );
    }

    #[test]
    fn turkish_i() {
        assert_eq!(to_upper("istanbul", CaseCulture::Turkic), "İSTANBUL");
        assert_eq!(to_lower("ISPARTA", CaseCulture::Turkic), "ısparta");
        assert_eq!(to_upper("straße", CaseCulture::Invariant), "STRAßE");
    }
}
