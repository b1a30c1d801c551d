//! Token introspection (RFC 7662): the request (§2.1) and the response
//! (§2.2), whose only required member is `active`.

use serde_json::{Map, Value};

use super::error::{Endpoint, Error};
use super::revocation::TokenTypeHint;
use super::token::ClientAuthentication;
use super::wire;
use crate::http::{Request, Response};

/// The introspection request (RFC 7662 §2.1). The endpoint is protected,
/// so the client authenticates.
///
/// # Errors
///
/// A [`SettingsError`](super::SettingsError) on the endpoint, client id
/// or secret.
pub fn introspection_request(
    introspection_endpoint: &str,
    client: &ClientAuthentication,
    token: &str,
    hint: Option<TokenTypeHint>,
) -> Result<Request, super::SettingsError> {
    let url = wire::endpoint_url("introspection_endpoint", introspection_endpoint)?;
    let mut parameters = vec![("token".to_owned(), token.to_owned())];
    if let Some(hint) = hint {
        parameters.push(("token_type_hint".to_owned(), hint.name().to_owned()));
    }
    let mut headers = Vec::new();
    client.apply(&mut parameters, &mut headers)?;
    Ok(wire::form_post(&url, headers, &parameters))
}

/// What the server says about a token (RFC 7662 §2.2). Fields are the
/// RFC's member names; all but `active` are optional.
#[derive(Debug, Clone, PartialEq)]
pub struct Introspection {
    pub active: bool,
    pub scope: Option<String>,
    pub client_id: Option<String>,
    pub username: Option<String>,
    pub token_type: Option<String>,
    pub exp: Option<u64>,
    pub iat: Option<u64>,
    pub nbf: Option<u64>,
    pub sub: Option<String>,
    /// A string or an array of strings, as in a JWT (RFC 7519 §4.1.3).
    pub aud: Vec<String>,
    pub iss: Option<String>,
    pub jti: Option<String>,
    pub extra: Map<String, Value>,
}

impl Introspection {
    /// Active, and not past `exp` on the caller's clock.
    pub fn is_usable_at(&self, now: u64) -> bool {
        self.active && self.exp.is_none_or(|exp| now < exp)
    }
}

/// Validates the introspection response (RFC 7662 §2.2).
///
/// # Errors
///
/// [`Error::Server`] for an error body (§2.3); [`Error::Rejected`] when
/// `active` is missing or a member has the wrong type.
pub fn process_introspection_response(response: &Response) -> Result<Introspection, Error> {
    let map = wire::json_success(response, Endpoint::Introspection)?;

    let active = match map.get("active") {
        Some(Value::Bool(active)) => *active,
        Some(other) => return Err(wire::wrong_type("active", "a boolean", other).into()),
        None => return Err(wire::missing("active").into()),
    };
    let time = |name: &str| -> Result<Option<u64>, Error> {
        Ok(wire::seconds_field(&map, name)?.map(|(seconds, _)| seconds))
    };
    let aud = match map.get("aud") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(aud)) => vec![aud.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(aud) => Ok(aud.clone()),
                other => Err(wire::wrong_type(
                    "aud",
                    "a string or array of strings",
                    other,
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(wire::wrong_type("aud", "a string or array of strings", other).into());
        }
    };

    let known = [
        "active",
        "scope",
        "client_id",
        "username",
        "token_type",
        "exp",
        "iat",
        "nbf",
        "sub",
        "aud",
        "iss",
        "jti",
    ];
    Ok(Introspection {
        active,
        scope: wire::string_field(&map, "scope")?,
        client_id: wire::string_field(&map, "client_id")?,
        username: wire::string_field(&map, "username")?,
        token_type: wire::string_field(&map, "token_type")?,
        exp: time("exp")?,
        iat: time("iat")?,
        nbf: time("nbf")?,
        sub: wire::string_field(&map, "sub")?,
        aud,
        iss: wire::string_field(&map, "iss")?,
        jti: wire::string_field(&map, "jti")?,
        extra: map
            .iter()
            .filter(|(name, _)| !known.contains(&name.as_str()))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth2::error::RejectReason;

    fn json(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: body.to_owned(),
        }
    }

    #[test]
    fn rfc7662_2_2_example_is_read() {
        let body = r#"{
          "active": true,
          "client_id": "l238j323ds-23ij4",
          "username": "jdoe",
          "scope": "read write dolphin",
          "sub": "Z5O3upPC88QrAjx00dis",
          "aud": "https://protected.example.net/resource",
          "iss": "https://server.example.com/",
          "exp": 1419356238,
          "iat": 1419350238,
          "extension_field": "twenty-seven"
        }"#;
        let found = process_introspection_response(&json(200, body)).unwrap();
        assert!(found.active);
        assert_eq!(found.aud, ["https://protected.example.net/resource"]);
        assert_eq!(
            found.extra.get("extension_field"),
            Some(&Value::from("twenty-seven"))
        );
        assert!(found.is_usable_at(1419350238));
        assert!(!found.is_usable_at(1419356238));
    }

    #[test]
    fn inactive_token_needs_only_active() {
        let found = process_introspection_response(&json(200, r#"{"active":false}"#)).unwrap();
        assert!(!found.active);
    }

    #[test]
    fn active_is_required_and_boolean() {
        let error = process_introspection_response(&json(200, "{}")).unwrap_err();
        assert_eq!(
            error.rejection().map(|r| r.reason),
            Some(RejectReason::FieldMissing)
        );
        let error = process_introspection_response(&json(200, r#"{"active":"true"}"#)).unwrap_err();
        assert_eq!(
            error.rejection().map(|r| r.reason),
            Some(RejectReason::WrongFieldType)
        );
    }

    #[test]
    fn request_sends_token_and_hint() {
        let client = ClientAuthentication::None {
            client_id: "c".to_owned(),
        };
        let request = introspection_request(
            "https://server.example.com/introspect",
            &client,
            "mF_9.B5f-4.1JqM",
            Some(TokenTypeHint::AccessToken),
        )
        .unwrap();
        assert_eq!(
            request.body.as_deref(),
            Some("token=mF_9.B5f-4.1JqM&token_type_hint=access_token&client_id=c")
        );
    }
}
