//! Official Account (`api.weixin.qq.com`) wire types: error codes, common
//! bodies, the invoice and fiscal-bill endpoints and their event pushes.
//!
//! OA errors travel as HTTP 200 with `{"errcode":N,"errmsg":"…"}`.

mod body;
mod errcode;
mod event;
pub mod insert;
pub mod lenient;
pub mod merchant;
pub mod platform;
pub mod reimburse;

pub use body::{AccessTokenResponse, OaErrorBody};
pub use errcode::OaErrcode;
pub use event::{parse_event_xml, push_signature, EventXmlError, OaEvent, PushMessage};
