//! T8 `GET /v3/taxi-invoice/user-taxi-orders`: a passenger's trip orders
//! with the calling provider's taxis, in one region, between two China
//! dates no earlier than half a year ago; newest first, paged.

use super::{region_query, required_query};
use crate::domain::taxi::trip::trip_window;
use crate::http::pay::taxi::require_provider;
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::http::query;
use crate::state::AppState;
use crate::store::taxi_trips::TripOrderQuery;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use kabao_protocol::apiv3::rfc3339_cst;
use serde_json::{json, Value};

/// The path, for the answer's links.
const PATH: &str = "/v3/taxi-invoice/user-taxi-orders";

/// Rows per page when `limit` is not given.
pub const DEFAULT_TRIP_LIMIT: i64 = 10;

/// Most rows one page may ask for.
pub const MAX_TRIP_LIMIT: i64 = 100;

/// T8 → 200 `{data, offset, limit, total_count, links}`.
pub(super) async fn list(
    State(state): State<AppState>,
    uri: Uri,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let provider = require_provider(&request)?;
    let openid = required_query(&uri, "openid")?;
    let appid = required_query(&uri, "appid")?;
    let begin_date = required_query(&uri, "begin_date")?;
    let end_date = required_query(&uri, "end_date")?;
    let region =
        region_query(&uri)?.ok_or_else(|| PayError::param("region_id", "query", "is required"))?;
    let offset = integer(&uri, "offset", 0)?;
    if offset < 0 {
        return Err(PayError::param("offset", "query", "must be 0 or more"));
    }
    let limit = integer(&uri, "limit", DEFAULT_TRIP_LIMIT)?;
    if !(1..=MAX_TRIP_LIMIT).contains(&limit) {
        return Err(PayError::param(
            "limit",
            "query",
            format!("must be between 1 and {MAX_TRIP_LIMIT}"),
        ));
    }
    let window = trip_window(&begin_date, &end_date, state.clock.now())
        .map_err(|e| PayError::param(&e.field, "query", e.issue))?;
    let (rides, total) = state
        .store
        .trip_orders(&TripOrderQuery {
            provider_mchid: provider,
            appid: appid.clone(),
            openid: openid.clone(),
            region_id: region.get(),
            from: window.from,
            until: window.until,
            offset,
            limit,
        })
        .await?;
    let data: Vec<Value> = rides
        .iter()
        .map(|r| {
            json!({
                "plate_number": r.plate_number,
                "driver_license": r.driver_license,
                "up_time": rfc3339_cst(r.up_time),
            })
        })
        .collect();
    let keep = [
        ("openid", openid),
        ("appid", appid),
        ("begin_date", begin_date),
        ("end_date", end_date),
        ("region_id", region.get().to_string()),
    ];
    Ok(pay_json(
        StatusCode::OK,
        &json!({
            "data": data,
            "offset": offset,
            "limit": limit,
            "total_count": total,
            "links": links(&keep, offset, limit, total),
        }),
    ))
}

/// An optional integer query parameter.
fn integer(uri: &Uri, field: &str, default: i64) -> Result<i64, PayError> {
    match query::param(uri, field).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(raw) => raw.parse().map_err(|_| {
            PayError::param(field, "query", format!("must be an integer, not {raw:?}"))
        }),
    }
}

/// `links` to the next, previous and current pages (absent ones left out).
fn links(keep: &[(&str, String)], offset: i64, limit: i64, total: i64) -> Value {
    let at = |offset: i64| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in keep {
            query.append_pair(k, v);
        }
        query.append_pair("offset", &offset.to_string());
        query.append_pair("limit", &limit.to_string());
        format!("{PATH}?{}", query.finish())
    };
    let mut links = json!({ "self": at(offset) });
    if offset + limit < total {
        links["next"] = json!(at(offset + limit));
    }
    if offset > 0 {
        links["prev"] = json!(at((offset - limit).max(0)));
    }
    links
}
