//! What every handler shares: the store, the clock, the key cache, the
//! provisioner and the settings in force.

use crate::caller_cache::CallerCache;
use crate::clock::Clock;
use crate::keyring::Keyring;
use crate::provision::Provisioner;
use crate::store::Store;
use std::sync::Arc;

/// Run-time settings that change how requests are judged.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Bearer token of the control API.
    pub admin_token: String,
    /// Reject what default mode only warns about.
    pub strict: bool,
    /// Calls of `/cgi-bin/token` (and, separately, `/cgi-bin/stable_token`)
    /// one app may make per day before 45009.
    pub token_daily_limit: i64,
    /// Largest distance between an APIv3 request's timestamp and kabao's clock.
    pub signature_window_secs: i64,
    /// Largest request body, in bytes, unless an endpoint says otherwise.
    pub max_body_bytes: usize,
    /// Base of the links kabao hands out (authorisation pages, PDFs); when
    /// unset, the scheme and `Host` of the request that asked for the link.
    pub public_url: Option<String>,
    /// Whether kabao serves HTTPS (the scheme of links without `public_url`).
    pub tls: bool,
    /// Multiplies every gap of the APIv3 callback retry schedule (0.001
    /// turns 15 s into 15 ms), so tests see the whole schedule quickly.
    pub callback_time_scale: f64,
    /// Longest time, in seconds, a request may take from its headers to its
    /// answer (body upload included) before it is cut off with 408.
    pub request_timeout_secs: u64,
    /// Let callbacks and event pushes go to link-local addresses
    /// (169.254.0.0/16, fe80::/10), which are refused by default.
    pub allow_link_local_callbacks: bool,
    /// Most callbacks one merchant may have pending; one more is stored as
    /// failed, not sent (see `store::callback::CALLBACK_OUTBOX_LIMIT_KEY`).
    pub callback_outbox_limit: u64,
    /// What a successful taxi insert-card (T11) answers: 204 (the official
    /// page, default) or 200 with the card (the YAML).
    pub taxi_card_response: crate::domain::taxi::card_package::TaxiCardResponse,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            admin_token: String::new(),
            strict: false,
            token_daily_limit: 2000,
            signature_window_secs: 300,
            max_body_bytes: 1024 * 1024,
            public_url: None,
            tls: false,
            callback_time_scale: 1.0,
            allow_link_local_callbacks: false,
            callback_outbox_limit: crate::store::callback::DEFAULT_CALLBACK_OUTBOX_LIMIT,
            request_timeout_secs: 60,
            taxi_card_response: Default::default(),
        }
    }
}

/// Shared application state, cloned into every handler.
#[derive(Clone)]
pub struct AppState {
    /// Persistence.
    pub store: Arc<dyn Store>,
    /// kabao's time.
    pub clock: Arc<Clock>,
    /// Parsed merchant and platform keys.
    pub keyring: Arc<Keyring>,
    /// Provisioning (control API).
    pub provisioner: Provisioner,
    /// Settings in force.
    pub settings: Arc<Settings>,
    /// Recently checked access tokens.
    pub callers: Arc<CallerCache>,
    /// Wakes the event-push worker when a push was just enqueued.
    pub push_notifier: crate::worker::PushNotifier,
    /// Wakes the APIv3 callback worker when a callback was just enqueued.
    pub callback_wakeup: Arc<tokio::sync::Notify>,
    /// APIv3 nonces seen within the signature window (a replay is refused).
    pub nonces: Arc<crate::replay_guard::NonceLedger>,
    /// Issuing calls per merchant in the current second (429 beyond the limit).
    pub issue_calls: Arc<crate::rate_limit::PerSecondLimiter>,
    /// Wakes the fapiao worker when an asynchronous step was just scheduled.
    pub fapiao_wakeup: Arc<tokio::sync::Notify>,
}
