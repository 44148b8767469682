//! One delivery attempt of one APIv3 callback, as WeChat Pay makes it: the
//! resource sealed with the receiving merchant's APIv3 key, the envelope
//! signed by the platform key, POSTed to the merchant's callback URL, judged
//! by the HTTP status, and recorded with its consequence.

use super::http_attempt::{timed_attempt, Answer, Poster};
use crate::clock::Clock;
use crate::domain::fapiao::CALLBACK_RETRY_GAPS_SECS;
use crate::http::pay::signing::{request_id, SignatureHeaders};
use crate::keyring::{choose_signer, Keyring};
use crate::store::callback::ClaimedCallback;
use crate::store::outbox::AfterAttempt;
use crate::store::{Store, StoreResult};
use kabao_protocol::apiv3::{
    CONTENT_TYPE_JSON, HEADER_NONCE, HEADER_REQUEST_ID, HEADER_SERIAL, HEADER_SIGNATURE,
    HEADER_SIGNATURE_TYPE, HEADER_TIMESTAMP, SIGNATURE_TYPE,
};
use kabao_protocol::notification::{EncryptedResource, Notification, RESOURCE_TYPE};
use std::sync::Arc;
use std::time::Duration;

/// How long the merchant's server has to answer.
pub const CALLBACK_TIMEOUT: Duration = Duration::from_secs(5);
/// Milliseconds of kabao's clock a claimed callback stays reserved for its
/// worker; one whose kabao stopped mid-attempt is due again after this.
pub const CALLBACK_LEASE_MS: i64 = 60_000;

/// Milliseconds to wait after the `failed_in_round`-th failed attempt of a
/// round, with every documented gap multiplied by `time_scale`; None once
/// the ten sends of the fapiao schedule are used up.
pub fn retry_delay_ms(failed_in_round: i64, time_scale: f64) -> Option<i64> {
    let index = usize::try_from(failed_in_round.checked_sub(1)?).ok()?;
    let gap_secs = *CALLBACK_RETRY_GAPS_SECS.get(index)?;
    let scale = if time_scale.is_finite() && time_scale >= 0.0 {
        time_scale
    } else {
        1.0
    };
    Some((gap_secs as f64 * 1000.0 * scale).round() as i64)
}

/// Delivers claimed callbacks; shared by the worker's concurrent deliveries.
pub(super) struct CallbackDeliverer {
    store: Arc<dyn Store>,
    clock: Arc<Clock>,
    keyring: Arc<Keyring>,
    time_scale: f64,
    poster: Poster,
}

/// The signed request of one attempt.
struct Envelope {
    body: String,
    headers: Vec<(&'static str, String)>,
}

impl CallbackDeliverer {
    pub(super) fn new(
        store: Arc<dyn Store>,
        clock: Arc<Clock>,
        keyring: Arc<Keyring>,
        time_scale: f64,
        allow_link_local: bool,
    ) -> Self {
        Self {
            store,
            clock,
            keyring,
            time_scale,
            poster: Poster::new(CALLBACK_TIMEOUT, "callback", allow_link_local),
        }
    }

    /// Makes one attempt of `callback` and records it; store failures are
    /// logged (the callback stays leased and is retried when the lease ends).
    pub(super) async fn deliver(&self, callback: ClaimedCallback) {
        if let Err(e) = self.attempt(&callback).await {
            tracing::warn!(callback_id = callback.id, error = %e, "recording a callback attempt failed");
        }
    }

    async fn attempt(&self, callback: &ClaimedCallback) -> StoreResult<()> {
        let merchant = self.keyring.merchant(&callback.event.caller_mchid).await?;
        let Some(merchant) = merchant else {
            let reason = format!("merchant {} no longer exists", callback.event.caller_mchid);
            return self.store.mark_callback_no_url(callback.id, &reason).await;
        };
        let url = match self
            .store
            .fapiao_callback_url(&callback.event.caller_mchid)
            .await?
        {
            Some(url) => url,
            None => match merchant
                .merchant
                .callback_url
                .clone()
                .filter(|u| !u.is_empty())
            {
                Some(url) => url,
                None => {
                    tracing::info!(callback_id = callback.id, mchid = %callback.event.caller_mchid, "callback has no URL to go to");
                    let reason = format!(
                        "merchant {} has no callback URL: set one with PATCH /v3/new-tax-control-fapiao/merchant/development-config or provision callback_url",
                        callback.event.caller_mchid
                    );
                    return self.store.mark_callback_no_url(callback.id, &reason).await;
                }
            },
        };
        let post = async {
            match self.envelope(callback, &merchant.merchant).await {
                Ok(Envelope { body, headers }) => {
                    let answer = self
                        .poster
                        .post(&url, CONTENT_TYPE_JSON, &headers, &body)
                        .await;
                    (body, answer)
                }
                Err(reason) => (String::new(), Answer::failed(reason)),
            }
        };
        let attempt = timed_attempt(&self.clock, callback.attempts + 1, &url, post).await;
        let after = if attempt.error.is_none() {
            AfterAttempt::Delivered(self.clock.now())
        } else {
            match retry_delay_ms(callback.round_attempts + 1, self.time_scale) {
                Some(delay) => AfterAttempt::RetryAt(self.clock.now_ms() + delay),
                None => AfterAttempt::Failed,
            }
        };
        match &attempt.error {
            None => {
                tracing::info!(callback_id = callback.id, event_id = %callback.event.event_id, event_type = %callback.event.event_type, "callback delivered")
            }
            Some(error) => {
                tracing::warn!(callback_id = callback.id, event_id = %callback.event.event_id, event_type = %callback.event.event_type, error = %error, after = ?after, "callback attempt failed")
            }
        }
        self.store
            .record_callback_attempt(callback.id, &attempt, after)
            .await
    }

    /// The encrypted, signed envelope; Err says why none could be built.
    async fn envelope(
        &self,
        callback: &ClaimedCallback,
        merchant: &crate::domain::tenant::Merchant,
    ) -> Result<Envelope, String> {
        let resource = EncryptedResource::seal(
            merchant.apiv3_key.as_bytes(),
            &kabao_protocol::aead::random_nonce(),
            "",
            None,
            callback.event.plaintext.as_bytes(),
        )
        .map_err(|e| format!("sealing the resource with the APIv3 key failed: {e}"))?;
        let body = Notification {
            id: callback.event.event_id.clone(),
            create_time: callback.event.create_time.clone(),
            resource_type: RESOURCE_TYPE.to_owned(),
            event_type: callback.event.event_type.clone(),
            summary: Some(callback.event.summary.clone()),
            resource,
        }
        .to_json();
        let keys = self
            .keyring
            .platform_keys()
            .await
            .map_err(|e| format!("platform keys unavailable: {e}"))?;
        let now = self.clock.now();
        let signer = choose_signer(&keys, Some(merchant), None, now)
            .ok_or_else(|| "no platform key can sign the callback; provision one".to_owned())?;
        let signed = SignatureHeaders::sign(&signer, now, body.as_bytes());
        let headers = vec![
            (HEADER_TIMESTAMP, signed.timestamp),
            (HEADER_NONCE, signed.nonce),
            (HEADER_SIGNATURE, signed.signature),
            (HEADER_SERIAL, signed.serial),
            (HEADER_SIGNATURE_TYPE, SIGNATURE_TYPE.to_owned()),
            (HEADER_REQUEST_ID, request_id()),
        ];
        Ok(Envelope { body, headers })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_is_the_documented_one_at_scale_one() {
        let delays: Vec<_> = (1..=9).map(|n| retry_delay_ms(n, 1.0).unwrap()).collect();
        assert_eq!(
            delays,
            [
                15_000, 15_000, 30_000, 180_000, 1_800_000, 1_800_000, 1_800_000, 1_800_000,
                3_600_000
            ]
        );
        assert_eq!(retry_delay_ms(10, 1.0), None, "ten sends in all");
        assert_eq!(retry_delay_ms(0, 1.0), None);
    }

    #[test]
    fn a_time_scale_compresses_every_gap() {
        assert_eq!(retry_delay_ms(1, 0.001), Some(15));
        assert_eq!(retry_delay_ms(4, 0.001), Some(180));
        assert_eq!(retry_delay_ms(9, 0.001), Some(3_600));
        assert_eq!(retry_delay_ms(9, 0.5), Some(1_800_000));
        assert_eq!(retry_delay_ms(3, 0.0), Some(0));
        assert_eq!(
            retry_delay_ms(3, f64::NAN),
            Some(30_000),
            "a bad scale is ignored"
        );
    }
}
