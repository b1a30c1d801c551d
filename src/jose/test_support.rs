//! Building HS256 tokens for tests with the `hmac` crate directly, so the
//! checks under test never sign their own inputs.

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

use super::base64url;

pub const SECRET: &str = "test-client-secret-with-32-octets";

/// A compact JWS of `header` and `claims` MACed with `secret`.
pub fn hs256(header: &Value, claims: &Value, secret: &str) -> String {
    let input = format!(
        "{}.{}",
        base64url::encode(header.to_string().as_bytes()),
        base64url::encode(claims.to_string().as_bytes())
    );
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(input.as_bytes());
    let tag = mac.finalize().into_bytes();
    format!("{input}.{}", base64url::encode(&tag))
}
