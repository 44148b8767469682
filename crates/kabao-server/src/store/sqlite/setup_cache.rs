//! The fapiao setup every issuing call reads (card template, seller blocks,
//! tax codes), kept in memory. The SQLite store belongs to one process, and
//! every change to these tables goes through it and forgets the cache, so a
//! cached entry is always what the database holds. A read that raced with a
//! change is not kept: each change moves a generation counter, and an entry
//! read under an older generation is dropped.

use crate::domain::fapiao::setup::{FapiaoCardTemplate, FapiaoMerchantSetup, TaxCode};
use crate::store::StoreResult;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

/// Entries kept per table before it starts over (a bound against callers
/// probing many unknown keys).
const MAX_ENTRIES: usize = 10_000;

/// One cached lookup: key to what the database answered, absence included.
#[derive(Debug)]
struct Table<K, V> {
    entries: RwLock<HashMap<K, Option<V>>>,
}

impl<K: Eq + Hash, V: Clone> Default for Table<K, V> {
    fn default() -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, V: Clone> Table<K, V> {
    fn get(&self, key: &K) -> Option<Option<V>> {
        self.entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    fn clear(&self) {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// The cached setup lookups of the SQLite store.
#[derive(Debug, Default)]
pub(super) struct SetupCache {
    generation: AtomicU64,
    templates: Table<String, FapiaoCardTemplate>,
    setups: Table<String, FapiaoMerchantSetup>,
    tax_codes: Table<(String, String), TaxCode>,
}

impl SetupCache {
    /// Called after every change to merchants, fapiao merchants, card
    /// templates or tax codes has committed.
    pub(super) fn forget(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.templates.clear();
        self.setups.clear();
        self.tax_codes.clear();
    }

    /// The owner's card template, read with `load` when not cached.
    pub(super) fn template(
        &self,
        owner_mchid: &str,
        load: impl FnOnce() -> StoreResult<Option<FapiaoCardTemplate>>,
    ) -> StoreResult<Option<FapiaoCardTemplate>> {
        self.cached(&self.templates, owner_mchid.to_owned(), load)
    }

    /// A merchant's fapiao setup, read with `load` when not cached.
    pub(super) fn setup(
        &self,
        mchid: &str,
        load: impl FnOnce() -> StoreResult<Option<FapiaoMerchantSetup>>,
    ) -> StoreResult<Option<FapiaoMerchantSetup>> {
        self.cached(&self.setups, mchid.to_owned(), load)
    }

    /// The owner's entry for a tax code, read with `load` when not cached.
    pub(super) fn tax_code(
        &self,
        owner_mchid: &str,
        code: &str,
        load: impl FnOnce() -> StoreResult<Option<TaxCode>>,
    ) -> StoreResult<Option<TaxCode>> {
        self.cached(
            &self.tax_codes,
            (owner_mchid.to_owned(), code.to_owned()),
            load,
        )
    }

    fn cached<K: Eq + Hash, V: Clone>(
        &self,
        table: &Table<K, V>,
        key: K,
        load: impl FnOnce() -> StoreResult<Option<V>>,
    ) -> StoreResult<Option<V>> {
        if let Some(hit) = table.get(&key) {
            return Ok(hit);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let value = load()?;
        // Kept only if nothing changed since the read began; `forget` moves
        // the generation before it clears, so a racing read is never kept
        // after a change (it may be dropped needlessly, which only costs a read).
        let mut entries = table.entries.write().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::Acquire) == generation {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, value.clone());
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_during_a_read_is_not_cached() {
        let cache = SetupCache::default();
        let read = cache
            .tax_code("m", "1", || {
                cache.forget();
                Ok(None)
            })
            .unwrap();
        assert_eq!(read, None);
        let mut loaded = false;
        cache
            .tax_code("m", "1", || {
                loaded = true;
                Ok(None)
            })
            .unwrap();
        assert!(loaded, "the raced read must not have been kept");
    }

    #[test]
    fn forget_drops_every_entry() {
        let cache = SetupCache::default();
        cache.template("m", || Ok(None)).unwrap();
        let mut loaded = false;
        cache
            .template("m", || {
                loaded = true;
                Ok(None)
            })
            .unwrap();
        assert!(!loaded, "the second read is a hit");
        cache.forget();
        cache
            .template("m", || {
                loaded = true;
                Ok(None)
            })
            .unwrap();
        assert!(loaded, "after forget the database is read again");
    }
}
