//! A short-lived cache of access token → (token, app), so a business call
//! does not read the store twice before doing its work. Entries live two
//! seconds: a token retired by another process is still valid for five
//! minutes (the overlap), so the cache never accepts a token the store
//! would refuse for longer than the real service's own overlap allows.

use crate::domain::tenant::App;
use crate::domain::token::AccessToken;
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(2);
const MAX_ENTRIES: usize = 100_000;

/// Recently presented, valid access tokens with their apps.
#[derive(Debug, Default)]
pub struct CallerCache {
    entries: RwLock<HashMap<String, (AccessToken, App, Instant)>>,
}

impl CallerCache {
    /// The cached token and app, if seen within the last two seconds.
    pub fn get(&self, token: &str) -> Option<(AccessToken, App)> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(token)
            .filter(|(_, _, at)| at.elapsed() < TTL)
            .map(|(t, a, _)| (t.clone(), a.clone()))
    }

    /// Remembers a token the store just confirmed.
    pub fn put(&self, token: AccessToken, app: App) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (_, _, at)| at.elapsed() < TTL);
        }
        entries.insert(token.token.clone(), (token, app, Instant::now()));
    }
}
