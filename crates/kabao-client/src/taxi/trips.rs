//! Trips (T8–T11): a passenger's trip orders, the fapiao PDF upload with its
//! SM3 digest, and inserting the fapiao into the passenger's card package.

use super::trip_types::{
    FindTripQuery, TaxiCard, TaxiCardRequest, TripOrderDetail, TripOrdersPage, TripOrdersQuery,
};
use super::{Taxi, BASE};
use crate::error::ClientError;
use crate::fapiao::MediaUpload;
use crate::pay::{sm3_hex, Query};
use reqwest::Method;
use serde::Serialize;

/// The `meta` part of cards/upload-file (spelled correctly, unlike fapiao's).
#[derive(Serialize)]
struct UploadMeta<'a> {
    company_mchid: &'a str,
    digest: String,
    digest_algorithm: &'static str,
    region_id: i64,
}

impl Taxi<'_> {
    /// `GET user-taxi-orders` (T8): one page of a passenger's trip orders in
    /// this provider's taxis.
    pub async fn trip_orders(
        &self,
        query: &TripOrdersQuery,
    ) -> Result<TripOrdersPage, ClientError> {
        let target = Query::new()
            .push_opt("limit", query.limit)
            .push_opt("offset", query.offset)
            .push("openid", &query.openid)
            .push("appid", &query.appid)
            .push("begin_date", &query.begin_date)
            .push("end_date", &query.end_date)
            .push("region_id", query.region_id)
            .to_target(&format!("{BASE}/user-taxi-orders"));
        self.pay.get_json(&target, &[]).await
    }

    /// `GET user-taxi-order/find-by-token` (T9): the trip order behind a
    /// payment's token.
    pub async fn find_trip_order(
        &self,
        query: &FindTripQuery,
    ) -> Result<TripOrderDetail, ClientError> {
        let target = Query::new()
            .push("token", &query.token)
            .push("openid", &query.openid)
            .push("appid", &query.appid)
            .push_opt("region_id", query.region_id)
            .push_opt("auth_mode", query.auth_mode.as_deref())
            .to_target(&format!("{BASE}/user-taxi-order/find-by-token"));
        self.pay.get_json(&target, &[]).await
    }

    /// `POST cards/upload-file` (T10): uploads the fapiao PDF (≤ 2 MB) of a
    /// company with its SM3 digest; the media id lives three days.
    pub async fn upload_file(
        &self,
        company_mchid: &str,
        region_id: i64,
        file_name: &str,
        pdf: Vec<u8>,
    ) -> Result<MediaUpload, ClientError> {
        let meta = UploadMeta {
            company_mchid,
            digest: sm3_hex(&pdf),
            digest_algorithm: "DIGEST_ALGORITHM_SM3",
            region_id,
        };
        let target = format!("{BASE}/cards/upload-file");
        let response = self
            .pay
            .upload(&target, &meta, file_name, "application/pdf", pdf)
            .await?;
        self.pay.read_json(&response, &[])
    }

    /// `POST cards` (T11): inserts the taxi fapiao into the passenger's card
    /// package. `None` when WeChat answers 204 (the official page), the card
    /// when it answers 200 with one (the YAML).
    pub async fn insert_card(
        &self,
        request: &TaxiCardRequest,
    ) -> Result<Option<TaxiCard>, ClientError> {
        let target = format!("{BASE}/cards");
        let response = self
            .pay
            .send_json(Method::POST, &target, Some(request), &[])
            .await?;
        if response.body.is_empty() {
            return Ok(None);
        }
        self.pay.read_json(&response, &[]).map(Some)
    }
}
