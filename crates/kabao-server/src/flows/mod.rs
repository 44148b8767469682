//! Steps shared by several surfaces (Official Account API, control API,
//! browser pages): each does one user-visible thing the same way wherever it
//! is triggered from.

pub mod authorization;
pub mod card_package;
pub mod fapiao_card;
pub mod pdf_link;
