//! Partner onboarding end to end: getspinviteurl (F21), the invite page and
//! the control API's answer step, listspinvitemchinfo (F22).

mod answers;
mod query_checks;

use crate::fapiao_world::FapiaoWorld;
use crate::helpers::now;
use kabao_protocol::apiv3::rfc3339_cst;
use serde_json::Value;

/// getspinviteurl (F21).
pub const INVITE: &str = "/v3/new-tax-control-fapiao/fapiaomerchant/getspinviteurl";
/// listspinvitemchinfo (F22).
pub const LIST: &str = "/v3/new-tax-control-fapiao/fapiaomerchant/listspinvitemchinfo";
/// Prefix of check and check-status.
pub const CHECK: &str = "/v3/new-tax-control-fapiao/merchant";

/// A query value, URL-encoded.
pub fn enc(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Asks for an invitation with `invite_code`; returns the page key.
pub async fn invite(w: &FapiaoWorld, invite_code: &str, extra: &str) -> String {
    let path = format!("{INVITE}?operation_type=AUTH_BINDING&fapiao_mode=THIRD_OR_SELF_FAPIAO&invite_code={invite_code}{extra}");
    let (status, body) = w.call(&w.provider, "GET", &path, None).await;
    assert_eq!(status, 200, "{body}");
    let url = body["invite_url"].as_str().unwrap();
    assert!(url.starts_with(&w.app.base_url), "{url}");
    url.rsplit('/').next().unwrap().to_owned()
}

/// Answers an invitation through the control API.
pub async fn answer(w: &FapiaoWorld, key: &str, body: Value) -> (u16, Value) {
    w.app
        .admin_post(&format!("/fapiao/invites/{key}/answer"), &body)
        .await
}

/// listspinvitemchinfo for the provider over the last and the next hour.
pub async fn list(w: &FapiaoWorld, query: &str) -> (u16, Value) {
    let start = enc(&rfc3339_cst(now() - 3600));
    let end = enc(&rfc3339_cst(now() + 3600));
    let path = format!("{LIST}?query_time_start={start}&query_time_end={end}&{query}");
    w.call(&w.provider, "GET", &path, None).await
}
