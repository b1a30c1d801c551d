//! An OAuth 1.0a server (RFC 5849): temporary credentials, resource owner
//! authorization, token credentials and a protected resource. Every request
//! is checked with the same signature code the workbench uses, nonces are
//! single-use and timestamps must be fresh (§3.3). Problems are reported
//! with `oauth_problem` (OAuth Problem Reporting extension). The one client
//! may sign with every method: its shared secret for HMAC and PLAINTEXT,
//! its registered RSA public key for RSA-SHA1/256/512.

use std::collections::{HashMap, HashSet};

use super::OAUTH1_SERVER;
use super::rng::SeededRandom;
use crate::http::{Request, Response};
use crate::oauth1::encode::percent_encode;
use crate::oauth1::parse::parse_pasted;
use crate::oauth1::verify::verify;
use crate::oauth1::{SignatureInput, SignatureMethod};

/// How far a timestamp may be from the server's clock.
pub const TIMESTAMP_WINDOW: u64 = 300;

pub const CONSUMER_KEY: &str = "printer-consumer";
pub const CONSUMER_SECRET: &str = "printer-consumer-secret";

/// The client's RSA private key for the RSA-SHA* methods: a fixed 2048-bit
/// test key, so seeded runs stay reproducible and no key is generated in
/// the page. Never use it outside tests and demonstrations.
pub const CLIENT_RSA_PRIVATE_KEY: &str = include_str!("../../benches/test_key.pem");

/// The public half of [`CLIENT_RSA_PRIVATE_KEY`], which the client
/// registered with the server along with its consumer key (§3.4.3).
pub const CLIENT_RSA_PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlH/+ZlKuS/jCO4dhXuzT
MFti5T1C+NqOSQDBl8hGmHdGxNtdZibWjXngGgBAcjC4JeVTNXSrIB7za0Njz0ia
XylEd29hGfsYnC+PJgv7NDUFmbMi0dB8/72j2GHspubz4EZDh6bLek3rBXldNB+V
q+qYNgCqTb41744fRaOfINdz83+ZB3IP3POszIneSNvxxWRWr1GJmD6GtrnpcBnS
IAC28XhMBQkgfdEjoIRtLH4binQb7W2XB+RR35SdHen7T51Y8IbmkQDXShfUKybv
Q4TIUnFQxCiew5Sh6BZbeThGwWjCi3qAVM0gdQUzHb8dDUMU+NRXhjUiKjUnpaQB
bQIDAQAB
-----END PUBLIC KEY-----
";

struct Credentials {
    secret: String,
    /// For temporary credentials: the callback and, once authorized, the
    /// verifier the client must present.
    callback: Option<String>,
    verifier: Option<String>,
    token_credentials: bool,
}

#[derive(Default)]
pub struct OAuth1Server {
    credentials: HashMap<String, Credentials>,
    seen_nonces: HashSet<(String, String, String)>,
}

impl OAuth1Server {
    pub fn handle(&mut self, request: &Request, random: &mut SeededRandom, now: u64) -> Response {
        let path = request.url.strip_prefix(OAUTH1_SERVER).unwrap_or("");
        let path = path.split('?').next().unwrap_or("");
        let oauth = match self.check_signature(request, now) {
            Ok(oauth) => oauth,
            Err(response) => return response,
        };
        let param = |name: &str| {
            oauth
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };

        match path {
            "/initiate" => self.initiate(param("oauth_callback"), random),
            "/token" => {
                self.token_credentials(param("oauth_token"), param("oauth_verifier"), random)
            }
            "/photos" => self.photos(param("oauth_token")),
            _ => problem(404, "resource_unknown", ""),
        }
    }

    /// §2.1.
    fn initiate(&mut self, callback: Option<String>, random: &mut SeededRandom) -> Response {
        let Some(callback) = callback else {
            return problem(
                400,
                "parameter_absent",
                "oauth_parameters_absent=oauth_callback",
            );
        };
        let token = random.token(12);
        let secret = random.token(18);
        self.credentials.insert(
            token.clone(),
            Credentials {
                secret: secret.clone(),
                callback: Some(callback),
                verifier: None,
                token_credentials: false,
            },
        );
        form_response(&[
            ("oauth_token", &token),
            ("oauth_token_secret", &secret),
            ("oauth_callback_confirmed", "true"),
        ])
    }

    /// §2.2: the resource owner approves; returns the redirect to the callback.
    pub fn authorize(
        &mut self,
        temporary_token: &str,
        approve: bool,
        random: &mut SeededRandom,
    ) -> Result<String, String> {
        let Some(credentials) = self
            .credentials
            .get_mut(temporary_token)
            .filter(|c| !c.token_credentials)
        else {
            return Err(format!(
                "Unknown temporary credentials \"{temporary_token}\"."
            ));
        };
        let callback = credentials.callback.clone().unwrap_or_default();
        let separator = if callback.contains('?') { '&' } else { '?' };
        if !approve {
            self.credentials.remove(temporary_token);
            return Ok(format!(
                "{callback}{separator}oauth_problem=permission_denied"
            ));
        }

        let verifier = random.token(12);
        credentials.verifier = Some(verifier.clone());
        Ok(format!(
            "{callback}{separator}oauth_token={}&oauth_verifier={}",
            percent_encode(temporary_token),
            percent_encode(&verifier)
        ))
    }

    /// §2.3: temporary credentials and verifier for token credentials.
    fn token_credentials(
        &mut self,
        token: Option<String>,
        verifier: Option<String>,
        random: &mut SeededRandom,
    ) -> Response {
        let token = token.unwrap_or_default();
        let Some(temporary) = self
            .credentials
            .get(&token)
            .filter(|c| !c.token_credentials)
        else {
            return problem(401, "token_rejected", "");
        };
        if temporary.verifier.is_none() || temporary.verifier != verifier {
            return problem(401, "verifier_invalid", "");
        }

        self.credentials.remove(&token);
        let new_token = random.token(12);
        let secret = random.token(18);
        self.credentials.insert(
            new_token.clone(),
            Credentials {
                secret: secret.clone(),
                callback: None,
                verifier: None,
                token_credentials: true,
            },
        );
        form_response(&[("oauth_token", &new_token), ("oauth_token_secret", &secret)])
    }

    fn photos(&self, token: Option<String>) -> Response {
        let authorized = token
            .and_then(|t| self.credentials.get(&t))
            .is_some_and(|c| c.token_credentials);
        if !authorized {
            return problem(401, "token_rejected", "");
        }
        super::json_response(
            200,
            &serde_json::json!({ "photos": ["vacation.jpg", "harbour.jpg"] }),
        )
    }

    /// §3.2: signature, then timestamp and nonce. Returns the protocol
    /// parameters of a request that passed.
    fn check_signature(
        &mut self,
        request: &Request,
        now: u64,
    ) -> Result<Vec<(String, String)>, Response> {
        let header = request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("authorization"));
        let Some(pasted) =
            header.and_then(|(_, v)| parse_pasted(&format!("Authorization: {v}")).ok())
        else {
            return Err(problem(
                400,
                "parameter_absent",
                "oauth_parameters_absent=oauth_consumer_key",
            ));
        };
        let param = |name: &str| {
            pasted
                .oauth
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };

        if param("oauth_consumer_key") != Some(CONSUMER_KEY) {
            return Err(problem(401, "consumer_key_unknown", ""));
        }
        let Some(method) = param("oauth_signature_method").and_then(SignatureMethod::from_name)
        else {
            return Err(problem(400, "signature_method_rejected", ""));
        };
        let token_secret = match param("oauth_token") {
            Some(token) => match self.credentials.get(token) {
                Some(credentials) => credentials.secret.clone(),
                None => return Err(problem(401, "token_rejected", "")),
            },
            None => String::new(),
        };

        let input = SignatureInput {
            method: request.method.clone(),
            url: request.url.clone(),
            content_type: request
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.clone()),
            body: request.body.clone(),
            realm: pasted.realm.clone(),
            oauth: pasted.oauth.clone(),
            consumer_secret: CONSUMER_SECRET.to_owned(),
            token_secret,
            ..SignatureInput::default()
        };
        // RSA signatures are checked with the key the client registered.
        let public_key = method.is_rsa().then_some(CLIENT_RSA_PUBLIC_KEY);
        let verification = verify(&input, public_key, None).map_err(|e| {
            problem(
                400,
                "parameter_rejected",
                &format!("oauth_problem_advice={}", percent_encode(&e.to_string())),
            )
        })?;
        if !verification.valid {
            let base = format!(
                "oauth_signature_base_string={}",
                percent_encode(&verification.steps.base_string)
            );
            return Err(problem(401, "signature_invalid", &base));
        }

        if method != SignatureMethod::Plaintext {
            self.check_freshness(param("oauth_timestamp"), param("oauth_nonce"), now)?;
        }
        Ok(pasted.oauth)
    }

    fn check_freshness(
        &mut self,
        timestamp: Option<&str>,
        nonce: Option<&str>,
        now: u64,
    ) -> Result<(), Response> {
        let Some(timestamp) = timestamp.and_then(|t| t.parse::<u64>().ok()) else {
            return Err(problem(
                400,
                "parameter_absent",
                "oauth_parameters_absent=oauth_timestamp",
            ));
        };
        if timestamp.abs_diff(now) > TIMESTAMP_WINDOW {
            let window = format!(
                "oauth_acceptable_timestamps={}-{}",
                now.saturating_sub(TIMESTAMP_WINDOW),
                now + TIMESTAMP_WINDOW
            );
            return Err(problem(401, "timestamp_refused", &window));
        }
        let Some(nonce) = nonce.filter(|n| !n.is_empty()) else {
            return Err(problem(
                400,
                "parameter_absent",
                "oauth_parameters_absent=oauth_nonce",
            ));
        };
        let key = (
            CONSUMER_KEY.to_owned(),
            timestamp.to_string(),
            nonce.to_owned(),
        );
        if !self.seen_nonces.insert(key) {
            return Err(problem(401, "nonce_used", ""));
        }
        Ok(())
    }
}

fn form_response(pairs: &[(&str, &str)]) -> Response {
    let body = pairs
        .iter()
        .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Response {
        status: 200,
        headers: vec![(
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        )],
        body,
    }
}

fn problem(status: u16, problem: &str, extra: &str) -> Response {
    let mut body = format!("oauth_problem={problem}");
    if !extra.is_empty() {
        body.push('&');
        body.push_str(extra);
    }
    let mut headers = vec![(
        "Content-Type".to_owned(),
        "application/x-www-form-urlencoded".to_owned(),
    )];
    if status == 401 {
        headers.push((
            "WWW-Authenticate".to_owned(),
            "OAuth realm=\"Photos\"".to_owned(),
        ));
    }
    Response {
        status,
        headers,
        body,
    }
}
