//! Official Account (`api.weixin.qq.com`) wire types: error codes and common bodies.
//!
//! OA errors travel as HTTP 200 with `{"errcode":N,"errmsg":"…"}`.

mod body;
mod errcode;
mod event;

pub use body::{AccessTokenResponse, OaErrorBody};
pub use errcode::OaErrcode;
pub use event::OaEvent;
