//! Share links: a scenario and where its viewer was (the tick, the selection), packed into the text
//! of a URL fragment. A link is `<version>.<base64url(raw deflate(compact JSON))>`: the version is
//! the scenario format's version (one number and one migration chain for files and links), and the
//! compact JSON is the scenario document in that version's compact shape ([`v1`]).
//!
//! Links are untrusted input. [`decode`] caps the link's length before it decodes anything and the
//! unpacked size while it inflates (a decompression bomb stops at the cap, before more is
//! allocated), expands with a bounded budget, validates the scenario exactly as a file is validated,
//! and answers every problem with a [`LinkError`] that says what is wrong. It never panics.

mod base64url;
mod dictionary;
mod v1;
mod v2;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::scenario::{Scenario, ScenarioError, UserRef, CURRENT_VERSION, MAX_TICKS};

/// The longest link [`decode`] reads, in bytes of text (64 KiB); longer text is refused unread.
pub const MAX_LINK_BYTES: usize = 64 * 1024;

/// The most bytes a link's data may inflate to (4 MiB); inflating stops there.
pub const MAX_INFLATED_BYTES: usize = 4 * 1024 * 1024;

/// The most bytes expanding the compact shape may add to the inflated text (4 MiB): derived
/// attributes and dictionary words, counted as they are created.
pub const MAX_EXPANSION_BYTES: usize = 4 * 1024 * 1024;

/// The bounds [`decode_with`] applies: the text's length, the inflated size, and what expanding the
/// compact shape may add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub text_bytes: usize,
    pub inflated_bytes: usize,
    pub expansion_bytes: usize,
}

/// The bounds of a link from anywhere: [`MAX_LINK_BYTES`], [`MAX_INFLATED_BYTES`],
/// [`MAX_EXPANSION_BYTES`].
pub const LINK_LIMITS: Limits = Limits {
    text_bytes: MAX_LINK_BYTES,
    inflated_bytes: MAX_INFLATED_BYTES,
    expansion_bytes: MAX_EXPANSION_BYTES,
};

/// The bounds of text in the link form that the user's own browser storage holds (the playground's
/// autosave): a scenario of 10,000 users packs to more than a link may hold, and storage is not
/// untrusted input from elsewhere, but it is still bounded (32 MiB of text, 256 MiB unpacked).
pub const STORED_LIMITS: Limits = Limits {
    text_bytes: 32 * 1024 * 1024,
    inflated_bytes: 256 * 1024 * 1024,
    expansion_bytes: 256 * 1024 * 1024,
};

/// The length a link's fragment (`#` included) should stay within to fit a chat message; the
/// playground warns above it.
pub const CHAT_LINK_CHARS: usize = 2000;

/// The deflate level links are written with: miniz's best (10). Part of what makes a link the same
/// on every platform; changing it changes new links, never how old links decode.
const DEFLATE_LEVEL: u8 = 10;

/// Where the viewer was: the tick on the timeline and what was selected. Never derived state: the
/// simulation is replayed from the scenario.
///
/// Links of every version are read with this type, so fields and kinds of selection may only be
/// added (with defaults), never renamed or removed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ViewState {
    /// The tick being viewed, as the playground's tick counter shows it: the tick that runs next
    /// (the page shows the state before its cycles, with its timeline commands applied).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tick: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<Selection>,
}

/// What the viewer had selected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Selection {
    /// A tenant, by scenario id.
    Tenant(String),
    /// A sync job, by id.
    Job(String),
    /// A user of a tenant: `adele`, or `contoso/adele` for the account whose home is contoso's adele.
    User { tenant: String, user: UserRef },
}

/// Why a link cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the link is empty")]
    Empty,
    #[error("the link is {length} bytes long; a link may have at most {limit}")]
    TooLong { length: usize, limit: usize },
    #[error("the link does not start with a version such as '1.'; it is not a ctsync scenario link, or its start is missing")]
    BadPrefix,
    #[error("the link has format version {found}, which this ctsync does not read (versions 1 to {newest}); a newer ctsync may have made it")]
    UnknownVersion { found: u64, newest: u32 },
    #[error("the link is not base64url at position {position}: '{character}' (positions count characters from 1)")]
    NotBase64Url { position: usize, character: char },
    #[error("the link's data is truncated; the link was probably cut short when it was copied")]
    Truncated,
    #[error("the link's data is corrupt (not valid deflate data); the link was probably altered")]
    Corrupt,
    #[error("the link's data unpacks to more than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the link's content is malformed: {0}")]
    Malformed(String),
    #[error("the link's scenario is invalid: {0}")]
    InvalidScenario(ScenarioError),
    #[error("the link's view is invalid: {0}")]
    InvalidView(String),
}

/// Packs a scenario and a view into the text of a URL fragment (without the `#`).
///
/// The result is a function of its inputs only: the same scenario gives the same link on every
/// platform, natively and in wasm32.
pub fn encode(scenario: &Scenario, view: &ViewState) -> String {
    // Parsed back from the compact text rather than `to_value`: the same value (objects' keys are
    // sorted either way), and the wasm needs no second serializer of the scenario's types.
    let document = match serde_json::from_slice(&scenario.to_json_compact()) {
        Ok(Value::Object(map)) => map,
        _ => unreachable!("a scenario serializes to a JSON object"),
    };
    let profile = Profile::of(CURRENT_VERSION).expect("the current version has a link profile");
    let coder = dictionary::Coder::new(profile.dictionary);
    let mut payload = vec![coder.encode(Value::Object((profile.compact)(document)))];
    if *view != ViewState::default() {
        let view = serde_json::to_value(view).expect("a view serializes");
        payload.push(coder.encode(view));
    }
    let text = serde_json::to_string(&payload).expect("JSON values serialize");
    let deflated = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), DEFLATE_LEVEL);
    format!("{CURRENT_VERSION}.{}", base64url::encode(&deflated))
}

/// Unpacks a link into the scenario (migrated to the current version and validated like a file)
/// and the view. `link` may be a whole URL, a fragment with its `#`, or the bare fragment text;
/// whitespace around it is ignored.
pub fn decode(link: &str) -> Result<(Scenario, ViewState), LinkError> {
    decode_with(link, &LINK_LIMITS)
}

/// [`decode`] within other bounds (e.g. [`STORED_LIMITS`] for what the playground stored itself).
pub fn decode_with(link: &str, limits: &Limits) -> Result<(Scenario, ViewState), LinkError> {
    if link.len() > limits.text_bytes {
        return Err(LinkError::TooLong {
            length: link.len(),
            limit: limits.text_bytes,
        });
    }
    let (offset, text) = fragment(link);
    if text.is_empty() {
        return Err(LinkError::Empty);
    }
    let (version, data) = text.split_once('.').ok_or(LinkError::BadPrefix)?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::BadPrefix);
    }
    let found = version.parse::<u64>().unwrap_or(u64::MAX);
    let profile =
        u32::try_from(found)
            .ok()
            .and_then(Profile::of)
            .ok_or(LinkError::UnknownVersion {
                found,
                newest: CURRENT_VERSION,
            })?;
    let deflated = base64url::decode(data).map_err(|e| match e {
        base64url::Base64Error::InvalidCharacter { index, character } => LinkError::NotBase64Url {
            position: offset + version.chars().count() + 1 + index + 1,
            character,
        },
        base64url::Base64Error::Truncated => LinkError::Truncated,
    })?;
    if deflated.is_empty() {
        return Err(LinkError::Truncated);
    }
    let inflated =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, limits.inflated_bytes)
            .map_err(|e| match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge {
                    limit: limits.inflated_bytes,
                },
                miniz_oxide::inflate::TINFLStatus::FailedCannotMakeProgress => LinkError::Truncated,
                _ => LinkError::Corrupt,
            })?;
    let payload: Value = serde_json::from_slice(&inflated)
        .map_err(|e| LinkError::Malformed(format!("not JSON ({e})")))?;
    let (scenario, view) = match payload {
        Value::Array(mut parts) if (1..=2).contains(&parts.len()) => {
            let view = if parts.len() == 2 { parts.pop() } else { None };
            (parts.pop().expect("one part at least"), view)
        }
        _ => {
            return Err(LinkError::Malformed(
                "expected a list of the scenario and, optionally, the view".into(),
            ))
        }
    };
    let mut budget = Budget::new(limits.expansion_bytes);
    let coder = dictionary::Coder::new(profile.dictionary);
    let Value::Object(document) = coder.decode(scenario, &mut budget)? else {
        return Err(LinkError::Malformed("the scenario is not an object".into()));
    };
    let mut document = (profile.expand)(document, &mut budget)?;
    document.insert("version".into(), Value::from(profile.version));
    let scenario =
        Scenario::from_document(Value::Object(document)).map_err(LinkError::InvalidScenario)?;
    let view = match view {
        None => ViewState::default(),
        Some(view) => {
            let view = coder.decode(view, &mut budget)?;
            serde_json::from_value::<ViewState>(view)
                .map_err(|e| LinkError::InvalidView(e.to_string()))?
        }
    };
    if view.tick > MAX_TICKS {
        return Err(LinkError::InvalidView(format!(
            "tick {} is beyond the limit of {MAX_TICKS}",
            view.tick
        )));
    }
    Ok((scenario, view))
}

/// Whether a command-line argument or a pasted text is meant as a link rather than a file name:
/// it contains a `#`, or it is a version prefix followed by base64url (at least 16 characters,
/// so that a short file name like `1.json` is not taken for one).
pub fn looks_like_link(text: &str) -> bool {
    let text = text.trim();
    if text.contains('#') {
        return true;
    }
    match text.split_once('.') {
        Some((version, data)) => {
            !version.is_empty()
                && version.bytes().all(|b| b.is_ascii_digit())
                && data.len() >= 16
                && data
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        None => false,
    }
}

/// The link text after the last `#` (or all of it), trimmed, with the number of characters before
/// it in `link`, so that positions in errors count from the start of what the user gave.
fn fragment(link: &str) -> (usize, &str) {
    let start = link.rfind('#').map_or(0, |i| i + 1);
    let rest = &link[start..];
    let trimmed_start = rest.trim_start();
    let skipped = link.len() - trimmed_start.len();
    (link[..skipped].chars().count(), trimmed_start.trim_end())
}

/// A short fingerprint of a scenario's content: 16 hex digits of FNV-1a (64 bits) over its
/// canonical JSON (the file form, defaults omitted). Equal scenarios have equal hashes on every
/// platform and in every session; the playground finds a link it already opened by it. Not a
/// security measure: anyone can make a scenario with a given hash.
pub fn content_hash(scenario: &Scenario) -> String {
    let json = scenario.to_json_compact();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in json {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// A scenario document as a JSON object.
type Document = Map<String, Value>;

/// The compact shape of one format version: its dictionaries and its structural rules. Frozen once
/// a link of that version exists.
struct Profile {
    version: u32,
    dictionary: &'static dictionary::Dictionary,
    compact: fn(Document) -> Document,
    expand: fn(Document, &mut Budget) -> Result<Document, LinkError>,
}

impl Profile {
    /// The profile links of `version` are written and read with.
    fn of(version: u32) -> Option<Profile> {
        match version {
            1 => Some(Profile {
                version: 1,
                dictionary: &v1::DICTIONARY,
                compact: v1::compact,
                expand: v1::expand,
            }),
            // Version 2 added downstream apps and lessons to the format; version 1's rules still
            // fit, with a dictionary that appends the new words.
            2 => Some(Profile {
                version: 2,
                dictionary: &v2::DICTIONARY,
                compact: v1::compact,
                expand: v1::expand,
            }),
            _ => None,
        }
    }
}

/// What expansion may still add, in bytes; spending past it is [`LinkError::TooLarge`].
pub(crate) struct Budget {
    remaining: usize,
    limit: usize,
}

impl Budget {
    fn new(limit: usize) -> Budget {
        Budget {
            remaining: limit,
            limit,
        }
    }

    fn spend(&mut self, bytes: usize) -> Result<(), LinkError> {
        self.remaining = self
            .remaining
            .checked_sub(bytes)
            .ok_or(LinkError::TooLarge { limit: self.limit })?;
        Ok(())
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests;
