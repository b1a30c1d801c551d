//! Verification keys: a JSON Web Key (RFC 7517 §4), a JWK Set (§5), or a
//! client secret for the HMAC algorithms, and the choice of which key
//! verifies a token.
//!
//! Keys are checked when read (an RSA modulus of a sensible size, an EC
//! point on its curve), so that a bad key is reported as such rather than
//! as a bad signature. Only public members are used; private members of a
//! pasted key are ignored but noted.
//!
//! Limitations: PEM and X.509 (`x5c`) keys are not read (paste the JWK),
//! and neither are the curves P-521 and Ed448.

use rsa::traits::PublicKeyParts;
use serde_json::Value;
use std::fmt;

use super::algorithm::{Algorithm, KeyFamily};
use super::base64url::{self, Base64UrlError};
use super::compact::json_type;

/// A shared secret. Kept out of `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// The secret octets; only for computing a MAC or showing on request.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret([redacted; {} octets])", self.0.len())
    }
}

/// The public part of a key, ready to verify with.
#[derive(Clone)]
pub enum KeyMaterial {
    Rsa(rsa::PublicKey),
    EcP256(p256::ecdsa::VerifyingKey),
    EcP384(p384::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    Secret(Secret),
}

impl KeyMaterial {
    fn family(&self) -> KeyFamily {
        match self {
            KeyMaterial::Rsa(_) => KeyFamily::Rsa,
            KeyMaterial::EcP256(_) => KeyFamily::Ec("P-256"),
            KeyMaterial::EcP384(_) => KeyFamily::Ec("P-384"),
            KeyMaterial::Ed25519(_) => KeyFamily::Okp("Ed25519"),
            KeyMaterial::Secret(_) => KeyFamily::Secret,
        }
    }

    /// "an RSA 2048-bit key", "an EC P-256 key", …
    pub fn describe(&self) -> String {
        match self {
            KeyMaterial::Rsa(key) => format!("an RSA {}-bit key", key.size() * 8),
            KeyMaterial::EcP256(_) => "an EC P-256 key".to_owned(),
            KeyMaterial::EcP384(_) => "an EC P-384 key".to_owned(),
            KeyMaterial::Ed25519(_) => "an Ed25519 key".to_owned(),
            KeyMaterial::Secret(secret) => {
                format!("a {}-bit shared secret", secret.expose().len() * 8)
            }
        }
    }
}

impl fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyMaterial::Secret(secret) => secret.fmt(f),
            other => f.write_str(&other.describe()),
        }
    }
}

/// One usable key with the JWK members that restrict its use.
#[derive(Debug, Clone)]
pub struct Jwk {
    /// `kid` (RFC 7517 §4.5).
    pub kid: Option<String>,
    /// `alg` (§4.4): when present, the only algorithm the key is for.
    pub alg: Option<String>,
    /// `use` (§4.2): "sig" or "enc".
    pub key_use: Option<String>,
    /// `key_ops` (§4.3).
    pub key_ops: Option<Vec<String>>,
    /// The pasted JWK held private members (`d`, `p`, …), which are ignored.
    pub has_private_members: bool,
    pub material: KeyMaterial,
    /// Position in the JWK Set, from 0.
    pub index: usize,
}

impl Jwk {
    /// How messages name the key: by `kid` when it has one.
    pub fn label(&self) -> String {
        match (&self.kid, &self.material) {
            (Some(kid), _) => format!("kid \"{kid}\""),
            (None, KeyMaterial::Secret(_)) if self.index == 0 => "the secret".to_owned(),
            (None, _) => format!("key #{} (no kid)", self.index + 1),
        }
    }

    /// Why this key cannot verify `alg`, or `None` when it can.
    pub fn incompatibility(&self, alg: Algorithm) -> Option<String> {
        let needed = alg.key_family();
        if self.material.family() != needed {
            return Some(format!(
                "it is {}, and {alg} needs {}",
                self.material.describe(),
                needed.describe()
            ));
        }
        if let Some(key_alg) = self.alg.as_deref().filter(|a| *a != alg.name()) {
            return Some(format!(
                "its \"alg\" is {key_alg}, not {alg} (RFC 7517 §4.4)"
            ));
        }
        if let Some(key_use) = self.key_use.as_deref().filter(|u| *u != "sig") {
            return Some(format!(
                "its \"use\" is \"{key_use}\", not \"sig\" (RFC 7517 §4.2)"
            ));
        }
        let ops = self.key_ops.as_deref();
        if ops.is_some_and(|ops| !ops.iter().any(|op| op == "verify")) {
            return Some("its \"key_ops\" does not include \"verify\" (RFC 7517 §4.3)".to_owned());
        }
        None
    }
}

/// What the keys were pasted as; messages differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySetKind {
    /// A JWK Set, `{"keys": [...]}` (RFC 7517 §5).
    Jwks,
    /// A single JWK.
    Jwk,
    /// A client secret for HMAC (OpenID Connect Core §10.1).
    Secret,
}

/// A key in a JWK Set that could not be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedKey {
    pub index: usize,
    pub kid: Option<String>,
    pub error: KeyError,
}

/// The keys a token may be verified with.
#[derive(Debug, Clone)]
pub struct KeySet {
    pub kind: KeySetKind,
    pub keys: Vec<Jwk>,
    /// JWK Set members that were ignored, as RFC 7517 §5 asks for key
    /// types it does not understand.
    pub skipped: Vec<SkippedKey>,
}

impl KeySet {
    /// Reads pasted text: a JWK, a JWK Set, or `{"secret": "..."}`.
    ///
    /// # Errors
    ///
    /// The text is not JSON, or [`KeySet::from_value`] rejects it.
    pub fn parse(text: &str) -> Result<KeySet, KeyError> {
        let value: Value =
            serde_json::from_str(text.trim()).map_err(|e| KeyError::NotJson(e.to_string()))?;
        KeySet::from_value(&value)
    }

    /// Reads a JWK, a JWK Set, or `{"secret": "..."}`.
    ///
    /// # Errors
    ///
    /// The value is not one of those, or its single key is unusable. Keys
    /// of a JWK Set that are unusable are skipped instead, and listed.
    pub fn from_value(value: &Value) -> Result<KeySet, KeyError> {
        let Value::Object(members) = value else {
            return Err(KeyError::NotObject {
                found: json_type(value),
            });
        };

        if let Some(keys) = members.get("keys") {
            return jwk_set(keys);
        }
        if let (Some(secret), None) = (members.get("secret"), members.get("kty")) {
            let secret = secret.as_str().ok_or(KeyError::NotString("secret"))?;
            return KeySet::from_secret(secret);
        }

        let key = jwk(value, 0)?;
        Ok(KeySet {
            kind: KeySetKind::Jwk,
            keys: vec![key],
            skipped: Vec::new(),
        })
    }

    /// A client secret used as an HMAC key: its UTF-8 octets, as OpenID
    /// Connect Core §10.1 specifies.
    ///
    /// # Errors
    ///
    /// The secret is empty.
    pub fn from_secret(secret: &str) -> Result<KeySet, KeyError> {
        if secret.is_empty() {
            return Err(KeyError::EmptySecret);
        }
        Ok(KeySet {
            kind: KeySetKind::Secret,
            keys: vec![Jwk {
                kid: None,
                alg: None,
                key_use: None,
                key_ops: None,
                has_private_members: false,
                material: KeyMaterial::Secret(Secret(secret.as_bytes().to_vec())),
                index: 0,
            }],
            skipped: Vec::new(),
        })
    }

    /// The `kid` of every key, usable or not, in order.
    pub fn kids(&self) -> Vec<&str> {
        let mut kids: Vec<(usize, &str)> = self
            .keys
            .iter()
            .filter_map(|key| Some((key.index, key.kid.as_deref()?)))
            .chain(
                self.skipped
                    .iter()
                    .filter_map(|key| Some((key.index, key.kid.as_deref()?))),
            )
            .collect();
        kids.sort();
        kids.into_iter().map(|(_, kid)| kid).collect()
    }

    /// The keys to try for a token's `alg` and `kid`, in order.
    ///
    /// A `kid` selects the keys with that `kid`; keys without one stay
    /// candidates, since `kid` is only a hint (RFC 7515 §4.1.4). Without a
    /// `kid`, every key that fits the algorithm is a candidate.
    ///
    /// # Errors
    ///
    /// No key has the `kid`, or none of the keys can verify `alg`.
    pub fn candidates(
        &self,
        alg: Algorithm,
        kid: Option<&str>,
    ) -> Result<Vec<&Jwk>, NoMatchingKey> {
        if self.keys.is_empty() {
            return Err(NoMatchingKey::EmptySet {
                skipped: self.skipped.clone(),
            });
        }

        let named: Vec<&Jwk> = self
            .keys
            .iter()
            .filter(|key| kid.is_none() || key.kid.is_none() || key.kid.as_deref() == kid)
            .collect();
        if named.is_empty() {
            // Only a kid can rule out every key of a non-empty set.
            return Err(NoMatchingKey::UnknownKid {
                kid: kid.unwrap_or_default().to_owned(),
                known: self.kids().into_iter().map(str::to_owned).collect(),
                kind: self.kind,
            });
        }

        let fitting: Vec<&Jwk> = named
            .iter()
            .copied()
            .filter(|key| key.incompatibility(alg).is_none())
            .collect();
        if fitting.is_empty() {
            return Err(NoMatchingKey::Incompatible {
                alg,
                reasons: named
                    .iter()
                    .filter_map(|key| {
                        Some(format!("{}: {}", key.label(), key.incompatibility(alg)?))
                    })
                    .collect(),
                public_keys_for_hmac: alg.key_family() == KeyFamily::Secret,
            });
        }
        Ok(fitting)
    }
}

fn jwk_set(keys: &Value) -> Result<KeySet, KeyError> {
    let Value::Array(keys) = keys else {
        return Err(KeyError::KeysNotArray {
            found: json_type(keys),
        });
    };

    let mut set = KeySet {
        kind: KeySetKind::Jwks,
        keys: Vec::new(),
        skipped: Vec::new(),
    };
    for (index, value) in keys.iter().enumerate() {
        match jwk(value, index) {
            Ok(key) => set.keys.push(key),
            Err(error) => set.skipped.push(SkippedKey {
                index,
                kid: value.get("kid").and_then(Value::as_str).map(str::to_owned),
                error,
            }),
        }
    }
    Ok(set)
}

/// One JWK (RFC 7517 §4), with the key type's members from RFC 7518 §6
/// or RFC 8037 §2.
// Limitation: `x5c` certificate chains and PEM keys are not read.
fn jwk(value: &Value, index: usize) -> Result<Jwk, KeyError> {
    if !value.is_object() {
        return Err(KeyError::NotObject {
            found: json_type(value),
        });
    }
    let kty = optional_string(value, "kty")?.ok_or(KeyError::Missing("kty"))?;

    let material = match kty.as_str() {
        "RSA" => rsa_key(value)?,
        "EC" => ec_key(value)?,
        "OKP" => okp_key(value)?,
        "oct" => KeyMaterial::Secret(Secret(octets(value, "k")?)),
        _ => return Err(KeyError::UnsupportedKty(kty)),
    };

    let private = ["d", "p", "q", "dp", "dq", "qi"];
    Ok(Jwk {
        kid: optional_string(value, "kid")?,
        alg: optional_string(value, "alg")?,
        key_use: optional_string(value, "use")?,
        key_ops: key_ops(value)?,
        has_private_members: kty != "oct" && private.iter().any(|m| value.get(m).is_some()),
        material,
        index,
    })
}

/// RFC 7518 §6.3.1: the modulus `n` and exponent `e`. The key must be
/// 1024 to 8192 bits, the `rsa` crate's bounds.
fn rsa_key(value: &Value) -> Result<KeyMaterial, KeyError> {
    let n = octets(value, "n")?;
    let e = octets(value, "e")?;

    // §6.3.1.1 forbids leading zero octets; tolerate them, since they do
    // not change the number.
    let n = strip_leading_zeros(&n);
    let e = strip_leading_zeros(&e);
    if n.is_empty() || e.is_empty() {
        return Err(KeyError::InvalidRsa("n or e is zero".to_owned()));
    }

    let n = rsa::BoxedUint::from_be_slice_vartime(n);
    let e = rsa::BoxedUint::from_be_slice_vartime(e);
    rsa::PublicKey::new(n, e)
        .map(KeyMaterial::Rsa)
        .map_err(|error| KeyError::InvalidRsa(error.to_string()))
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// RFC 7518 §6.2.1: `crv`, and `x` and `y` at the full coordinate size.
fn ec_key(value: &Value) -> Result<KeyMaterial, KeyError> {
    let crv = optional_string(value, "crv")?.ok_or(KeyError::Missing("crv"))?;
    // Limitation: P-521 (ES512) and secp256k1 (ES256K) are not supported.
    let size = match crv.as_str() {
        "P-256" => 32,
        "P-384" => 48,
        _ => return Err(KeyError::UnsupportedCurve(crv)),
    };
    let x = coordinate(value, "x", size)?;
    let y = coordinate(value, "y", size)?;

    // An uncompressed SEC1 point: 0x04, then x, then y.
    let mut point = Vec::with_capacity(1 + 2 * size);
    point.push(0x04);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    let not_on_curve = |_| KeyError::NotOnCurve(crv.clone());
    if size == 32 {
        p256::ecdsa::VerifyingKey::from_sec1_bytes(&point)
            .map(KeyMaterial::EcP256)
            .map_err(not_on_curve)
    } else {
        p384::ecdsa::VerifyingKey::from_sec1_bytes(&point)
            .map(KeyMaterial::EcP384)
            .map_err(not_on_curve)
    }
}

/// RFC 8037 §2: `crv` "Ed25519" and the 32-octet public key `x`.
fn okp_key(value: &Value) -> Result<KeyMaterial, KeyError> {
    let crv = optional_string(value, "crv")?.ok_or(KeyError::Missing("crv"))?;
    if crv != "Ed25519" {
        return Err(KeyError::UnsupportedCurve(crv));
    }

    let x: [u8; 32] = coordinate(value, "x", 32)?
        .try_into()
        .map_err(|_| KeyError::NotOnCurve(crv.clone()))?;
    ed25519_dalek::VerifyingKey::from_bytes(&x)
        .map(KeyMaterial::Ed25519)
        .map_err(|_| KeyError::NotOnCurve(crv))
}

fn coordinate(value: &Value, member: &'static str, size: usize) -> Result<Vec<u8>, KeyError> {
    let bytes = octets(value, member)?;
    if bytes.len() != size {
        return Err(KeyError::CoordinateLength {
            member,
            expected: size,
            found: bytes.len(),
        });
    }
    Ok(bytes)
}

/// A required base64url member, decoded. Standard base64 gets its own
/// error, as it is the usual mistake.
fn octets(value: &Value, member: &'static str) -> Result<Vec<u8>, KeyError> {
    let text = optional_string(value, member)?.ok_or(KeyError::Missing(member))?;
    let bytes = base64url::decode(&text).map_err(|error| KeyError::Base64Url { member, error })?;
    if bytes.is_empty() {
        return Err(KeyError::Empty(member));
    }
    Ok(bytes)
}

fn optional_string(value: &Value, member: &'static str) -> Result<Option<String>, KeyError> {
    match value.get(member) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(KeyError::NotString(member)),
    }
}

fn key_ops(value: &Value) -> Result<Option<Vec<String>>, KeyError> {
    let Some(ops) = value.get("key_ops") else {
        return Ok(None);
    };
    let strings = ops.as_array().and_then(|ops| {
        ops.iter()
            .map(|op| op.as_str().map(str::to_owned))
            .collect::<Option<Vec<String>>>()
    });
    strings.map(Some).ok_or(KeyError::NotString("key_ops"))
}

/// Why a key could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    NotJson(String),
    NotObject {
        found: &'static str,
    },
    KeysNotArray {
        found: &'static str,
    },
    Missing(&'static str),
    NotString(&'static str),
    Empty(&'static str),
    EmptySecret,
    Base64Url {
        member: &'static str,
        error: Base64UrlError,
    },
    UnsupportedKty(String),
    UnsupportedCurve(String),
    CoordinateLength {
        member: &'static str,
        expected: usize,
        found: usize,
    },
    NotOnCurve(String),
    InvalidRsa(String),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::NotJson(reason) => write!(
                f,
                "the key is not JSON ({reason}); paste a JWK, a JWK Set {{\"keys\": [...]}}, \
                 or {{\"secret\": \"...\"}} for HMAC"
            ),
            KeyError::NotObject { found } => {
                write!(
                    f,
                    "the key is a JSON {found}, expected a JSON object (RFC 7517 §4)"
                )
            }
            KeyError::KeysNotArray { found } => write!(
                f,
                "\"keys\" is a JSON {found}, expected an array of JWKs (RFC 7517 §5.1)"
            ),
            KeyError::Missing(member) => {
                write!(
                    f,
                    "the JWK has no \"{member}\", which its key type requires"
                )
            }
            KeyError::NotString(member) => write!(
                f,
                "\"{member}\" must be a string{}",
                if *member == "key_ops" { "s array" } else { "" }
            ),
            KeyError::Empty(member) => write!(f, "\"{member}\" is empty"),
            KeyError::EmptySecret => write!(f, "the secret is empty; type the client secret"),
            KeyError::Base64Url { member, error } => write!(f, "\"{member}\": {error}"),
            KeyError::UnsupportedKty(kty) => write!(
                f,
                "key type \"{kty}\" is not supported; use RSA, EC, OKP or oct (RFC 7518 §6.1)"
            ),
            KeyError::UnsupportedCurve(crv) => write!(
                f,
                "curve \"{crv}\" is not supported here; supported are P-256, P-384 and Ed25519"
            ),
            KeyError::CoordinateLength {
                member,
                expected,
                found,
            } => write!(
                f,
                "\"{member}\" is {found} octets, expected {expected}: coordinates are written \
                 at full size, leading zeros included (RFC 7518 §6.2.1.2)"
            ),
            KeyError::NotOnCurve(crv) => {
                write!(
                    f,
                    "x and y are not a valid public key on {crv}; was the key copied whole?"
                )
            }
            KeyError::InvalidRsa(reason) => write!(
                f,
                "the RSA key cannot be used ({reason}); a modulus of 1024 to 8192 bits is needed"
            ),
        }
    }
}

impl std::error::Error for KeyError {}

/// Why no key could verify a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoMatchingKey {
    /// No key was given at all.
    NoKeys,
    /// The key text could not be read.
    Unreadable(KeyError),
    /// A JWK Set with no usable key.
    EmptySet { skipped: Vec<SkippedKey> },
    /// The header's `kid` is not in the keys.
    UnknownKid {
        kid: String,
        known: Vec<String>,
        kind: KeySetKind,
    },
    /// Keys exist, but none fits the algorithm.
    Incompatible {
        alg: Algorithm,
        reasons: Vec<String>,
        public_keys_for_hmac: bool,
    },
}

impl fmt::Display for NoMatchingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoMatchingKey::NoKeys => write!(
                f,
                "no key was given; paste the provider's JWKS (from jwks_uri in its discovery \
                 document), or the client secret for HS256/384/512"
            ),
            NoMatchingKey::Unreadable(error) => write!(f, "the key could not be read: {error}"),
            NoMatchingKey::EmptySet { skipped } if skipped.is_empty() => {
                write!(f, "the JWKS has no keys; refetch jwks_uri")
            }
            NoMatchingKey::EmptySet { skipped } => {
                write!(f, "the JWKS has no usable key: ")?;
                let reasons: Vec<String> = skipped
                    .iter()
                    .map(|key| match &key.kid {
                        Some(kid) => format!("kid \"{kid}\": {}", key.error),
                        None => format!("key #{}: {}", key.index + 1, key.error),
                    })
                    .collect();
                f.write_str(&reasons.join("; "))
            }
            NoMatchingKey::UnknownKid { kid, known, kind } => unknown_kid(f, kid, known, *kind),
            NoMatchingKey::Incompatible {
                alg,
                reasons,
                public_keys_for_hmac,
            } => {
                write!(f, "no key can verify {alg}: {}", reasons.join("; "))?;
                if *public_keys_for_hmac {
                    write!(
                        f,
                        ". A token whose alg is HMAC checked against a provider's public keys \
                         is the algorithm-confusion attack: a public key is never an HMAC secret"
                    )?;
                }
                Ok(())
            }
        }
    }
}

fn unknown_kid(
    f: &mut fmt::Formatter<'_>,
    kid: &str,
    known: &[String],
    kind: KeySetKind,
) -> fmt::Result {
    let quoted: Vec<String> = known.iter().map(|k| format!("\"{k}\"")).collect();
    match (kind, quoted.as_slice()) {
        (KeySetKind::Jwks, []) => write!(
            f,
            "no key in the JWKS has kid \"{kid}\", and none of its keys has a kid; \
             refetch jwks_uri"
        ),
        (KeySetKind::Jwks, _) => write!(
            f,
            "no key in the JWKS has kid \"{kid}\"; the JWKS has kids {} — the provider may \
             have rotated keys, refetch jwks_uri",
            quoted.join(", ")
        ),
        (_, _) => write!(
            f,
            "the key has kid {} but the token's header asks for kid \"{kid}\"; paste the \
             key with that kid, or the provider's whole JWKS",
            quoted.join(", ")
        ),
    }
}

impl std::error::Error for NoMatchingKey {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// RFC 7515 Appendix A.3's P-256 key, public part.
    fn ec_jwk(kid: &str) -> Value {
        json!({
            "kty": "EC", "crv": "P-256", "kid": kid,
            "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
        })
    }

    fn secret_jwk(kid: &str) -> Value {
        json!({"kty": "oct", "kid": kid, "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQ"})
    }

    #[test]
    fn reads_a_jwk_a_jwks_and_a_secret() {
        assert_eq!(
            KeySet::from_value(&ec_jwk("a")).unwrap().kind,
            KeySetKind::Jwk
        );
        let jwks = json!({"keys": [ec_jwk("a"), secret_jwk("b")]});
        assert_eq!(KeySet::from_value(&jwks).unwrap().keys.len(), 2);
        let secret = KeySet::from_value(&json!({"secret": "s3cr3t"})).unwrap();
        assert_eq!(secret.kind, KeySetKind::Secret);
    }

    #[test]
    fn skips_unknown_key_types_in_a_jwks() {
        let jwks = json!({"keys": [{"kty": "XYZ", "kid": "x"}, ec_jwk("a")]});
        let set = KeySet::from_value(&jwks).unwrap();
        assert_eq!(set.keys.len(), 1);
        assert_eq!(set.skipped.len(), 1);
        assert_eq!(set.kids(), vec!["x", "a"]);
    }

    #[test]
    fn rejects_a_point_off_the_curve() {
        let mut key = ec_jwk("a");
        key["y"] = json!("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a4");
        let error = KeySet::from_value(&key).unwrap_err();
        assert_eq!(error, KeyError::NotOnCurve("P-256".to_owned()));
    }

    #[test]
    fn rejects_short_coordinates() {
        let mut key = ec_jwk("a");
        key["x"] = json!("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVA");
        assert!(matches!(
            KeySet::from_value(&key).unwrap_err(),
            KeyError::CoordinateLength { member: "x", .. }
        ));
    }

    #[test]
    fn selects_by_kid() {
        let set = KeySet::from_value(&json!({"keys": [ec_jwk("a"), ec_jwk("b")]})).unwrap();
        let found = set.candidates(Algorithm::Es256, Some("b")).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kid.as_deref(), Some("b"));

        let all = set.candidates(Algorithm::Es256, None).unwrap();
        assert_eq!(all.len(), 2);
    }

    #[test]
    fn an_unknown_kid_lists_the_known_ones() {
        let set = KeySet::from_value(&json!({"keys": [ec_jwk("a"), ec_jwk("b")]})).unwrap();
        let error = set.candidates(Algorithm::Es256, Some("c")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "no key in the JWKS has kid \"c\"; the JWKS has kids \"a\", \"b\" — the provider \
             may have rotated keys, refetch jwks_uri"
        );
    }

    #[test]
    fn a_key_without_kid_stays_a_candidate() {
        let mut key = ec_jwk("a");
        key.as_object_mut().unwrap().remove("kid");
        let set = KeySet::from_value(&key).unwrap();
        assert_eq!(
            set.candidates(Algorithm::Es256, Some("zz")).unwrap().len(),
            1
        );
    }

    #[test]
    fn filters_by_key_type_alg_and_use() {
        let set = KeySet::from_value(&json!({"keys": [ec_jwk("a"), secret_jwk("b")]})).unwrap();
        let found = set.candidates(Algorithm::Hs256, None).unwrap();
        assert_eq!(found[0].kid.as_deref(), Some("b"));

        let mut enc = ec_jwk("a");
        enc["use"] = json!("enc");
        let set = KeySet::from_value(&enc).unwrap();
        let error = set.candidates(Algorithm::Es256, None).unwrap_err();
        assert!(error.to_string().contains("\"use\" is \"enc\""), "{error}");

        let mut pinned = ec_jwk("a");
        pinned["alg"] = json!("ES384");
        let set = KeySet::from_value(&pinned).unwrap();
        assert!(set.candidates(Algorithm::Es256, None).is_err());
    }

    #[test]
    fn hmac_against_public_keys_names_the_attack() {
        let set = KeySet::from_value(&ec_jwk("a")).unwrap();
        let error = set.candidates(Algorithm::Hs256, None).unwrap_err();
        assert!(error.to_string().contains("algorithm-confusion"), "{error}");
    }

    #[test]
    fn debug_output_redacts_secrets() {
        let set = KeySet::from_secret("hunter2").unwrap();
        let text = format!("{set:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }
}
