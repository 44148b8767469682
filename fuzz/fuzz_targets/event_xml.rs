//! The Official Account event push XML: for any field values (hostile ones
//! like `]]>`, control characters, lone `<`), the body kabao builds is
//! well-formed XML (checked by an independent parser, roxmltree), and
//! reading it back gives the same push, with the characters XML 1.0
//! forbids replaced by U+FFFD. Arbitrary bytes fed to the reader never panic.
#![no_main]

use kabao_protocol::oa::{parse_event_xml, OaEvent, PushMessage};
use libfuzzer_sys::fuzz_target;

/// What the builder is documented to write for a value.
fn as_written(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '\t'
            | '\n'
            | '\r'
            | '\u{20}'..='\u{D7FF}'
            | '\u{E000}'..='\u{FFFD}'
            | '\u{10000}'.. => c,
            _ => '\u{FFFD}',
        })
        .collect()
}

fn strings(data: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(data)
        .split('\u{1}')
        .map(str::to_owned)
        .collect()
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_event_xml(text);
    }
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let mut fields = strings(rest)
        .into_iter()
        .chain(std::iter::repeat(String::new()));
    let mut next = || fields.next().unwrap_or_default();
    let (to_user_name, from_user_name) = (next(), next());
    let create_time = i64::from(selector) * 1_000_003 - 7;
    let event = match selector % 3 {
        0 => OaEvent::UserAuthorizeInvoice {
            succ_order_id: next(),
            fail_order_id: next(),
            app_id: next(),
            source: next(),
        },
        1 => OaEvent::UpdateInvoiceStatus {
            status: next(),
            card_id: next(),
            code: next(),
        },
        _ => OaEvent::UserDelCard {
            card_id: next(),
            user_card_code: next(),
        },
    };
    let push = PushMessage {
        to_user_name,
        from_user_name,
        create_time,
        event,
    };
    let xml = push.to_xml();
    let document = match roxmltree::Document::parse(&xml) {
        Ok(document) => document,
        Err(e) => panic!("the push is not well-formed XML ({e}): {xml:?}"),
    };
    // What any XML parser reads (line ends normalised, CDATA joined) is
    // exactly the value kabao meant.
    let by_xml_parser: Vec<(String, String)> = document
        .root_element()
        .children()
        .filter(|n| n.is_element())
        .map(|n| {
            let text: String = n.children().filter_map(|c| c.text()).collect();
            (n.tag_name().name().to_owned(), text)
        })
        .collect();
    let mut meant = vec![
        ("ToUserName".to_owned(), as_written(&push.to_user_name)),
        ("FromUserName".to_owned(), as_written(&push.from_user_name)),
        ("CreateTime".to_owned(), create_time.to_string()),
        ("MsgType".to_owned(), "event".to_owned()),
        ("Event".to_owned(), push.event.name().to_owned()),
    ];
    meant.extend(
        push.event
            .fields()
            .into_iter()
            .map(|(name, value)| (name.to_owned(), as_written(value))),
    );
    assert_eq!(by_xml_parser, meant, "{xml:?}");
    let read = parse_event_xml(&xml).expect("kabao reads back the push it built");
    let expected = PushMessage {
        to_user_name: as_written(&push.to_user_name),
        from_user_name: as_written(&push.from_user_name),
        create_time,
        event: match &push.event {
            OaEvent::UserAuthorizeInvoice {
                succ_order_id,
                fail_order_id,
                app_id,
                source,
            } => OaEvent::UserAuthorizeInvoice {
                succ_order_id: as_written(succ_order_id),
                fail_order_id: as_written(fail_order_id),
                app_id: as_written(app_id),
                source: as_written(source),
            },
            OaEvent::UpdateInvoiceStatus {
                status,
                card_id,
                code,
            } => OaEvent::UpdateInvoiceStatus {
                status: as_written(status),
                card_id: as_written(card_id),
                code: as_written(code),
            },
            OaEvent::UserDelCard {
                card_id,
                user_card_code,
            } => OaEvent::UserDelCard {
                card_id: as_written(card_id),
                user_card_code: as_written(user_card_code),
            },
        },
    };
    assert_eq!(read, expected, "{xml:?}");
});
