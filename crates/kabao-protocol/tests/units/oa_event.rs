//! Official Account event pushes: the signature known answer, the exact XML
//! body, and reading real-world samples back.

use kabao_protocol::oa::{parse_event_xml, push_signature, EventXmlError, OaEvent, PushMessage};

/// The example of the push documentation (developers.weixin.qq.com
/// doc/oplatform/developers/dev/push), as recorded in
/// `shared/reference/oa-invoice-domain.md` §6; `vectors.json` has no entry for it.
#[test]
fn push_signature_known_answer() {
    assert_eq!(
        push_signature("AAAAA", "1714036504", "1514711492"),
        "f464b24fc39322e44b38aa78f5edd27bd1441696"
    );
}

fn authorize(succ: &str, fail: &str) -> OaEvent {
    OaEvent::UserAuthorizeInvoice {
        succ_order_id: succ.into(),
        fail_order_id: fail.into(),
        app_id: "wx1234567887654321".into(),
        source: "web".into(),
    }
}

#[test]
fn user_authorize_invoice_body_is_exact() {
    let xml = authorize("1202933957956", "").to_xml(
        "gh_fc0a06a20993",
        "oZI8Fj040-be6rlDohc6gkoPOQTQ",
        1475134700,
    );
    assert_eq!(
        xml,
        "<xml><ToUserName><![CDATA[gh_fc0a06a20993]]></ToUserName>\
         <FromUserName><![CDATA[oZI8Fj040-be6rlDohc6gkoPOQTQ]]></FromUserName>\
         <CreateTime>1475134700</CreateTime>\
         <MsgType><![CDATA[event]]></MsgType>\
         <Event><![CDATA[user_authorize_invoice]]></Event>\
         <SuccOrderId><![CDATA[1202933957956]]></SuccOrderId>\
         <FailOrderId><![CDATA[]]></FailOrderId>\
         <AppId><![CDATA[wx1234567887654321]]></AppId>\
         <Source><![CDATA[web]]></Source></xml>"
    );
}

#[test]
fn update_invoice_status_and_user_del_card_bodies_name_their_fields() {
    let status = OaEvent::UpdateInvoiceStatus {
        status: "INVOICE_REIMBURSE_INIT".into(),
        card_id: "pjZ8Yt1XGILfmbpPxHg2mCzvG-tQ".into(),
        code: "121234123412".into(),
    }
    .to_xml("gh_1", "o1", 1);
    assert!(status.contains("<Event><![CDATA[update_invoice_status]]></Event><Status><![CDATA[INVOICE_REIMBURSE_INIT]]></Status><CardId><![CDATA[pjZ8Yt1XGILfmbpPxHg2mCzvG-tQ]]></CardId><Code><![CDATA[121234123412]]></Code></xml>"), "{status}");
    let del = OaEvent::UserDelCard {
        card_id: "pc1".into(),
        user_card_code: "9876".into(),
    }
    .to_xml("gh_1", "o1", 1);
    assert!(
        del.ends_with("<Event><![CDATA[user_del_card]]></Event><CardId><![CDATA[pc1]]></CardId><UserCardCode><![CDATA[9876]]></UserCardCode></xml>"),
        "{del}"
    );
}

#[test]
fn a_cdata_terminator_inside_a_value_is_split_safely() {
    let event = authorize("a]]>b", "]]>");
    let xml = event.to_xml("gh_x", "o]]>", 7);
    assert!(
        xml.contains("<SuccOrderId><![CDATA[a]]]]><![CDATA[>b]]></SuccOrderId>"),
        "{xml}"
    );
    let back = parse_event_xml(&xml).unwrap();
    assert_eq!(back.event, event);
    assert_eq!(back.from_user_name, "o]]>");
}

#[test]
fn characters_xml_forbids_are_replaced() {
    let xml = authorize("a\u{1}b", "").to_xml("gh_x", "o", 7);
    assert!(xml.contains("<![CDATA[a\u{FFFD}b]]>"), "{xml}");
}

#[test]
fn the_wechatpy_sample_parses() {
    // wechatpy tests/test_events.py, test_parse_user_authorize_invoice_event.
    let xml = "<xml>
        <ToUserName><![CDATA[gh_fc0a06a20993]]></ToUserName>
        <FromUserName><![CDATA[oZI8Fj040-be6rlDohc6gkoPOQTQ]]></FromUserName>
        <CreateTime>1475134700</CreateTime>
        <MsgType><![CDATA[event]]></MsgType>
        <Event><![CDATA[user_authorize_invoice]]></Event>
        <SuccOrderId><![CDATA[1202933957956]]></SuccOrderId>
        <FailOrderId><![CDATA[]]></FailOrderId>
        <AppId><![CDATA[wx1234567887654321]]></AppId>
        <Source><![CDATA[]]></Source>
        </xml>";
    assert_eq!(
        parse_event_xml(xml).unwrap(),
        PushMessage {
            to_user_name: "gh_fc0a06a20993".into(),
            from_user_name: "oZI8Fj040-be6rlDohc6gkoPOQTQ".into(),
            create_time: 1475134700,
            event: OaEvent::UserAuthorizeInvoice {
                succ_order_id: "1202933957956".into(),
                fail_order_id: String::new(),
                app_id: "wx1234567887654321".into(),
                source: String::new(),
            },
        }
    );
}

#[test]
fn the_official_sample_spelling_authorize_app_id_is_read_as_app_id() {
    let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xml><ToUserName><![CDATA[gh_a]]></ToUserName><FromUserName><![CDATA[o]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[USER_AUTHORIZE_INVOICE]]></Event><SuccOrderId>42</SuccOrderId><AuthorizeAppId><![CDATA[wxf83dd777cffa4eab]]></AuthorizeAppId></xml>";
    let message = parse_event_xml(xml).unwrap();
    assert_eq!(
        message.event,
        OaEvent::UserAuthorizeInvoice {
            succ_order_id: "42".into(),
            fail_order_id: String::new(),
            app_id: "wxf83dd777cffa4eab".into(),
            source: String::new(),
        },
        "Event matched case-insensitively, missing elements empty"
    );
}

#[test]
fn entities_in_plain_text_are_decoded() {
    let xml = "<xml><ToUserName>gh_&amp;&lt;&#65;&#x42;</ToUserName><FromUserName/><CreateTime> 5 </CreateTime><MsgType>event</MsgType><Event>user_del_card</Event><CardId>c&quot;</CardId><UserCardCode>&apos;</UserCardCode></xml>";
    let message = parse_event_xml(xml).unwrap();
    assert_eq!(message.to_user_name, "gh_&<AB");
    assert_eq!(message.from_user_name, "");
    assert_eq!(message.create_time, 5);
    assert_eq!(
        message.event,
        OaEvent::UserDelCard {
            card_id: "c\"".into(),
            user_card_code: "'".into()
        }
    );
}

#[test]
fn malformed_and_foreign_bodies_are_rejected_with_the_reason() {
    let good = authorize("1", "").to_xml("gh_a", "o", 1);
    assert!(matches!(
        parse_event_xml(&good.replace("<![CDATA[event]]>", "<![CDATA[text]]>")),
        Err(EventXmlError::NotEvent(t)) if t == "text"
    ));
    assert!(matches!(
        parse_event_xml(&good.replace("user_authorize_invoice", "subscribe")),
        Err(EventXmlError::UnknownEvent(e)) if e == "subscribe"
    ));
    assert_eq!(
        parse_event_xml(&good.replace("<FromUserName><![CDATA[o]]></FromUserName>", "")),
        Err(EventXmlError::Missing("FromUserName"))
    );
    assert!(matches!(
        parse_event_xml(&good.replace(">1</CreateTime>", ">soon</CreateTime>")),
        Err(EventXmlError::BadCreateTime(_))
    ));
    for bad in [
        "",
        "not xml",
        "<xml><A><B>x</B></A></xml>",
        "<xml><A>x</B></xml>",
        "<xml><A><![CDATA[x</A></xml>",
        "<xml><A>&bogus;</A></xml>",
        "<xml a=\"1\"></xml>",
        &format!("{good}junk"),
        &good[..good.len() - 3],
    ] {
        assert!(
            matches!(parse_event_xml(bad), Err(EventXmlError::Malformed { .. })),
            "{bad:?} -> {:?}",
            parse_event_xml(bad)
        );
    }
}

#[test]
fn stored_json_names_the_event() {
    let json = serde_json::to_value(authorize("1", "")).unwrap();
    assert_eq!(json["event"], "user_authorize_invoice");
    assert_eq!(json["succ_order_id"], "1");
    let back: OaEvent = serde_json::from_value(json).unwrap();
    assert_eq!(back, authorize("1", ""));
}
