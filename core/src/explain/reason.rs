//! The closed sets of reasons an explanation can give: why a user is (not) in a tenant
//! ([`Reason`]) and why an attribute holds its value ([`AttributeReason`]). Each reason has a
//! stable code, a one-line title, and — where it rests on a documented conflict or an inference —
//! the topic of the `docs/decisions.md` row it quotes. `docs/explain.md` lists them all.

use serde::Serialize;

use crate::decisions::{self, DecisionRow};

/// How a reason bears on the question "is the user there?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Bearing {
    /// The user is (or will be) there through this job.
    Present,
    /// This stops the user from being there through this job.
    Blocks,
    /// Context: what happened, or what will happen next.
    Info,
}

macro_rules! reasons {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => ($code:literal, $bearing:ident, $decision:expr, $title:literal), )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )*
        }

        impl $name {
            /// Every reason, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable code (camelCase), as the JSON output and `docs/explain.md` spell it.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }

            /// What the reason means, in one line.
            pub fn title(self) -> &'static str {
                match self { $($name::$variant => $title,)* }
            }

            /// Whether the reason keeps the user out, puts them in, or is context.
            pub fn bearing(self) -> Bearing {
                match self { $($name::$variant => Bearing::$bearing,)* }
            }

            /// The topic of the `docs/decisions.md` row this reason rests on, if any.
            pub fn decision_topic(self) -> Option<&'static str> {
                match self { $($name::$variant => $decision,)* }
            }

            /// The quoted row of `docs/decisions.md`, if the reason rests on one.
            pub fn decision(self) -> Option<DecisionRow> {
                self.decision_topic().and_then(decisions::row)
            }
        }
    };
}

reasons! {
    /// Why a user is, or is not, in a tenant.
    pub enum Reason {
        // Topology.
        HomeTenant => ("homeTenant", Present, None,
            "This is the user's home tenant: an internal user here, not synchronized into it."),
        NoJobIntoTenant => ("noJobIntoTenant", Blocks, None,
            "No cross-tenant sync configuration from the user's home tenant targets this tenant."),
        RelayImpossible => ("relayImpossible", Blocks, None,
            "A configuration into this tenant starts in a tenant where the user is only an external account; only internal members are synchronized, so there is no relay through a hub."),
        JobDeleted => ("jobDeleted", Info, Some("Deleting a configuration"),
            "The configuration was deleted: users it provisioned stay as they are, nobody new arrives."),
        PresentNotSynced => ("presentNotSynced", Info, None,
            "The account in this tenant was not provisioned by cross-tenant sync (for example an invited B2B user)."),
        // Job state.
        JobNotStarted => ("jobNotStarted", Blocks, Some("Status codes"),
            "The configuration was never started (Start provisioning)."),
        JobPaused => ("jobPaused", Blocks, Some("Start"),
            "Provisioning is stopped (paused)."),
        JobQuarantined => ("jobQuarantined", Blocks, Some("Quarantine cadence"),
            "The job is in quarantine and runs at most once a day."),
        JobDisabled => ("jobDisabled", Blocks, Some("Quarantine cadence"),
            "The job was disabled after more than four weeks in quarantine."),
        // Connection test.
        CrossCloudNotConfigured => ("crossCloudNotConfigured", Blocks, None,
            "The tenants are in different Microsoft clouds and the cross-cloud settings are missing or the pair is unsupported."),
        InboundSyncNotAllowed => ("inboundSyncNotAllowed", Blocks, None,
            "The target tenant does not allow users sync into it from the source tenant."),
        OutboundRedemptionMissing => ("outboundRedemptionMissing", Blocks, None,
            "The source tenant does not automatically redeem invitations with the target tenant (outbound)."),
        InboundRedemptionMissing => ("inboundRedemptionMissing", Blocks, Some("Target-side inbound redemption failure code"),
            "The target tenant does not automatically redeem invitations from the source tenant (inbound)."),
        // Scope.
        DeletedInSource => ("deletedInSource", Blocks, None,
            "The user is deleted in the source tenant."),
        InternalGuest => ("internalGuest", Blocks, Some("Internal guests in the source"),
            "The user is an internal guest of the source tenant; only internal members are synchronized."),
        SmsSignIn => ("smsSignIn", Blocks, Some("Built-in clause"),
            "SMS sign-in is enabled: the built-in clause Filter external users.alternativeSecurityIds EQUALS 'None' is false."),
        NotAssigned => ("notAssigned", Blocks, None,
            "The user is not assigned to the configuration, directly or as a direct member of an assigned group."),
        NestedGroupOnly => ("nestedGroupOnly", Blocks, None,
            "The user is only a member of a group nested in an assigned group; nested members are not in scope."),
        ScopingFilterFailed => ("scopingFilterFailed", Blocks, None,
            "No scoping filter holds for the user's attribute values."),
        ScopeSwitchPending => ("scopeSwitchPending", Info, Some("Scope switches"),
            "The scope was changed from Sync all to Sync only assigned, which takes effect only after a restart."),
        DisabledNotProvisioned => ("disabledNotProvisioned", Blocks, Some("Disabled users never provisioned"),
            "The user is disabled in the source tenant and was never provisioned; disabled users are not created."),
        // Matching and export.
        WillCreate => ("willCreate", Present, Some("New accounts"),
            "The user is in scope and no account matches: the job creates an external account."),
        NotProcessedUntilChange => ("notProcessedUntilChange", Blocks, Some("Incremental cycles"),
            "The user is in scope, but incremental cycles only look at users that changed; nothing changed since the watermark."),
        MatchesExistingAccount => ("matchesExistingAccount", Present, Some("Matching"),
            "An existing B2B account of the user (same alternativeSecurityIds) is matched and updated, not created again."),
        ExistingGuestStaysGuest => ("existingGuestStaysGuest", Info, Some("What an update writes"),
            "The matched account is a Guest and the userType mapping applies only during object creation, so it stays a Guest."),
        InternalUserBlocksMatch => ("internalUserBlocksMatch", Blocks, Some("Internal target users"),
            "An internal user of the target tenant holds the user's mail address: the invitation is ambiguous and the create fails."),
        PendingInvitationRedeemed => ("pendingInvitationRedeemed", Present, Some("Unredeemed invitations"),
            "An unredeemed invitation with the user's mail exists: the create redeems it, and the UPN stays derived from mail."),
        SameMailLinked => ("sameMailLinked", Blocks, Some("Two source users with the same mail"),
            "Another source user with the same mail was provisioned first: this user is linked to that account (known issue)."),
        GuestInvitationsBlocked => ("guestInvitationsBlocked", Blocks, Some("Guest invite restrictions"),
            "The target tenant's guest invite settings allow no one to invite: creates fail with AzureActiveDirectoryForbidden."),
        UnverifiedMailDomain => ("unverifiedMailDomain", Blocks, Some("Mail from an unverified domain"),
            "The user's mail is not in a verified domain of the source tenant: the invitation fails."),
        CreateActionOff => ("createActionOff", Blocks, None,
            "Create is not selected in Target Object Actions: no account is created."),
        UpdateActionOff => ("updateActionOff", Info, None,
            "Update is not selected in Target Object Actions: the account is not updated."),
        MappingExpressionFails => ("mappingExpressionFails", Blocks, Some("Expression failures"),
            "An attribute-mapping expression fails for this user, so the export fails."),
        Escrowed => ("escrowed", Info, Some("Escrow retries"),
            "The user's last export failed; the job retries it on Entra's escrow schedule."),
        TargetDeletedByAdmin => ("targetDeletedByAdmin", Blocks, Some("Deleted by a target admin"),
            "The account was deleted by an admin of the target tenant; sync does not restore it."),
        // Present.
        Provisioned => ("provisioned", Present, None,
            "The account is there and matches the source: the job would change nothing."),
        WillUpdate => ("willUpdate", Present, Some("What an update writes"),
            "The account is there; the job's next evaluation writes the values that differ."),
        WillDisable => ("willDisable", Info, Some("`accountEnabled`"),
            "The user is blocked from sign-in in the source: the account is disabled (an update), not deleted."),
        WillRestore => ("willRestore", Present, Some("Restore"),
            "The user is back in scope within 30 days of the soft delete: the account is restored."),
        // Leaving.
        WillSoftDelete => ("willSoftDelete", Blocks, None,
            "The user left scope: the job soft deletes the account (recycle bin, 30 days)."),
        SoftDeletedLeftScope => ("softDeletedLeftScope", Blocks, Some("Recycle bin"),
            "The account was soft deleted when the user left scope; it can be restored within 30 days."),
        DisabledThenRemoved => ("disabledThenRemoved", Info, Some("Disabled, synced, then out of scope"),
            "The user left scope after sync had already disabled the account: it is not soft deleted (documented exception)."),
        DeleteActionOff => ("deleteActionOff", Info, None,
            "The user left scope, but Delete is not selected in Target Object Actions: the account stays."),
        StagedDelete => ("stagedDelete", Info, Some("Accidental deletion threshold"),
            "The deletion is held by accidental deletion prevention until an admin allows deletes."),
        HardDeleted => ("hardDeleted", Blocks, Some("Hard delete in the source"),
            "The account was deleted permanently."),
    }
}

reasons! {
    /// Why an attribute of a synchronized user holds the value it holds in the target.
    pub enum AttributeReason {
        AccountAbsent => ("accountAbsent", Info, None,
            "The user has no account in this tenant; explain the user first."),
        NotManagedBySync => ("notManagedBySync", Info, None,
            "No cross-tenant sync configuration manages this account, so nothing writes its attributes."),
        NotMapped => ("notMapped", Info, None,
            "No attribute mapping targets this attribute."),
        MappingDeleted => ("mappingDeleted", Info, None,
            "The job's attribute mappings delete the default mapping of this attribute."),
        InSync => ("inSync", Info, None,
            "The target holds the value the mapping produces."),
        CaseOnlyDifference => ("caseOnlyDifference", Info, Some("Change detection"),
            "The values differ only in letter case, which change detection ignores: no update is sent."),
        OnlyDuringCreation => ("onlyDuringCreation", Info, Some("What an update writes"),
            "The mapping applies only during object creation; later source values do not flow."),
        TargetEditPersists => ("targetEditPersists", Info, Some("What an update writes"),
            "The value was edited in the target after sync wrote it; sync doesn't read the target and the source user hasn't changed since."),
        TargetEditWillBeOverwritten => ("targetEditWillBeOverwritten", Info, Some("What an update writes"),
            "The value was edited in the target, and the source user changed: the next cycle overwrites it."),
        PendingSourceChange => ("pendingSourceChange", Info, None,
            "The source value changed; the job's next evaluation of the user writes it."),
        NullNotProvisioned => ("nullNotProvisioned", Info, Some("Null values"),
            "The source value is empty, and null values are not provisioned: the target keeps the old value."),
        SwitchQuirkCleared => ("switchQuirkCleared", Info, Some("Switch quirk"),
            "A Switch on an attribute that did not change evaluated to null during an unrelated update and cleared the value."),
        ExpressionDoesNotFlow => ("expressionDoesNotFlow", Info, Some("Null results"),
            "The mapping's expression produces nothing to write for this user."),
        DefaultValueOnCreation => ("defaultValueOnCreation", Info, Some("What an update writes"),
            "The value is the mapping's default value, written when the account was created because the source was empty."),
        UpdateActionOff => ("updateActionOff", Info, None,
            "Update is not selected in Target Object Actions: nothing is updated."),
        UserOutOfScope => ("userOutOfScope", Info, None,
            "The user is out of scope of the job, so no mapping is applied."),
        ManagerNotProvisioned => ("managerNotProvisioned", Info, Some("Manager"),
            "The manager is not provisioned by the same job (both must be in scope), or was provisioned after the user was last processed."),
        ManagerRemovedNotCleared => ("managerRemovedNotCleared", Info, Some("Manager"),
            "The manager was removed in the source; a removed manager is not cleared in the target."),
        ManagerNotSupported => ("managerNotSupported", Info, Some("Manager"),
            "Manager sync isn't supported in Azure Government or across clouds."),
        UpnFromPendingInvitation => ("upnFromPendingInvitation", Info, Some("Unredeemed invitations"),
            "The account came from an unredeemed invitation: its UPN stays derived from mail until provision on demand or a restart."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Every reason that rests on a decision quotes a row that exists in docs/decisions.md.
    #[test]
    fn every_decision_topic_names_a_row() {
        for r in Reason::ALL {
            if let Some(topic) = r.decision_topic() {
                assert!(r.decision().is_some(), "{}: no row '{topic}'", r.code());
            }
        }
        for r in AttributeReason::ALL {
            if let Some(topic) = r.decision_topic() {
                assert!(r.decision().is_some(), "{}: no row '{topic}'", r.code());
            }
        }
    }

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Reason::ALL.len());
    }
}
