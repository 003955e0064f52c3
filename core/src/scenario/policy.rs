//! Cross-tenant access settings as the admin center and Graph show them: tenant defaults plus
//! per-partner settings, each of which is true, false, or inherited from the default.

use serde::{Deserialize, Serialize};

use super::is_default;

/// A partner setting that may be left to the tenant default (Graph: `null`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "Option<bool>", into = "Option<bool>")]
pub enum Tristate {
    /// "Inherited from default" in the admin center; `null` in Graph.
    #[default]
    Inherited,
    /// "Customized": explicitly set.
    Set(bool),
}

impl Tristate {
    /// The effective value given the tenant default.
    pub fn resolve(self, default: bool) -> bool {
        match self {
            Tristate::Inherited => default,
            Tristate::Set(v) => v,
        }
    }

    pub fn is_inherited(self) -> bool {
        self == Tristate::Inherited
    }
}

impl From<Option<bool>> for Tristate {
    fn from(v: Option<bool>) -> Self {
        match v {
            None => Tristate::Inherited,
            Some(b) => Tristate::Set(b),
        }
    }
}

impl From<Tristate> for Option<bool> {
    fn from(t: Tristate) -> Self {
        match t {
            Tristate::Inherited => None,
            Tristate::Set(b) => Some(b),
        }
    }
}

/// A tenant's cross-tenant access settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrossTenantAccess {
    /// Default settings (Graph `crossTenantAccessPolicyConfigurationDefault`). Entra's defaults
    /// for automatic redemption are false; cross-tenant sync has no tenant-wide default at all.
    #[serde(default, skip_serializing_if = "is_default")]
    pub default: DefaultSettings,
    /// Organizational settings, one per partner tenant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<PartnerSettings>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DefaultSettings {
    #[serde(default, skip_serializing_if = "is_default")]
    pub automatic_user_consent_settings: DefaultConsentSettings,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DefaultConsentSettings {
    #[serde(default, skip_serializing_if = "super::is_false")]
    pub inbound_allowed: bool,
    #[serde(default, skip_serializing_if = "super::is_false")]
    pub outbound_allowed: bool,
}

/// Organizational settings for one partner (Graph `crossTenantAccessPolicyConfigurationPartner`
/// plus its `identitySynchronization`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartnerSettings {
    /// Scenario id of the partner tenant.
    pub tenant: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub automatic_user_consent_settings: ConsentSettings,
    #[serde(default, skip_serializing_if = "is_default")]
    pub identity_synchronization: IdentitySynchronization,
}

/// "Automatically redeem invitations with the tenant" — inbound (as target) and outbound (as source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsentSettings {
    #[serde(default, skip_serializing_if = "is_default")]
    pub inbound_allowed: Tristate,
    #[serde(default, skip_serializing_if = "is_default")]
    pub outbound_allowed: Tristate,
}

/// Graph `crossTenantIdentitySyncPolicyPartner`: "Allow users sync into this tenant".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentitySynchronization {
    #[serde(default, skip_serializing_if = "is_default")]
    pub user_sync_inbound: UserSyncInbound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserSyncInbound {
    #[serde(default, skip_serializing_if = "is_default")]
    pub is_sync_allowed: Tristate,
}

/// External collaboration settings → Guest invite settings (Graph `authorizationPolicy.allowInvitesFrom`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum InviteRestriction {
    /// "Anyone in the organization can invite guest users including guests and non-admins".
    #[default]
    Everyone,
    /// "Member users and users assigned to specific admin roles can invite guest users".
    AdminsGuestInvitersAndAllMembers,
    /// "Only users assigned to specific admin roles can invite guest users".
    AdminsAndGuestInviters,
    /// "No one in the organization can invite guest users including admins (most restrictive)".
    None,
}

impl CrossTenantAccess {
    /// Sets one setting for `partner`, or the tenant default when `partner` is `None`; a `None`
    /// value means "Inherited from default". Only automatic redemption has a tenant default.
    pub fn set(
        &mut self,
        partner: Option<&str>,
        setting: super::PolicySetting,
        value: Option<bool>,
    ) -> Result<(), String> {
        use super::PolicySetting;
        let value = Tristate::from(value);
        match partner {
            None => {
                let default = &mut self.default.automatic_user_consent_settings;
                match setting {
                    PolicySetting::InboundAllowed => default.inbound_allowed = value.resolve(false),
                    PolicySetting::OutboundAllowed => {
                        default.outbound_allowed = value.resolve(false)
                    }
                    PolicySetting::IsSyncAllowed => return Err(
                        "isSyncAllowed is set per partner; cross-tenant sync has no tenant default"
                            .into(),
                    ),
                }
            }
            Some(p) => {
                let entry = self.partner_mut(p);
                match setting {
                    PolicySetting::IsSyncAllowed => {
                        entry
                            .identity_synchronization
                            .user_sync_inbound
                            .is_sync_allowed = value
                    }
                    PolicySetting::InboundAllowed => {
                        entry.automatic_user_consent_settings.inbound_allowed = value
                    }
                    PolicySetting::OutboundAllowed => {
                        entry.automatic_user_consent_settings.outbound_allowed = value
                    }
                }
            }
        }
        Ok(())
    }

    /// The organizational settings for `partner`, if the tenant has added that partner.
    pub fn partner(&self, partner: &str) -> Option<&PartnerSettings> {
        self.partners.iter().find(|p| p.tenant == partner)
    }

    /// The partner entry for `partner`, added with every setting inherited when missing.
    pub fn partner_mut(&mut self, partner: &str) -> &mut PartnerSettings {
        if let Some(i) = self.partners.iter().position(|p| p.tenant == partner) {
            return &mut self.partners[i];
        }
        self.partners.push(PartnerSettings {
            tenant: partner.to_string(),
            ..PartnerSettings::default()
        });
        self.partners.last_mut().expect("just pushed")
    }

    /// Effective "Allow users sync into this tenant" for users from `source`. There is no tenant
    /// default for it: inherited means false.
    pub fn sync_inbound_allowed(&self, source: &str) -> bool {
        self.partner(source)
            .map(|p| {
                p.identity_synchronization
                    .user_sync_inbound
                    .is_sync_allowed
                    .resolve(false)
            })
            .unwrap_or(false)
    }

    /// Effective inbound "Automatically redeem invitations" for `partner`.
    pub fn auto_redeem_inbound(&self, partner: &str) -> bool {
        let default = self.default.automatic_user_consent_settings.inbound_allowed;
        self.partner(partner)
            .map(|p| {
                p.automatic_user_consent_settings
                    .inbound_allowed
                    .resolve(default)
            })
            .unwrap_or(default)
    }

    /// Effective outbound "Automatically redeem invitations" for `partner`.
    pub fn auto_redeem_outbound(&self, partner: &str) -> bool {
        let default = self
            .default
            .automatic_user_consent_settings
            .outbound_allowed;
        self.partner(partner)
            .map(|p| {
                p.automatic_user_consent_settings
                    .outbound_allowed
                    .resolve(default)
            })
            .unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_means_inherited_and_round_trips() {
        let p: PartnerSettings = serde_json::from_str(
            r#"{"tenant":"b","automaticUserConsentSettings":{"inboundAllowed":null,"outboundAllowed":true}}"#,
        )
        .unwrap();
        assert!(p
            .automatic_user_consent_settings
            .inbound_allowed
            .is_inherited());
        assert_eq!(
            p.automatic_user_consent_settings.outbound_allowed,
            Tristate::Set(true)
        );
        let back = serde_json::to_string(&p).unwrap();
        assert_eq!(
            back,
            r#"{"tenant":"b","automaticUserConsentSettings":{"outboundAllowed":true}}"#
        );
    }

    #[test]
    fn inherited_sync_is_false_and_redemption_follows_the_default() {
        let mut access = CrossTenantAccess::default();
        assert!(!access.sync_inbound_allowed("src"));
        assert!(!access.auto_redeem_inbound("src"));
        access
            .default
            .automatic_user_consent_settings
            .inbound_allowed = true;
        assert!(access.auto_redeem_inbound("src"));
        access
            .partner_mut("src")
            .automatic_user_consent_settings
            .inbound_allowed = Tristate::Set(false);
        assert!(!access.auto_redeem_inbound("src"));
    }
}
