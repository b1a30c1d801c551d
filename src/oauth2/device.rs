//! The device authorization grant (RFC 8628): the device authorization
//! request and response (§3.1, §3.2), and the polling of the token
//! endpoint (§3.4, §3.5) as a pure state machine that is told the time.

use serde_json::{Map, Value};

use super::error::{Endpoint, Error, ErrorResponse, Rejection, SettingsError};
use super::token::{ClientAuthentication, TokenResponse};
use super::{secret_string, wire};
use crate::http::{Request, Response};

/// RFC 8628 §3.2: the interval when the server names none.
pub const DEFAULT_INTERVAL: u64 = 5;
/// RFC 8628 §3.5: what `slow_down` adds to the interval.
pub const SLOW_DOWN_STEP: u64 = 5;

secret_string!(
    /// The device verification code (RFC 8628 §3.2); the device polls with
    /// it and never shows it.
    DeviceCode
);

/// The device authorization request (RFC 8628 §3.1).
///
/// # Errors
///
/// A [`SettingsError`] on the endpoint, client id or secret.
pub fn device_authorization_request(
    device_authorization_endpoint: &str,
    client: &ClientAuthentication,
    scope: Option<&str>,
) -> Result<Request, SettingsError> {
    let url = wire::endpoint_url(
        "device_authorization_endpoint",
        device_authorization_endpoint,
    )?;
    let mut parameters = Vec::new();
    if let Some(scope) = scope.map(str::trim).filter(|s| !s.is_empty()) {
        parameters.push(("scope".to_owned(), scope.to_owned()));
    }
    let mut headers = Vec::new();
    client.apply(&mut parameters, &mut headers)?;
    Ok(wire::form_post(&url, headers, &parameters))
}

/// A validated device authorization response (RFC 8628 §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceAuthorization {
    pub device_code: DeviceCode,
    /// Shown to the user, to be typed at the verification URI.
    pub user_code: String,
    pub verification_uri: String,
    /// The URI with the user code included, for a QR code or a link.
    pub verification_uri_complete: Option<String>,
    /// Lifetime of the device code and user code, in seconds.
    pub expires_in: u64,
    /// Seconds between polls; 5 when the server sent none.
    pub interval: u64,
    /// The server wrote `verification_url`, as Google does, instead of
    /// the RFC's `verification_uri`.
    pub used_verification_url: bool,
    pub extra: Map<String, Value>,
}

/// Validates the device authorization response (RFC 8628 §3.2).
///
/// # Errors
///
/// [`Error::Server`] for an error body (§3.2 uses RFC 6749 §5.2);
/// [`Error::Rejected`] when a required member is absent or of the wrong
/// type.
pub fn process_device_authorization_response(
    response: &Response,
) -> Result<DeviceAuthorization, Error> {
    let map = wire::json_success(response, Endpoint::DeviceAuthorization)?;

    let device_code = wire::required_string(&map, "device_code")?;
    let user_code = wire::required_string(&map, "user_code")?;

    // Google predates the RFC's spelling; take it, and say so.
    let (verification_uri, used_verification_url) =
        match wire::string_field(&map, "verification_uri")? {
            Some(uri) => (uri, false),
            None => match wire::string_field(&map, "verification_url")? {
                Some(url) => (url, true),
                None => return Err(wire::missing("verification_uri").into()),
            },
        };
    let verification_uri_complete = wire::string_field(&map, "verification_uri_complete")?;

    let expires_in = match wire::seconds_field(&map, "expires_in")? {
        Some((seconds, _)) => seconds,
        None => return Err(wire::missing("expires_in").into()),
    };
    let interval =
        wire::seconds_field(&map, "interval")?.map_or(DEFAULT_INTERVAL, |(seconds, _)| seconds);

    let known = [
        "device_code",
        "user_code",
        "verification_uri",
        "verification_url",
        "verification_uri_complete",
        "expires_in",
        "interval",
    ];
    let extra = map
        .into_iter()
        .filter(|(name, _)| !known.contains(&name.as_str()))
        .collect();
    Ok(DeviceAuthorization {
        device_code: DeviceCode::new(device_code),
        user_code,
        verification_uri,
        verification_uri_complete,
        expires_in,
        interval,
        used_verification_url,
        extra,
    })
}

/// What the device does next.
#[derive(Debug, Clone, PartialEq)]
pub enum PollAction {
    /// Poll again at `at` (seconds, on the caller's clock), `interval`
    /// seconds from now.
    PollAt { at: u64, interval: u64 },
    /// The user approved: the token response.
    Granted(Box<TokenResponse>),
    /// Polling is over without a token.
    Stop(StopReason),
}

/// Why polling ended without a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// `access_denied`: the user declined (RFC 8628 §3.5).
    AccessDenied,
    /// `expired_token`, or the device code outlived `expires_in`: start
    /// over with a new device authorization request.
    Expired,
    /// Any other OAuth error; polling must not continue.
    ServerError(ErrorResponse),
    /// We rejected the token endpoint's response.
    Rejected(Rejection),
    /// The next request could not be built.
    Settings(SettingsError),
}

/// The polling state of RFC 8628 §3.4 and §3.5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePolling {
    interval: u64,
    expires_at: u64,
    next_poll_at: u64,
}

impl DevicePolling {
    /// Starts polling for `authorization`, received at `now`.
    pub fn new(authorization: &DeviceAuthorization, now: u64) -> Self {
        DevicePolling {
            interval: authorization.interval,
            expires_at: now.saturating_add(authorization.expires_in),
            next_poll_at: now.saturating_add(authorization.interval),
        }
    }

    /// The current interval in seconds.
    pub fn interval(&self) -> u64 {
        self.interval
    }

    /// The earliest time the next poll may be sent.
    pub fn next_poll_at(&self) -> u64 {
        self.next_poll_at
    }

    /// When the device code stops being valid.
    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }

    /// Decides what follows a processed token-endpoint response that
    /// arrived at `now`.
    pub fn on_token_response(
        &mut self,
        result: Result<TokenResponse, Error>,
        now: u64,
    ) -> PollAction {
        let error = match result {
            Ok(token) => return PollAction::Granted(Box::new(token)),
            Err(Error::Server(error)) => error,
            Err(Error::Rejected(rejection)) => {
                return PollAction::Stop(StopReason::Rejected(rejection));
            }
            Err(Error::Settings(settings)) => {
                return PollAction::Stop(StopReason::Settings(settings));
            }
        };

        match error.error.as_str() {
            // §3.5: keep polling, at the same interval.
            "authorization_pending" => self.wait(now),
            // §3.5: the interval grows by 5 seconds for this and every
            // later request.
            "slow_down" => {
                self.interval = self.interval.saturating_add(SLOW_DOWN_STEP);
                self.wait(now)
            }
            "access_denied" => PollAction::Stop(StopReason::AccessDenied),
            "expired_token" => PollAction::Stop(StopReason::Expired),
            _ => PollAction::Stop(StopReason::ServerError(error)),
        }
    }

    /// RFC 8628 §3.5 asks for exponential backoff after a connection
    /// timeout; the interval doubles.
    pub fn on_connection_timeout(&mut self, now: u64) -> PollAction {
        self.interval = self.interval.saturating_mul(2).max(1);
        self.wait(now)
    }

    fn wait(&mut self, now: u64) -> PollAction {
        let at = now.saturating_add(self.interval);
        if at >= self.expires_at {
            return PollAction::Stop(StopReason::Expired);
        }
        self.next_poll_at = at;
        PollAction::PollAt {
            at,
            interval: self.interval,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth2::token::process_token_response;

    fn json(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: body.to_owned(),
        }
    }

    /// RFC 8628 §3.2 example.
    const RFC_RESPONSE: &str = r#"{
        "device_code": "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS",
        "user_code": "WDJB-MJHT",
        "verification_uri": "https://example.com/device",
        "verification_uri_complete": "https://example.com/device?user_code=WDJB-MJHT",
        "expires_in": 1800,
        "interval": 5
    }"#;

    #[test]
    fn rfc8628_3_2_example_is_accepted() {
        let authorization =
            process_device_authorization_response(&json(200, RFC_RESPONSE)).unwrap();
        assert_eq!(authorization.user_code, "WDJB-MJHT");
        assert_eq!(authorization.expires_in, 1800);
        assert!(!format!("{authorization:?}").contains("GmRhmhcxhw"));
    }

    #[test]
    fn interval_defaults_to_five_seconds() {
        let body = r#"{"device_code":"d","user_code":"u","verification_url":"https://www.google.com/device","expires_in":1800}"#;
        let authorization = process_device_authorization_response(&json(200, body)).unwrap();
        assert_eq!(authorization.interval, DEFAULT_INTERVAL);
        assert!(authorization.used_verification_url);
    }

    #[test]
    fn missing_user_code_is_rejected() {
        let body =
            r#"{"device_code":"d","verification_uri":"https://e.example","expires_in":1800}"#;
        let error = process_device_authorization_response(&json(200, body)).unwrap_err();
        assert!(error.rejection().unwrap().expected.contains("user_code"));
    }

    #[test]
    fn request_carries_client_id_and_scope() {
        let client = ClientAuthentication::None {
            client_id: "1406020730".to_owned(),
        };
        let request = device_authorization_request(
            "https://example.com/device_authorization",
            &client,
            Some("example_scope"),
        )
        .unwrap();
        assert_eq!(
            request.body.as_deref(),
            Some("scope=example_scope&client_id=1406020730")
        );
    }

    fn polling() -> DevicePolling {
        let authorization =
            process_device_authorization_response(&json(200, RFC_RESPONSE)).unwrap();
        DevicePolling::new(&authorization, 1_000)
    }

    fn error(code: &str) -> Result<TokenResponse, Error> {
        process_token_response(&json(400, &format!(r#"{{"error":"{code}"}}"#)), None)
    }

    #[test]
    fn pending_keeps_the_interval_and_slow_down_adds_five_seconds() {
        let mut polling = polling();
        assert_eq!(polling.next_poll_at(), 1_005);
        assert_eq!(
            polling.on_token_response(error("authorization_pending"), 1_005),
            PollAction::PollAt {
                at: 1_010,
                interval: 5
            }
        );
        assert_eq!(
            polling.on_token_response(error("slow_down"), 1_010),
            PollAction::PollAt {
                at: 1_020,
                interval: 10
            }
        );
        // The increase lasts for every later request.
        assert_eq!(
            polling.on_token_response(error("authorization_pending"), 1_020),
            PollAction::PollAt {
                at: 1_030,
                interval: 10
            }
        );
    }

    #[test]
    fn denial_and_expiry_stop_polling() {
        let mut polling = polling();
        assert_eq!(
            polling.on_token_response(error("access_denied"), 1_005),
            PollAction::Stop(StopReason::AccessDenied)
        );
        assert_eq!(
            polling.on_token_response(error("expired_token"), 1_005),
            PollAction::Stop(StopReason::Expired)
        );
        assert!(matches!(
            polling.on_token_response(error("invalid_client"), 1_005),
            PollAction::Stop(StopReason::ServerError(_))
        ));
    }

    #[test]
    fn polling_stops_when_the_device_code_expires() {
        let mut polling = polling();
        assert_eq!(
            polling.on_token_response(error("authorization_pending"), 2_798),
            PollAction::Stop(StopReason::Expired)
        );
    }

    #[test]
    fn success_hands_over_the_token() {
        let mut polling = polling();
        let token = process_token_response(
            &json(200, r#"{"access_token":"a","token_type":"Bearer"}"#),
            None,
        );
        assert!(matches!(
            polling.on_token_response(token, 1_005),
            PollAction::Granted(_)
        ));
    }

    #[test]
    fn a_timeout_doubles_the_interval() {
        let mut polling = polling();
        assert_eq!(
            polling.on_connection_timeout(1_005),
            PollAction::PollAt {
                at: 1_015,
                interval: 10
            }
        );
    }
}
