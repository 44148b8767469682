//! Partner onboarding invitations (getspinviteurl, listspinvitemchinfo): a
//! service provider invites a merchant, who accepts on kabao's invite page.

use crate::domain::FieldError;
use serde::{Deserialize, Serialize};

/// Where an invitation is (`mch_invite_status`; PENDING is kabao's name for
/// an invitation nobody has acted on yet, which listspinvitemchinfo never lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InviteStatus {
    /// The link was handed out; nobody has acted on it.
    Pending,
    /// The merchant accepted: the provider may act for it.
    MchInviteSucc,
    /// The invitation failed, with an `invite_failed_code`.
    MchInviteFailed,
}

impl InviteStatus {
    /// The wire and stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::MchInviteSucc => "MCH_INVITE_SUCC",
            Self::MchInviteFailed => "MCH_INVITE_FAILED",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(value: &str) -> Option<Self> {
        [Self::Pending, Self::MchInviteSucc, Self::MchInviteFailed]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// The documented `invite_failed_code` values.
pub const INVITE_FAILED_CODES: [&str; 7] = [
    "UNKNOWN_TAX_INFO",
    "INVALID_COMPANY_INFO",
    "NOT_MEET_ACCESS_CONDITION",
    "NOT_IN_PILOT_SCOPE",
    "MISSING_TAX_AUTHORITY_CODE",
    "MERCHANT_INFO_NOT_SET",
    "UNKNOWN_ERROR",
];

/// One invitation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FapiaoInvite {
    /// Row id.
    pub id: i64,
    /// The service provider that asked for the link.
    pub provider_mchid: String,
    /// The provider's `invite_code`.
    pub invite_code: String,
    /// The unguessable key of the invite page URL.
    pub link_key: String,
    /// The getspinviteurl query as received (operate_user decrypted).
    pub request: serde_json::Value,
    /// The merchant that acted on it (or the one the provider named).
    pub sub_mchid: Option<String>,
    /// Where it is.
    pub status: InviteStatus,
    /// Company name entered when acting on it.
    pub ep_name: Option<String>,
    /// Taxpayer id entered when acting on it.
    pub tax_id: Option<String>,
    /// `invite_failed_code` of a failed invitation.
    pub failed_code: Option<String>,
    /// `invite_failed_reason` of a failed invitation.
    pub failed_reason: Option<String>,
    /// When the link was made (Unix seconds).
    pub created_at: i64,
    /// When it was accepted or failed (Unix seconds).
    pub operate_time: Option<i64>,
}

/// Longest company name accepted on the invite page.
const MAX_EP_NAME_CHARS: usize = 100;

/// Checks what a person entered to answer `invite` (the invite page and the
/// control API); a FieldError here is shown back and stores nothing.
pub fn check_invite_answer(
    invite: &FapiaoInvite,
    sub_mchid: &str,
    ep_name: &str,
    tax_id: &str,
) -> Result<(), FieldError> {
    if sub_mchid.is_empty()
        || sub_mchid.len() > 32
        || !sub_mchid.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(FieldError::new("sub_mchid", "must be 1-32 decimal digits"));
    }
    if let Some(named) = &invite.sub_mchid {
        if named != sub_mchid {
            return Err(FieldError::new(
                "sub_mchid",
                format!("this invitation is for merchant {named}"),
            ));
        }
    }
    let name_chars = ep_name.trim().chars().count();
    if name_chars == 0 || name_chars > MAX_EP_NAME_CHARS {
        return Err(FieldError::new(
            "ep_name",
            format!("must be 1-{MAX_EP_NAME_CHARS} characters"),
        ));
    }
    if tax_id.is_empty() || tax_id.len() > 20 {
        return Err(FieldError::new("tax_id", "must be 1-20 characters"));
    }
    Ok(())
}

/// Why an answered invitation fails, as WeChat Pay would report it
/// (`invite_failed_code`, `invite_failed_reason`), or None when it
/// succeeds: the merchant must be a sub-merchant of the inviting provider
/// (`sub_parent` is its provider, None when no such merchant exists), and
/// the tax id must be a registered form (15, 18 or 20 characters of digits
/// and capital letters).
pub fn invite_failure(
    provider_mchid: &str,
    sub_parent: Option<&str>,
    tax_id: &str,
) -> Option<(String, String)> {
    if sub_parent != Some(provider_mchid) {
        return Some((
            "NOT_MEET_ACCESS_CONDITION".to_owned(),
            format!("商户不是服务商 {provider_mchid} 的特约商户"),
        ));
    }
    let registered = matches!(tax_id.len(), 15 | 18 | 20)
        && tax_id
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    if !registered {
        return Some((
            "UNKNOWN_TAX_INFO".to_owned(),
            "税号未在税务机关登记".to_owned(),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_fails_for_a_stranger_or_an_unregistered_tax_id() {
        assert_eq!(invite_failure("2", Some("2"), "9144050071126766XG"), None);
        let (code, _) = invite_failure("2", Some("3"), "9144050071126766XG").unwrap();
        assert_eq!(code, "NOT_MEET_ACCESS_CONDITION");
        let (code, _) = invite_failure("2", None, "9144050071126766XG").unwrap();
        assert_eq!(code, "NOT_MEET_ACCESS_CONDITION");
        let (code, _) = invite_failure("2", Some("2"), "91440500-1126766X").unwrap();
        assert_eq!(code, "UNKNOWN_TAX_INFO");
        assert!(INVITE_FAILED_CODES.contains(&code.as_str()));
    }
}
