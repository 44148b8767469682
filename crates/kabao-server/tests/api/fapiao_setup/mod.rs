//! Fapiao merchant setup end to end: check-status/check, base-information,
//! tax-codes, development-config, card-template, and the control API's
//! paid orders and merchant settings.

mod capability;
mod config;
mod orders;
mod tables;

use crate::fapiao_world::FapiaoWorld;
use crate::helpers::ADMIN_TOKEN;
use serde_json::Value;

/// `PUT /_kabao/api{path}` with the admin token.
pub async fn admin_put(world: &FapiaoWorld, path: &str, body: &Value) -> (u16, Value) {
    let r = world
        .app
        .http
        .put(world.app.url(&format!("/_kabao/api{path}")))
        .bearer_auth(ADMIN_TOKEN)
        .json(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Asserts an APIv3 error answer: status, code, and the field it names in
/// `detail.field` (when given) and in `message`.
pub fn assert_error(answer: &(u16, Value), status: u16, code: &str, field: Option<&str>) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    if let Some(field) = field {
        assert_eq!(body["detail"]["field"], field, "{body}");
        assert!(body["message"].as_str().unwrap().contains(field), "{body}");
    }
}
