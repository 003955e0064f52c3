//! The connection test before each cycle: the cloud pair and the cross-tenant access settings of
//! both tenants, checked in Entra's order, failing with Entra's codes and messages.

use std::sync::Arc;

use super::directory::JobIdx;
use super::event::{ErrorCode, ErrorInfo};
use super::Simulation;
use crate::scenario::Cloud;

/// The first line of every connection-test failure in the admin center.
pub const CONNECTION_TEST_PREFIX: &str = "You appear to have entered invalid credentials. Please confirm you are using the correct information for an administrative account.";

/// Which check failed: decides the one-click fix the playground offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyFailure {
    /// The cloud pair is not supported, or the source did not enable the target's cloud.
    CrossCloudSource,
    /// The target did not enable the source's cloud for cross-cloud sync.
    CrossCloudTarget,
    /// Target: "Allow users sync into this tenant" is not on for the source.
    TargetSyncNotAllowed,
    /// Source: outbound "Automatically redeem invitations" is not on for the target.
    SourceOutboundRedemption,
    /// Target: inbound "Automatically redeem invitations" is not on for the source.
    TargetInboundRedemption,
}

/// Cross-cloud pairs Entra supports (semantics §3.1).
fn cross_cloud_pair_supported(source: Cloud, target: Cloud) -> bool {
    matches!(
        (source, target),
        (Cloud::Commercial, Cloud::UsGovernment)
            | (Cloud::UsGovernment, Cloud::Commercial)
            | (Cloud::Commercial, Cloud::China21Vianet)
    )
}

impl Simulation {
    /// Runs the connection test of job `j`; the first failing check wins.
    pub fn policy_check(&self, j: JobIdx) -> Result<(), (PolicyFailure, ErrorInfo)> {
        let job = self.job(j);
        let source = self.tenant(job.source);
        let target = self.tenant(job.target);
        if source.cloud != target.cloud {
            if !cross_cloud_pair_supported(source.cloud, target.cloud)
                || !source.microsoft_cloud_settings.contains(&target.cloud)
            {
                return Err((
                    PolicyFailure::CrossCloudSource,
                    info(
                        ErrorCode::ExternalTenantNotFound,
                        format!(
                            "This tenant was not found by the authentication authority of the current cloud: {tid}. The authentication authority is https://login.microsoftonline.com/{tid}.",
                            tid = target.tenant_id
                        ),
                    ),
                ));
            }
            if !target.microsoft_cloud_settings.contains(&source.cloud) {
                return Err((
                    PolicyFailure::CrossCloudTarget,
                    info(
                        ErrorCode::AzureActiveDirectoryTokenExpired,
                        "The identity of the calling application could not be established.".into(),
                    ),
                ));
            }
        }
        if !target.access.sync_inbound_allowed(&source.id) {
            return Err((
                PolicyFailure::TargetSyncNotAllowed,
                info(
                    ErrorCode::AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure,
                    "The target tenant has not enabled inbound synchronization with this tenant. Please request the target tenant admin to enable the inbound synchronization on their cross-tenant access policy. Learn more: aka.ms/TroubleshootingCrossTenantSyncPolicyCheck".into(),
                ),
            ));
        }
        if !source.access.auto_redeem_outbound(&target.id) {
            return Err((
                PolicyFailure::SourceOutboundRedemption,
                info(
                    ErrorCode::AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure,
                    "The source tenant has not enabled automatic user consent with the target tenant. Please enable the outbound cross-tenant access policy for automatic user consent in the source tenant. aka.ms/TroubleshootingCrossTenantSyncPolicyCheck".into(),
                ),
            ));
        }
        if !target.access.auto_redeem_inbound(&source.id) {
            return Err((
                PolicyFailure::TargetInboundRedemption,
                info(
                    ErrorCode::AzureDirectoryB2BManagementPolicyCheckFailure,
                    "Policy permitting auto-redemption of invitations not configured.".into(),
                ),
            ));
        }
        Ok(())
    }

    /// Whether the manager reference can be synchronized for job `j` (not in Azure Government,
    /// not across clouds).
    pub fn manager_supported(&self, j: JobIdx) -> bool {
        let job = self.job(j);
        let (s, t) = (self.tenant(job.source).cloud, self.tenant(job.target).cloud);
        s == t && s != Cloud::UsGovernment
    }
}

fn info(code: ErrorCode, message: String) -> ErrorInfo {
    ErrorInfo {
        code,
        message: Arc::from(message.as_str()),
    }
}
