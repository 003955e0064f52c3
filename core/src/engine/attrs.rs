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

/// The stored attributes of one object: a vector sorted by id (compact, ordered, fast to search),
/// shared copy-on-write. Copying a directory (a replay checkpoint) or keeping the attributes a
/// create wrote in its log entry shares the vector; the first change after that copies it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attrs {
    entries: Arc<Vec<(AttrId, AttrValue)>>,
}

impl Attrs {
    /// Attributes from (id, value) pairs in any order; of pairs with the same id the last one
    /// wins, as if each were [`set`](Self::set) in turn. Sorting once is cheaper than inserting
    /// one by one, and a created user gets all its attributes at once.
    pub fn from_entries(mut entries: Vec<(AttrId, AttrValue)>) -> Attrs {
        // Pairs already in strictly increasing id order (a create's values in a job's sorted
        // order) need neither sorting nor deduplication.
        if !entries.windows(2).all(|w| w[0].0 < w[1].0) {
            // Reversed, a stable sort puts the last pair of each id first, and `dedup` keeps it.
            entries.reverse();
            crate::sort::sort_by_key(&mut entries, |(id, _)| *id);
            entries.dedup_by_key(|(id, _)| *id);
        }
        Attrs {
            entries: Arc::new(entries),
        }
    }

    pub fn get(&self, id: AttrId) -> Option<&AttrValue> {
        self.entries
            .binary_search_by_key(&id, |(k, _)| *k)
            .ok()
            .map(|i| &self.entries[i].1)
    }

    /// Sets or (with `None`) removes a value; returns the previous one.
    pub fn set(&mut self, id: AttrId, value: Option<AttrValue>) -> Option<AttrValue> {
        match (self.entries.binary_search_by_key(&id, |(k, _)| *k), value) {
            (Ok(i), Some(v)) => {
                if self.entries[i].1 == v {
                    return Some(v);
                }
                Some(std::mem::replace(
                    &mut Arc::make_mut(&mut self.entries)[i].1,
                    v,
                ))
            }
            (Ok(i), None) => Some(Arc::make_mut(&mut self.entries).remove(i).1),
            (Err(i), Some(v)) => {
                Arc::make_mut(&mut self.entries).insert(i, (id, v));
                None
            }
            (Err(_), None) => None,
        }
    }

    /// Whether both share one vector (a copy not changed since): then they are equal.
    pub fn shares_with(&self, other: &Attrs) -> bool {
        Arc::ptr_eq(&self.entries, &other.entries)
    }

    pub fn iter(&self) -> impl Iterator<Item = (AttrId, &AttrValue)> {
        self.entries.iter().map(|(k, v)| (*k, v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
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
        a.set(known::DISPLAY_NAME, None);
        assert_eq!(a.len(), 1);
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
    fn change_detection_ignores_case() {
        assert!(AttrValue::str("Sales").same_as(&AttrValue::str("sales")));
        assert!(!AttrValue::str("Sales").same_as(&AttrValue::str("Sale")));
        assert!(AttrValue::Bool(true).same_as(&AttrValue::str("true")));
    }
}
