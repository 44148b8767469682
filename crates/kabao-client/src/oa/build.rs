//! Constructors for the insert bodies, whose wire types have many optional
//! fields: the required ones as arguments, the rest left empty to be set.

use kabao_protocol::oa::insert::{
    InsertInvoiceRequest, InvoiceCardExt, InvoiceUserCard, InvoiceUserData,
};

/// An `invoice_user_data` with the fields every invoice has; amounts in
/// fen, `billing_time` in Unix seconds. Set `info`, `fee_without_tax`,
/// `tax`, `check_code`, buyer and seller fields as the invoice needs.
pub fn invoice_data(
    fee: i64,
    title: &str,
    billing_time: i64,
    billing_no: &str,
    billing_code: &str,
    s_pdf_media_id: &str,
) -> InvoiceUserData {
    InvoiceUserData {
        fee,
        title: title.to_owned(),
        billing_time,
        billing_no: billing_no.to_owned(),
        billing_code: billing_code.to_owned(),
        info: Vec::new(),
        fee_without_tax: None,
        tax: None,
        s_pdf_media_id: s_pdf_media_id.to_owned(),
        s_trip_pdf_media_id: None,
        check_code: None,
        buyer_number: None,
        buyer_address_and_phone: None,
        buyer_bank_account: None,
        seller_number: None,
        seller_address_and_phone: None,
        seller_bank_account: None,
        remarks: None,
        cashier: None,
        maker: None,
    }
}

/// A `/card/invoice/insert` body for `order_id` authorised through the
/// merchant `appid`, with a fresh `nonce_str`.
pub fn invoice_request(
    order_id: &str,
    card_id: &str,
    appid: &str,
    data: InvoiceUserData,
) -> InsertInvoiceRequest {
    InsertInvoiceRequest {
        order_id: order_id.to_owned(),
        card_id: card_id.to_owned(),
        appid: appid.to_owned(),
        card_ext: InvoiceCardExt {
            nonce_str: Some(kabao_protocol::aead::random_alphanumeric(16)),
            user_card: InvoiceUserCard {
                invoice_user_data: data,
            },
        },
    }
}
