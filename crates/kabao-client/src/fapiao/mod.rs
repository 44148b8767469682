//! The fapiao family (`/v3/new-tax-control-fapiao/*`, F1–F22) as typed
//! async methods on [`Fapiao`], the handle [`crate::WechatPay::fapiao`]
//! returns. Sensitive fields are plaintext in these types: the SDK encrypts
//! them for the platform on the way out (and sends `Wechatpay-Serial`) and
//! decrypts them with the merchant key on the way in.
//!
//! | # | endpoint | method |
//! | --- | --- | --- |
//! | F1 | `GET merchant/{sub_mchid}/check-status` | [`Fapiao::check_status`] |
//! | F2 | `POST merchant/{sub_mchid}/check` | [`Fapiao::check`] |
//! | F3 | `GET merchant/base-information` | [`Fapiao::base_information`] |
//! | F4 | `GET merchant/tax-codes` | [`Fapiao::tax_codes`] |
//! | F5 | `PATCH merchant/development-config` | [`Fapiao::update_development_config`] |
//! | F6 | `GET merchant/development-config` | [`Fapiao::development_config`] |
//! | F7 | `POST card-template` | [`Fapiao::create_card_template`] |
//! | F8 | `GET user-title/title-url` | [`Fapiao::title_url`] |
//! | F9 | `GET user-title` | [`Fapiao::user_title`] |
//! | F10 | `POST fapiao-applications` | [`Fapiao::issue`] |
//! | F11 | `POST fapiao-applications/issue-general` | [`Fapiao::issue_general`] |
//! | F12 | `POST fapiao-applications/issue-passenger-transport` | [`Fapiao::issue_passenger_transport`] |
//! | F13 | `POST fapiao-applications/issue-refined-oil` | [`Fapiao::issue_refined_oil`] |
//! | F14 | `POST fapiao-applications/real-estate-leasing` | [`Fapiao::issue_real_estate_leasing`] |
//! | F15 | `GET fapiao-applications/{id}` | [`Fapiao::application`] |
//! | F16 | `POST fapiao-applications/{id}/reverse` | [`Fapiao::reverse`] |
//! | F17 | `GET fapiao-applications/{id}/fapiao-files` | [`Fapiao::files`] |
//! | F18 | `GET <download_url>` (unsigned) | [`Fapiao::download_file`] |
//! | F19 | `POST fapiao-applications/upload-fapiao-file` | [`Fapiao::upload_file`] |
//! | F20 | `POST fapiao-applications/{id}/insert-cards` | [`Fapiao::insert_cards`] |
//! | F21 | `GET fapiaomerchant/getspinviteurl` | [`Fapiao::invite_url`] |
//! | F22 | `GET fapiaomerchant/listspinvitemchinfo` | [`Fapiao::invited_merchants`] |

mod enums;
mod issue_types;
mod issuing;
mod onboarding;
mod parties;
mod query_types;
mod self_issued;
mod setup;
mod setup_types;
mod titles;

pub use enums::*;
pub use issue_types::*;
pub use onboarding::{
    InviteUrl, InviteUrlRequest, InvitedMerchant, InvitedMerchantsPage, InvitedMerchantsQuery,
};
pub use parties::*;
pub use query_types::*;
pub use self_issued::{InsertCardsRequest, MediaUpload, SelfIssuedFapiao};
pub use setup_types::*;
pub use titles::{TitleUrl, TitleUrlRequest, UserTitle};

use crate::WechatPay;

/// Prefix of every fapiao path.
const BASE: &str = "/v3/new-tax-control-fapiao";

/// The fapiao endpoints of one [`WechatPay`] client.
#[derive(Clone, Copy)]
pub struct Fapiao<'a> {
    pay: &'a WechatPay,
}

impl<'a> Fapiao<'a> {
    pub(crate) fn new(pay: &'a WechatPay) -> Self {
        Self { pay }
    }
}
