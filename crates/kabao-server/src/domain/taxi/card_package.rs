//! How a taxi fapiao card sits in the user's card package: its card
//! template id and card code, its status, and which of the two published
//! answers insert-card (T11) gives.

use base64::Engine;
use rand::Rng;

/// A card in the user's card package.
pub const CARD_INSERTED: &str = "INSERTED";

/// A card the user discarded.
pub const CARD_DISCARDED: &str = "DISCARDED";

/// What a successful `POST /v3/taxi-invoice/cards` answers: the official
/// page (and the seed) say 204 No Content, the YAML says 200 with the card.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TaxiCardResponse {
    /// 204 No Content (the official page of 2024-11-18).
    #[default]
    NoContent,
    /// 200 `{card_appid, card_openid, card_id, card_code}` (the YAML).
    Card,
}

impl TaxiCardResponse {
    /// Reads `204` or `200` (the `--taxi-card-response` option).
    pub fn parse(value: &str) -> Result<Self, String> {
        match value.trim() {
            "204" => Ok(Self::NoContent),
            "200" => Ok(Self::Card),
            other => Err(format!(
                "{other} is not 204 (no content, the official page) or 200 (the card, the YAML)"
            )),
        }
    }
}

/// The card template id of a company's taxi fapiao cards: 28 characters
/// starting with `p`, like WeChat's card ids, the same for every card of
/// the company.
pub fn taxi_card_id(company_mchid: &str) -> String {
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        format!("kabao taxi fapiao card template {company_mchid}").as_bytes(),
    );
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref());
    format!("p{}", &text[..27])
}

/// A new card code: 12 random digits, like WeChat's example `379550244162`.
pub fn new_card_code() -> String {
    let mut rng = rand::thread_rng();
    (0..12)
        .map(|i| char::from(b'0' + rng.gen_range(u8::from(i == 0)..10u8)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_response_setting_reads_204_or_200() {
        assert_eq!(
            TaxiCardResponse::parse("204"),
            Ok(TaxiCardResponse::NoContent)
        );
        assert_eq!(TaxiCardResponse::parse("200"), Ok(TaxiCardResponse::Card));
        assert!(TaxiCardResponse::parse("201").is_err());
        assert_eq!(TaxiCardResponse::default(), TaxiCardResponse::NoContent);
    }

    #[test]
    fn card_ids_are_stable_per_company_and_codes_are_twelve_digits() {
        let id = taxi_card_id("1900000109");
        assert_eq!(id.len(), 28);
        assert!(id.starts_with('p'));
        assert_eq!(id, taxi_card_id("1900000109"));
        assert_ne!(id, taxi_card_id("1900000110"));
        let code = new_card_code();
        assert_eq!(code.len(), 12);
        assert!(code.bytes().all(|b| b.is_ascii_digit()) && !code.starts_with('0'));
    }
}
