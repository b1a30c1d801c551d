//! The JWS `alg` values this playground verifies (RFC 7518 §3.1, and
//! RFC 8037 §3.1 for EdDSA).
//!
//! Limitations: ES512 (P-521), ES256K, Ed448 and the fully specified
//! `Ed25519` name of RFC 9864 are not verified; tokens using them are
//! reported as using an algorithm that is not allowed.

use std::fmt;

/// A digital signature or MAC algorithm for JWS (RFC 7518 §3.1).
// Limitation: no ES512, ES256K, Ed448 or RFC 9864 `Ed25519`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// HMAC using SHA-256 (RFC 7518 §3.2).
    Hs256,
    Hs384,
    Hs512,
    /// RSASSA-PKCS1-v1_5 using SHA-256 (RFC 7518 §3.3).
    Rs256,
    Rs384,
    Rs512,
    /// RSASSA-PSS using SHA-256 and MGF1 with SHA-256 (RFC 7518 §3.5).
    Ps256,
    Ps384,
    Ps512,
    /// ECDSA using P-256 and SHA-256 (RFC 7518 §3.4).
    Es256,
    /// ECDSA using P-384 and SHA-384 (RFC 7518 §3.4).
    Es384,
    /// Edwards-curve signatures; only the Ed25519 curve (RFC 8037 §3.1).
    EdDsa,
}

/// The `alg` of an Unsecured JWS (RFC 7518 §3.6), which has no signature.
pub const NONE: &str = "none";

/// The kind of key an algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFamily {
    /// A shared secret: `kty` "oct" (RFC 7518 §6.4).
    Secret,
    /// `kty` "RSA" (RFC 7518 §6.3).
    Rsa,
    /// `kty` "EC" with the named `crv` (RFC 7518 §6.2).
    Ec(&'static str),
    /// `kty` "OKP" with the named `crv` (RFC 8037 §2).
    Okp(&'static str),
}

impl KeyFamily {
    /// How a user would name the key to look for.
    pub fn describe(self) -> String {
        match self {
            KeyFamily::Secret => "a shared secret (kty oct, or the client secret)".to_owned(),
            KeyFamily::Rsa => "an RSA public key (kty RSA)".to_owned(),
            KeyFamily::Ec(curve) => format!("an EC public key on {curve} (kty EC)"),
            KeyFamily::Okp(curve) => format!("an {curve} public key (kty OKP)"),
        }
    }
}

/// The hash behind an algorithm, also used for `at_hash` and `c_hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlgorithm {
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlgorithm {
    pub fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Sha256 => "SHA-256",
            HashAlgorithm::Sha384 => "SHA-384",
            HashAlgorithm::Sha512 => "SHA-512",
        }
    }
}

impl Algorithm {
    pub const ALL: [Algorithm; 12] = [
        Algorithm::Hs256,
        Algorithm::Hs384,
        Algorithm::Hs512,
        Algorithm::Rs256,
        Algorithm::Rs384,
        Algorithm::Rs512,
        Algorithm::Ps256,
        Algorithm::Ps384,
        Algorithm::Ps512,
        Algorithm::Es256,
        Algorithm::Es384,
        Algorithm::EdDsa,
    ];

    /// The `alg` Header Parameter value (RFC 7518 §3.1).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Hs256 => "HS256",
            Algorithm::Hs384 => "HS384",
            Algorithm::Hs512 => "HS512",
            Algorithm::Rs256 => "RS256",
            Algorithm::Rs384 => "RS384",
            Algorithm::Rs512 => "RS512",
            Algorithm::Ps256 => "PS256",
            Algorithm::Ps384 => "PS384",
            Algorithm::Ps512 => "PS512",
            Algorithm::Es256 => "ES256",
            Algorithm::Es384 => "ES384",
            Algorithm::EdDsa => "EdDSA",
        }
    }

    /// `alg` values are case-sensitive (RFC 7515 §4.1.1), so "hs256" and
    /// "None" are not algorithms.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Self::ALL.into_iter().find(|alg| alg.name() == name)
    }

    pub fn key_family(self) -> KeyFamily {
        match self {
            Algorithm::Hs256 | Algorithm::Hs384 | Algorithm::Hs512 => KeyFamily::Secret,
            Algorithm::Rs256
            | Algorithm::Rs384
            | Algorithm::Rs512
            | Algorithm::Ps256
            | Algorithm::Ps384
            | Algorithm::Ps512 => KeyFamily::Rsa,
            Algorithm::Es256 => KeyFamily::Ec("P-256"),
            Algorithm::Es384 => KeyFamily::Ec("P-384"),
            Algorithm::EdDsa => KeyFamily::Okp("Ed25519"),
        }
    }

    /// The hash of the algorithm. For EdDSA on Ed25519 it is SHA-512, the
    /// hash inside Ed25519 (RFC 8032 §5.1); OpenID Connect uses it for
    /// `at_hash` and `c_hash` by the working group's resolution of its
    /// issue 1125, since the Core text predates EdDSA.
    pub fn hash(self) -> HashAlgorithm {
        match self {
            Algorithm::Hs256 | Algorithm::Rs256 | Algorithm::Ps256 | Algorithm::Es256 => {
                HashAlgorithm::Sha256
            }
            Algorithm::Hs384 | Algorithm::Rs384 | Algorithm::Ps384 | Algorithm::Es384 => {
                HashAlgorithm::Sha384
            }
            Algorithm::Hs512 | Algorithm::Rs512 | Algorithm::Ps512 | Algorithm::EdDsa => {
                HashAlgorithm::Sha512
            }
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Names joined for messages: "RS256, ES256".
pub fn names(algorithms: &[Algorithm]) -> String {
    if algorithms.is_empty() {
        return "none".to_owned();
    }
    algorithms
        .iter()
        .map(|alg| alg.name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for alg in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(alg.name()), Some(alg));
        }
    }

    #[test]
    fn names_are_case_sensitive() {
        assert_eq!(Algorithm::from_name("hs256"), None);
        assert_eq!(Algorithm::from_name("EDDSA"), None);
        assert_eq!(Algorithm::from_name(NONE), None);
    }
}
