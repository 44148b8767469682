//! getspinviteurl and listspinvitemchinfo refuse bad queries naming the
//! parameter, and serve service providers only.

use super::{enc, INVITE, LIST};
use crate::fapiao_world::{FapiaoWorld, DIRECT};
use crate::helpers::now;
use kabao_protocol::apiv3::rfc3339_cst;
use serde_json::json;

#[tokio::test]
async fn getspinviteurl_checks_its_query_and_is_for_providers_only() {
    let w = FapiaoWorld::start().await;
    let ok = "operation_type=AUTH_BINDING&fapiao_mode=THIRD_OR_SELF_FAPIAO&invite_code=c1";
    for (query, field) in [
        (
            "operation_type=AUTH_BINDING&fapiao_mode=THIRD_OR_SELF_FAPIAO",
            "invite_code",
        ),
        (
            "fapiao_mode=THIRD_OR_SELF_FAPIAO&invite_code=c1",
            "operation_type",
        ),
        (
            "operation_type=UNBIND&fapiao_mode=THIRD_OR_SELF_FAPIAO&invite_code=c1",
            "operation_type",
        ),
        (
            "operation_type=AUTH_BINDING&fapiao_mode=PAPER&invite_code=c1",
            "fapiao_mode",
        ),
        (
            &format!("{ok}&fapiao_ability_type_list=FLYING_ABILITY"),
            "fapiao_ability_type_list",
        ),
        (&format!("{ok}&operate_user=abc"), "Wechatpay-Serial"),
        (&format!("{ok}&sub_mchid={DIRECT}"), "sub_mchid"),
    ] {
        let (status, body) = w
            .call(&w.provider, "GET", &format!("{INVITE}?{query}"), None)
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("PARAM_ERROR")),
            "{query}: {body}"
        );
        assert_eq!(body["detail"]["field"], field, "{body}");
    }
    let (status, body) = w
        .call(&w.direct, "GET", &format!("{INVITE}?{ok}"), None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("NO_AUTH")),
        "{body}"
    );
    let (status, _) = w
        .call(&w.direct, "GET", &format!("{LIST}?offset=0&limit=1"), None)
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn listspinvitemchinfo_checks_its_window_paging_and_status() {
    let w = FapiaoWorld::start().await;
    let start = enc(&rfc3339_cst(now() - 3600));
    let end = enc(&rfc3339_cst(now()));
    let base = format!("query_time_start={start}&query_time_end={end}");
    for (query, field) in [
        (format!("query_time_end={end}&offset=0&limit=5&mch_invite_status=MCH_INVITE_SUCC"), "query_time_start"),
        (format!("query_time_start=yesterday&query_time_end={end}&offset=0&limit=5&mch_invite_status=MCH_INVITE_SUCC"), "query_time_start"),
        (format!("query_time_start={end}&query_time_end={start}&offset=0&limit=5&mch_invite_status=MCH_INVITE_SUCC"), "query_time_end"),
        (format!("{base}&offset=0&limit=0&mch_invite_status=MCH_INVITE_SUCC"), "limit"),
        (format!("{base}&offset=-2&limit=5&mch_invite_status=MCH_INVITE_SUCC"), "offset"),
        (format!("{base}&offset=0&limit=5"), "mch_invite_status"),
        (format!("{base}&offset=0&limit=5&mch_invite_status=PENDING"), "mch_invite_status"),
    ] {
        let (status, body) = w.call(&w.provider, "GET", &format!("{LIST}?{query}"), None).await;
        assert_eq!((status, body["code"].as_str()), (400, Some("PARAM_ERROR")), "{query}: {body}");
        assert_eq!(body["detail"]["field"], field, "{body}");
    }
    let (status, body) = w
        .call(
            &w.provider,
            "GET",
            &format!("{LIST}?{base}&offset=0&limit=5&mch_invite_status=MCH_INVITE_SUCC"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total_count"], 0);
    assert_eq!(body["mch_invite_result_list"], json!([]));
}
