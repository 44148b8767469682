//! Event pushes from WeChat to an Official Account's server: the events of
//! the invoice flows, as kabao stores them before delivery, their XML body
//! and the `signature` query parameter that authenticates a push.

mod signature;
mod xml;

pub use signature::push_signature;
pub use xml::{parse_event_xml, EventXmlError, PushMessage};

use serde::{Deserialize, Serialize};

/// An invoice-flow event, with the fields its XML body carries besides the
/// common `ToUserName`, `FromUserName`, `CreateTime`, `MsgType` and `Event`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum OaEvent {
    /// The user authorised (or failed to authorise) an order's invoice;
    /// sent to the app that called getauthurl / getbillauthurl.
    UserAuthorizeInvoice {
        /// The order id when the authorisation succeeded, else empty.
        succ_order_id: String,
        /// The order id when it failed, else empty.
        fail_order_id: String,
        /// The appid that asked for the authorisation.
        app_id: String,
        /// Where the authorisation page was opened (`web`, `app`, `wxa`, `wap`).
        source: String,
    },
    /// A card's reimbursement status changed.
    UpdateInvoiceStatus {
        /// The new `INVOICE_REIMBURSE_*` status.
        status: String,
        /// The card template.
        card_id: String,
        /// The card code.
        code: String,
    },
    /// The user deleted the card from their card package.
    UserDelCard {
        /// The card template.
        card_id: String,
        /// The card code.
        user_card_code: String,
    },
}

impl OaEvent {
    /// The `Event` element's value.
    pub fn name(&self) -> &'static str {
        match self {
            Self::UserAuthorizeInvoice { .. } => "user_authorize_invoice",
            Self::UpdateInvoiceStatus { .. } => "update_invoice_status",
            Self::UserDelCard { .. } => "user_del_card",
        }
    }

    /// The event's own XML elements, in the order WeChat writes them.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        match self {
            Self::UserAuthorizeInvoice {
                succ_order_id,
                fail_order_id,
                app_id,
                source,
            } => vec![
                ("SuccOrderId", succ_order_id),
                ("FailOrderId", fail_order_id),
                ("AppId", app_id),
                ("Source", source),
            ],
            Self::UpdateInvoiceStatus {
                status,
                card_id,
                code,
            } => vec![("Status", status), ("CardId", card_id), ("Code", code)],
            Self::UserDelCard {
                card_id,
                user_card_code,
            } => vec![("CardId", card_id), ("UserCardCode", user_card_code)],
        }
    }
}
