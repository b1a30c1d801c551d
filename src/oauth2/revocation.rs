//! Token revocation (RFC 7009): the request (§2.1) and the response
//! (§2.2), where 200 means revoked or already invalid.

use super::error::{Endpoint, Error};
use super::token::ClientAuthentication;
use super::wire;
use crate::http::{Request, Response};

/// Which kind of token is being revoked or introspected (RFC 7009 §2.1,
/// RFC 7662 §2.1); a hint the server may ignore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenTypeHint {
    /// `access_token`.
    AccessToken,
    /// `refresh_token`.
    RefreshToken,
}

impl TokenTypeHint {
    /// The value of `token_type_hint`.
    pub fn name(self) -> &'static str {
        match self {
            TokenTypeHint::AccessToken => "access_token",
            TokenTypeHint::RefreshToken => "refresh_token",
        }
    }
}

/// The revocation request (RFC 7009 §2.1). `token` is the secret itself,
/// taken from an [`AccessToken`](super::AccessToken) or
/// [`RefreshToken`](super::RefreshToken).
///
/// # Errors
///
/// A [`SettingsError`](super::SettingsError) on the endpoint, client id
/// or secret.
pub fn revocation_request(
    revocation_endpoint: &str,
    client: &ClientAuthentication,
    token: &str,
    hint: Option<TokenTypeHint>,
) -> Result<Request, super::SettingsError> {
    let url = wire::endpoint_url("revocation_endpoint", revocation_endpoint)?;
    let mut parameters = vec![("token".to_owned(), token.to_owned())];
    if let Some(hint) = hint {
        parameters.push(("token_type_hint".to_owned(), hint.name().to_owned()));
    }
    let mut headers = Vec::new();
    client.apply(&mut parameters, &mut headers)?;
    Ok(wire::form_post(&url, headers, &parameters))
}

/// Checks the revocation response (RFC 7009 §2.2): 200 is success, and
/// its body is ignored.
///
/// # Errors
///
/// [`Error::Server`] for an error body, such as `unsupported_token_type`
/// (§2.2.1) or `invalid_client`; [`Error::Rejected`] for another status.
/// A 503 carries `Retry-After`; the caller may try again then (§2.2.1).
pub fn process_revocation_response(response: &Response) -> Result<(), Error> {
    if response.status == 200 {
        return Ok(());
    }
    if let Ok((map, _)) = wire::object_body(response, false)
        && let Some(error) = wire::oauth_error(&map, Endpoint::Revocation, response.status)?
    {
        return Err(error.into());
    }
    Err(wire::unexpected_status("HTTP 200", response).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth2::ClientSecret;
    use crate::oauth2::error::RejectReason;

    fn response(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: body.to_owned(),
        }
    }

    #[test]
    fn request_matches_rfc7009_2_1_example() {
        let client = ClientAuthentication::ClientSecretBasic {
            client_id: "s6BhdRkqt3".to_owned(),
            client_secret: ClientSecret::new("gX1fBat3bV"),
        };
        let request = revocation_request(
            "https://server.example.com/revoke",
            &client,
            "45ghiukldjahdnhzdauz",
            Some(TokenTypeHint::RefreshToken),
        )
        .unwrap();
        assert_eq!(
            request.body.as_deref(),
            Some("token=45ghiukldjahdnhzdauz&token_type_hint=refresh_token")
        );
        assert!(request.headers.iter().any(|(n, _)| n == "Authorization"));
    }

    #[test]
    fn status_200_is_success_whatever_the_body() {
        assert!(process_revocation_response(&response(200, "")).is_ok());
    }

    #[test]
    fn unsupported_token_type_is_the_servers_error() {
        let error =
            process_revocation_response(&response(400, r#"{"error":"unsupported_token_type"}"#))
                .unwrap_err();
        let server = error.server().unwrap();
        assert_eq!(server.error, "unsupported_token_type");
        assert!(server.explanation().is_some());
    }

    #[test]
    fn another_status_is_rejected() {
        let error = process_revocation_response(&response(404, "")).unwrap_err();
        assert_eq!(
            error.rejection().map(|r| r.reason),
            Some(RejectReason::UnexpectedStatus)
        );
    }
}
