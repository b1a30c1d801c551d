//! The ID Token checklist of OpenID Connect Core 1.0 §3.1.3.7, with the
//! `at_hash` and `c_hash` checks of §3.1.3.8 and §3.3.2.10 (the claims are
//! defined in §3.1.3.6 and §3.3.2.11).
//!
//! Every check yields a line, passed, failed or skipped, with the value
//! expected, the value found and the section it comes from, so the UI can
//! show the whole list rather than stop at the first failure.
//!
//! Limitation: `acr` and `auth_time` against `max_age` (§3.1.3.7 items 12
//! and 13) are not checked, and an audience list is not checked for
//! untrusted extra audiences (item 3, second sentence).

use serde_json::Value;
use sha2::{Digest, Sha256, Sha384, Sha512};
use std::fmt;

use super::algorithm::{self, Algorithm, HashAlgorithm};
use super::base64url;
use super::compact::Jws;
use super::dates::{format_utc, numeric_date, time_left};
use super::jwk::{KeyError, KeySet};
use super::signature::verify_signature;

const VALIDATION: &str = "https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation";
const CODE_ID_TOKEN: &str = "https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken";
const HYBRID_ID_TOKEN: &str = "https://openid.net/specs/openid-connect-core-1_0.html#HybridIDToken";
const ID_TOKEN: &str = "https://openid.net/specs/openid-connect-core-1_0.html#IDToken";

/// What the client knows and expects. The clock is the caller's.
#[derive(Clone, Default)]
pub struct IdTokenExpectations {
    /// The issuer from discovery (`issuer`), compared exactly.
    pub issuer: String,
    pub client_id: String,
    /// The `nonce` sent in the authentication request, if any.
    pub nonce: Option<String>,
    /// The algorithms the client accepts (`id_token_signed_response_alg`).
    pub algorithms: Vec<Algorithm>,
    /// Unix seconds.
    pub now: i64,
    /// Seconds of clock skew tolerated on `exp` and `iat`.
    pub clock_skew: i64,
    /// The access token issued with the ID token, for `at_hash`.
    pub access_token: Option<String>,
    /// The authorization code, for `c_hash`.
    pub code: Option<String>,
    /// The provider's JWKS, or the client secret for HS256/384/512; an
    /// error when the pasted keys could not be read.
    pub keys: Option<Result<KeySet, KeyError>>,
}

impl fmt::Debug for IdTokenExpectations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |value: &Option<String>| value.as_ref().map(|_| "[redacted]");
        f.debug_struct("IdTokenExpectations")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("nonce", &self.nonce)
            .field("algorithms", &self.algorithms)
            .field("now", &self.now)
            .field("clock_skew", &self.clock_skew)
            .field("access_token", &redacted(&self.access_token))
            .field("code", &redacted(&self.code))
            .field("keys", &self.keys)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckStatus {
    Passed,
    Failed,
    /// Nothing to check against, or the claim is optional and absent.
    Skipped,
}

impl CheckStatus {
    pub fn name(self) -> &'static str {
        match self {
            CheckStatus::Passed => "passed",
            CheckStatus::Failed => "failed",
            CheckStatus::Skipped => "skipped",
        }
    }
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    /// The claim or step: `iss`, `sub`, `aud`, `azp`, `signature`, `alg`,
    /// `exp`, `iat`, `nonce`, `at_hash`, `c_hash`.
    pub name: &'static str,
    pub status: CheckStatus,
    pub expected: String,
    pub found: String,
    /// Explains a failure or a skip, and says what to do.
    pub note: String,
    /// "OpenID Connect Core 1.0 §3.1.3.7 item 2".
    pub section: &'static str,
    pub link: &'static str,
}

/// Runs the ID Token checks of OpenID Connect Core 1.0 §3.1.3.7 in the
/// order the section lists them, then `at_hash` and `c_hash`. `sub`,
/// which §3.1.3.7 does not list but §2 requires, comes after `iss`.
///
/// Each claim §2 requires (`iss`, `sub`, `aud`, `exp`, `iat`) fails its
/// line when absent, with a note that says it is missing.
// Limitation: no `acr`, no `auth_time` against `max_age` (items 12 and
// 13), and extra audiences are not checked for being trusted (item 3).
pub fn id_token_checks(token: &Jws, expect: &IdTokenExpectations) -> Vec<CheckLine> {
    vec![
        issuer(token, expect),
        subject(token),
        audience(token, expect),
        authorized_party(token, expect),
        signature(token, expect),
        alg(token, expect),
        expiry(token, expect),
        issued_at(token, expect),
        nonce(token, expect),
        token_hash(token, "at_hash", expect.access_token.as_deref()),
        token_hash(token, "c_hash", expect.code.as_deref()),
    ]
}

fn line(name: &'static str, section: &'static str, link: &'static str) -> CheckLine {
    CheckLine {
        name,
        status: CheckStatus::Skipped,
        expected: String::new(),
        found: String::new(),
        note: String::new(),
        section,
        link,
    }
}

fn passed_if(condition: bool) -> CheckStatus {
    if condition {
        CheckStatus::Passed
    } else {
        CheckStatus::Failed
    }
}

/// A claim as shown in "found": strings bare, anything else as JSON.
fn shown(value: Option<&Value>) -> String {
    match value {
        None => "(absent)".to_owned(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// Item 2: `iss` equals the issuer exactly.
fn issuer(token: &Jws, expect: &IdTokenExpectations) -> CheckLine {
    let mut line = line("iss", "OpenID Connect Core 1.0 §3.1.3.7 item 2", VALIDATION);
    let found = token.claim("iss").and_then(Value::as_str);
    line.expected = expect.issuer.clone();
    line.found = shown(token.claim("iss"));
    line.status = passed_if(found == Some(expect.issuer.as_str()));

    let near_miss = found.is_some_and(|iss| {
        iss != expect.issuer && iss.trim_end_matches('/') == expect.issuer.trim_end_matches('/')
    });
    if token.claim("iss").is_none() {
        line.note = "the token has no iss; iss is required in an ID token (§2) and must \
                     equal the provider's issuer"
            .to_owned();
    } else if found.is_none() {
        line.note = "iss must be a string, the provider's issuer URL".to_owned();
    } else if near_miss {
        line.note = "differs only by a trailing slash, which still fails: the comparison \
                     is exact; use the issuer exactly as the discovery document gives it"
            .to_owned();
    } else if line.status == CheckStatus::Failed {
        line.note = "iss must equal the provider's issuer exactly; a token from another \
                     issuer must not be accepted"
            .to_owned();
    }
    line
}

/// `sub` (§2): present, a string, at most 255 ASCII characters.
fn subject(token: &Jws) -> CheckLine {
    let mut line = line("sub", "OpenID Connect Core 1.0 §2", ID_TOKEN);
    line.expected = "a string of 1 to 255 ASCII characters".to_owned();
    line.found = shown(token.claim("sub"));

    let problem = match token.claim("sub") {
        None => Some(
            "the token has no sub; sub is required in an ID token (§2): it names the \
             end-user, so a token without one is not an ID token",
        ),
        Some(Value::String(sub)) if sub.is_empty() => {
            Some("sub is empty; it must identify the end-user (§2)")
        }
        Some(Value::String(sub)) if !sub.is_ascii() || sub.len() > 255 => {
            Some("sub must not exceed 255 ASCII characters (§2)")
        }
        Some(Value::String(_)) => None,
        Some(_) => Some("sub must be a string (§2), compared exactly"),
    };
    line.status = passed_if(problem.is_none());
    line.note = problem.unwrap_or_default().to_owned();
    line
}

/// The `aud` claim as a list: a string or an array of strings (RFC 7519
/// §4.1.3). `None` when absent or of another shape.
fn audiences(token: &Jws) -> Option<Vec<&str>> {
    match token.claim("aud")? {
        Value::String(aud) => Some(vec![aud.as_str()]),
        Value::Array(values) => values.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

/// Item 3: `aud` contains the client_id.
fn audience(token: &Jws, expect: &IdTokenExpectations) -> CheckLine {
    let mut line = line("aud", "OpenID Connect Core 1.0 §3.1.3.7 item 3", VALIDATION);
    line.expected = format!("contains {}", expect.client_id);
    line.found = shown(token.claim("aud"));

    let listed = audiences(token);
    let contains = listed
        .as_ref()
        .is_some_and(|auds| auds.contains(&expect.client_id.as_str()));
    line.status = passed_if(contains);
    line.note = match (token.claim("aud"), listed) {
        _ if contains => String::new(),
        (None, _) => "the token has no aud; aud is required in an ID token (§2) and must name its \
             client"
            .to_owned(),
        (Some(_), None) => {
            "aud must be a string or an array of strings (RFC 7519 §4.1.3); reject the token"
                .to_owned()
        }
        (Some(_), Some(_)) => {
            "the token was issued to another client; reject it, or check the client_id".to_owned()
        }
    };
    line
}

/// Items 4 and 5: with several audiences `azp` should be present, and
/// when present it must be the client_id.
fn authorized_party(token: &Jws, expect: &IdTokenExpectations) -> CheckLine {
    let mut line = line(
        "azp",
        "OpenID Connect Core 1.0 §3.1.3.7 items 4 and 5",
        VALIDATION,
    );
    let several = audiences(token).is_some_and(|auds| auds.len() > 1);
    let azp = token.claim("azp");
    line.expected = expect.client_id.clone();
    line.found = shown(azp);

    match (azp, several) {
        (None, false) => {
            line.expected = "present only with several audiences".to_owned();
            line.note = "one audience and no azp: nothing to check".to_owned();
        }
        (None, true) => {
            line.status = CheckStatus::Failed;
            line.note = "aud lists several audiences, so azp should name the client the token \
                         was issued to"
                .to_owned();
        }
        (Some(azp), _) => {
            line.status = passed_if(azp.as_str() == Some(expect.client_id.as_str()));
            if line.status == CheckStatus::Failed {
                line.note =
                    "azp names another client as the party the token was issued to".to_owned();
            }
        }
    }
    line
}

/// Item 6: the signature, with the keys from jwks_uri (or the client
/// secret for HMAC, item 8).
fn signature(token: &Jws, expect: &IdTokenExpectations) -> CheckLine {
    let mut line = line(
        "signature",
        "OpenID Connect Core 1.0 §3.1.3.7 items 6 and 8",
        VALIDATION,
    );
    line.expected = "verified with the provider's key".to_owned();
    let Some(keys) = &expect.keys else {
        line.found = "not checked".to_owned();
        line.note = "no keys given: paste the JWKS from jwks_uri, or the client secret for \
                     HS256/384/512; only a token received straight from the token endpoint \
                     over TLS may go unchecked"
            .to_owned();
        return line;
    };

    match verify_signature(token, Some(keys.as_ref()), &expect.algorithms) {
        Ok(verified) => {
            line.status = CheckStatus::Passed;
            line.found = format!("verified with {}", verified.key);
        }
        Err(error) => {
            line.status = CheckStatus::Failed;
            line.found = error.outcome().name().to_owned();
            line.note = error.to_string();
        }
    }
    line
}

/// Item 7: `alg` is the one the client expects.
fn alg(token: &Jws, expect: &IdTokenExpectations) -> CheckLine {
    let mut line = line("alg", "OpenID Connect Core 1.0 §3.1.3.7 item 7", VALIDATION);
    line.expected = algorithm::names(&expect.algorithms);
    line.found = shown(token.header.get("alg"));

    let allowed = token
        .algorithm()
        .is_some_and(|alg| expect.algorithms.contains(&alg));
    line.status = passed_if(allowed);
    if token.is_unsecured() {
        line.note = "alg none: the token is not signed at all; an ID token must be".to_owned();
    } else if !allowed {
        line.note = "not an algorithm this client accepts; a token must not choose its own \
                     algorithm (RFC 8725 §3.1)"
            .to_owned();
    }
    line
}

/// Item 9: the current time is before `exp`, give or take the skew.
fn expiry(token: &Jws, expect: &IdTokenExpectations) -> CheckLine {
    let mut line = line("exp", "OpenID Connect Core 1.0 §3.1.3.7 item 9", VALIDATION);
    line.expected = format!(
        "after {} (now, with {} s skew)",
        utc_or_seconds(expect.now),
        expect.clock_skew
    );
    let Some(exp) = token.claim("exp").and_then(numeric_date) else {
        line.status = CheckStatus::Failed;
        line.found = shown(token.claim("exp"));
        line.note = match token.claim("exp") {
            None => "the token has no exp; exp is required in an ID token (§2)",
            Some(_) => "exp must be a number of seconds since 1970 (RFC 7519 §2)",
        }
        .to_owned();
        return line;
    };

    line.found = format!("{} ({})", utc_or_seconds(exp), time_left(exp, expect.now));
    line.status = passed_if(expect.now.saturating_sub(expect.clock_skew) < exp);
    if line.status == CheckStatus::Failed {
        line.note = "the token has expired; sign in again to get a new one".to_owned();
    }
    line
}

/// Item 10: `iat` is present and not in the future beyond the skew.
fn issued_at(token: &Jws, expect: &IdTokenExpectations) -> CheckLine {
    let mut line = line(
        "iat",
        "OpenID Connect Core 1.0 §3.1.3.7 item 10",
        VALIDATION,
    );
    line.expected = format!(
        "not after {} (now, with {} s skew)",
        utc_or_seconds(expect.now),
        expect.clock_skew
    );
    let Some(iat) = token.claim("iat").and_then(numeric_date) else {
        line.status = CheckStatus::Failed;
        line.found = shown(token.claim("iat"));
        line.note = match token.claim("iat") {
            None => "the token has no iat; iat is required in an ID token (§2)",
            Some(_) => "iat must be a number of seconds since 1970 (RFC 7519 §2)",
        }
        .to_owned();
        return line;
    };

    line.found = utc_or_seconds(iat);
    line.status = passed_if(iat <= expect.now.saturating_add(expect.clock_skew));
    if line.status == CheckStatus::Failed {
        line.note = "issued in the future: the provider's clock or this one is off; \
                     allow more clock skew only if that is the cause"
            .to_owned();
    }
    line
}

/// Item 11: `nonce` equals the one sent.
fn nonce(token: &Jws, expect: &IdTokenExpectations) -> CheckLine {
    let mut line = line(
        "nonce",
        "OpenID Connect Core 1.0 §3.1.3.7 item 11",
        VALIDATION,
    );
    let found = token.claim("nonce");
    line.found = shown(found);

    let Some(sent) = &expect.nonce else {
        line.expected = "(no nonce sent)".to_owned();
        line.note = if found.is_some() {
            "the token has a nonce but none was sent to compare it with".to_owned()
        } else {
            "no nonce was sent; send one to bind the token to this sign-in".to_owned()
        };
        return line;
    };

    line.expected = sent.clone();
    line.status = passed_if(found.and_then(Value::as_str) == Some(sent.as_str()));
    if line.status == CheckStatus::Failed {
        line.note = "the nonce differs from the one sent: the token may be replayed from \
                     another sign-in"
            .to_owned();
    }
    line
}

/// `at_hash` (§3.1.3.6, checked as §3.2.2.9 says) or `c_hash`
/// (§3.3.2.11, checked as §3.3.2.10 says).
fn token_hash(token: &Jws, name: &'static str, value: Option<&str>) -> CheckLine {
    let (section, link, what) = if name == "at_hash" {
        (
            "OpenID Connect Core 1.0 §3.1.3.6 and §3.2.2.9",
            CODE_ID_TOKEN,
            "access token",
        )
    } else {
        (
            "OpenID Connect Core 1.0 §3.3.2.11 and §3.3.2.10",
            HYBRID_ID_TOKEN,
            "authorization code",
        )
    };
    let mut line = line(name, section, link);
    let claim = token.claim(name);
    line.found = shown(claim);

    let (Some(claim), Some(value)) = (claim, value) else {
        line.note = match claim {
            None => format!("the token has no {name}; it is optional here"),
            Some(_) => format!("no {what} given to compare {name} with"),
        };
        return line;
    };
    let Some(alg) = token.algorithm() else {
        line.status = CheckStatus::Failed;
        line.note = format!(
            "alg {} names no hash, so {name} cannot be computed",
            shown(token.header.get("alg"))
        );
        return line;
    };

    line.expected = left_half_hash(value, alg);
    line.status = passed_if(claim.as_str() == Some(line.expected.as_str()));
    if line.status == CheckStatus::Failed {
        line.note = format!(
            "{name} is the base64url of the left half of the {} hash of the {what}; a \
             mismatch means the {what} was swapped",
            alg.hash().name()
        );
    }
    line
}

/// The base64url of the left-most half of the hash of the ASCII value,
/// the hash being the one of `alg` (§3.1.3.6).
pub fn left_half_hash(value: &str, alg: Algorithm) -> String {
    let digest = match alg.hash() {
        HashAlgorithm::Sha256 => Sha256::digest(value.as_bytes()).to_vec(),
        HashAlgorithm::Sha384 => Sha384::digest(value.as_bytes()).to_vec(),
        HashAlgorithm::Sha512 => Sha512::digest(value.as_bytes()).to_vec(),
    };
    let half = digest.get(..digest.len() / 2).unwrap_or_default();
    base64url::encode(half)
}

fn utc_or_seconds(seconds: i64) -> String {
    format_utc(seconds).unwrap_or_else(|| format!("{seconds} s"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::jose::compact::{Token, decode};
    use crate::jose::test_support::{SECRET, hs256};

    const NOW: i64 = 1_750_000_000;

    fn expectations() -> IdTokenExpectations {
        IdTokenExpectations {
            issuer: "https://issuer.example".into(),
            client_id: "client-1".into(),
            nonce: Some("n-0S6_WzA2Mj".into()),
            algorithms: vec![Algorithm::Hs256],
            now: NOW,
            clock_skew: 30,
            access_token: None,
            code: None,
            keys: Some(KeySet::from_secret(SECRET)),
        }
    }

    fn claims() -> Value {
        json!({
            "iss": "https://issuer.example",
            "sub": "248289761001",
            "aud": "client-1",
            "nonce": "n-0S6_WzA2Mj",
            "iat": NOW - 10,
            "exp": NOW + 600,
        })
    }

    fn checks(claims: Value, expect: &IdTokenExpectations) -> Vec<CheckLine> {
        let token = hs256(&json!({"alg": "HS256"}), &claims, SECRET);
        let Ok(Token::Jws(jws)) = decode(&token) else {
            panic!("test token decodes");
        };
        id_token_checks(&jws, expect)
    }

    fn status(lines: &[CheckLine], name: &str) -> CheckStatus {
        lines
            .iter()
            .find(|line| line.name == name)
            .map(|line| line.status)
            .unwrap_or_else(|| panic!("no {name} line"))
    }

    #[test]
    fn left_half_hash_matches_the_openid_examples() {
        // OpenID Connect Core 1.0 Appendix A.3 (at_hash) and A.4 (c_hash).
        assert_eq!(
            left_half_hash(
                "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y",
                Algorithm::Rs256
            ),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
        assert_eq!(
            left_half_hash(
                "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk",
                Algorithm::Rs256
            ),
            "LDktKdoQak3Pk0cnXxCltA"
        );
    }

    #[test]
    fn left_half_hash_follows_the_algorithm() {
        // Computed with Python's hashlib, independently.
        let token = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
        assert_eq!(
            left_half_hash(token, Algorithm::Es384),
            "jtAeDp945y1dDqU3nkIVGNZP1HjH_MFs"
        );
        assert_eq!(
            left_half_hash(token, Algorithm::EdDsa),
            "q7nS86GgvvFaZkzALLWqJYaJIKw2wCDAVfCAsm5CrBM"
        );
    }

    #[test]
    fn a_good_id_token_passes_every_check_it_can_make() {
        let lines = checks(claims(), &expectations());
        let names: Vec<&str> = lines.iter().map(|line| line.name).collect();
        assert_eq!(
            names,
            [
                "iss",
                "sub",
                "aud",
                "azp",
                "signature",
                "alg",
                "exp",
                "iat",
                "nonce",
                "at_hash",
                "c_hash"
            ]
        );
        for line in &lines {
            let expected = match line.name {
                "azp" | "at_hash" | "c_hash" => CheckStatus::Skipped,
                _ => CheckStatus::Passed,
            };
            assert_eq!(line.status, expected, "{line:?}");
        }
    }

    #[test]
    fn an_issuer_with_a_trailing_slash_fails_with_a_note() {
        let mut claims = claims();
        claims["iss"] = json!("https://issuer.example/");
        let lines = checks(claims, &expectations());
        let iss = &lines[0];
        assert_eq!(iss.status, CheckStatus::Failed);
        assert!(iss.note.contains("trailing slash"), "{}", iss.note);
    }

    #[test]
    fn an_audience_of_the_wrong_shape_fails_with_its_reason() {
        for aud in [json!({"client-1": true}), json!(["client-1", 7]), json!(42)] {
            let mut claims = claims();
            claims["aud"] = aud;
            let lines = checks(claims, &expectations());
            let line = lines
                .iter()
                .find(|line| line.name == "aud")
                .expect("aud line");
            assert_eq!(line.status, CheckStatus::Failed);
            assert!(
                line.note.contains("string or an array of strings"),
                "{}",
                line.note
            );
        }
    }

    #[test]
    fn several_audiences_need_azp() {
        let mut claims = claims();
        claims["aud"] = json!(["client-1", "api"]);
        let lines = checks(claims.clone(), &expectations());
        assert_eq!(status(&lines, "aud"), CheckStatus::Passed);
        assert_eq!(status(&lines, "azp"), CheckStatus::Failed);

        claims["azp"] = json!("client-1");
        assert_eq!(
            status(&checks(claims.clone(), &expectations()), "azp"),
            CheckStatus::Passed
        );
        claims["azp"] = json!("client-2");
        assert_eq!(
            status(&checks(claims, &expectations()), "azp"),
            CheckStatus::Failed
        );
    }

    #[test]
    fn time_checks_allow_the_clock_skew() {
        let mut claims = claims();
        claims["exp"] = json!(NOW - 20);
        claims["iat"] = json!(NOW + 20);
        let lines = checks(claims.clone(), &expectations());
        assert_eq!(status(&lines, "exp"), CheckStatus::Passed);
        assert_eq!(status(&lines, "iat"), CheckStatus::Passed);

        claims["exp"] = json!(NOW - 30);
        claims["iat"] = json!(NOW + 31);
        let lines = checks(claims, &expectations());
        assert_eq!(status(&lines, "exp"), CheckStatus::Failed);
        assert_eq!(status(&lines, "iat"), CheckStatus::Failed);
    }

    #[test]
    fn missing_required_claims_fail() {
        let lines = checks(json!({"sub": "x"}), &expectations());
        for name in ["iss", "aud", "exp", "iat", "nonce"] {
            assert_eq!(status(&lines, name), CheckStatus::Failed, "{name}");
        }
    }

    #[test]
    fn each_missing_required_claim_fails_its_own_line_and_says_so() {
        // OpenID Connect Core 1.0 §2: iss, sub, aud, exp and iat are REQUIRED.
        for name in ["iss", "sub", "aud", "exp", "iat"] {
            let mut claims = claims();
            claims
                .as_object_mut()
                .expect("claims are an object")
                .remove(name);
            let lines = checks(claims, &expectations());
            let failed: Vec<&str> = lines
                .iter()
                .filter(|line| line.status == CheckStatus::Failed)
                .map(|line| line.name)
                .collect();
            assert_eq!(failed, [name], "without {name}");
            let line = lines
                .iter()
                .find(|line| line.name == name)
                .expect("a line per required claim");
            assert_eq!(line.found, "(absent)", "{name}");
            assert!(
                line.note.contains(&format!("the token has no {name}"))
                    && line.note.contains("required in an ID token (§2)"),
                "{name}: {}",
                line.note
            );
        }
    }

    #[test]
    fn sub_of_the_wrong_shape_fails() {
        for (sub, reason) in [
            (json!(248289761001_u64), "must be a string"),
            (json!(""), "empty"),
            (json!("a".repeat(256)), "255 ASCII"),
            (json!("jos\u{e9}"), "255 ASCII"),
        ] {
            let mut claims = claims();
            claims["sub"] = sub;
            let lines = checks(claims, &expectations());
            let line = lines
                .iter()
                .find(|line| line.name == "sub")
                .expect("sub line");
            assert_eq!(line.status, CheckStatus::Failed, "{}", line.found);
            assert!(line.note.contains(reason), "{}", line.note);
        }
        let mut claims = claims();
        claims["sub"] = json!("a".repeat(255));
        assert_eq!(
            status(&checks(claims, &expectations()), "sub"),
            CheckStatus::Passed
        );
    }

    #[test]
    fn c_hash_is_the_left_half_of_the_code_hash() {
        // OpenID Connect Core 1.0 §3.3.2.11, for the code of RFC 6749
        // §4.1.2. Expected values computed independently with Python:
        // python3 -c "import hashlib,base64; d=hashlib.sha256(b'SplxlOBeZQQYbYS6WxSbIA').digest();
        //   print(base64.urlsafe_b64encode(d[:len(d)//2]).rstrip(b'=').decode())"
        // (and hashlib.sha384 for ES384).
        let code = "SplxlOBeZQQYbYS6WxSbIA";
        assert_eq!(
            left_half_hash(code, Algorithm::Hs256),
            "o1uBp9eSe3DsmScN0jYriA"
        );
        assert_eq!(
            left_half_hash(code, Algorithm::Es384),
            "8ZYBhGf1HS0O6l_LefILVrCxOJ4-cux2"
        );

        let mut claims = claims();
        claims["c_hash"] = json!("o1uBp9eSe3DsmScN0jYriA");
        let mut expect = expectations();
        expect.code = Some(code.into());
        let lines = checks(claims.clone(), &expect);
        assert_eq!(status(&lines, "c_hash"), CheckStatus::Passed);

        expect.code = Some("another-code".into());
        let lines = checks(claims, &expect);
        let line = lines
            .iter()
            .find(|line| line.name == "c_hash")
            .expect("c_hash line");
        assert_eq!(line.status, CheckStatus::Failed);
        assert!(line.note.contains("authorization code"), "{}", line.note);
    }

    #[test]
    fn hashes_are_checked_when_the_values_are_given() {
        let mut claims = claims();
        claims["at_hash"] = json!(left_half_hash("access-1", Algorithm::Hs256));
        claims["c_hash"] = json!("wrong");
        let mut expect = expectations();
        expect.access_token = Some("access-1".into());
        let lines = checks(claims.clone(), &expect);
        assert_eq!(status(&lines, "at_hash"), CheckStatus::Passed);
        assert_eq!(status(&lines, "c_hash"), CheckStatus::Skipped);

        expect.code = Some("code-1".into());
        assert_eq!(
            status(&checks(claims, &expect), "c_hash"),
            CheckStatus::Failed
        );
    }

    #[test]
    fn signature_and_alg_fail_for_another_secret_and_algorithm() {
        let mut expect = expectations();
        expect.keys = Some(KeySet::from_secret("another secret"));
        expect.algorithms = vec![Algorithm::Rs256];
        let lines = checks(claims(), &expect);
        assert_eq!(status(&lines, "signature"), CheckStatus::Failed);
        assert_eq!(status(&lines, "alg"), CheckStatus::Failed);

        expect.keys = None;
        assert_eq!(
            status(&checks(claims(), &expect), "signature"),
            CheckStatus::Skipped
        );
    }

    #[test]
    fn debug_output_redacts_the_access_token_and_code() {
        let mut expect = expectations();
        expect.access_token = Some("at-secret-value".into());
        expect.code = Some("code-secret-value".into());
        let text = format!("{expect:?}");
        assert!(!text.contains("secret-value"), "{text}");
    }
}
