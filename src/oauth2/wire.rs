//! Reading response bodies and checking endpoint URLs, shared by every
//! exchange. Media types compare case-insensitively (RFC 9110 §8.3.1).

use serde_json::{Map, Value};
use url::Url;
use url::form_urlencoded;

use super::error::{Endpoint, ErrorResponse, RejectReason, Rejection, SettingsError};
use crate::http::{Request, Response};

/// How a body was encoded, so callers can say what they tolerated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// `application/json` or a `+json` type.
    Json,
    /// JSON under another (or no) media type.
    UnlabelledJson,
    /// `application/x-www-form-urlencoded`, as GitHub answers without
    /// `Accept: application/json`.
    Form,
}

/// The media type without parameters, lowercased.
pub fn media_type(response: &Response) -> Option<String> {
    let value = response.header("Content-Type")?;
    let essence = value.split(';').next().unwrap_or("").trim();
    (!essence.is_empty()).then(|| essence.to_ascii_lowercase())
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.ends_with("+json")
}

/// Reads the body as a JSON object, or as form pairs when `allow_form`.
pub fn object_body(
    response: &Response,
    allow_form: bool,
) -> Result<(Map<String, Value>, BodyFormat), Rejection> {
    let media_type = media_type(response);
    let declared = media_type.as_deref().unwrap_or("");

    if is_json(declared) {
        return json_object(&response.body).map(|map| (map, BodyFormat::Json));
    }

    if allow_form && declared == "application/x-www-form-urlencoded" {
        return form_object(&response.body).map(|map| (map, BodyFormat::Form));
    }

    // Some servers label JSON as text/plain or send no type at all; the
    // body itself decides, and callers report the tolerance.
    match json_object(&response.body) {
        Ok(map) => Ok((map, BodyFormat::UnlabelledJson)),
        Err(_) => Err(Rejection::new(
            RejectReason::UnexpectedContentType,
            "application/json",
            Some(media_type.unwrap_or_else(|| "no Content-Type".to_owned())),
        )),
    }
}

/// Parses a JSON object, naming what was wrong with anything else.
pub fn json_object(text: &str) -> Result<Map<String, Value>, Rejection> {
    if text.trim().is_empty() {
        return Err(Rejection::new(
            RejectReason::InvalidJson,
            "a JSON object",
            Some("an empty body".to_owned()),
        ));
    }
    // Limitation: a member repeated in a JSON object is not detected; the last one wins.
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(Rejection::new(
            RejectReason::BodyNotObject,
            "a JSON object",
            Some(json_kind(&other).to_owned()),
        )),
        Err(error) => Err(Rejection::new(
            RejectReason::InvalidJson,
            "a JSON object",
            Some(format!("invalid JSON ({error})")),
        )),
    }
}

/// Form pairs as a map of strings; a repeated name is refused (RFC 6749 §3.1).
pub fn form_object(text: &str) -> Result<Map<String, Value>, Rejection> {
    let mut map = Map::new();
    for (name, value) in form_urlencoded::parse(text.trim().as_bytes()) {
        if map.contains_key(name.as_ref()) {
            return Err(duplicate(&name));
        }
        map.insert(name.into_owned(), Value::String(value.into_owned()));
    }
    Ok(map)
}

pub fn duplicate(name: &str) -> Rejection {
    Rejection::new(
        RejectReason::DuplicateParameter,
        format!("\"{name}\" at most once"),
        Some(format!("\"{name}\" more than once")),
    )
}

pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A string member; absent and `null` are both `None`.
pub fn string_field(map: &Map<String, Value>, name: &str) -> Result<Option<String>, Rejection> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(wrong_type(name, "a string", other)),
    }
}

/// A string member that must be present.
pub fn required_string(map: &Map<String, Value>, name: &str) -> Result<String, Rejection> {
    string_field(map, name)?.ok_or_else(|| missing(name))
}

pub fn missing(name: &str) -> Rejection {
    Rejection::new(RejectReason::FieldMissing, format!("\"{name}\""), None)
}

pub fn wrong_type(name: &str, expected: &str, found: &Value) -> Rejection {
    Rejection::new(
        RejectReason::WrongFieldType,
        format!("\"{name}\" as {expected}"),
        Some(format!("{} ({found})", json_kind(found))),
    )
}

/// A whole number of seconds, also when sent as a string of digits (as
/// some Microsoft endpoints did); the flag says it was a string.
pub fn seconds_field(
    map: &Map<String, Value>,
    name: &str,
) -> Result<Option<(u64, bool)>, Rejection> {
    let invalid = |found: &Value| {
        Rejection::new(
            RejectReason::InvalidExpiresIn,
            format!("\"{name}\" as a non-negative whole number of seconds"),
            Some(found.to_string()),
        )
    };
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => match number.as_u64() {
            Some(seconds) => Ok(Some((seconds, false))),
            None => Err(invalid(&Value::Number(number.clone()))),
        },
        Some(Value::String(text)) => {
            let digits = text.trim();
            let all_digits = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            match digits.parse::<u64>() {
                Ok(seconds) if all_digits => Ok(Some((seconds, true))),
                _ => Err(invalid(&Value::String(text.clone()))),
            }
        }
        Some(other) => Err(invalid(other)),
    }
}

/// The OAuth error in a body, if it holds one. `error` must be a string;
/// a description or URI of another type is kept as its JSON text, since
/// the point is to show the user what the server said.
pub fn oauth_error(
    map: &Map<String, Value>,
    endpoint: Endpoint,
    status: u16,
) -> Result<Option<ErrorResponse>, Rejection> {
    let Some(error) = string_field(map, "error")? else {
        return Ok(None);
    };
    let text = |name: &str| match map.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => Some(other.to_string()),
    };
    Ok(Some(ErrorResponse {
        endpoint,
        error,
        error_description: text("error_description"),
        error_uri: text("error_uri"),
        status: Some(status),
    }))
}

pub fn unexpected_status(expected: &str, response: &Response) -> Rejection {
    Rejection::new(
        RejectReason::UnexpectedStatus,
        expected,
        Some(format!("HTTP {}", response.status)),
    )
}

/// A JSON response from an endpoint that answers 200 with a JSON object
/// and errors with an OAuth error body (RFC 6749 §5.1 and §5.2 shape).
pub fn json_success(
    response: &Response,
    endpoint: Endpoint,
) -> Result<Map<String, Value>, super::Error> {
    let parsed = object_body(response, false);
    if let Ok((map, _)) = &parsed
        && let Some(error) = oauth_error(map, endpoint, response.status)?
    {
        return Err(error.into());
    }
    if response.status != 200 {
        return Err(unexpected_status("HTTP 200", response).into());
    }
    Ok(parsed?.0)
}

/// Checks an endpoint URL typed in the settings: absolute, HTTPS (plain
/// HTTP only on a loopback host), and without a fragment (RFC 6749 §3.1,
/// §3.2).
pub fn endpoint_url(field: &'static str, text: &str) -> Result<Url, SettingsError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(SettingsError::new(
            field,
            "the endpoint is empty",
            "type its full URL, or fill it from the provider's discovery document",
        ));
    }
    let url = Url::parse(text).map_err(|error| {
        SettingsError::new(
            field,
            format!("\"{text}\" is not an absolute URL ({error})"),
            "type it in full, such as https://server.example.com/token",
        )
    })?;

    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(SettingsError::new(
                field,
                format!("\"{text}\" is plain HTTP"),
                "OAuth endpoints must use TLS (RFC 6749 §3.1, §3.2): use https://, or a loopback host such as localhost for local testing",
            ));
        }
        scheme => {
            return Err(SettingsError::new(
                field,
                format!("the scheme \"{scheme}\" is not https"),
                "use an https:// URL",
            ));
        }
    }

    if url.fragment().is_some() {
        return Err(SettingsError::new(
            field,
            format!("\"{text}\" has a fragment"),
            "remove the part from # on (RFC 6749 §3.1: endpoint URIs must not include a fragment)",
        ));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost" || name.ends_with(".localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}

/// Checks that a required settings value is not blank.
pub fn required_setting(field: &'static str, value: &str, fix: &str) -> Result<(), SettingsError> {
    if value.trim().is_empty() {
        Err(SettingsError::new(field, "it is empty", fix))
    } else {
        Ok(())
    }
}

/// `application/x-www-form-urlencoded` serialization (RFC 6749 Appendix B).
pub fn form_encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        serializer.append_pair(name, value);
    }
    serializer.finish()
}

/// A form POST that asks for a JSON answer.
pub fn form_post(url: &Url, headers: Vec<(String, String)>, pairs: &[(String, String)]) -> Request {
    let mut all_headers = vec![
        (
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ),
        ("Accept".to_owned(), "application/json".to_owned()),
    ];
    all_headers.extend(headers);
    Request {
        method: "POST".to_owned(),
        url: url.to_string(),
        headers: all_headers,
        body: Some(form_encode(
            pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(content_type: &str, body: &str) -> Response {
        Response {
            status: 200,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.to_owned(),
        }
    }

    #[test]
    fn media_type_ignores_case_and_parameters() {
        let found = media_type(&response("Application/JSON; charset=UTF-8", "{}"));
        assert_eq!(found.as_deref(), Some("application/json"));
    }

    #[test]
    fn form_body_refuses_a_repeated_name() {
        let error = form_object("a=1&a=2").unwrap_err();
        assert_eq!(error.reason, RejectReason::DuplicateParameter);
    }

    #[test]
    fn seconds_accepts_digit_strings_and_flags_them() {
        let map = json_object(r#"{"a":"3600","b":3600,"c":-1,"d":"1h"}"#).unwrap();
        assert_eq!(seconds_field(&map, "a").unwrap(), Some((3600, true)));
        assert_eq!(seconds_field(&map, "b").unwrap(), Some((3600, false)));
        assert!(seconds_field(&map, "c").is_err());
        assert!(seconds_field(&map, "d").is_err());
    }

    #[test]
    fn endpoint_url_allows_plain_http_only_on_loopback() {
        assert!(endpoint_url("token_endpoint", "http://localhost:8080/token").is_ok());
        assert!(endpoint_url("token_endpoint", "http://127.0.0.1/token").is_ok());
        let error = endpoint_url("token_endpoint", "http://server.example.com/token").unwrap_err();
        assert_eq!(error.field, "token_endpoint");
        assert!(endpoint_url("token_endpoint", "https://a.example/t#x").is_err());
    }
}
