//! The taxi-invoice family (`/v3/taxi-invoice/*`, T1–T11, service providers
//! only) as typed async methods on [`Taxi`], the handle
//! [`crate::WechatPay::taxi`] returns.
//!
//! | # | endpoint | method |
//! | --- | --- | --- |
//! | T1 | `POST taxi-company/create-taxi-company` | [`Taxi::create_company`] |
//! | T2 | `GET taxi-companies/{company_mchid}` | [`Taxi::company`] |
//! | T3 | `POST taxi/update-taxi` | [`Taxi::update_taxi`] |
//! | T4 | `GET taxies/{plate_number}` | [`Taxi::taxi`] |
//! | T5 | `POST driver/update-driver` | [`Taxi::update_driver`] |
//! | T6 | `GET drivers/{driver_license}` | [`Taxi::driver`] |
//! | T7 | `POST attendance/punch` | [`Taxi::punch`] |
//! | T8 | `GET user-taxi-orders` | [`Taxi::trip_orders`] |
//! | T9 | `GET user-taxi-order/find-by-token` | [`Taxi::find_trip_order`] |
//! | T10 | `POST cards/upload-file` | [`Taxi::upload_file`] |
//! | T11 | `POST cards` | [`Taxi::insert_card`] |
//!
//! No taxi callbacks are documented.

mod fleet;
mod fleet_types;
mod trip_types;
mod trips;

pub use fleet_types::*;
pub use trip_types::*;

use crate::WechatPay;

/// Prefix of every taxi path.
const BASE: &str = "/v3/taxi-invoice";

/// The taxi-invoice endpoints of one [`WechatPay`] client (a service provider).
#[derive(Clone, Copy)]
pub struct Taxi<'a> {
    pay: &'a WechatPay,
}

impl<'a> Taxi<'a> {
    pub(crate) fn new(pay: &'a WechatPay) -> Self {
        Self { pay }
    }
}
