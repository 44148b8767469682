//! The XML body of an event push: written the way WeChat writes it (every
//! string in CDATA, `CreateTime` bare) and read back from that flat shape, so
//! kabao's pushes can be checked by the same code that builds them.

use super::OaEvent;

/// One push as the Official Account's server receives it: the common
/// header elements and the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushMessage {
    /// `ToUserName`: the Official Account's original id (`gh_…`).
    pub to_user_name: String,
    /// `FromUserName`: the openid of the user the event is about.
    pub from_user_name: String,
    /// `CreateTime`: when the event happened, Unix seconds.
    pub create_time: i64,
    /// `Event` and its own elements.
    pub event: OaEvent,
}

impl PushMessage {
    /// The push body, as [`OaEvent::to_xml`] writes it.
    pub fn to_xml(&self) -> String {
        self.event
            .to_xml(&self.to_user_name, &self.from_user_name, self.create_time)
    }
}

impl OaEvent {
    /// The body WeChat POSTs to the Official Account's server:
    /// `<xml><ToUserName><![CDATA[gh_…]]></ToUserName>…</xml>`, strings in
    /// CDATA (a `]]>` inside a value split across two sections, characters
    /// XML 1.0 forbids replaced by U+FFFD) and `CreateTime` as a bare integer.
    pub fn to_xml(&self, to_user_name: &str, from_user_name: &str, create_time: i64) -> String {
        let mut out = String::with_capacity(320);
        out.push_str("<xml>");
        push_cdata_element(&mut out, "ToUserName", to_user_name);
        push_cdata_element(&mut out, "FromUserName", from_user_name);
        out.push_str(&format!("<CreateTime>{create_time}</CreateTime>"));
        push_cdata_element(&mut out, "MsgType", "event");
        push_cdata_element(&mut out, "Event", self.name());
        for (name, value) in self.fields() {
            push_cdata_element(&mut out, name, value);
        }
        out.push_str("</xml>");
        out
    }
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn push_cdata_element(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    let clean: String = value
        .chars()
        .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
        .collect();
    // A carriage return inside CDATA reaches an XML parser as a line feed
    // (XML 1.0 §2.11), so each one is written as the reference `&#13;`
    // between CDATA sections.
    for (i, run) in clean.split('\r').enumerate() {
        if i > 0 {
            out.push_str("&#13;");
        }
        if i == 0 || !run.is_empty() {
            out.push_str("<![CDATA[");
            out.push_str(&run.replace("]]>", "]]]]><![CDATA[>"));
            out.push_str("]]>");
        }
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Why a push body could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventXmlError {
    /// Not the flat `<xml><Name>value</Name>…</xml>` shape.
    #[error("malformed push XML at byte {at}: {what}")]
    Malformed {
        /// Byte offset of the problem.
        at: usize,
        /// What was expected.
        what: &'static str,
    },
    /// A required element is absent.
    #[error("the push has no <{0}>")]
    Missing(&'static str),
    /// `CreateTime` is not an integer.
    #[error("<CreateTime> is not an integer: {0:?}")]
    BadCreateTime(String),
    /// `MsgType` is not `event`.
    #[error("<MsgType> is {0:?}, not event")]
    NotEvent(String),
    /// An `Event` this crate does not model.
    #[error("unknown event {0:?}")]
    UnknownEvent(String),
}

/// Reads a push body back into a [`PushMessage`]. `Event` is matched
/// case-insensitively (as wechatpy does); an event's missing elements read as
/// empty strings; `AuthorizeAppId` is accepted for `AppId` (the spelling of
/// the official sample).
pub fn parse_event_xml(xml: &str) -> Result<PushMessage, EventXmlError> {
    let elements = Reader::new(xml).elements()?;
    let get = |name: &str| {
        elements
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let required = |name: &'static str| get(name).ok_or(EventXmlError::Missing(name));
    let text = |name: &str| get(name).unwrap_or_default().to_owned();
    let create_time = required("CreateTime")?;
    let create_time = create_time
        .trim()
        .parse()
        .map_err(|_| EventXmlError::BadCreateTime(create_time.to_owned()))?;
    let msg_type = required("MsgType")?;
    if !msg_type.eq_ignore_ascii_case("event") {
        return Err(EventXmlError::NotEvent(msg_type.to_owned()));
    }
    let name = required("Event")?;
    let event = match name.to_ascii_lowercase().as_str() {
        "user_authorize_invoice" => OaEvent::UserAuthorizeInvoice {
            succ_order_id: text("SuccOrderId"),
            fail_order_id: text("FailOrderId"),
            app_id: get("AppId")
                .or_else(|| get("AuthorizeAppId"))
                .unwrap_or_default()
                .to_owned(),
            source: text("Source"),
        },
        "update_invoice_status" => OaEvent::UpdateInvoiceStatus {
            status: text("Status"),
            card_id: text("CardId"),
            code: text("Code"),
        },
        "user_del_card" => OaEvent::UserDelCard {
            card_id: text("CardId"),
            user_card_code: text("UserCardCode"),
        },
        _ => return Err(EventXmlError::UnknownEvent(name.to_owned())),
    };
    Ok(PushMessage {
        to_user_name: required("ToUserName")?.to_owned(),
        from_user_name: required("FromUserName")?.to_owned(),
        create_time,
        event,
    })
}

/// A reader of flat XML: a root element whose children hold text and CDATA.
struct Reader<'a> {
    xml: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(xml: &'a str) -> Self {
        Self { xml, at: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.xml[self.at..]
    }

    fn fail<T>(&self, what: &'static str) -> Result<T, EventXmlError> {
        Err(EventXmlError::Malformed { at: self.at, what })
    }

    fn skip_whitespace(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    /// Skips whitespace, `<?…?>` declarations and `<!--…-->` comments.
    fn skip_misc(&mut self) -> Result<(), EventXmlError> {
        loop {
            self.skip_whitespace();
            let (open, close) = if self.rest().starts_with("<?") {
                ("<?", "?>")
            } else if self.rest().starts_with("<!--") {
                ("<!--", "-->")
            } else {
                return Ok(());
            };
            match self.rest()[open.len()..].find(close) {
                Some(end) => self.at += open.len() + end + close.len(),
                None => return self.fail("an unterminated declaration or comment"),
            }
        }
    }

    fn expect(&mut self, literal: &str, what: &'static str) -> Result<(), EventXmlError> {
        if self.rest().starts_with(literal) {
            self.at += literal.len();
            Ok(())
        } else {
            self.fail(what)
        }
    }

    /// `<Name>` (or `<Name/>`): the name and whether the element is empty.
    fn open_tag(&mut self) -> Result<(&'a str, bool), EventXmlError> {
        self.expect("<", "an element")?;
        let Some(end) = self.rest().find('>') else {
            return self.fail("a closing '>'");
        };
        let tag = &self.rest()[..end];
        let (name, empty) = match tag.strip_suffix('/') {
            Some(name) => (name.trim_end(), true),
            None => (tag.trim_end(), false),
        };
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
        if !valid {
            return self.fail("an element name without attributes");
        }
        self.at += end + 1;
        Ok((name, empty))
    }

    /// The root's children as `(name, text)`, in document order.
    fn elements(mut self) -> Result<Vec<(String, String)>, EventXmlError> {
        self.at = self.rest().len() - self.rest().trim_start_matches('\u{FEFF}').len();
        self.skip_misc()?;
        let (root, empty) = self.open_tag()?;
        let mut out = Vec::new();
        if !empty {
            loop {
                self.skip_misc()?;
                if self.rest().starts_with("</") {
                    self.expect("</", "the root's end tag")?;
                    self.expect(root, "the root's end tag")?;
                    self.skip_whitespace();
                    self.expect(">", "the root's end tag")?;
                    break;
                }
                let (name, empty) = self.open_tag()?;
                let value = if empty {
                    String::new()
                } else {
                    self.content(name)?
                };
                out.push((name.to_owned(), value));
            }
        }
        self.skip_misc()?;
        if !self.rest().is_empty() {
            return self.fail("nothing after the root element");
        }
        Ok(out)
    }

    /// Text and CDATA up to `</name>`, entities decoded. Whitespace-only
    /// text beside CDATA sections (indentation) is not part of the value;
    /// whitespace written as a character reference (`&#13;`) is.
    fn content(&mut self, name: &str) -> Result<String, EventXmlError> {
        let mut parts: Vec<Part> = Vec::new();
        loop {
            let rest = self.rest();
            if let Some(after) = rest.strip_prefix("<![CDATA[") {
                let Some(end) = after.find("]]>") else {
                    return self.fail("the end of a CDATA section");
                };
                parts.push(Part::Cdata(after[..end].to_owned()));
                self.at += "<![CDATA[".len() + end + "]]>".len();
            } else if rest.starts_with("</") {
                self.at += 2;
                self.expect(name, "the matching end tag")?;
                self.skip_whitespace();
                self.expect(">", "the matching end tag")?;
                break;
            } else if rest.starts_with("<!--") {
                self.skip_misc()?;
            } else if rest.starts_with('<') {
                return self.fail("text, not a nested element");
            } else if rest.is_empty() {
                return self.fail("the matching end tag");
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                let raw = &rest[..end];
                let text = decode_entities(raw).ok_or(EventXmlError::Malformed {
                    at: self.at,
                    what: "a known entity",
                })?;
                // Indentation is raw whitespace; a reference is content.
                let indent = raw.trim().is_empty();
                parts.push(Part::Text { text, indent });
                self.at += end;
            }
        }
        let has_cdata = parts.iter().any(|p| matches!(p, Part::Cdata(_)));
        Ok(parts
            .into_iter()
            .filter_map(|part| match part {
                Part::Cdata(text) => Some(text),
                Part::Text { text, indent } => (!indent || !has_cdata).then_some(text),
            })
            .collect())
    }
}

/// A piece of an element's content.
enum Part {
    /// A CDATA section's text.
    Cdata(String),
    /// Text with its references decoded; `indent` when it was only raw whitespace.
    Text { text: String, indent: bool },
}

fn decode_entities(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let end = rest[amp..].find(';')? + amp;
        let entity = &rest[amp + 1..end];
        let c = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = match entity.strip_prefix("#x").or(entity.strip_prefix("#X")) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => entity.strip_prefix('#')?.parse().ok()?,
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `event_xml` fuzz target: a carriage return written
    /// inside CDATA reached XML parsers as a line feed.
    #[test]
    fn a_carriage_return_survives_any_xml_parser() {
        let push = PushMessage {
            to_user_name: "\r".into(),
            from_user_name: "a\r\nb]]>c\r".into(),
            create_time: 95000278,
            event: OaEvent::UserDelCard {
                card_id: "  \r  ".into(),
                user_card_code: String::new(),
            },
        };
        let xml = push.to_xml();
        assert!(!xml.contains('\r'), "{xml:?}");
        assert!(
            xml.contains("<ToUserName><![CDATA[]]>&#13;</ToUserName>"),
            "{xml:?}"
        );
        assert_eq!(parse_event_xml(&xml).unwrap(), push);
    }

    #[test]
    fn values_without_carriage_returns_keep_the_wechat_shape() {
        let event = OaEvent::UserDelCard {
            card_id: "pjZ8Yt".into(),
            user_card_code: "1234".into(),
        };
        assert_eq!(
            event.to_xml("gh_1", "o1", 7),
            "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName>\
<CreateTime>7</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[user_del_card]]></Event>\
<CardId><![CDATA[pjZ8Yt]]></CardId><UserCardCode><![CDATA[1234]]></UserCardCode></xml>"
        );
    }
}
