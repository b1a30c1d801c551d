//! Reads what users paste: a raw HTTP request, a URL, or an
//! `Authorization: OAuth ...` header.

use std::fmt;

use super::encode::{DecodeError, form_decode, percent_decode};

/// The parts of a request found in pasted text; what was not there is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PastedRequest {
    pub method: Option<String>,
    pub url: Option<String>,
    pub content_type: Option<String>,
    pub body: Option<String>,
    pub realm: Option<String>,
    /// Protocol parameters, `oauth_signature` included when present.
    pub oauth: Vec<(String, String)>,
    /// Things we assumed, shown to the user.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasteError {
    Empty,
    NotOAuthHeader(String),
    MalformedHeader(String),
    HeaderValue(DecodeError),
    DuplicateParameter(String),
    MalformedRequestLine(String),
    MissingHost,
    Unrecognised,
}

impl fmt::Display for PasteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasteError::Empty => write!(
                f,
                "nothing to read: paste a request, a URL or an Authorization header"
            ),
            PasteError::NotOAuthHeader(scheme) => write!(
                f,
                "the Authorization header uses the \"{scheme}\" scheme, not OAuth; OAuth 1.0a headers start with `OAuth `"
            ),
            PasteError::MalformedHeader(near) => write!(
                f,
                "the OAuth header could not be read near \"{near}\"; each parameter must look like name=\"value\", separated by commas"
            ),
            PasteError::HeaderValue(error) => write!(f, "in the Authorization header: {error}"),
            PasteError::DuplicateParameter(name) => write!(
                f,
                "the Authorization header has {name} twice; RFC 5849 §3.5.1 lets each parameter appear once"
            ),
            PasteError::MalformedRequestLine(line) => write!(
                f,
                "the first line \"{line}\" is not a request line; it should look like `POST /request?b5=1 HTTP/1.1`"
            ),
            PasteError::MissingHost => write!(
                f,
                "the request has a relative target but no Host header; add `Host: example.com`"
            ),
            PasteError::Unrecognised => write!(
                f,
                "this is not a URL, an Authorization header or an HTTP request; \
                 a request starts with a line such as `GET /photos HTTP/1.1`"
            ),
        }
    }
}

impl std::error::Error for PasteError {}

/// Recognises the kind of text pasted and reads it.
pub fn parse_pasted(text: &str) -> Result<PastedRequest, PasteError> {
    let text = without_margin(text);
    let text = text.trim();
    if text.is_empty() {
        return Err(PasteError::Empty);
    }

    let lower = text.to_ascii_lowercase();
    if lower.starts_with("authorization:") || lower.starts_with("oauth ") {
        let value = text
            .split_once(':')
            .filter(|_| lower.starts_with("authorization:"));
        let value = value.map(|(_, value)| value).unwrap_or(text);
        let mut pasted = PastedRequest::default();
        read_authorization(value.trim(), &mut pasted)?;
        return Ok(pasted);
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let mut pasted = PastedRequest {
            url: Some(text.to_owned()),
            ..PastedRequest::default()
        };
        move_oauth_params_out_of_query(&mut pasted)?;
        return Ok(pasted);
    }
    parse_http_request(text)
}

/// The text with the indentation its lines share taken off: a request
/// copied from an RFC page carries the page's margin on every line, which
/// would otherwise read as folded headers.
fn without_margin(text: &str) -> String {
    let margin = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|line| line.get(margin..).unwrap_or("").trim_end_matches('\r'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads `OAuth realm="x", oauth_consumer_key="y", ...` (RFC 5849 §3.5.1).
fn read_authorization(value: &str, pasted: &mut PastedRequest) -> Result<(), PasteError> {
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("OAuth") {
        return Err(PasteError::NotOAuthHeader(scheme.to_owned()));
    }

    let params = split_auth_params(rest)?;
    for (index, (name, _)) in params.iter().enumerate() {
        let well_formed = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-.%".contains(&b));
        if !well_formed {
            return Err(PasteError::MalformedHeader(name.clone()));
        }
        if params[..index].iter().any(|(other, _)| other == name) {
            return Err(PasteError::DuplicateParameter(name.clone()));
        }
    }
    for (name, raw_value) in params {
        if name.eq_ignore_ascii_case("realm") {
            pasted.realm = Some(raw_value);
            continue;
        }
        let value = percent_decode(&raw_value).map_err(PasteError::HeaderValue)?;
        let name = percent_decode(&name).map_err(PasteError::HeaderValue)?;
        pasted.oauth.push((name, value));
    }
    Ok(())
}

/// Splits `a="1", b="2"` into raw (still encoded) name and value pairs.
fn split_auth_params(text: &str) -> Result<Vec<(String, String)>, PasteError> {
    let mut pairs = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let near = || rest.chars().take(30).collect::<String>();
        let (name, after) = rest
            .split_once('=')
            .ok_or_else(|| PasteError::MalformedHeader(near()))?;
        let after = after.trim_start();

        let (value, after) = if let Some(quoted) = after.strip_prefix('"') {
            let end = closing_quote(quoted).ok_or_else(|| PasteError::MalformedHeader(near()))?;
            (quoted[..end].replace("\\\"", "\""), &quoted[end + 1..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };

        pairs.push((name.trim().to_owned(), value));
        rest = after.trim_start().trim_start_matches(',').trim_start();
    }
    Ok(pairs)
}

fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(index),
            _ => escaped = false,
        }
    }
    None
}

fn parse_http_request(text: &str) -> Result<PastedRequest, PasteError> {
    let text = text.replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();

    let request_line = lines.next().unwrap_or("").trim();
    let mut words = request_line.split_whitespace();
    let (method, target) = match (words.next(), words.next()) {
        (Some(method), Some(target)) if method.bytes().all(|b| b.is_ascii_alphabetic()) => {
            (method, target)
        }
        _ if !request_line.contains(' ') => return Err(PasteError::Unrecognised),
        _ => return Err(PasteError::MalformedRequestLine(request_line.to_owned())),
    };

    let absolute = target.starts_with("http://") || target.starts_with("https://");
    if !absolute && !target.starts_with('/') {
        return Err(PasteError::MalformedRequestLine(request_line.to_owned()));
    }

    let mut pasted = PastedRequest {
        method: Some(method.to_owned()),
        ..PastedRequest::default()
    };
    let mut host = None;
    for line in unfold_header_lines(lines) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "host" => host = Some(value.to_owned()),
            "content-type" => pasted.content_type = Some(value.to_owned()),
            "authorization" => read_authorization(value, &mut pasted)?,
            _ => {}
        }
    }

    pasted.url = Some(
        if target.starts_with("http://") || target.starts_with("https://") {
            target.to_owned()
        } else {
            let host = host.ok_or(PasteError::MissingHost)?;
            let scheme = if host.ends_with(":443") {
                "https"
            } else {
                "http"
            };
            pasted.notes.push(format!(
            "A raw request does not say its scheme; {scheme} was assumed. Change the URL if the server uses the other."
        ));
            format!("{scheme}://{host}{target}")
        },
    );
    if !body.is_empty() {
        pasted.body = Some(body.trim_end_matches('\n').to_owned());
    }

    move_oauth_params_out_of_query(&mut pasted)?;
    Ok(pasted)
}

/// Joins each header line that starts with a space or tab to the line
/// before it, with one space in place of the fold: requests printed in the
/// RFCs (RFC 5849 §3.1 among them) continue long headers this way
/// (obsolete line folding, RFC 9112 §5.2).
fn unfold_header_lines<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut unfolded: Vec<String> = Vec::new();
    for line in lines {
        let continues = line.starts_with([' ', '\t']);
        match unfolded.last_mut() {
            Some(previous) if continues => {
                previous.push(' ');
                previous.push_str(line.trim());
            }
            _ => unfolded.push(line.to_owned()),
        }
    }
    unfolded
}

/// Protocol parameters may travel in the query (RFC 5849 §3.5.3); the
/// workbench keeps them with the others, which signs the same.
fn move_oauth_params_out_of_query(pasted: &mut PastedRequest) -> Result<(), PasteError> {
    let Some(url) = pasted.url.clone() else {
        return Ok(());
    };
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (url.as_str(), None),
    };
    let Some((base, query)) = before_fragment.split_once('?') else {
        return Ok(());
    };
    if !query
        .split('&')
        .any(|segment| segment.starts_with("oauth_"))
    {
        return Ok(());
    }

    let mut kept = Vec::new();
    for segment in query.split('&').filter(|s| !s.is_empty()) {
        if segment.starts_with("oauth_") {
            let pairs = form_decode(segment).map_err(PasteError::HeaderValue)?;
            pasted.oauth.extend(pairs);
        } else {
            kept.push(segment);
        }
    }

    let mut rebuilt = base.to_owned();
    if !kept.is_empty() {
        rebuilt.push('?');
        rebuilt.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        rebuilt.push('#');
        rebuilt.push_str(fragment);
    }
    pasted.url = Some(rebuilt);
    pasted.notes.push(
        "The oauth_* parameters found in the query were moved to the protocol parameters."
            .to_owned(),
    );
    Ok(())
}

/// Why a line of typed protocol parameters (`name=value`, one per line)
/// was refused. Lines are numbered from 1, as the user sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterLineError {
    pub line: usize,
    pub problem: LineProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    NoEquals(String),
    NotProtocol(String),
    Signature,
    HasField(String),
    BodyHashComputed,
    Duplicate { name: String, first_line: usize },
}

impl fmt::Display for ParameterLineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self.line;
        match &self.problem {
            LineProblem::NoEquals(text) => write!(
                f,
                "line {line} (\"{text}\") has no \"=\"; write one parameter per line as \
                 name=value, such as oauth_session_handle=abc"
            ),
            LineProblem::NotProtocol(name) => write!(
                f,
                "line {line}: \"{name}\" does not start with oauth_; only protocol parameters go \
                 here, so put it in the URL's query or in the body"
            ),
            LineProblem::Signature => write!(
                f,
                "line {line}: oauth_signature is computed, not typed; remove the line (a received \
                 signature goes under \"Check a received signature\")"
            ),
            LineProblem::HasField(name) => write!(
                f,
                "line {line}: {name} has its own field above; remove the line and use that field"
            ),
            LineProblem::BodyHashComputed => write!(
                f,
                "line {line}: oauth_body_hash is computed from the body while its box is ticked; \
                 remove the line, or untick the box to sign the value given here"
            ),
            LineProblem::Duplicate { name, first_line } => write!(
                f,
                "line {line}: {name} is already on line {first_line}; RFC 5849 §3.5.1 sends each \
                 parameter once, so remove one of them"
            ),
        }
    }
}

impl std::error::Error for ParameterLineError {}

/// Reads further protocol parameters typed one `name=value` per line, the
/// value as it is meant (not percent-encoded). Blank lines are skipped and
/// spaces around names and values are dropped. `has_field` names the
/// parameters that have inputs of their own; `body_hash_computed` says
/// whether `oauth_body_hash` is computed from the body.
pub fn parse_parameter_lines(
    text: &str,
    has_field: &[&str],
    body_hash_computed: bool,
) -> Result<Vec<(String, String)>, ParameterLineError> {
    let mut params: Vec<(String, String, usize)> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let fail = |problem| ParameterLineError { line, problem };
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let (name, value) = raw
            .split_once('=')
            .ok_or_else(|| fail(LineProblem::NoEquals(raw.to_owned())))?;
        let (name, value) = (name.trim(), value.trim());

        if !name.starts_with("oauth_") {
            return Err(fail(LineProblem::NotProtocol(name.to_owned())));
        }
        if name == "oauth_signature" {
            return Err(fail(LineProblem::Signature));
        }
        if has_field.contains(&name) {
            return Err(fail(LineProblem::HasField(name.to_owned())));
        }
        if body_hash_computed && name == "oauth_body_hash" {
            return Err(fail(LineProblem::BodyHashComputed));
        }
        if let Some((_, _, first_line)) = params.iter().find(|(other, _, _)| other == name) {
            return Err(fail(LineProblem::Duplicate {
                name: name.to_owned(),
                first_line: *first_line,
            }));
        }
        params.push((name.to_owned(), value.to_owned(), line));
    }
    Ok(params
        .into_iter()
        .map(|(name, value, _)| (name, value))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_rfc_5849_section_3_5_1_header() {
        let pasted = parse_pasted(
            "Authorization: OAuth realm=\"Example\",\n oauth_consumer_key=\"0685bd9184jfhq22\",\n \
             oauth_token=\"ad180jjd733klru7\",\n oauth_signature_method=\"HMAC-SHA1\",\n \
             oauth_signature=\"wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D\",\n oauth_timestamp=\"137131200\",\n \
             oauth_nonce=\"4572616e48616d6d65724c61686176\",\n oauth_version=\"1.0\"",
        )
        .unwrap();

        assert_eq!(pasted.realm.as_deref(), Some("Example"));
        let signature = pasted.oauth.iter().find(|(n, _)| n == "oauth_signature");
        assert_eq!(
            signature.map(|(_, v)| v.as_str()),
            Some("wOJIO9A2W5mFwDgiDvZbTSMK/PY=")
        );
        assert_eq!(pasted.oauth.len(), 7);
    }

    #[test]
    fn reads_a_raw_request_and_assumes_http_when_the_scheme_is_unknown() {
        let pasted = parse_pasted(
            "POST /request?b5=%3D%253D&a3=a HTTP/1.1\r\nHost: example.com\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\
             Authorization: OAuth realm=\"Example\", oauth_consumer_key=\"9djdj82h48djs9d2\"\r\n\r\nc2&a3=2+q",
        )
        .unwrap();

        assert_eq!(pasted.method.as_deref(), Some("POST"));
        assert_eq!(
            pasted.url.as_deref(),
            Some("http://example.com/request?b5=%3D%253D&a3=a")
        );
        assert_eq!(pasted.body.as_deref(), Some("c2&a3=2+q"));
        assert_eq!(pasted.notes.len(), 1, "the assumed scheme is reported");
    }

    /// The RFC 5849 §3.1 request as printed, its Authorization header
    /// folded over several lines (the page margin removed).
    const RFC_5849_3_1_FOLDED: &str = "POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b HTTP/1.1
Host: example.com
Content-Type: application/x-www-form-urlencoded
Authorization: OAuth realm=\"Example\",
               oauth_consumer_key=\"9djdj82h48djs9d2\",
               oauth_token=\"kkk9d7dh3k39sjv7\",
               oauth_signature_method=\"HMAC-SHA1\",
               oauth_timestamp=\"137131201\",
               oauth_nonce=\"7d8f3e4a\",
               oauth_signature=\"bYT5CMsGcbgUdFHObYMEfcx6bsw%3D\"

c2&a3=2+q";

    #[test]
    fn reads_a_folded_authorization_header_in_a_raw_request() {
        let pasted = parse_pasted(RFC_5849_3_1_FOLDED).unwrap();

        assert_eq!(pasted.realm.as_deref(), Some("Example"));
        let names: Vec<&str> = pasted.oauth.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "oauth_consumer_key",
                "oauth_token",
                "oauth_signature_method",
                "oauth_timestamp",
                "oauth_nonce",
                "oauth_signature"
            ]
        );
        assert_eq!(
            pasted.oauth.last().map(|(_, v)| v.as_str()),
            Some("bYT5CMsGcbgUdFHObYMEfcx6bsw=")
        );
        assert_eq!(pasted.body.as_deref(), Some("c2&a3=2+q"));
        assert_eq!(
            pasted.content_type.as_deref(),
            Some("application/x-www-form-urlencoded")
        );
    }

    #[test]
    fn a_request_copied_with_the_rfc_page_margin_reads_the_same() {
        let with_margin: String = RFC_5849_3_1_FOLDED
            .lines()
            .map(|line| format!("     {line}\n"))
            .collect();

        let pasted = parse_pasted(&with_margin).unwrap();

        assert_eq!(pasted, parse_pasted(RFC_5849_3_1_FOLDED).unwrap());
        assert_eq!(pasted.oauth.len(), 6);
    }

    #[test]
    fn unfolds_tab_continuations_with_one_space() {
        let lines = "Content-Type: text/plain;\r\n\tcharset=utf-8\r\nHost: a.com".lines();
        let lines = lines.map(|l| l.trim_end_matches('\r'));
        assert_eq!(
            unfold_header_lines(lines),
            ["Content-Type: text/plain; charset=utf-8", "Host: a.com"]
        );
        let pasted = parse_pasted("GET /x HTTP/1.1\r\nHost:\r\n a.com\r\n\r\n").unwrap();
        assert_eq!(pasted.url.as_deref(), Some("http://a.com/x"));
    }

    #[test]
    fn moves_oauth_params_from_a_url_query() {
        let pasted =
            parse_pasted("https://api.example.com/p?x=1&oauth_nonce=abc&oauth_signature=s%2B1")
                .unwrap();
        assert_eq!(pasted.url.as_deref(), Some("https://api.example.com/p?x=1"));
        assert_eq!(
            pasted.oauth,
            vec![
                ("oauth_nonce".to_owned(), "abc".to_owned()),
                ("oauth_signature".to_owned(), "s+1".to_owned())
            ]
        );
    }

    #[test]
    fn explains_what_it_cannot_read() {
        assert_eq!(parse_pasted("  "), Err(PasteError::Empty));
        assert!(matches!(
            parse_pasted("Authorization: Bearer abc"),
            Err(PasteError::NotOAuthHeader(_))
        ));
        assert!(matches!(
            parse_pasted("OAuth oauth_nonce=\"unterminated"),
            Err(PasteError::MalformedHeader(_))
        ));
        assert!(matches!(
            parse_pasted("GET /x HTTP/1.1\n\n"),
            Err(PasteError::MissingHost)
        ));
        assert_eq!(parse_pasted("hello"), Err(PasteError::Unrecognised));
        assert!(matches!(
            parse_pasted("GET HTTP/1.1\nHost: a.com"),
            Err(PasteError::MalformedRequestLine(_))
        ));
        assert!(matches!(
            parse_pasted("OAuth oauth_consumer_key, oauth_nonce=\"\""),
            Err(PasteError::MalformedHeader(_))
        ));
        assert!(matches!(
            parse_pasted("OAuth oauth_nonce=\"a\", oauth_nonce=\"b\""),
            Err(PasteError::DuplicateParameter(_))
        ));
    }

    #[test]
    fn reads_typed_protocol_parameters_one_per_line() {
        let params = parse_parameter_lines(
            "oauth_session_handle=abc=1\n\n  oauth_vendor = x y \r\n",
            &["oauth_nonce"],
            false,
        )
        .unwrap();
        assert_eq!(
            params,
            vec![
                ("oauth_session_handle".to_owned(), "abc=1".to_owned()),
                ("oauth_vendor".to_owned(), "x y".to_owned()),
            ]
        );
        assert_eq!(parse_parameter_lines(" \n", &[], false), Ok(Vec::new()));
    }

    #[test]
    fn names_the_line_of_a_refused_parameter() {
        let problem_of = |text: &str, body_hash_computed| {
            let error =
                parse_parameter_lines(text, &["oauth_nonce"], body_hash_computed).unwrap_err();
            (error.line, error.problem)
        };
        assert_eq!(
            problem_of("oauth_a=1\noauth_b", false),
            (2, LineProblem::NoEquals("oauth_b".to_owned()))
        );
        assert_eq!(
            problem_of("size=1", false),
            (1, LineProblem::NotProtocol("size".to_owned()))
        );
        assert_eq!(
            problem_of("oauth_signature=x", false).1,
            LineProblem::Signature
        );
        assert_eq!(
            problem_of("oauth_nonce=x", false).1,
            LineProblem::HasField("oauth_nonce".to_owned())
        );
        assert!(parse_parameter_lines("oauth_body_hash=x", &[], false).is_ok());
        assert_eq!(
            problem_of("oauth_body_hash=x", true).1,
            LineProblem::BodyHashComputed
        );
        assert_eq!(
            problem_of("oauth_a=1\n\noauth_a=2", false),
            (
                3,
                LineProblem::Duplicate {
                    name: "oauth_a".to_owned(),
                    first_line: 1
                }
            )
        );
        let message = parse_parameter_lines("oauth_x=1\nfoo", &[], false)
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("line 2 (\"foo\") has no \"=\""),
            "{message}"
        );
    }
}
