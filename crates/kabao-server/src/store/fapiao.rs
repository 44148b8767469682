//! Fapiao applications and their state machine: issuing, the scheduled asynchronous steps, queries and reversal.

use async_trait::async_trait;

/// Fapiao applications and their state machine: issuing, the scheduled asynchronous steps, queries and reversal.
#[async_trait]
pub trait FapiaoStore: Send + Sync {}
