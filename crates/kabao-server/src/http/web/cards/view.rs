//! What the card package page shows of one card, whatever its family, and
//! the page templates: every card reduced to title, amount, issuer, date,
//! status, numbers and line items, with its PDF and Discard links.

use askama::Template;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Which store a card lives in (the `{family}` segment of its links).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Official Account invoices and fiscal bills (`/card/invoice/insert`, `/nontax/insertbill`).
    Oa,
    /// WeChat Pay fapiao (issued or self-issued).
    Fapiao,
    /// WeChat Pay taxi fapiao.
    Taxi,
}

impl Family {
    /// The link segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oa => "oa",
            Self::Fapiao => "fapiao",
            Self::Taxi => "taxi",
        }
    }

    /// Reads a link segment.
    pub fn parse(segment: &str) -> Option<Self> {
        [Self::Oa, Self::Fapiao, Self::Taxi]
            .into_iter()
            .find(|f| f.as_str() == segment)
    }
}

/// How a status badge looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// In the card package.
    Ok,
    /// Moving (reimbursing, being inserted or discarded).
    Busy,
    /// Discarded.
    Gone,
}

impl Tone {
    /// The CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Busy => "busy",
            Self::Gone => "gone",
        }
    }
}

/// A labelled value (invoice code, number, check code…).
#[derive(Debug, Clone)]
pub struct Fact {
    /// Label.
    pub label: &'static str,
    /// Value.
    pub value: String,
}

/// One line item.
#[derive(Debug, Clone)]
pub struct ItemView {
    /// Goods or service.
    pub name: String,
    /// Quantity with its unit.
    pub quantity: String,
    /// Unit price, yuan.
    pub price: String,
    /// Line amount, yuan.
    pub amount: String,
}

/// One card as the page shows it.
#[derive(Debug, Clone)]
pub struct CardView {
    /// `oa`, `fapiao`, `taxi`.
    pub family: &'static str,
    /// The card code (the fapiao id while a fapiao card has none).
    pub code: String,
    /// 电子发票, 财政电子票据…
    pub kind_label: String,
    /// Who issued it.
    pub issuer: String,
    /// The buyer or payer title (抬头).
    pub title: String,
    /// Yuan.
    pub amount: String,
    /// Issue date, Beijing time.
    pub date: String,
    /// Status text.
    pub status: &'static str,
    /// Status CSS class.
    pub status_class: &'static str,
    /// Codes and numbers.
    pub numbers: Vec<Fact>,
    /// Extra lines (reversal, trip).
    pub notes: Vec<String>,
    /// Line items.
    pub items: Vec<ItemView>,
    /// Opens the PDF.
    pub pdf_url: Option<String>,
    /// POST here to discard.
    pub discard_url: Option<String>,
    /// When it entered the card package (Unix seconds), for the order.
    pub sort_key: i64,
}

impl CardView {
    /// A blank card of `family` with `code`, shown as in the package.
    pub fn new(family: Family, code: &str) -> Self {
        Self {
            family: family.as_str(),
            code: code.to_owned(),
            kind_label: String::new(),
            issuer: String::new(),
            title: String::new(),
            amount: String::new(),
            date: String::new(),
            status: "已入卡包 · Inserted",
            status_class: Tone::Ok.class(),
            numbers: Vec::new(),
            notes: Vec::new(),
            items: Vec::new(),
            pdf_url: None,
            discard_url: None,
            sort_key: 0,
        }
    }

    /// Adds a fact unless its value is empty.
    pub fn fact(&mut self, label: &'static str, value: &str) {
        if !value.is_empty() {
            self.numbers.push(Fact {
                label,
                value: value.to_owned(),
            });
        }
    }

    /// Sets the status text and its tone.
    pub fn set_status(&mut self, text: &'static str, tone: Tone) {
        self.status = text;
        self.status_class = tone.class();
    }
}

/// A user's card package page.
#[derive(Template)]
#[template(path = "cards.html")]
pub struct CardsPage {
    /// Page title.
    pub title: String,
    /// Whose package it is.
    pub owner: String,
    /// Newest first.
    pub cards: Vec<CardView>,
}

/// One user linked from the index.
#[derive(Debug, Clone)]
pub struct UserLink {
    /// Display name.
    pub name: String,
    /// Openid.
    pub openid: String,
    /// The card package page.
    pub href: String,
}

/// One app and its users on the index.
#[derive(Debug, Clone)]
pub struct AppUsers {
    /// Appid.
    pub appid: String,
    /// App name.
    pub name: String,
    /// Its users.
    pub users: Vec<UserLink>,
}

/// `/_kabao/cards`: every provisioned user with a link to their package.
#[derive(Template)]
#[template(path = "cards_index.html")]
pub struct IndexPage {
    /// Page title.
    pub title: String,
    /// Apps that have users.
    pub apps: Vec<AppUsers>,
}

/// Characters kept as they are in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_');

/// `/_kabao/cards/{appid}/{openid}`, each segment percent-encoded.
pub fn package_path(appid: &str, openid: &str) -> String {
    format!(
        "/_kabao/cards/{}/{}",
        utf8_percent_encode(appid, SEGMENT),
        utf8_percent_encode(openid, SEGMENT)
    )
}

/// A card's own link: `{package}/{family}/{code}/{action}`.
pub fn card_path(package: &str, family: Family, code: &str, action: &str) -> String {
    format!(
        "{package}/{}/{}/{action}",
        family.as_str(),
        utf8_percent_encode(code, SEGMENT)
    )
}

/// A decimal with at most `scale` places, trailing zeros dropped
/// (`150000000`, 8 → `1.5`).
pub fn decimal(value: i64, scale: u32) -> String {
    let unit = 10i64.pow(scale);
    let sign = if value < 0 { "-" } else { "" };
    let (whole, frac) = (
        value.unsigned_abs() / unit as u64,
        value.unsigned_abs() % unit as u64,
    );
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{frac:0width$}", width = scale as usize);
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_numbers_read_well() {
        assert_eq!(package_path("wx1", "o A/1"), "/_kabao/cards/wx1/o%20A%2F1");
        assert_eq!(
            card_path("/_kabao/cards/a/b", Family::Taxi, "123", "pdf"),
            "/_kabao/cards/a/b/taxi/123/pdf"
        );
        assert_eq!(decimal(150_000_000, 8), "1.5");
        assert_eq!(decimal(200_000_000, 8), "2");
        assert_eq!(decimal(1_456, 2), "14.56");
        assert_eq!(Family::parse("fapiao"), Some(Family::Fapiao));
        assert_eq!(Family::parse("x"), None);
    }
}
