//! getspinviteurl (F21): a link to kabao's invite page, where a merchant
//! accepts the provider (`/_kabao/fapiao/invite/{key}`).

use super::require_provider;
use crate::http::links::public_base;
use crate::http::pay::fapiao::decrypt_sensitive;
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::http::query;
use crate::state::AppState;
use crate::store::fapiao_setup::NewInvite;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

/// The appid kabao answers as `miniprogram_appid`: a stand-in for WeChat
/// Pay's fapiao onboarding mini program (kabao serves a web page instead).
pub const INVITE_MINIPROGRAM_APPID: &str = "wx5f1a2b3c4d5e6f70";

const FAPIAO_MODES: [&str; 2] = ["THIRD_OR_SELF_FAPIAO", "TENCENT_DIGITAL_TAX"];
const ABILITY_TYPES: [&str; 4] = [
    "BASE_ABILITY",
    "REAL_ESTATE_ABILITY",
    "PASSENGER_TRANSPORT_ABILITY",
    "REFINED_OIL_ABILITY",
];
/// Longest `invite_code` accepted.
const MAX_INVITE_CODE_LEN: usize = 64;

fn required(uri: &Uri, name: &str) -> Result<String, PayError> {
    query::param(uri, name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| PayError::param(name, "query", "is required"))
}

fn one_of(name: &str, value: &str, allowed: &[&str]) -> Result<(), PayError> {
    if allowed.contains(&value) {
        return Ok(());
    }
    Err(PayError::param(
        name,
        "query",
        format!("must be one of {}, not {value:?}", allowed.join(", ")),
    ))
}

/// `fapiao_ability_type_list`, given repeated or comma-separated.
fn ability_types(uri: &Uri) -> Result<Vec<String>, PayError> {
    let mut types = Vec::new();
    for (key, value) in query::pairs(uri) {
        let key = key.trim_end_matches("[]");
        if key != "fapiao_ability_type_list" {
            continue;
        }
        for item in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
            one_of("fapiao_ability_type_list", item, &ABILITY_TYPES)?;
            types.push(item.to_owned());
        }
    }
    Ok(types)
}

/// `GET fapiaomerchant/getspinviteurl` → `{invite_url, miniprogram_appid, miniprogram_path}`.
pub(super) async fn get_invite_url(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let provider = require_provider(&request)?.to_owned();
    let operation_type = required(&uri, "operation_type")?;
    one_of("operation_type", &operation_type, &["AUTH_BINDING"])?;
    let fapiao_mode = required(&uri, "fapiao_mode")?;
    one_of("fapiao_mode", &fapiao_mode, &FAPIAO_MODES)?;
    let abilities = ability_types(&uri)?;
    let invite_code = required(&uri, "invite_code")?;
    if invite_code.len() > MAX_INVITE_CODE_LEN {
        return Err(PayError::param(
            "invite_code",
            "query",
            format!("must be at most {MAX_INVITE_CODE_LEN} characters"),
        ));
    }
    let operate_user = match query::param(&uri, "operate_user").filter(|v| !v.is_empty()) {
        // A base64 value sent without URL-encoding turns '+' into ' '.
        Some(cipher) => Some(
            decrypt_sensitive(&state, &headers, "operate_user", &cipher.replace(' ', "+")).await?,
        ),
        None => None,
    };
    let sub_mchid = query::param(&uri, "sub_mchid").filter(|v| !v.is_empty());
    if let Some(sub) = &sub_mchid {
        let entry = state.keyring.merchant(sub).await?;
        let belongs = entry.as_ref().is_some_and(|m| {
            m.merchant.parent_mchid.as_ref().map(|p| p.as_str()) == Some(provider.as_str())
        });
        if !belongs {
            return Err(PayError::param(
                "sub_mchid",
                "query",
                format!("{sub} is not a sub-merchant of service provider {provider}"),
            ));
        }
    }
    let link_key = kabao_protocol::aead::random_alphanumeric(32);
    let invite = state
        .store
        .create_invite(&NewInvite {
            provider_mchid: provider,
            invite_code,
            link_key: link_key.clone(),
            request: json!({
                "operation_type": operation_type,
                "fapiao_mode": fapiao_mode,
                "fapiao_ability_type_list": abilities,
                "invite_channel": query::param(&uri, "invite_channel"),
                "operate_user": operate_user,
                "sub_mchid": sub_mchid,
            }),
            sub_mchid,
            created_at: state.clock.now(),
        })
        .await?;
    Ok(pay_json(
        StatusCode::OK,
        &json!({
            "invite_url": format!("{}/_kabao/fapiao/invite/{}", public_base(&state, &headers), invite.link_key),
            "miniprogram_appid": INVITE_MINIPROGRAM_APPID,
            "miniprogram_path": format!("pages/fapiao/invite/index?key={}", invite.link_key),
        }),
    ))
}
