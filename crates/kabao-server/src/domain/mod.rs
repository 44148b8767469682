//! Parsed, validated commands and the rules that act on them. Pure: no I/O.

pub mod fapiao;
pub mod field_error;
pub mod ids;
pub mod invoice;
pub mod taxi;
pub mod tenant;
pub mod title_format;
pub mod token;

pub use field_error::FieldError;
