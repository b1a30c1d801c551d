//! The signed request in the three forms RFC 5849 §3.5 allows, and as curl.

use super::encode::percent_encode;
use super::signature::{SignatureInput, SignatureSteps};
use crate::http::shell_quote;

/// §3.5.1: `OAuth realm="...", name="value", ...` with encoded values.
/// The realm is not encoded: it is a quoted-string (RFC 2617 §1.2).
pub fn authorization_header(steps: &SignatureSteps) -> String {
    let realm = steps.realm.iter().map(|realm| {
        format!(
            "realm=\"{}\"",
            realm.replace('\\', "\\\\").replace('"', "\\\"")
        )
    });
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
    let body = input.body.as_deref().filter(|b| !b.is_empty());
    match input.content_type.as_deref().filter(|c| !c.is_empty()) {
        Some(content_type) => parts.push(format!(
            "-H {}",
            shell_quote(&format!("Content-Type: {content_type}"))
        )),
        // curl would label the body as a form, which the server would then
        // sign; an empty header value makes curl send none.
        None if body.is_some() => parts.push("-H 'Content-Type:'".to_owned()),
        None => {}
    }
    if let Some(body) = body {
        parts.push(format!("--data-raw {}", shell_quote(body)));
    }
    parts.join(" \\\n  ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth1::{SignatureInput, sign};

    fn signed(realm: &str, body: Option<&str>) -> (SignatureInput, SignatureSteps) {
        let input = SignatureInput {
            method: "POST".into(),
            url: "https://api.example.com/p".into(),
            body: body.map(str::to_owned),
            realm: Some(realm.into()),
            oauth: vec![
                ("oauth_consumer_key".into(), "k".into()),
                ("oauth_signature_method".into(), "PLAINTEXT".into()),
            ],
            consumer_secret: "s".into(),
            ..SignatureInput::default()
        };
        let steps = sign(&input).unwrap();
        (input, steps)
    }

    #[test]
    fn the_realm_is_a_quoted_string_with_escapes() {
        // RFC 2617 §1.2 / RFC 9110 §5.6.4: backslash and quote are escaped.
        let (_, steps) = signed(r#"ex"ample\x"#, None);
        assert!(authorization_header(&steps).starts_with(r#"OAuth realm="ex\"ample\\x", "#));
    }

    #[test]
    fn curl_sends_no_form_content_type_for_an_unlabelled_body() {
        let (input, steps) = signed("r", Some("a=1&b=2"));
        let curl = curl_command(&input, &steps);
        assert!(curl.contains("-H 'Content-Type:'"), "{curl}");
        assert!(curl.contains("--data-raw 'a=1&b=2'"), "{curl}");
    }
}
