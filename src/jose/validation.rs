//! One verdict for a pasted token: decode it (RFC 7515 §5.2 steps 1 to 7),
//! check its signature (step 8), then its time claims (RFC 7519 §4.1.4 and
//! §4.1.5).
//!
//! The first failing step decides the outcome, in this order:
//!
//! 1. `malformed`: not a decodable JWS, no `alg`, an unknown `crit`
//!    extension, or a time claim that is not a NumericDate. An opaque
//!    token or a JWE is reported here too, as there is nothing to verify.
//! 2. `unsecured`: `alg` is "none".
//! 3. `algorithm_not_allowed`: `alg` is not in the caller's list.
//! 4. `no_matching_key`: no key given, or none with the `kid` or of a
//!    type that fits `alg`.
//! 5. `invalid_signature`: no candidate key verifies the signature.
//! 6. `expired`: `exp` <= now (only when `now` is given).
//! 7. `not_yet_valid`: `nbf` > now (only when `now` is given).
//! 8. `valid`.
//!
//! Time comes last so that a forged token is reported as forged, not as
//! expired: only a verified token's claims mean anything.

use serde_json::Value;
use std::fmt;

use super::algorithm::Algorithm;
use super::compact::{DecodeError, Jws, Token, decode, json_type};
use super::dates::{format_duration, numeric_date, time_left};
use super::jwk::{KeyError, KeySet};
use super::signature::{VerifyError, verify_signature};

/// How a token fared, named as the fixtures name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Valid,
    Malformed,
    Expired,
    Unsecured,
    InvalidSignature,
    NotYetValid,
    NoMatchingKey,
    AlgorithmNotAllowed,
}

impl Outcome {
    pub const ALL: [Outcome; 8] = [
        Outcome::Valid,
        Outcome::Malformed,
        Outcome::Expired,
        Outcome::Unsecured,
        Outcome::InvalidSignature,
        Outcome::NotYetValid,
        Outcome::NoMatchingKey,
        Outcome::AlgorithmNotAllowed,
    ];

    /// The snake_case name: `valid`, `invalid_signature`, …
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Valid => "valid",
            Outcome::Malformed => "malformed",
            Outcome::Expired => "expired",
            Outcome::Unsecured => "unsecured",
            Outcome::InvalidSignature => "invalid_signature",
            Outcome::NotYetValid => "not_yet_valid",
            Outcome::NoMatchingKey => "no_matching_key",
            Outcome::AlgorithmNotAllowed => "algorithm_not_allowed",
        }
    }

    pub fn from_name(name: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|outcome| outcome.name() == name)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl VerifyError {
    /// The outcome this error leads to.
    pub fn outcome(&self) -> Outcome {
        match self {
            VerifyError::MissingAlg => Outcome::Malformed,
            VerifyError::Unsecured => Outcome::Unsecured,
            VerifyError::AlgorithmNotAllowed { .. } => Outcome::AlgorithmNotAllowed,
            VerifyError::NoMatchingKey(_) => Outcome::NoMatchingKey,
            VerifyError::InvalidSignature { .. } => Outcome::InvalidSignature,
        }
    }
}

/// What to validate against. The clock is the caller's.
#[derive(Debug, Clone, Default)]
pub struct Validation {
    /// The keys to verify with: `None` when none were given, an error when
    /// the pasted text could not be read (reported as no matching key,
    /// after the algorithm checks).
    pub keys: Option<Result<KeySet, KeyError>>,
    /// The algorithms to accept (RFC 8725 §3.1).
    pub algorithms: Vec<Algorithm>,
    /// Unix seconds; `None` skips the time checks.
    pub now: Option<i64>,
    /// Seconds of clock skew to tolerate on `exp` and `nbf`.
    pub leeway: i64,
}

/// The result of validation, with the sentence that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Outcome,
    /// Why: the cause and, where there is one, the fix.
    pub reason: String,
    /// `Some(true)` once a key verified the signature, `Some(false)` when
    /// keys were tried and failed or the token is unsecured, `None` when
    /// the signature was never checked.
    pub signature_valid: Option<bool>,
    /// The label of the key that verified the signature.
    pub key: Option<String>,
}

impl Verdict {
    fn new(outcome: Outcome, reason: impl Into<String>) -> Verdict {
        Verdict {
            outcome,
            reason: reason.into(),
            signature_valid: None,
            key: None,
        }
    }
}

/// A pasted token decoded and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspection {
    pub token: Result<Token, DecodeError>,
    pub verdict: Verdict,
}

/// Decodes and validates a pasted token in one go.
pub fn inspect(token: &str, validation: &Validation) -> Inspection {
    let decoded = decode(token);
    let verdict = match &decoded {
        Err(error) => Verdict::new(Outcome::Malformed, error.to_string()),
        Ok(Token::Opaque) => Verdict::new(
            Outcome::Malformed,
            "an opaque token, not a JWT: only its issuer can say what it means \
             (ask its introspection endpoint, RFC 7662)",
        ),
        Ok(Token::Jwe(_)) => Verdict::new(
            Outcome::Malformed,
            "an encrypted JWT (JWE, RFC 7516); decrypting it needs the recipient's private \
             key, which this playground does not handle",
        ),
        Ok(Token::Jws(jws)) => validate_jws(jws, validation),
    };
    Inspection {
        token: decoded,
        verdict,
    }
}

/// Validates a decoded JWS: structure, signature, then time.
pub fn validate_jws(jws: &Jws, validation: &Validation) -> Verdict {
    if let Some(problem) = structure_problem(jws) {
        return Verdict::new(Outcome::Malformed, problem);
    }

    let verified = verify_signature(
        jws,
        validation.keys.as_ref().map(Result::as_ref),
        &validation.algorithms,
    );
    let verified = match verified {
        Ok(verified) => verified,
        Err(error) => {
            let mut verdict = Verdict::new(error.outcome(), error.to_string());
            verdict.signature_valid = match error {
                VerifyError::Unsecured | VerifyError::InvalidSignature { .. } => Some(false),
                _ => None,
            };
            return verdict;
        }
    };

    let (outcome, reason) = match validation.now {
        Some(now) => time_verdict(jws, now, validation.leeway),
        None => (
            Outcome::Valid,
            "time claims not checked: no current time given".to_owned(),
        ),
    };
    let reason = match outcome {
        Outcome::Valid => format!(
            "{} signature verified with {}; {reason}",
            verified.algorithm, verified.key
        ),
        _ => reason,
    };
    Verdict {
        outcome,
        reason,
        signature_valid: Some(true),
        key: Some(verified.key),
    }
}

/// What makes a decoded JWS unusable before any key is involved.
fn structure_problem(jws: &Jws) -> Option<String> {
    match jws.header.get("alg") {
        None => {
            return Some(
                "the header has no \"alg\"; every JWS must have one (RFC 7515 §4.1.1)".to_owned(),
            );
        }
        Some(Value::String(_)) => {}
        Some(other) => {
            return Some(format!(
                "\"alg\" is a JSON {}, expected a string (RFC 7515 §4.1.1)",
                json_type(other)
            ));
        }
    }

    if let Some(crit) = jws.header.get("crit") {
        return Some(critical_problem(crit));
    }

    ["exp", "nbf", "iat"].into_iter().find_map(|name| {
        let value = jws.claim(name)?;
        numeric_date(value).is_none().then(|| {
            format!(
                "\"{name}\" is {}, not a NumericDate (seconds since 1970, RFC 7519 §2 and §4.1)",
                describe_value(value)
            )
        })
    })
}

/// RFC 7515 §4.1.11: a recipient that does not understand every listed
/// extension must reject the JWS, and this playground understands none.
fn critical_problem(crit: &Value) -> String {
    let names: Option<Vec<&str>> = crit
        .as_array()
        .filter(|names| !names.is_empty())
        .and_then(|names| names.iter().map(Value::as_str).collect());
    match names {
        Some(names) => format!(
            "the header marks {} as critical (RFC 7515 §4.1.11); this playground does not \
             implement that extension, so the token must be rejected",
            names
                .iter()
                .map(|name| format!("\"{name}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "\"crit\" must be a non-empty array of header parameter names (RFC 7515 §4.1.11)"
            .to_owned(),
    }
}

fn describe_value(value: &Value) -> String {
    match value {
        Value::String(text) => format!("the string \"{text}\""),
        Value::Number(number) => format!("the number {number}, too large"),
        other => format!("a JSON {}", json_type(other)),
    }
}

/// RFC 7519 §4.1.4 (`exp`: rejected on or after) and §4.1.5 (`nbf`:
/// rejected before), each with `leeway` seconds of grace.
fn time_verdict(jws: &Jws, now: i64, leeway: i64) -> (Outcome, String) {
    let exp = jws.claim("exp").and_then(numeric_date);
    let nbf = jws.claim("nbf").and_then(numeric_date);

    if let Some(exp) = exp.filter(|exp| now.saturating_sub(leeway) >= *exp) {
        return (
            Outcome::Expired,
            format!(
                "{} (exp {exp}, now {now}); get a new token, or refresh it (RFC 7519 §4.1.4)",
                time_left(exp, now)
            ),
        );
    }
    if let Some(nbf) = nbf.filter(|nbf| now.saturating_add(leeway) < *nbf) {
        let wait = format_duration(nbf.abs_diff(now));
        return (
            Outcome::NotYetValid,
            format!(
                "not valid for another {wait} (nbf {nbf}, now {now}); if that is wrong, \
                 a clock is off (RFC 7519 §4.1.5)"
            ),
        );
    }

    let reason = match exp {
        Some(exp) => format!("{} left", format_duration(exp.abs_diff(now))),
        None => "no exp, so it never expires".to_owned(),
    };
    (Outcome::Valid, reason)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::jose::test_support::{SECRET, hs256};

    fn validation(now: Option<i64>) -> Validation {
        Validation {
            keys: Some(KeySet::from_secret(SECRET)),
            algorithms: vec![Algorithm::Hs256],
            now,
            leeway: 0,
        }
    }

    fn outcome(token: &str, validation: &Validation) -> Outcome {
        inspect(token, validation).verdict.outcome
    }

    fn token(claims: Value) -> String {
        hs256(&json!({"alg": "HS256"}), &claims, SECRET)
    }

    #[test]
    fn outcome_names_round_trip() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::from_name(outcome.name()), Some(outcome));
        }
    }

    #[test]
    fn exp_is_checked_on_or_after_and_with_leeway() {
        let token = token(json!({"exp": 1000}));
        assert_eq!(outcome(&token, &validation(Some(999))), Outcome::Valid);
        assert_eq!(outcome(&token, &validation(Some(1000))), Outcome::Expired);

        let mut lenient = validation(Some(1030));
        lenient.leeway = 60;
        assert_eq!(outcome(&token, &lenient), Outcome::Valid);
        assert_eq!(outcome(&token, &validation(None)), Outcome::Valid);
    }

    #[test]
    fn nbf_is_checked_before_and_with_leeway() {
        let token = token(json!({"nbf": 1000}));
        assert_eq!(
            outcome(&token, &validation(Some(999))),
            Outcome::NotYetValid
        );
        assert_eq!(outcome(&token, &validation(Some(1000))), Outcome::Valid);

        let mut lenient = validation(Some(990));
        lenient.leeway = 10;
        assert_eq!(outcome(&token, &lenient), Outcome::Valid);
    }

    #[test]
    fn a_forged_expired_token_is_reported_as_forged() {
        let forged = hs256(
            &json!({"alg": "HS256"}),
            &json!({"exp": 1}),
            "another secret",
        );
        let verdict = inspect(&forged, &validation(Some(2))).verdict;
        assert_eq!(verdict.outcome, Outcome::InvalidSignature);
        assert_eq!(verdict.signature_valid, Some(false));
    }

    #[test]
    fn unsecured_comes_before_the_algorithm_list() {
        let token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
        let mut none_allowed = validation(None);
        none_allowed.algorithms.clear();
        let verdict = inspect(token, &none_allowed).verdict;
        assert_eq!(verdict.outcome, Outcome::Unsecured);
        assert_eq!(verdict.signature_valid, Some(false));
    }

    #[test]
    fn the_algorithm_list_comes_before_the_keys() {
        let mut no_keys = validation(None);
        no_keys.keys = None;
        no_keys.algorithms = vec![Algorithm::Rs256];
        assert_eq!(
            outcome(&token(json!({})), &no_keys),
            Outcome::AlgorithmNotAllowed
        );
    }

    #[test]
    fn structure_problems_are_malformed() {
        let no_alg = hs256(&json!({"typ": "JWT"}), &json!({}), SECRET);
        assert_eq!(outcome(&no_alg, &validation(None)), Outcome::Malformed);

        let numeric_alg = hs256(&json!({"alg": 256}), &json!({}), SECRET);
        assert_eq!(outcome(&numeric_alg, &validation(None)), Outcome::Malformed);

        let crit = hs256(
            &json!({"alg": "HS256", "crit": ["b64"], "b64": false}),
            &json!({}),
            SECRET,
        );
        let verdict = inspect(&crit, &validation(None)).verdict;
        assert_eq!(verdict.outcome, Outcome::Malformed);
        assert!(verdict.reason.contains("\"b64\""), "{}", verdict.reason);

        let string_iat = token(json!({"iat": "yesterday"}));
        assert_eq!(outcome(&string_iat, &validation(None)), Outcome::Malformed);
    }

    #[test]
    fn opaque_tokens_and_jwe_are_not_verifiable() {
        let verdict = inspect("2YotnFZFEjr1zCsicMWpAA", &validation(None)).verdict;
        assert_eq!(verdict.outcome, Outcome::Malformed);
        assert!(
            verdict.reason.starts_with("an opaque token"),
            "{}",
            verdict.reason
        );

        let header = crate::jose::base64url::encode(b"{\"alg\":\"dir\",\"enc\":\"A128GCM\"}");
        let jwe = inspect(&format!("{header}..iv.ciphertext.tag"), &validation(None));
        assert!(matches!(jwe.token, Ok(Token::Jwe(_))));
    }

    #[test]
    fn deeply_nested_claims_are_refused_without_panicking() {
        let claims = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        let header = crate::jose::base64url::encode(b"{\"alg\":\"HS256\"}");
        let payload = crate::jose::base64url::encode(claims.as_bytes());
        let verdict = inspect(&format!("{header}.{payload}."), &validation(None)).verdict;
        assert_eq!(verdict.outcome, Outcome::Malformed);
    }

    #[test]
    fn a_valid_verdict_names_the_key_and_the_time_left() {
        let verdict = inspect(&token(json!({"exp": 4600})), &validation(Some(1000))).verdict;
        assert_eq!(verdict.outcome, Outcome::Valid);
        assert_eq!(verdict.key.as_deref(), Some("the secret"));
        assert_eq!(
            verdict.reason,
            "HS256 signature verified with the secret; 1 h left"
        );
    }
}
