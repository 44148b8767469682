//! Which kabao processes are connected to a database, so that a starting
//! process releases the callback leases left by a stopped one only when no
//! other process is alive to be holding them. Every connection of this
//! process carries the same `application_name` (`kabao/` and a random id
//! made once per process); a process that stops or dies closes its
//! connections, and PostgreSQL forgets its name.

use std::sync::OnceLock;

/// The `application_name` of every connection this process opens.
pub(super) fn application_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| format!("kabao/{}", kabao_protocol::aead::random_alphanumeric(16)))
}

/// Releases every callback lease when this is the only kabao process
/// connected to the database (the leases are then those of a process that
/// has stopped); with others connected nothing is released and a dead
/// process's leases end on their own. Binds `$1` to [`application_name`].
pub(super) const RELEASE_IF_ALONE: &str = "UPDATE v3_callbacks SET leased_until = NULL
     WHERE leased_until IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity
                       WHERE datname = current_database()
                         AND application_name LIKE 'kabao/%' AND application_name <> $1)";
