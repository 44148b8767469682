//! A fapiao test world: a direct merchant, a service provider with one
//! sub-merchant, and a callback receiver; APIv3 calls signed and their
//! answers' signatures verified, as an SDK would.

use crate::helpers::{
    now, platform_public_keys, spawn_app, verify_response, TestApp, TestMerchant,
};
use crate::receiver::Receiver;
use serde_json::{json, Value};

/// The direct merchant's mchid.
pub const DIRECT: &str = "1900000301";
/// The service provider's mchid.
pub const PROVIDER: &str = "1900000302";
/// The provider's sub-merchant.
pub const SUB: &str = "1900000303";

/// kabao with the fapiao merchants provisioned and a receiver for callbacks.
pub struct FapiaoWorld {
    pub app: TestApp,
    pub direct: TestMerchant,
    pub provider: TestMerchant,
    pub receiver: Receiver,
}

impl FapiaoWorld {
    /// Starts kabao and provisions the merchants (see [`FapiaoWorld::provision`]).
    pub async fn start() -> Self {
        Self::provision(spawn_app().await, Receiver::start().await).await
    }

    /// Provisions the merchants on a running `app`; callbacks of both the
    /// direct merchant and the provider go to `receiver` (`/direct`,
    /// `/provider`) through their provisioned `callback_url`.
    pub async fn provision(app: TestApp, receiver: Receiver) -> Self {
        let direct = app
            .merchant(
                DIRECT,
                json!({"kind": "direct", "callback_url": receiver.url("/direct")}),
            )
            .await;
        let provider = app
            .merchant(
                PROVIDER,
                json!({"kind": "service_provider", "callback_url": receiver.url("/provider")}),
            )
            .await;
        let (status, body) = app
            .admin_post(
                "/merchants",
                &json!({"mchid": SUB, "kind": "sub_merchant", "parent_mchid": PROVIDER}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        Self {
            app,
            direct,
            provider,
            receiver,
        }
    }

    /// Stops kabao and starts it again on the same database; the merchants,
    /// their keys and the receiver stay.
    pub async fn restart(self) -> Self {
        let dir = self.app.stop().await;
        let config = crate::helpers::config(dir.path());
        Self {
            app: crate::helpers::spawn_with(dir, config).await,
            ..self
        }
    }

    /// Sends a signed APIv3 call and returns the status and JSON body (Null
    /// when empty), after checking the answer's signature.
    pub async fn call(
        &self,
        merchant: &TestMerchant,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let text = body.map(Value::to_string).unwrap_or_default();
        let request = self
            .app
            .signed_request(merchant, method, path, text.as_bytes(), now())
            .header("Content-Type", "application/json")
            .body(text);
        let (status, bytes) = self.verified(request).await;
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("{path}: not JSON"))
        };
        (status, value)
    }

    /// A signed call carrying `Wechatpay-Serial` (as SDKs send after
    /// encrypting a field), signed at `timestamp`; a body goes as JSON.
    pub async fn call_with_serial(
        &self,
        merchant: &TestMerchant,
        method: &str,
        path: &str,
        body: Option<&Value>,
        serial: &str,
        timestamp: i64,
    ) -> (u16, Value) {
        let text = body.map(Value::to_string).unwrap_or_default();
        let mut request = self
            .app
            .signed_request(merchant, method, path, text.as_bytes(), timestamp)
            .header("Wechatpay-Serial", serial);
        if body.is_some() {
            request = request
                .header("Content-Type", "application/json")
                .body(text);
        }
        self.send(request).await
    }

    /// Sends `request` and returns the status and JSON body (Null when
    /// empty or not JSON), after checking the answer's signature.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let (status, bytes) = self.verified(request).await;
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn verified(&self, request: reqwest::RequestBuilder) -> (u16, Vec<u8>) {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap();
        let keys = platform_public_keys(&self.app).await;
        verify_response(&headers, &bytes, &keys);
        (status, bytes.to_vec())
    }
}
