//! Checking a JWS Signature (RFC 7515 §5.2 step 8) with the algorithms of
//! RFC 7518 §3 and RFC 8037 §3.1.
//!
//! The steps run in the order that gives the most useful answer: an
//! unsecured token is refused before anything else, then the `alg` is
//! checked against the caller's allowed list (RFC 8725 §3.1), then a key is
//! chosen, and only then is the signature computed. HMAC values are
//! compared in constant time.

use hmac::{Hmac, KeyInit, Mac};
use rsa::traits::PublicKeyParts;
use sha2::{Sha256, Sha384, Sha512};
use std::fmt;

use super::algorithm::{self, Algorithm, NONE};
use super::compact::Jws;
use super::jwk::{Jwk, KeyError, KeyMaterial, KeySet, NoMatchingKey};

/// Which key verified a token, and with what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub algorithm: Algorithm,
    /// The key's label, such as `kid "2024-01"`.
    pub key: String,
}

/// Why a signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// The header has no string `alg` (RFC 7515 §4.1.1).
    MissingAlg,
    /// `alg` is "none" (RFC 7518 §3.6).
    Unsecured,
    /// `alg` is not one the caller allows, or not one this playground knows.
    AlgorithmNotAllowed {
        alg: String,
        allowed: Vec<Algorithm>,
        known: bool,
    },
    NoMatchingKey(NoMatchingKey),
    /// Every candidate key was tried; none verified the signature.
    InvalidSignature {
        algorithm: Algorithm,
        failures: Vec<(String, SignatureError)>,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::MissingAlg => write!(
                f,
                "the header has no \"alg\" string, which every JWS must have (RFC 7515 §4.1.1)"
            ),
            VerifyError::Unsecured => write!(
                f,
                "alg is \"{NONE}\": an Unsecured JWS carries no signature, so anyone could have \
                 written it; never accept it (RFC 7518 §3.6, RFC 8725 §3.2)"
            ),
            VerifyError::AlgorithmNotAllowed {
                alg,
                allowed,
                known,
            } => {
                write!(
                    f,
                    "alg \"{alg}\" is not allowed (allowed: {}); ",
                    algorithm::names(allowed)
                )?;
                if *known {
                    write!(
                        f,
                        "allow it only if the provider really signs with it \
                         (id_token_signing_alg_values_supported), never because the token says so \
                         (RFC 8725 §3.1)"
                    )
                } else {
                    write!(
                        f,
                        "this playground verifies {} (alg names are case-sensitive)",
                        algorithm::names(&Algorithm::ALL)
                    )
                }
            }
            VerifyError::NoMatchingKey(error) => error.fmt(f),
            VerifyError::InvalidSignature {
                algorithm,
                failures,
            } => match failures.as_slice() {
                [(_, error)] => write!(f, "{algorithm} signature: {error}"),
                _ => {
                    let each: Vec<String> = failures
                        .iter()
                        .map(|(key, error)| format!("{key}: {error}"))
                        .collect();
                    write!(
                        f,
                        "no key verified the {algorithm} signature; {}",
                        each.join("; ")
                    )
                }
            },
        }
    }
}

impl std::error::Error for VerifyError {}

/// Why one key did not verify the signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature segment is empty.
    Empty { expected: usize },
    /// The signature has the wrong size for the algorithm or key.
    Length { expected: usize, found: usize },
    /// An ECDSA signature in ASN.1 DER form instead of R || S.
    DerEncoded { expected: usize, found: usize },
    /// The signature does not match the signing input.
    Mismatch,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Empty { expected } => write!(
                f,
                "the signature segment is empty, expected {expected} octets; a token stripped \
                 of its signature is never valid"
            ),
            SignatureError::Length { expected, found } => write!(
                f,
                "the signature is {found} octets, expected {expected}; it was truncated, or made \
                 with another algorithm or key"
            ),
            SignatureError::DerEncoded { expected, found } => write!(
                f,
                "the signature is {found} octets of ASN.1 DER; JWS uses the {expected} octets of \
                 R and S concatenated (RFC 7518 §3.4), so the signer must convert it"
            ),
            SignatureError::Mismatch => write!(
                f,
                "the signature does not match: the header or payload changed after signing, or \
                 another key signed it"
            ),
        }
    }
}

impl std::error::Error for SignatureError {}

/// RFC 7515 §5.2 step 8: checks the signature with the first key that
/// verifies it, among those `keys` offers for the token's `alg` and `kid`.
/// `keys` is `None` when none were given, and an error when the given
/// text could not be read.
///
/// # Errors
///
/// In order: no `alg`, `alg` "none", an `alg` not allowed, no key that
/// fits, or no key that verifies.
///
/// # Security
///
/// `allowed` should come from configuration (the client's registered
/// `id_token_signed_response_alg`, or the provider's metadata), never
/// from the token.
pub fn verify_signature(
    jws: &Jws,
    keys: Option<Result<&KeySet, &KeyError>>,
    allowed: &[Algorithm],
) -> Result<Verified, VerifyError> {
    let alg = jws.alg().ok_or(VerifyError::MissingAlg)?;
    if alg == NONE {
        return Err(VerifyError::Unsecured);
    }
    let algorithm = Algorithm::from_name(alg)
        .filter(|algorithm| allowed.contains(algorithm))
        .ok_or_else(|| VerifyError::AlgorithmNotAllowed {
            alg: alg.to_owned(),
            allowed: allowed.to_vec(),
            known: Algorithm::from_name(alg).is_some(),
        })?;

    let keys = match keys {
        None => return Err(VerifyError::NoMatchingKey(NoMatchingKey::NoKeys)),
        Some(Err(error)) => {
            return Err(VerifyError::NoMatchingKey(NoMatchingKey::Unreadable(
                error.clone(),
            )));
        }
        Some(Ok(keys)) => keys,
    };
    let candidates = keys
        .candidates(algorithm, jws.kid())
        .map_err(VerifyError::NoMatchingKey)?;

    let input = jws.segments.signing_input();
    let mut failures = Vec::new();
    for key in candidates {
        match verify_with(algorithm, key, input.as_bytes(), &jws.signature) {
            Ok(()) => {
                return Ok(Verified {
                    algorithm,
                    key: key.label(),
                });
            }
            Err(error) => failures.push((key.label(), error)),
        }
    }
    Err(VerifyError::InvalidSignature {
        algorithm,
        failures,
    })
}

/// Verifies `signature` over `input` with one key, which the caller has
/// already matched to `algorithm`.
///
/// # Errors
///
/// The signature is empty, has the wrong size, or does not match.
pub fn verify_with(
    algorithm: Algorithm,
    key: &Jwk,
    input: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let expected = expected_length(algorithm, &key.material);
    if signature.is_empty() {
        return Err(SignatureError::Empty { expected });
    }
    if looks_like_der(algorithm, signature) {
        return Err(SignatureError::DerEncoded {
            expected,
            found: signature.len(),
        });
    }
    if signature.len() != expected {
        return Err(SignatureError::Length {
            expected,
            found: signature.len(),
        });
    }

    let verified = match &key.material {
        KeyMaterial::Secret(secret) => hmac_matches(algorithm, secret.expose(), input, signature),
        KeyMaterial::Rsa(public) => rsa_matches(algorithm, public, input, signature),
        KeyMaterial::EcP256(public) => p256_matches(public, input, signature),
        KeyMaterial::EcP384(public) => p384_matches(public, input, signature),
        KeyMaterial::Ed25519(public) => ed25519_matches(public, input, signature),
    };
    if verified {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The size a signature must have: the hash size for HMAC, the modulus
/// size for RSA (RFC 8017 §8.2.2), R || S for ECDSA (RFC 7518 §3.4).
fn expected_length(algorithm: Algorithm, key: &KeyMaterial) -> usize {
    match (algorithm, key) {
        (Algorithm::Hs256, _) => 32,
        (Algorithm::Hs384, _) => 48,
        (Algorithm::Hs512, _) => 64,
        (_, KeyMaterial::Rsa(public)) => public.size(),
        (_, KeyMaterial::EcP384(_)) => 96,
        _ => 64,
    }
}

/// A DER ECDSA signature is a SEQUENCE (0x30) whose length byte covers
/// the rest; R || S almost never looks like that.
fn looks_like_der(algorithm: Algorithm, signature: &[u8]) -> bool {
    let is_ecdsa = matches!(algorithm, Algorithm::Es256 | Algorithm::Es384);
    let der_length = match signature {
        [0x30, 0x81, length, ..] => usize::from(*length) + 3,
        [0x30, length, ..] => usize::from(*length) + 2,
        _ => 0,
    };
    is_ecdsa && der_length == signature.len()
}

fn hmac_matches(algorithm: Algorithm, key: &[u8], input: &[u8], tag: &[u8]) -> bool {
    match algorithm {
        Algorithm::Hs256 => mac_matches::<Hmac<Sha256>>(key, input, tag),
        Algorithm::Hs384 => mac_matches::<Hmac<Sha384>>(key, input, tag),
        Algorithm::Hs512 => mac_matches::<Hmac<Sha512>>(key, input, tag),
        _ => false,
    }
}

/// `verify_slice` compares in constant time.
fn mac_matches<M: Mac + KeyInit>(key: &[u8], input: &[u8], tag: &[u8]) -> bool {
    let Ok(mut mac) = <M as KeyInit>::new_from_slice(key) else {
        return false;
    };
    mac.update(input);
    mac.verify_slice(tag).is_ok()
}

fn rsa_matches(algorithm: Algorithm, key: &rsa::PublicKey, input: &[u8], sig: &[u8]) -> bool {
    let key = key.clone();
    match algorithm {
        Algorithm::Rs256 => pkcs1v15_matches::<Sha256>(key, input, sig),
        Algorithm::Rs384 => pkcs1v15_matches::<Sha384>(key, input, sig),
        Algorithm::Rs512 => pkcs1v15_matches::<Sha512>(key, input, sig),
        Algorithm::Ps256 => pss_matches::<Sha256>(key, input, sig),
        Algorithm::Ps384 => pss_matches::<Sha384>(key, input, sig),
        Algorithm::Ps512 => pss_matches::<Sha512>(key, input, sig),
        _ => false,
    }
}

fn pkcs1v15_matches<D>(key: rsa::PublicKey, input: &[u8], sig: &[u8]) -> bool
where
    D: sha2::Digest + rsa::pkcs8::AssociatedOid,
{
    use rsa::signature::Verifier;

    let key = rsa::pkcs1v15::VerifyingKey::<D>::new(key);
    rsa::pkcs1v15::Signature::try_from(sig).is_ok_and(|sig| key.verify(input, &sig).is_ok())
}

/// RFC 7518 §3.5: the salt is as long as the hash, which is what
/// `pss::VerifyingKey::new` expects.
fn pss_matches<D>(key: rsa::PublicKey, input: &[u8], sig: &[u8]) -> bool
where
    D: sha2::Digest + sha2::digest::FixedOutputReset,
{
    use rsa::signature::Verifier;

    let key = rsa::pss::VerifyingKey::<D>::new(key);
    rsa::pss::Signature::try_from(sig).is_ok_and(|sig| key.verify(input, &sig).is_ok())
}

fn p256_matches(key: &p256::ecdsa::VerifyingKey, input: &[u8], sig: &[u8]) -> bool {
    use p256::ecdsa::signature::Verifier;

    p256::ecdsa::Signature::from_slice(sig).is_ok_and(|sig| key.verify(input, &sig).is_ok())
}

fn p384_matches(key: &p384::ecdsa::VerifyingKey, input: &[u8], sig: &[u8]) -> bool {
    use p384::ecdsa::signature::Verifier;

    p384::ecdsa::Signature::from_slice(sig).is_ok_and(|sig| key.verify(input, &sig).is_ok())
}

/// `verify_strict` also refuses small-order keys and malleable
/// signatures, which an honest signer never produces.
fn ed25519_matches(key: &ed25519_dalek::VerifyingKey, input: &[u8], sig: &[u8]) -> bool {
    ed25519_dalek::Signature::from_slice(sig)
        .is_ok_and(|sig| key.verify_strict(input, &sig).is_ok())
}

#[cfg(test)]
mod tests;
