//! Bearer tokens at a resource server (RFC 6750): the `Authorization`
//! header (§2.1), the `WWW-Authenticate` challenge and its error codes
//! (§3, §3.1), and the OpenID Connect userinfo endpoint (Core §5.3),
//! which is one such resource.
//!
//! # Limitations
//!
//! Signed or encrypted userinfo responses (`application/jwt`) are
//! rejected as an unexpected content type rather than verified.

use serde_json::{Map, Value};

use super::AccessToken;
use super::error::{Endpoint, Error, ErrorResponse, RejectReason, Rejection, SettingsError};
use super::wire;
use crate::http::{Request, Response};

/// `b64token` (RFC 6750 §2.1): the characters a bearer token may hold.
fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        })
}

/// The `Authorization` header value (RFC 6750 §2.1).
///
/// # Errors
///
/// A [`SettingsError`] when the token is empty or holds a character the
/// `b64token` syntax does not allow, which would corrupt the header.
pub fn bearer_authorization(token: &AccessToken) -> Result<String, SettingsError> {
    let token = token.secret().trim();
    if !is_b64token(token) {
        return Err(SettingsError::new(
            "access_token",
            "it is empty or holds characters a bearer token cannot (RFC 6750 §2.1)",
            "paste the access_token value alone, without quotes or the word Bearer",
        ));
    }
    Ok(format!("Bearer {token}"))
}

/// A request to a protected resource with the token in the header, the
/// method RFC 6750 §2 recommends over the body or query.
///
/// # Errors
///
/// A [`SettingsError`] on `resource_url` or `access_token`.
pub fn resource_request(
    method: &str,
    resource_url: &str,
    token: &AccessToken,
) -> Result<Request, SettingsError> {
    let url = wire::endpoint_url("resource_url", resource_url)?;
    let method = method.trim().to_ascii_uppercase();
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(SettingsError::new(
            "method",
            format!("\"{method}\" is not an HTTP method"),
            "type GET, POST, ...",
        ));
    }
    Ok(Request {
        method,
        url: url.to_string(),
        headers: vec![("Authorization".to_owned(), bearer_authorization(token)?)],
        body: None,
    })
}

/// The userinfo request (OpenID Connect Core §5.3.1).
///
/// # Errors
///
/// A [`SettingsError`] on `userinfo_endpoint` or `access_token`.
pub fn userinfo_request(
    userinfo_endpoint: &str,
    token: &AccessToken,
) -> Result<Request, SettingsError> {
    let mut request = resource_request("GET", userinfo_endpoint, token).map_err(|mut error| {
        if error.field == "resource_url" {
            error.field = "userinfo_endpoint";
        }
        error
    })?;
    request
        .headers
        .push(("Accept".to_owned(), "application/json".to_owned()));
    Ok(request)
}

/// One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub scheme: String,
    pub token68: Option<String>,
    /// Names as sent, values unquoted.
    pub params: Vec<(String, String)>,
}

impl Challenge {
    /// A parameter by name, compared case-insensitively.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The Bearer challenge's attributes (RFC 6750 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BearerChallenge {
    pub realm: Option<String>,
    pub scope: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
    pub error_uri: Option<String>,
}

/// The Bearer challenge among a header's challenges, if there is one.
///
/// # Errors
///
/// `malformed_challenge` when the header does not parse, and
/// `duplicate_parameter` when an attribute repeats (RFC 6750 §3).
pub fn bearer_challenge(header: &str) -> Result<Option<BearerChallenge>, Rejection> {
    let challenges = parse_www_authenticate(header)?;
    let Some(bearer) = challenges
        .into_iter()
        .find(|c| c.scheme.eq_ignore_ascii_case("Bearer"))
    else {
        return Ok(None);
    };
    let get = |name| bearer.param(name).map(str::to_owned);
    Ok(Some(BearerChallenge {
        realm: get("realm"),
        scope: get("scope"),
        error: get("error"),
        error_description: get("error_description"),
        error_uri: get("error_uri"),
    }))
}

/// Splits a `WWW-Authenticate` value into challenges (RFC 9110 §11.6.1).
/// Commas separate both challenges and parameters; a new challenge starts
/// where a token is not followed by `=`.
///
/// # Errors
///
/// `malformed_challenge` naming the position, or `duplicate_parameter`.
pub fn parse_www_authenticate(header: &str) -> Result<Vec<Challenge>, Rejection> {
    let mut cursor = Cursor {
        text: header.as_bytes(),
        at: 0,
    };
    let mut challenges = Vec::new();
    loop {
        cursor.skip_separators();
        if cursor.done() {
            break;
        }
        let Some(scheme) = cursor.token() else {
            return Err(cursor.malformed("an auth-scheme"));
        };
        let mut challenge = Challenge {
            scheme,
            token68: None,
            params: Vec::new(),
        };
        cursor.skip_whitespace();

        if !cursor.param_ahead()
            && let Some(token68) = cursor.token68()
        {
            challenge.token68 = Some(token68);
        } else {
            while cursor.param_ahead() {
                let (name, value) = cursor.param()?;
                if challenge.param(&name).is_some() {
                    return Err(wire::duplicate(&name));
                }
                challenge.params.push((name, value));
                cursor.skip_whitespace();
                if !cursor.comma_then_param() {
                    break;
                }
            }
        }

        cursor.skip_whitespace();
        if !cursor.done() && !cursor.eat(b',') {
            return Err(cursor.malformed("\",\" or the end of the header"));
        }
        challenges.push(challenge);
    }
    Ok(challenges)
}

struct Cursor<'a> {
    text: &'a [u8],
    at: usize,
}

fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

impl Cursor<'_> {
    fn done(&self) -> bool {
        self.at >= self.text.len()
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    fn skip_separators(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b',')) {
            self.at += 1;
        }
    }

    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> Option<String> {
        let start = self.at;
        while self.peek().is_some_and(&keep) {
            self.at += 1;
        }
        let taken = self.text.get(start..self.at)?;
        (!taken.is_empty()).then(|| String::from_utf8_lossy(taken).into_owned())
    }

    fn token(&mut self) -> Option<String> {
        self.take_while(is_tchar)
    }

    fn token68(&mut self) -> Option<String> {
        let start = self.at;
        let body = self.take_while(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        });
        if body.is_none() {
            self.at = start;
            return None;
        }
        while self.eat(b'=') {}
        self.text
            .get(start..self.at)
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
    }

    /// `token BWS "=" BWS (token / quoted-string)` starts here.
    fn param_ahead(&mut self) -> bool {
        let start = self.at;
        let ahead = self.token().is_some() && {
            self.skip_whitespace();
            self.eat(b'=') && {
                self.skip_whitespace();
                self.peek().is_some_and(|b| b == b'"' || is_tchar(b))
            }
        };
        self.at = start;
        ahead
    }

    /// After a parameter: a comma followed by another parameter of the
    /// same challenge. Leaves the cursor on the comma otherwise.
    fn comma_then_param(&mut self) -> bool {
        let start = self.at;
        if !self.eat(b',') {
            return false;
        }
        self.skip_separators();
        if self.param_ahead() {
            true
        } else {
            self.at = start;
            false
        }
    }

    fn param(&mut self) -> Result<(String, String), Rejection> {
        let name = self
            .token()
            .ok_or_else(|| self.malformed("a parameter name"))?;
        self.skip_whitespace();
        if !self.eat(b'=') {
            return Err(self.malformed("\"=\""));
        }
        self.skip_whitespace();
        let value = if self.peek() == Some(b'"') {
            self.quoted_string()?
        } else {
            self.token()
                .ok_or_else(|| self.malformed("a token or quoted string"))?
        };
        Ok((name, value))
    }

    /// `quoted-string` (RFC 9110 §5.6.4), with `\` escapes undone.
    fn quoted_string(&mut self) -> Result<String, Rejection> {
        self.at += 1;
        let mut value = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.malformed("a closing quote")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(String::from_utf8_lossy(&value).into_owned());
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = self
                        .peek()
                        .ok_or_else(|| self.malformed("an escaped character"))?;
                    value.push(escaped);
                    self.at += 1;
                }
                Some(byte) => {
                    value.push(byte);
                    self.at += 1;
                }
            }
        }
    }

    fn malformed(&self, expected: &str) -> Rejection {
        let rest = self.text.get(self.at..).unwrap_or_default();
        let found = if rest.is_empty() {
            "the end of the header".to_owned()
        } else {
            format!(
                "\"{}\" at offset {}",
                String::from_utf8_lossy(rest),
                self.at
            )
        };
        Rejection::new(RejectReason::MalformedChallenge, expected, Some(found))
    }
}

/// Checks a protected resource's response (RFC 6750 §3): success is any
/// 2xx status; a Bearer challenge with an `error` is the server's error.
///
/// # Errors
///
/// [`Error::Server`] for `invalid_request`, `invalid_token`,
/// `insufficient_scope` or another code in the challenge or a JSON body;
/// [`Error::Rejected`] for another failing status or a malformed
/// challenge.
pub fn process_resource_response(response: &Response) -> Result<(), Error> {
    if (200..300).contains(&response.status) {
        return Ok(());
    }

    let challenge = match response.header("WWW-Authenticate") {
        Some(header) => bearer_challenge(header)?,
        None => None,
    };
    if let Some(challenge) = &challenge
        && let Some(error) = &challenge.error
    {
        return Err(ErrorResponse {
            endpoint: Endpoint::Resource,
            error: error.clone(),
            error_description: challenge.error_description.clone(),
            error_uri: challenge.error_uri.clone(),
            status: Some(response.status),
        }
        .into());
    }
    if let Ok((map, _)) = wire::object_body(response, false)
        && let Some(error) = wire::oauth_error(&map, Endpoint::Resource, response.status)?
    {
        return Err(error.into());
    }

    // §3.1: a request without credentials gets a challenge with no code.
    let found = match challenge {
        Some(_) => format!(
            "HTTP {} with a Bearer challenge and no error code",
            response.status
        ),
        None => format!("HTTP {}", response.status),
    };
    Err(Rejection::new(RejectReason::UnexpectedStatus, "a 2xx status", Some(found)).into())
}

/// The claims returned by the userinfo endpoint (OpenID Connect Core
/// §5.3.2).
#[derive(Debug, Clone, PartialEq)]
pub struct UserInfo {
    /// Always present; the client must check it equals the ID token's.
    pub sub: String,
    /// Every claim, `sub` included.
    pub claims: Map<String, Value>,
}

/// Validates a userinfo response (OpenID Connect Core §5.3.2, §5.3.3).
///
/// # Errors
///
/// As [`process_resource_response`], and [`Error::Rejected`] when the
/// body is not a JSON object with a string `sub`.
pub fn process_userinfo_response(response: &Response) -> Result<UserInfo, Error> {
    process_resource_response(response)?;

    // Limitation: an application/jwt (signed) userinfo response is rejected, not verified.
    let (claims, _) = wire::object_body(response, false)?;
    let sub = wire::required_string(&claims, "sub")?;
    Ok(UserInfo { sub, claims })
}

/// Checks that the userinfo response describes the user of the ID token
/// (OpenID Connect Core §5.3.2), compared exactly.
///
/// # Errors
///
/// A `sub_mismatch` [`Rejection`] naming both values.
pub fn check_userinfo_subject(userinfo: &UserInfo, id_token_sub: &str) -> Result<(), Rejection> {
    if userinfo.sub == id_token_sub {
        return Ok(());
    }
    Err(Rejection::new(
        RejectReason::SubMismatch,
        format!("sub \"{id_token_sub}\", as in the ID token"),
        Some(format!("sub \"{}\"", userinfo.sub)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn userinfo_of(body: &str) -> UserInfo {
        let response = Response {
            status: 200,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: body.to_owned(),
        };
        process_userinfo_response(&response).unwrap()
    }

    #[test]
    fn userinfo_about_the_id_tokens_user_passes() {
        // OpenID Connect Core §5.3.2 example response.
        let userinfo = userinfo_of(r#"{"sub":"248289761001","name":"Jane Doe"}"#);
        assert_eq!(check_userinfo_subject(&userinfo, "248289761001"), Ok(()));
    }

    #[test]
    fn userinfo_about_someone_else_is_sub_mismatch() {
        let userinfo = userinfo_of(r#"{"sub":"mallory"}"#);
        let rejection = check_userinfo_subject(&userinfo, "alice").unwrap_err();
        assert_eq!(rejection.reason, RejectReason::SubMismatch);
        assert_eq!(rejection.found.as_deref(), Some("sub \"mallory\""));
        // Compared exactly: case and surrounding space count.
        assert!(check_userinfo_subject(&userinfo_of(r#"{"sub":"Alice"}"#), "alice").is_err());
    }

    #[test]
    fn header_carries_the_token() {
        let token = AccessToken::new("mF_9.B5f-4.1JqM");
        assert_eq!(
            bearer_authorization(&token).unwrap(),
            "Bearer mF_9.B5f-4.1JqM"
        );
        let request = userinfo_request("https://server.example.com/userinfo", &token).unwrap();
        assert_eq!(request.method, "GET");
        assert!(request.headers.contains(&(
            "Authorization".to_owned(),
            "Bearer mF_9.B5f-4.1JqM".to_owned()
        )));
    }

    #[test]
    fn a_token_with_a_space_is_refused() {
        let error = bearer_authorization(&AccessToken::new("Bearer abc")).unwrap_err();
        assert_eq!(error.field, "access_token");
    }

    #[test]
    fn rfc6750_3_example_challenges_parse() {
        let found = bearer_challenge(r#"Bearer realm="example""#)
            .unwrap()
            .unwrap();
        assert_eq!(found.realm.as_deref(), Some("example"));
        assert_eq!(found.error, None);

        let header = r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#;
        let found = bearer_challenge(header).unwrap().unwrap();
        assert_eq!(found.error.as_deref(), Some("invalid_token"));
        assert_eq!(
            found.error_description.as_deref(),
            Some("The access token expired")
        );
    }

    #[test]
    fn several_challenges_are_split() {
        let header = r#"Basic realm="x", Newauth realm="apps", type=1, title="Login to \"apps\"", Bearer error=insufficient_scope, scope="read write""#;
        let challenges = parse_www_authenticate(header).unwrap();
        let schemes: Vec<&str> = challenges.iter().map(|c| c.scheme.as_str()).collect();
        assert_eq!(schemes, ["Basic", "Newauth", "Bearer"]);
        assert_eq!(challenges[1].param("title"), Some(r#"Login to "apps""#));
        assert_eq!(challenges[2].param("scope"), Some("read write"));
    }

    #[test]
    fn token68_challenges_parse() {
        let challenges = parse_www_authenticate("Negotiate abc+/==, Bearer").unwrap();
        assert_eq!(challenges[0].token68.as_deref(), Some("abc+/=="));
        assert_eq!(challenges[1].scheme, "Bearer");
    }

    #[test]
    fn malformed_challenges_are_rejected() {
        let error = parse_www_authenticate(r#"Bearer error="invalid_token"#).unwrap_err();
        assert_eq!(error.reason, RejectReason::MalformedChallenge);
        let error = parse_www_authenticate(r#"Bearer error=a, error=b"#).unwrap_err();
        assert_eq!(error.reason, RejectReason::DuplicateParameter);
    }

    #[test]
    fn invalid_token_challenge_is_the_servers_error() {
        let response = Response {
            status: 401,
            headers: vec![(
                "WWW-Authenticate".to_owned(),
                r#"Bearer realm="example", error="invalid_token""#.to_owned(),
            )],
            body: String::new(),
        };
        let error = process_userinfo_response(&response).unwrap_err();
        let server = error.server().unwrap();
        assert_eq!(server.error, "invalid_token");
        assert_eq!(server.status, Some(401));
        assert_eq!(
            server.explanation().map(|e| e.section),
            Some("RFC 6750 §3.1")
        );
    }

    #[test]
    fn userinfo_needs_sub() {
        let response = |body: &str| Response {
            status: 200,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: body.to_owned(),
        };
        let info =
            process_userinfo_response(&response(r#"{"sub":"248289761001","name":"Jane Doe"}"#))
                .unwrap();
        assert_eq!(info.sub, "248289761001");
        let error = process_userinfo_response(&response(r#"{"name":"Jane Doe"}"#)).unwrap_err();
        assert_eq!(
            error.rejection().map(|r| r.reason),
            Some(RejectReason::FieldMissing)
        );
    }
}
