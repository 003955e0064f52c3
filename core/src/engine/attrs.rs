//! Attribute names and values of directory objects. Names are interned to small ids so that the
//! per-user work of a cycle (scoping, mapping, comparing) is index lookups, not string compares;
//! values are reference-counted so copying them into the target and into the log is cheap.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// An interned attribute name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttrId(pub u16);

macro_rules! known_attributes {
    ($($konst:ident = $name:literal),* $(,)?) => {
        /// Attributes the engine itself reads or writes, interned first in every simulation.
        pub mod known {
            use super::AttrId;
            known_attributes!(@consts 0u16; $($konst,)*);
        }
        const KNOWN_NAMES: &[&str] = &[$($name),*];
    };
    (@consts $n:expr; $konst:ident, $($rest:ident,)*) => {
        pub const $konst: AttrId = AttrId($n);
        known_attributes!(@consts $n + 1u16; $($rest,)*);
    };
    (@consts $n:expr;) => {};
}

known_attributes! {
    USER_PRINCIPAL_NAME = "userPrincipalName",
    DISPLAY_NAME = "displayName",
    GIVEN_NAME = "givenName",
    SURNAME = "surname",
    MAIL = "mail",
    MAIL_NICKNAME = "mailNickname",
    DEPARTMENT = "department",
    JOB_TITLE = "jobTitle",
    COMPANY_NAME = "companyName",
    EMPLOYEE_ID = "employeeId",
    STREET_ADDRESS = "streetAddress",
    CITY = "city",
    STATE = "state",
    POSTAL_CODE = "postalCode",
    COUNTRY = "country",
    TELEPHONE_NUMBER = "telephoneNumber",
    MOBILE = "mobile",
    PHYSICAL_DELIVERY_OFFICE_NAME = "physicalDeliveryOfficeName",
    PREFERRED_LANGUAGE = "preferredLanguage",
    USAGE_LOCATION = "usageLocation",
    PROXY_ADDRESSES = "proxyAddresses",
    ACCOUNT_ENABLED = "accountEnabled",
    USER_TYPE = "userType",
    SHOW_IN_ADDRESS_LIST = "showInAddressList",
    MANAGER = "manager",
    OBJECT_ID = "objectId",
    NET_ID = "netId",
    ALTERNATIVE_SECURITY_IDS = "alternativeSecurityIds",
    IS_SOFT_DELETED = "IsSoftDeleted",
    APP_ROLE_ASSIGNMENTS = "appRoleAssignments",
    EXTERNAL_USER_STATE = "externalUserState",
}

/// Attributes computed by the directory rather than stored: they cannot be set by `setAttributes`.
pub fn is_read_only(name: &str) -> bool {
    matches!(
        name,
        "objectId"
            | "netId"
            | "alternativeSecurityIds"
            | "IsSoftDeleted"
            | "appRoleAssignments"
            | "accountEnabled"
            | "manager"
            | "proxyAddresses"
            | "externalUserState"
    )
}

/// Attributes whose values are Booleans in the directory schema.
pub fn is_boolean(id: AttrId) -> bool {
    id == known::ACCOUNT_ENABLED || id == known::SHOW_IN_ADDRESS_LIST
}

/// The interner: attribute names of one simulation, the known ones first.
#[derive(Debug, Clone)]
pub struct AttrNames {
    names: Vec<Arc<str>>,
    by_name: HashMap<Arc<str>, AttrId>,
}

impl Default for AttrNames {
    fn default() -> Self {
        let mut names = AttrNames {
            names: Vec::new(),
            by_name: HashMap::new(),
        };
        for name in KNOWN_NAMES {
            names.intern(name);
        }
        names
    }
}

impl AttrNames {
    /// The id of `name`, interning it on first use. Attribute names are case-sensitive, as in Entra.
    pub fn intern(&mut self, name: &str) -> AttrId {
        if let Some(id) = self.by_name.get(name) {
            return *id;
        }
        let id = AttrId(u16::try_from(self.names.len()).expect("fewer than 65536 attribute names"));
        let name: Arc<str> = Arc::from(name);
        self.names.push(name.clone());
        self.by_name.insert(name, id);
        id
    }

    /// The id of `name` if any object or mapping ever used it.
    pub fn get(&self, name: &str) -> Option<AttrId> {
        self.by_name.get(name).copied()
    }

    pub fn name(&self, id: AttrId) -> &str {
        &self.names[usize::from(id.0)]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// One attribute value of a directory object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AttrValue {
    Str(Arc<str>),
    Bool(bool),
    List(Arc<[Arc<str>]>),
}

impl AttrValue {
    pub fn str(s: &str) -> AttrValue {
        AttrValue::Str(Arc::from(s))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            AttrValue::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            AttrValue::Bool(b) => Some(*b),
            AttrValue::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
            AttrValue::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// Entra's change detection: attributes are not case-exact by default, so values that differ
    /// only in case count as equal and no update is sent.
    pub fn same_as(&self, other: &AttrValue) -> bool {
        match (self, other) {
            (AttrValue::Str(a), AttrValue::Str(b)) => {
                a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
            }
            (AttrValue::List(a), AttrValue::List(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|(x, y)| x.eq_ignore_ascii_case(y))
            }
            (a, b) => match (a.as_bool(), b.as_bool()) {
                (Some(x), Some(y)) => x == y,
                _ => a == b,
            },
        }
    }

    /// Coerces a value written by a mapping to the target attribute's schema type.
    pub fn coerce_for(self, id: AttrId) -> AttrValue {
        if is_boolean(id) {
            if let Some(b) = self.as_bool() {
                return AttrValue::Bool(b);
            }
        }
        self
    }
}

impl fmt::Display for AttrValue {
    /// As the provisioning log prints values: Booleans as `True`/`False`, lists joined by `;`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttrValue::Str(s) => f.write_str(s),
            AttrValue::Bool(true) => f.write_str("True"),
            AttrValue::Bool(false) => f.write_str("False"),
            AttrValue::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(";")?;
                    }
                    f.write_str(item)?;
                }
                Ok(())
            }
        }
    }
}

/// The stored attributes of one object, in id order, shared copy-on-write. Copying a directory
/// (a replay checkpoint) or keeping the attributes a create wrote in its log entry shares them;
/// the first change after that copies them.
///
/// Most objects hold their values themselves. An account that cross-tenant sync created instead
/// *views* the source user's attributes at the time of the create: the job's mappings copy most
/// values unchanged (`displayName` to `displayName`), so the account shares the source user's
/// value block and, through its job's [`ViewLayout`], which of its attributes show through and
/// the values all its creates write (constants); the account's own values are the few that
/// differ per user (the B2B UPN). A create then costs a value or two rather than a copy of every
/// mapped value. The source user changing later copies its own block first (copy-on-write), so
/// the account keeps the values it was created with, as if they had been copied.
///
/// Looking a value up reads only its own entry for the first 64 attribute ids (every attribute
/// the engine knows): a bit mask says which of them an object holds, and counting the bits
/// below an id gives its position. A cycle reads a few values of each source user, on memory it
/// has not touched yet, so a binary search's probes cost several cache misses per user.
#[derive(Debug, Clone, Default)]
pub struct Attrs {
    /// The values of its own, sorted by id; in a view, they hide the base's values.
    own: Entries,
    /// The ids below 64 that `own` holds.
    own_low: u64,
    /// For a view: another object's values, and the ids of those that show through.
    base: Option<Base>,
}

/// What a view shows through.
#[derive(Debug, Clone)]
struct Base {
    entries: Entries,
    /// The ids below 64 that `entries` holds.
    low: u64,
    layout: Arc<ViewLayout>,
}

/// What the views a job creates have in common: which of the base's attributes show through,
/// and values every one of them holds (under its own values, over the base's). Shared by all
/// of them, so that each account stores only the values that differ per user.
#[derive(Debug, Clone, Default)]
pub struct ViewLayout {
    shown: IdSet,
    common: Entries,
    /// The ids below 64 that `common` holds.
    common_low: u64,
}

impl ViewLayout {
    /// Shows the base's attributes in `shown`, and `common` (pairs in any order, the last of an
    /// id winning, as in [`Attrs::from_entries`]) over them.
    pub fn new(shown: IdSet, mut common: Vec<(AttrId, AttrValue)>) -> ViewLayout {
        sort_entries(&mut common);
        ViewLayout {
            shown,
            common_low: low_ids(&common),
            common: Arc::from(common),
        }
    }

    /// Whether the base's value of `id` shows through.
    pub fn shows(&self, id: AttrId) -> bool {
        self.shown.contains(id)
    }

    /// The value of `id` that every view of this layout holds, if any.
    pub fn common(&self, id: AttrId) -> Option<&AttrValue> {
        find(&self.common, self.common_low, id)
    }
}

/// (id, value) pairs sorted by id, shared: one allocation whose header (the reference counts)
/// sits right before the first pairs, so reaching an object's values costs one memory access
/// fewer than through a shared vector. Changing a value makes a new slice.
type Entries = Arc<[(AttrId, AttrValue)]>;

/// A set of attribute ids (a bit per id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdSet {
    bits: Vec<u64>,
}

impl IdSet {
    pub fn insert(&mut self, id: AttrId) {
        let (word, bit) = (usize::from(id.0) / 64, id.0 % 64);
        if self.bits.len() <= word {
            self.bits.resize(word + 1, 0);
        }
        self.bits[word] |= 1 << bit;
    }

    pub fn contains(&self, id: AttrId) -> bool {
        self.bits
            .get(usize::from(id.0) / 64)
            .is_some_and(|w| w & (1 << (id.0 % 64)) != 0)
    }
}

impl FromIterator<AttrId> for IdSet {
    fn from_iter<I: IntoIterator<Item = AttrId>>(ids: I) -> IdSet {
        let mut set = IdSet::default();
        for id in ids {
            set.insert(id);
        }
        set
    }
}

/// The value of `id` in `entries`, whose ids below 64 are the bits of `low`.
fn find(entries: &[(AttrId, AttrValue)], low: u64, id: AttrId) -> Option<&AttrValue> {
    let found = if id.0 < 64 {
        let bit = 1u64 << id.0;
        if low & bit == 0 {
            return None;
        }
        entries.get((low & (bit - 1)).count_ones() as usize)
    } else {
        // Past the ids below 64, sorted.
        let rest = entries.get(low.count_ones() as usize..).unwrap_or_default();
        rest.binary_search_by_key(&id, |(k, _)| *k)
            .ok()
            .map(|i| &rest[i])
    };
    found.filter(|(k, _)| *k == id).map(|(_, v)| v)
}

/// The ids below 64 of sorted `entries`, as bits.
fn low_ids(entries: &[(AttrId, AttrValue)]) -> u64 {
    entries
        .iter()
        .take_while(|(id, _)| id.0 < 64)
        .fold(0, |low, (id, _)| low | 1 << id.0)
}

impl Attrs {
    /// Attributes from (id, value) pairs in any order; of pairs with the same id the last one
    /// wins, as if each were [`set`](Self::set) in turn. Sorting once is cheaper than inserting
    /// one by one, and a created user gets all its attributes at once.
    pub fn from_entries(mut entries: Vec<(AttrId, AttrValue)>) -> Attrs {
        sort_entries(&mut entries);
        Attrs {
            own_low: low_ids(&entries),
            own: Arc::from(entries),
            base: None,
        }
    }

    /// The attributes of `base` that `layout` shows, with its common values over them and
    /// `own` values on top (pairs in any order, the last of an id winning, as in
    /// [`from_entries`](Self::from_entries)). Shares `base`'s values rather than copying them.
    pub fn view(base: &Attrs, layout: Arc<ViewLayout>, mut own: Vec<(AttrId, AttrValue)>) -> Attrs {
        if base.base.is_some() {
            // A view of a view: copy what shows (never on the engine's paths, which only view
            // internal users' attributes).
            let mut entries: Vec<(AttrId, AttrValue)> = base
                .iter()
                .filter(|(id, _)| layout.shown.contains(*id))
                .map(|(id, v)| (id, v.clone()))
                .collect();
            entries.extend(layout.common.iter().cloned());
            entries.extend(own);
            return Attrs::from_entries(entries);
        }
        sort_entries(&mut own);
        Attrs {
            own_low: low_ids(&own),
            own: Arc::from(own),
            base: Some(Base {
                entries: base.own.clone(),
                low: base.own_low,
                layout,
            }),
        }
    }

    pub fn get(&self, id: AttrId) -> Option<&AttrValue> {
        if let Some(v) = find(&self.own, self.own_low, id) {
            return Some(v);
        }
        let base = self.base.as_ref()?;
        let layout = &*base.layout;
        match find(&layout.common, layout.common_low, id) {
            Some(v) => Some(v),
            None if layout.shown.contains(id) => find(&base.entries, base.low, id),
            None => None,
        }
    }

    /// Reads one id from every cache line of the values (its own; a view's base is left alone)
    /// and returns their sum, which means nothing: a cycle calls it a few users ahead of the one
    /// it processes (see [`Directory::warm_user`](super::directory::Directory::warm_user)), so
    /// that the lines arrive together instead of one miss after another.
    pub fn warm(&self) -> u32 {
        // 64-byte lines of 32-byte pairs (24 bytes on 32-bit targets, where this reads more).
        self.own
            .iter()
            .step_by(2)
            .map(|(id, _)| u32::from(id.0))
            .sum()
    }

    /// The first byte of each text value among `ids`, summed (meaningless; see
    /// [`warm`](Self::warm)): their allocations are read next.
    pub fn warm_texts(&self, ids: &[AttrId]) -> u32 {
        ids.iter()
            .filter_map(|id| match self.get(*id) {
                Some(AttrValue::Str(s)) => s.as_bytes().first().copied(),
                _ => None,
            })
            .map(u32::from)
            .sum()
    }

    /// Sets or (with `None`) removes a value; returns the previous one.
    pub fn set(&mut self, id: AttrId, value: Option<AttrValue>) -> Option<AttrValue> {
        if self.get(id) == value.as_ref() {
            // Nothing changes: the previous value equals the new one (or both are absent).
            return value;
        }
        // A value replacing another in values no one else shares: in place (an update writes
        // one value after another into the same account).
        if self.base.is_none() {
            if let Some(entries) = Arc::get_mut(&mut self.own) {
                if let (Ok(i), Some(v)) = (entries.binary_search_by_key(&id, |(k, _)| *k), &value) {
                    return Some(std::mem::replace(&mut entries[i].1, v.clone()));
                }
            }
        }
        // A copy of the values (of a view: of what shows through), changed, becomes the new slice.
        let mut entries: Vec<(AttrId, AttrValue)> =
            self.iter().map(|(id, v)| (id, v.clone())).collect();
        let previous = match (entries.binary_search_by_key(&id, |(k, _)| *k), value) {
            (Ok(i), Some(v)) => Some(std::mem::replace(&mut entries[i].1, v)),
            (Ok(i), None) => Some(entries.remove(i).1),
            (Err(i), Some(v)) => {
                entries.insert(i, (id, v));
                None
            }
            (Err(_), None) => None,
        };
        self.own_low = low_ids(&entries);
        self.own = Arc::from(entries);
        self.base = None;
        previous
    }

    /// Whether both share one set of values (a copy not changed since): then they are equal.
    pub fn shares_with(&self, other: &Attrs) -> bool {
        Arc::ptr_eq(&self.own, &other.own)
            && match (&self.base, &other.base) {
                (None, None) => true,
                (Some(a), Some(b)) => {
                    Arc::ptr_eq(&a.entries, &b.entries) && Arc::ptr_eq(&a.layout, &b.layout)
                }
                _ => false,
            }
    }

    /// The attributes in id order.
    pub fn iter(&self) -> Iter<'_> {
        let (common, base, shown): (&[_], &[_], _) = match &self.base {
            Some(base) => (&base.layout.common, &base.entries, Some(&base.layout.shown)),
            None => (&[], &[], None),
        };
        Iter {
            own: &self.own,
            common,
            base,
            shown,
        }
    }

    pub fn len(&self) -> usize {
        match self.base {
            None => self.own.len(),
            Some(_) => self.iter().count(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Sorts (id, value) pairs by id, keeping the last pair of each id.
fn sort_entries(entries: &mut Vec<(AttrId, AttrValue)>) {
    // Pairs already in strictly increasing id order (a create's values in a job's sorted order)
    // need neither sorting nor deduplication.
    if !entries.windows(2).all(|w| w[0].0 < w[1].0) {
        // Reversed, a stable sort puts the last pair of each id first, and `dedup` keeps it.
        entries.reverse();
        crate::sort::sort_by_key(entries, |(id, _)| *id);
        entries.dedup_by_key(|(id, _)| *id);
    }
}

impl PartialEq for Attrs {
    fn eq(&self, other: &Attrs) -> bool {
        self.shares_with(other) || self.iter().eq(other.iter())
    }
}

impl Eq for Attrs {}

/// The attributes of an [`Attrs`] in id order: its own values merged with a view's common
/// values that its own do not hide, and with the base's values that show and that neither
/// hides.
pub struct Iter<'a> {
    own: &'a [(AttrId, AttrValue)],
    common: &'a [(AttrId, AttrValue)],
    base: &'a [(AttrId, AttrValue)],
    /// For a view: the base's attributes that show.
    shown: Option<&'a IdSet>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (AttrId, &'a AttrValue);

    fn next(&mut self) -> Option<Self::Item> {
        let hides = |layer: &[(AttrId, AttrValue)], id: &AttrId| {
            layer.binary_search_by_key(id, |(k, _)| *k).is_ok()
        };
        // Skip what a higher layer hides (or what does not show), so that the next entries of
        // the three have different ids.
        while let Some(((id, _), rest)) = self.common.split_first() {
            if !hides(self.own, id) {
                break;
            }
            self.common = rest;
        }
        while let Some(((id, _), rest)) = self.base.split_first() {
            if self.shown.is_some_and(|s| s.contains(*id))
                && !hides(self.own, id)
                && !hides(self.common, id)
            {
                break;
            }
            self.base = rest;
        }
        let first = |layer: &'a [(AttrId, AttrValue)]| layer.first().map(|(id, _)| *id);
        let smallest = [first(self.own), first(self.common), first(self.base)]
            .into_iter()
            .flatten()
            .min()?;
        for layer in [&mut self.own, &mut self.common, &mut self.base] {
            if let Some(((id, value), rest)) = layer.split_first() {
                if *id == smallest {
                    *layer = rest;
                    return Some((*id, value));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_are_interned_in_order() {
        let names = AttrNames::default();
        assert_eq!(names.name(known::USER_PRINCIPAL_NAME), "userPrincipalName");
        assert_eq!(names.name(known::EXTERNAL_USER_STATE), "externalUserState");
        assert_eq!(names.get("IsSoftDeleted"), Some(known::IS_SOFT_DELETED));
    }

    #[test]
    fn attrs_keep_sorted_and_replace() {
        let mut a = Attrs::default();
        a.set(known::MAIL, Some(AttrValue::str("x@y")));
        a.set(known::DISPLAY_NAME, Some(AttrValue::str("X")));
        assert_eq!(
            a.set(known::MAIL, Some(AttrValue::str("z@y"))),
            Some(AttrValue::str("x@y"))
        );
        let ids: Vec<_> = a.iter().map(|(k, _)| k).collect();
        assert_eq!(ids, vec![known::DISPLAY_NAME, known::MAIL]);
        // A copy shares the values: changing one leaves the other as it was.
        let b = a.clone();
        a.set(known::MAIL, Some(AttrValue::str("w@y")));
        assert_eq!(b.get(known::MAIL), Some(&AttrValue::str("z@y")));
        assert_eq!(a.get(known::MAIL), Some(&AttrValue::str("w@y")));
        a.set(known::DISPLAY_NAME, None);
        assert_eq!(a.len(), 1);
        assert_eq!(b.len(), 2);
    }

    #[test]
    fn from_entries_sorts_and_keeps_the_last_value_of_an_id() {
        let a = Attrs::from_entries(vec![
            (known::MAIL, AttrValue::str("first@y")),
            (known::DISPLAY_NAME, AttrValue::str("X")),
            (known::MAIL, AttrValue::str("last@y")),
        ]);
        let mut b = Attrs::default();
        b.set(known::MAIL, Some(AttrValue::str("first@y")));
        b.set(known::DISPLAY_NAME, Some(AttrValue::str("X")));
        b.set(known::MAIL, Some(AttrValue::str("last@y")));
        assert_eq!(a, b);
    }

    #[test]
    fn a_view_shows_the_chosen_base_values_under_its_own() {
        let mut source = Attrs::from_entries(vec![
            (
                known::USER_PRINCIPAL_NAME,
                AttrValue::str("adele@contoso.com"),
            ),
            (known::DISPLAY_NAME, AttrValue::str("Adele")),
            (known::MAIL, AttrValue::str("adele@contoso.com")),
            (known::COMPANY_NAME, AttrValue::str("Contoso")),
            (known::USER_TYPE, AttrValue::str("Member")),
        ]);
        let shown: IdSet = [
            known::DISPLAY_NAME,
            known::MAIL,
            known::USER_TYPE,
            known::CITY,
        ]
        .into_iter()
        .collect();
        // Values every view of the layout holds: over the base's, under the view's own.
        let common = vec![
            (known::JOB_TITLE, AttrValue::str("Engineer")),
            (known::USER_TYPE, AttrValue::str("Member")),
            (known::COMPANY_NAME, AttrValue::str("Fabrikam")),
        ];
        let layout = Arc::new(ViewLayout::new(shown, common));
        assert!(layout.shows(known::CITY) && !layout.shows(known::COMPANY_NAME));
        assert_eq!(
            layout.common(known::COMPANY_NAME),
            Some(&AttrValue::str("Fabrikam"))
        );
        assert_eq!(layout.common(known::CITY), None);
        let view = Attrs::view(
            &source,
            layout,
            vec![
                (known::USER_TYPE, AttrValue::str("Guest")),
                (
                    known::USER_PRINCIPAL_NAME,
                    AttrValue::str("adele_contoso.com#EXT#@f.com"),
                ),
            ],
        );
        // The same attributes stored as values of its own.
        let copied = Attrs::from_entries(vec![
            (
                known::USER_PRINCIPAL_NAME,
                AttrValue::str("adele_contoso.com#EXT#@f.com"),
            ),
            (known::DISPLAY_NAME, AttrValue::str("Adele")),
            (known::MAIL, AttrValue::str("adele@contoso.com")),
            (known::COMPANY_NAME, AttrValue::str("Fabrikam")),
            (known::JOB_TITLE, AttrValue::str("Engineer")),
            (known::USER_TYPE, AttrValue::str("Guest")),
        ]);
        assert_eq!(view, copied);
        assert_eq!(view.len(), 6);
        let ids: Vec<AttrId> = view.iter().map(|(id, _)| id).collect();
        let copied_ids: Vec<AttrId> = copied.iter().map(|(id, _)| id).collect();
        assert_eq!(ids, copied_ids);
        assert_eq!(
            view.get(known::COMPANY_NAME),
            Some(&AttrValue::str("Fabrikam"))
        );
        assert_eq!(view.get(known::CITY), None);
        assert_eq!(view.get(known::USER_TYPE), Some(&AttrValue::str("Guest")));
        // The source changing later copies its own values first: the view keeps what it saw.
        source.set(known::DISPLAY_NAME, Some(AttrValue::str("Adele Vance")));
        assert_eq!(
            view.get(known::DISPLAY_NAME),
            Some(&AttrValue::str("Adele"))
        );
        // The view changing copies what shows through, and leaves the source alone.
        let mut changed = view.clone();
        assert_eq!(
            changed.set(known::MAIL, None),
            Some(AttrValue::str("adele@contoso.com"))
        );
        changed.set(known::CITY, Some(AttrValue::str("Seattle")));
        assert_eq!(
            changed.get(known::DISPLAY_NAME),
            Some(&AttrValue::str("Adele"))
        );
        assert_eq!(changed.get(known::MAIL), None);
        assert_eq!(
            changed.get(known::JOB_TITLE),
            Some(&AttrValue::str("Engineer"))
        );
        assert_eq!(changed.len(), 6);
        assert_eq!(
            source.get(known::MAIL),
            Some(&AttrValue::str("adele@contoso.com"))
        );
        assert_eq!(source.get(known::CITY), None);
        assert_eq!(view, copied);
        assert_ne!(changed, copied);
    }

    #[test]
    fn lookups_find_ids_below_and_above_64() {
        let mut names = AttrNames::default();
        let extensions: Vec<AttrId> = (0..80)
            .map(|i| names.intern(&format!("extension_{i}")))
            .collect();
        assert!(extensions.iter().any(|id| id.0 < 64) && extensions.iter().any(|id| id.0 >= 64));
        let mut a = Attrs::default();
        for (i, id) in extensions.iter().enumerate().filter(|(i, _)| i % 3 != 0) {
            a.set(*id, Some(AttrValue::str(&i.to_string())));
        }
        a.set(known::MAIL, Some(AttrValue::str("x@y")));
        let built = Attrs::from_entries(a.iter().map(|(id, v)| (id, v.clone())).collect());
        for attrs in [&a, &built] {
            for (i, id) in extensions.iter().enumerate() {
                let expected = (i % 3 != 0).then(|| AttrValue::str(&i.to_string()));
                assert_eq!(attrs.get(*id), expected.as_ref(), "{}", names.name(*id));
            }
            assert_eq!(attrs.get(known::MAIL), Some(&AttrValue::str("x@y")));
            assert_eq!(attrs.get(known::CITY), None);
        }
        a.set(extensions[1], None);
        a.set(known::MAIL, None);
        assert_eq!(a.get(extensions[1]), None);
        assert_eq!(a.get(extensions[2]), Some(&AttrValue::str("2")));
        assert_eq!(a.get(extensions[79]), Some(&AttrValue::str("79")));
        assert_eq!(a.get(known::MAIL), None);
    }

    #[test]
    fn change_detection_ignores_case() {
        assert!(AttrValue::str("Sales").same_as(&AttrValue::str("sales")));
        assert!(!AttrValue::str("Sales").same_as(&AttrValue::str("Sale")));
        assert!(AttrValue::Bool(true).same_as(&AttrValue::str("true")));
    }
}
