//! Attribute mappings: Entra's default schema for a new cross-tenant sync configuration, the
//! job's edits on top of it, and evaluating a mapping for one source user.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::attrs::{known, AttrId, AttrNames, AttrValue};
use crate::expr;
use crate::scenario::{AttributeMappingSpec, FlowType, MappingType};

/// The only matching attribute of cross-tenant synchronization.
pub const MATCHING_ATTRIBUTE: &str = "alternativeSecurityIds";

/// The built-in matching expression, spelled as Entra's default schema shows it.
pub const MATCHING_EXPRESSION: &str = "AltSecIdFromNetId([netId])";

/// The default user mappings of a new configuration (semantics §3.5): 23 mappings, the matching
/// attribute first. `userType` is the constant `Member`, applied only during object creation.
pub fn default_mapping_specs() -> Vec<AttributeMappingSpec> {
    fn direct(attr: &str) -> AttributeMappingSpec {
        AttributeMappingSpec {
            target_attribute_name: attr.to_string(),
            delete: false,
            mapping_type: MappingType::Direct,
            source: Some(attr.to_string()),
            default_value: None,
            flow_type: FlowType::Always,
            matching_priority: 0,
        }
    }
    fn constant(attr: &str, value: &str, flow_type: FlowType) -> AttributeMappingSpec {
        AttributeMappingSpec {
            mapping_type: MappingType::Constant,
            source: Some(value.to_string()),
            flow_type,
            ..direct(attr)
        }
    }
    let mut specs = vec![AttributeMappingSpec {
        mapping_type: MappingType::Expression,
        source: Some(MATCHING_EXPRESSION.to_string()),
        matching_priority: 1,
        ..direct(MATCHING_ATTRIBUTE)
    }];
    for attr in [
        "IsSoftDeleted",
        "accountEnabled",
        "streetAddress",
        "city",
        "state",
        "postalCode",
        "country",
        "department",
        "employeeId",
        "displayName",
        "givenName",
        "jobTitle",
        "mailNickname",
        "physicalDeliveryOfficeName",
        "manager",
        "preferredLanguage",
        "surname",
        "telephoneNumber",
        "userPrincipalName",
    ] {
        specs.push(direct(attr));
    }
    specs.push(constant("showInAddressList", "true", FlowType::Always));
    specs.push(direct("mail"));
    specs.push(constant("userType", "Member", FlowType::ObjectAddOnly));
    specs
}

/// The job's effective mapping list as the admin center would show it: the defaults with the
/// job's edits applied (replace by target attribute, append new ones, remove deleted ones).
pub fn effective_specs(edits: &[AttributeMappingSpec]) -> Vec<AttributeMappingSpec> {
    let mut specs = default_mapping_specs();
    for edit in edits {
        let existing = specs
            .iter()
            .position(|s| s.target_attribute_name == edit.target_attribute_name);
        match (existing, edit.delete) {
            (Some(i), true) => {
                specs.remove(i);
            }
            (Some(i), false) => specs[i] = edit.clone(),
            (None, true) => {}
            (None, false) => specs.push(edit.clone()),
        }
    }
    specs
}

/// Parses an expression mapping's text; the error says where and what was expected.
pub fn parse_expression(text: &str) -> Result<expr::Expression, String> {
    expr::parse(text).map_err(|e| format!("expression does not parse: {e}"))
}

/// How a mapping produces its value.
#[derive(Debug, Clone)]
pub enum MappingSource {
    Direct(AttrId),
    Constant(AttrValue),
    Expression {
        text: Arc<str>,
        parsed: Box<expr::Expression>,
        /// Source attributes the expression reads, for the Switch quirk and explanations.
        reads: BTreeSet<String>,
        redacted: bool,
    },
    /// Mapping type "None": the target is left unmodified, filled with the default when empty.
    None,
    /// The built-in `AltSecIdFromNetId([netId])` matching mapping.
    Matching,
    /// The `manager` reference, resolved after all users of a cycle are processed.
    ManagerReference,
    /// `IsSoftDeleted`: drives soft deletion and restore rather than writing a value.
    SoftDeleteState,
}

/// One compiled mapping.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub target: AttrId,
    pub target_name: Arc<str>,
    pub source: MappingSource,
    pub default_value: Option<Arc<str>>,
    pub flow: FlowType,
}

impl Mapping {
    /// The source column of the admin center's mapping list (`[department]`, `"Member"`, the expression).
    pub fn source_text(&self, names: &AttrNames) -> String {
        match &self.source {
            MappingSource::Direct(id) => names.name(*id).to_string(),
            MappingSource::Constant(v) => format!("\"{v}\""),
            MappingSource::Expression { text, .. } => text.to_string(),
            MappingSource::None => String::new(),
            MappingSource::Matching => MATCHING_EXPRESSION.to_string(),
            MappingSource::ManagerReference => "manager".to_string(),
            MappingSource::SoftDeleteState => "IsSoftDeleted".to_string(),
        }
    }
}

/// Compiles the effective mappings. Specs were validated, so an expression that fails to parse
/// here cannot occur; if it did, the mapping would be dropped rather than panic.
pub fn compile(names: &mut AttrNames, edits: &[AttributeMappingSpec]) -> Vec<Mapping> {
    effective_specs(edits)
        .into_iter()
        .filter_map(|spec| {
            let target = names.intern(&spec.target_attribute_name);
            let source = match spec.mapping_type {
                _ if spec.target_attribute_name == MATCHING_ATTRIBUTE => MappingSource::Matching,
                MappingType::Direct if target == known::MANAGER => MappingSource::ManagerReference,
                MappingType::Direct if target == known::IS_SOFT_DELETED => {
                    MappingSource::SoftDeleteState
                }
                MappingType::Direct => {
                    MappingSource::Direct(names.intern(spec.source.as_deref().unwrap_or_default()))
                }
                MappingType::Constant => MappingSource::Constant(
                    AttrValue::str(spec.source.as_deref().unwrap_or_default()).coerce_for(target),
                ),
                MappingType::Expression => {
                    let text = spec.source.as_deref().unwrap_or_default();
                    let parsed = parse_expression(text).ok()?;
                    let reads = parsed.referenced_attributes();
                    for name in &reads {
                        names.intern(name);
                    }
                    MappingSource::Expression {
                        text: Arc::from(text),
                        redacted: parsed.uses_redact(),
                        parsed: Box::new(parsed),
                        reads,
                    }
                }
                MappingType::None => MappingSource::None,
            };
            Some(Mapping {
                target,
                target_name: Arc::from(spec.target_attribute_name.as_str()),
                source,
                default_value: spec.default_value.as_deref().map(Arc::from),
                flow: spec.flow_type,
            })
        })
        .collect()
}

/// The B2B user principal name Entra gives an external account: `alias@domain` becomes
/// `alias_domain#EXT#@<target initial domain>`.
pub fn external_upn(source_upn: &str, target_initial_domain: &str) -> String {
    let mut upn =
        String::with_capacity(source_upn.len() + "#EXT#@".len() + target_initial_domain.len());
    for (i, part) in source_upn.split('@').enumerate() {
        if i > 0 {
            upn.push('_');
        }
        upn.push_str(part);
    }
    upn.push_str("#EXT#@");
    upn.push_str(target_initial_domain);
    upn
}

/// [`external_upn`] as shared text, in one allocation: written into a buffer on the stack first
/// (a create makes one per account; building a `String` and then copying it took two).
pub fn external_upn_shared(source_upn: &str, target_initial_domain: &str) -> Arc<str> {
    const SUFFIX: &[u8] = b"#EXT#@";
    let mut buf = [0u8; 256];
    let len = source_upn.len() + SUFFIX.len() + target_initial_domain.len();
    if len > buf.len() {
        return Arc::from(external_upn(source_upn, target_initial_domain));
    }
    // Each `@` becomes `_`: the same as joining the parts between them with `_`.
    for (to, from) in buf.iter_mut().zip(source_upn.bytes()) {
        *to = if from == b'@' { b'_' } else { from };
    }
    let rest = &mut buf[source_upn.len()..len];
    rest[..SUFFIX.len()].copy_from_slice(SUFFIX);
    rest[SUFFIX.len()..].copy_from_slice(target_initial_domain.as_bytes());
    match std::str::from_utf8(&buf[..len]) {
        Ok(upn) => Arc::from(upn),
        Err(_) => Arc::from(external_upn(source_upn, target_initial_domain)),
    }
}

/// Converts an expression value to a directory value (`None` for null), as Entra writes it:
/// Booleans stay Booleans, dates in `M/d/yyyy h:mm:ss tt`, numbers in decimal.
pub fn value_from_expr(value: expr::Value) -> Option<AttrValue> {
    match value {
        expr::Value::Null => None,
        expr::Value::Boolean(b) => Some(AttrValue::Bool(b)),
        expr::Value::Multi(_) => {
            let items: Vec<Arc<str>> = value
                .entra_values()
                .iter()
                .map(|s| Arc::from(s.as_str()))
                .collect();
            Some(AttrValue::List(items.into()))
        }
        other => other
            .to_entra_string()
            .map(|s| AttrValue::Str(Arc::from(s))),
    }
}

/// Converts a directory value to an expression value.
pub fn value_to_expr(value: Option<&AttrValue>) -> expr::Value {
    match value {
        None => expr::Value::Null,
        Some(AttrValue::Str(s)) => expr::Value::String(s.to_string()),
        Some(AttrValue::Bool(b)) => expr::Value::Boolean(*b),
        Some(AttrValue::List(items)) => expr::Value::Multi(
            items
                .iter()
                .map(|s| expr::Value::String(s.to_string()))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schema_has_23_mappings_with_one_matching_attribute() {
        let specs = default_mapping_specs();
        assert_eq!(specs.len(), 23);
        let matching: Vec<_> = specs.iter().filter(|s| s.matching_priority > 0).collect();
        assert_eq!(matching.len(), 1);
        assert_eq!(matching[0].target_attribute_name, "alternativeSecurityIds");
        let user_type = specs
            .iter()
            .find(|s| s.target_attribute_name == "userType")
            .unwrap();
        assert_eq!(user_type.flow_type, FlowType::ObjectAddOnly);
        assert_eq!(user_type.source.as_deref(), Some("Member"));
    }

    #[test]
    fn edits_replace_add_and_delete() {
        let edits = vec![
            AttributeMappingSpec {
                target_attribute_name: "userType".into(),
                delete: false,
                mapping_type: MappingType::Constant,
                source: Some("Guest".into()),
                default_value: None,
                flow_type: FlowType::Always,
                matching_priority: 0,
            },
            AttributeMappingSpec {
                target_attribute_name: "mail".into(),
                delete: true,
                mapping_type: MappingType::Direct,
                source: None,
                default_value: None,
                flow_type: FlowType::Always,
                matching_priority: 0,
            },
            AttributeMappingSpec {
                target_attribute_name: "extension_abc_costCenter".into(),
                delete: false,
                mapping_type: MappingType::Direct,
                source: Some("companyName".into()),
                default_value: None,
                flow_type: FlowType::Always,
                matching_priority: 0,
            },
        ];
        let specs = effective_specs(&edits);
        assert_eq!(specs.len(), 23);
        assert!(specs.iter().all(|s| s.target_attribute_name != "mail"));
        let ut = specs
            .iter()
            .find(|s| s.target_attribute_name == "userType")
            .unwrap();
        assert_eq!(
            (ut.source.as_deref(), ut.flow_type),
            (Some("Guest"), FlowType::Always)
        );
        assert_eq!(
            specs.last().unwrap().target_attribute_name,
            "extension_abc_costCenter"
        );
    }

    #[test]
    fn the_shared_external_upn_is_the_external_upn() {
        let long = format!("{}@contoso.com", "a".repeat(300));
        for (upn, domain) in [
            ("guestuser1@contoso.com", "fabricam.onmicrosoft.com"),
            ("łukasz.müller@contoso.com", "fabricam.onmicrosoft.com"),
            ("no-at-sign", "f.onmicrosoft.com"),
            ("a@b@c", "f.onmicrosoft.com"),
            ("", ""),
            (long.as_str(), "fabricam.onmicrosoft.com"),
        ] {
            assert_eq!(
                &*external_upn_shared(upn, domain),
                external_upn(upn, domain).as_str()
            );
        }
    }

    #[test]
    fn external_upn_follows_b2b_format() {
        assert_eq!(
            external_upn("guestuser1@contoso.com", "fabricam.onmicrosoft.com"),
            "guestuser1_contoso.com#EXT#@fabricam.onmicrosoft.com"
        );
    }
}
