//! The authorization server's ES256 signing key, and JWS compact
//! serialization of the tokens it mints (RFC 7515 §7.1, RFC 7518 §3.4).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use serde_json::{Value, json};

use super::rng::SeededRandom;

pub struct SigningKeyPair {
    key: SigningKey,
    pub kid: String,
}

impl SigningKeyPair {
    /// A P-256 key from the world's randomness; a draw outside the curve
    /// order is vanishingly rare and simply redrawn.
    pub fn generate(random: &mut SeededRandom) -> SigningKeyPair {
        loop {
            let bytes: [u8; 32] = random.bytes();
            if let Ok(key) = SigningKey::from_slice(&bytes) {
                let kid = format!("mock-{}", &random.token(6));
                return SigningKeyPair { key, kid };
            }
        }
    }

    /// The public key as a JWK (RFC 7518 §6.2.1).
    pub fn public_jwk(&self) -> Value {
        let point = self.key.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        json!({
            "kty": "EC",
            "crv": "P-256",
            "x": B64URL.encode(&bytes[1..33]),
            "y": B64URL.encode(&bytes[33..65]),
            "use": "sig",
            "alg": "ES256",
            "kid": self.kid,
        })
    }

    pub fn sign_jwt(&self, typ: &str, claims: &Value) -> String {
        let header = json!({ "alg": "ES256", "typ": typ, "kid": self.kid });
        let signing_input = format!(
            "{}.{}",
            B64URL.encode(header.to_string()),
            B64URL.encode(claims.to_string())
        );
        let signature: Signature = self.key.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", B64URL.encode(signature.to_bytes()))
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        *self.key.verifying_key()
    }
}

/// Checks a compact JWS made by `sign_jwt` and returns its claims; the
/// resource server's local validation of access tokens.
pub fn verify_jwt(key: &VerifyingKey, token: &str) -> Option<Value> {
    let mut parts = token.split('.');
    let (header, claims, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }

    let header: Value = serde_json::from_slice(&B64URL.decode(header).ok()?).ok()?;
    if header.get("alg")?.as_str()? != "ES256" {
        return None;
    }
    let signature = Signature::from_slice(&B64URL.decode(signature).ok()?).ok()?;
    let signing_input = &token[..token.rfind('.')?];
    key.verify(signing_input.as_bytes(), &signature).ok()?;
    serde_json::from_slice(&B64URL.decode(claims).ok()?).ok()
}
