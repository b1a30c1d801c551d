//! The signed request in the three forms RFC 5849 §3.5 allows, and as curl.

use super::encode::percent_encode;
use super::signature::{SignatureInput, SignatureSteps};
use crate::http::shell_quote;

/// §3.5.1: `OAuth realm="...", name="value", ...` with encoded values.
/// The realm is not encoded: it is a quoted-string (RFC 2617 §1.2).
pub fn authorization_header(steps: &SignatureSteps) -> String {
    let realm = steps
        .realm
        .iter()
        .map(|realm| format!("realm=\"{}\"", realm.replace('"', "\\\"")));
    let params = steps
        .protocol_params
        .iter()
        .map(|(name, value)| format!("{}=\"{}\"", percent_encode(name), percent_encode(value)));
    format!(
        "OAuth {}",
        realm.chain(params).collect::<Vec<_>>().join(", ")
    )
}

fn encoded_protocol_params(steps: &SignatureSteps) -> String {
    steps
        .protocol_params
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// §3.5.3: the protocol parameters appended to the query string.
pub fn url_with_query_params(input: &SignatureInput, steps: &SignatureSteps) -> String {
    let url = input.url.trim();
    let without_fragment = url.split('#').next().unwrap_or(url);
    let separator = match without_fragment.split_once('?') {
        Some((_, "")) => "",
        Some(_) => "&",
        None => "?",
    };
    format!(
        "{without_fragment}{separator}{}",
        encoded_protocol_params(steps)
    )
}

/// §3.5.2: the protocol parameters added to a form-encoded body.
pub fn form_body_with_params(input: &SignatureInput, steps: &SignatureSteps) -> String {
    let params = encoded_protocol_params(steps);
    match input.body.as_deref().map(str::trim) {
        Some(body) if !body.is_empty() => format!("{body}&{params}"),
        _ => params,
    }
}

/// A curl command sending the request with the `Authorization` header.
pub fn curl_command(input: &SignatureInput, steps: &SignatureSteps) -> String {
    let url = input.url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let mut parts = vec![
        format!("curl -X {}", steps.http_method),
        shell_quote(url),
        format!(
            "-H {}",
            shell_quote(&format!("Authorization: {}", authorization_header(steps)))
        ),
    ];
    if let Some(content_type) = input.content_type.as_deref().filter(|c| !c.is_empty()) {
        parts.push(format!(
            "-H {}",
            shell_quote(&format!("Content-Type: {content_type}"))
        ));
    }
    if let Some(body) = input.body.as_deref().filter(|b| !b.is_empty()) {
        parts.push(format!("--data-raw {}", shell_quote(body)));
    }
    parts.join(" \\\n  ")
}
