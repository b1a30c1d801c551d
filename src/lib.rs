//! An OAuth playground that runs entirely in the browser.
//!
//! The protocol core (`http`, `oauth1`, `oauth2`) is plain Rust that
//! compiles and is tested natively; only `ui` touches the browser.

pub mod flows;
pub mod http;
pub mod jose;
pub mod mock;
pub mod oauth1;
pub mod oauth2;
pub mod trace;

#[cfg(target_arch = "wasm32")]
pub mod ui;
