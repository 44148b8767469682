//! Self-issued fapiao: uploaded files and their insertion into the user's card package (insert-cards).

use async_trait::async_trait;

/// Self-issued fapiao: uploaded files and their insertion into the user's card package (insert-cards).
#[async_trait]
pub trait FapiaoCardStore: Send + Sync {}
