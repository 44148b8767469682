//! Who a fapiao call acts for: a direct merchant for itself, or a service
//! provider for one of its sub-merchants that has accepted it.

use crate::domain::fapiao::FapiaoParty;
use crate::domain::tenant::MerchantKind;
use crate::http::pay::{PayError, SignedRequest};
use crate::state::AppState;
use kabao_protocol::apiv3::ErrorCode;

/// Resolves the party of a call signed by `request.merchant` that named
/// `sub_mchid` (from the body or the query). A service provider must name
/// one of its own sub-merchants (400 PARAM_ERROR when missing, 403 NO_AUTH
/// when it is not its sub-merchant or has not accepted its invitation); a
/// direct merchant may name only itself.
pub async fn resolve_party(
    state: &AppState,
    request: &SignedRequest,
    sub_mchid: Option<&str>,
) -> Result<FapiaoParty, PayError> {
    let caller = &request.merchant.merchant;
    let caller_mchid = caller.mchid.as_str().to_owned();
    let sub_mchid = sub_mchid.filter(|s| !s.is_empty());
    match (caller.kind, sub_mchid) {
        (MerchantKind::ServiceProvider, None) => Err(PayError::param(
            "sub_mchid",
            "body",
            "a service provider must name the sub-merchant it acts for",
        )),
        (MerchantKind::ServiceProvider, Some(sub)) => {
            let sub_merchant = state.keyring.merchant(sub).await?;
            let belongs = sub_merchant.as_ref().is_some_and(|m| {
                m.merchant.parent_mchid.as_ref().map(|p| p.as_str()) == Some(caller_mchid.as_str())
            });
            if !belongs {
                return Err(PayError::new(
                    ErrorCode::NoAuth,
                    format!("sub_mchid {sub} is not a sub-merchant of service provider {caller_mchid}"),
                ));
            }
            if !state.store.provider_authorized(sub).await? {
                return Err(PayError::new(
                    ErrorCode::NoAuth,
                    format!("sub-merchant {sub} has not accepted service provider {caller_mchid}'s fapiao invitation"),
                ));
            }
            Ok(FapiaoParty {
                caller_mchid,
                owner_mchid: sub.to_owned(),
                sub_mchid: Some(sub.to_owned()),
            })
        }
        (_, Some(sub)) if sub != caller_mchid => Err(PayError::new(
            ErrorCode::NoAuth,
            format!("merchant {caller_mchid} is not a service provider and cannot act for sub_mchid {sub}"),
        )),
        (_, _) => Ok(FapiaoParty {
            owner_mchid: caller_mchid.clone(),
            caller_mchid,
            sub_mchid: None,
        }),
    }
}
