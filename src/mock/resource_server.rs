//! A protected resource (RFC 6750): a profile and a photo list, each behind
//! a scope. It validates JWT access tokens locally, as most APIs do, so a
//! revoked token stays usable here until it expires; that is why access
//! tokens are short-lived.

use serde_json::{Value, json};

use super::authorization_server::AuthorizationServer;
use super::{AUTHORIZATION_SERVER, RESOURCE_SERVER, json_response};
use crate::http::{Request, Response};

/// A `WWW-Authenticate: Bearer` challenge (RFC 6750 §3).
pub fn challenge(status: u16, error: &str, description: &str, scope: Option<&str>) -> Response {
    let mut value =
        format!("Bearer realm=\"mock\", error=\"{error}\", error_description=\"{description}\"");
    if let Some(scope) = scope {
        value.push_str(&format!(", scope=\"{scope}\""));
    }
    let mut response = json_response(
        status,
        &json!({ "error": error, "error_description": description }),
    );
    response
        .headers
        .push(("WWW-Authenticate".to_owned(), value));
    response
}

pub fn handle(server: &AuthorizationServer, request: &Request, now: u64) -> Response {
    let path = request.url.strip_prefix(RESOURCE_SERVER).unwrap_or("");
    let path = path.split('?').next().unwrap_or("");
    let needed = match path {
        "/profile" => "profile",
        "/photos" => "photos",
        _ => return json_response(404, &json!({ "error": "not_found" })),
    };

    let bearer = request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, v)| v.strip_prefix("Bearer "));
    let Some(token) = bearer.map(str::trim) else {
        // §3.1: a request without credentials gets no error code.
        let mut response = json_response(401, &json!({ "error": "missing token" }));
        response.headers.push((
            "WWW-Authenticate".to_owned(),
            "Bearer realm=\"mock\"".to_owned(),
        ));
        return response;
    };

    let claims = match validate(server, token, now) {
        Ok(claims) => claims,
        Err(reason) => return challenge(401, "invalid_token", &reason, None),
    };
    let granted = claims.get("scope").and_then(Value::as_str).unwrap_or("");
    if !granted.split(' ').any(|s| s == needed) {
        return challenge(
            403,
            "insufficient_scope",
            &format!("{path} needs the {needed} scope"),
            Some(needed),
        );
    }

    let sub = claims.get("sub").and_then(Value::as_str).unwrap_or("");
    json_response(200, &resource(path, sub))
}

/// Signature, issuer, audience and expiry, checked locally.
fn validate(server: &AuthorizationServer, token: &str, now: u64) -> Result<Value, String> {
    let claims = super::keys::verify_jwt(&server.key.verifying_key(), token)
        .ok_or("the token is not a JWT signed by the authorization server")?;
    if claims.get("iss").and_then(Value::as_str) != Some(AUTHORIZATION_SERVER) {
        return Err("the token was issued by another server".to_owned());
    }
    if claims.get("aud").and_then(Value::as_str) != Some(RESOURCE_SERVER) {
        return Err("the token is meant for another audience".to_owned());
    }
    let exp = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
    if now >= exp {
        return Err(format!("the token expired {} s ago", now - exp));
    }
    Ok(claims)
}

fn resource(path: &str, sub: &str) -> Value {
    match path {
        "/profile" => json!({ "sub": sub, "display_name": sub, "plan": "free" }),
        _ => json!({ "owner": sub, "photos": [
            { "id": 1, "title": "Vacation", "file": "vacation.jpg" },
            { "id": 2, "title": "Harbour at dusk", "file": "harbour.jpg" },
        ]}),
    }
}
