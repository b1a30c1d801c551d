//! HTTP messages as plain values, so that every exchange can be shown raw
//! and carried by whichever transport the mode calls for.

/// A request as it goes on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

impl Request {
    /// The request in HTTP/1.1 form: request line, Host, headers, body.
    pub fn raw(&self) -> String {
        let (host, target) = split_target(&self.url);
        let mut text = format!("{} {} HTTP/1.1\r\nHost: {}\r\n", self.method, target, host);
        for (name, value) in &self.headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str("\r\n");
        if let Some(body) = &self.body {
            text.push_str(body);
        }
        text
    }
}

impl Request {
    /// The same request as a curl command, for when a browser may not send
    /// it (CORS) and a terminal can.
    pub fn curl(&self) -> String {
        let mut parts = vec![format!(
            "curl -i -X {} {}",
            self.method,
            shell_quote(&self.url)
        )];
        for (name, value) in &self.headers {
            parts.push(format!("-H {}", shell_quote(&format!("{name}: {value}"))));
        }
        if let Some(body) = self.body.as_deref().filter(|b| !b.is_empty()) {
            parts.push(format!("--data-raw {}", shell_quote(body)));
        }
        parts.join(" \\\n  ")
    }
}

/// POSIX single quotes; an embedded `'` becomes `'\''`.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A response as it came off the wire (or out of the in-page servers).
#[derive(Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// What a user pasted: either a whole response as `curl -i` prints it
    /// (status line, headers, blank line, body), or only the body, which
    /// is then taken as a 200 JSON response.
    pub fn from_pasted(text: &str) -> Response {
        let text = text.trim_start();
        let Some(rest) = text.strip_prefix("HTTP/") else {
            return Response {
                status: 200,
                headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
                body: text.trim_end().to_owned(),
            };
        };

        let normalized = rest.replace("\r\n", "\n");
        let (head, body) = normalized.split_once("\n\n").unwrap_or((&normalized, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|code| code.parse().ok())
            .unwrap_or(200);
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
            .collect();
        Response {
            status,
            headers,
            body: body.trim_end().to_owned(),
        }
    }

    /// The status line, headers and body in HTTP/1.1 form.
    pub fn raw(&self) -> String {
        let mut text = format!(
            "HTTP/1.1 {} {}\r\n",
            self.status,
            reason_phrase(self.status)
        );
        for (name, value) in &self.headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str("\r\n");
        text.push_str(&self.body);
        text
    }
}

// Headers and bodies carry credentials and tokens, so `Debug` shows only
// what identifies the message.
impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Request({} {})",
            self.method,
            self.url.split('?').next().unwrap_or("")
        )
    }
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Response({}, {} bytes)", self.status, self.body.len())
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        303 => "See Other",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// `https://host:port/path?q#f` into (`host:port`, `/path?q`).
fn split_target(url: &str) -> (&str, String) {
    let without_fragment = url.split('#').next().unwrap_or(url);
    let after_scheme = without_fragment
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(without_fragment);

    let Some(index) = after_scheme.find(['/', '?']) else {
        return (after_scheme, "/".to_owned());
    };
    let (host, target) = after_scheme.split_at(index);
    if target.starts_with('?') {
        (host, format!("/{target}"))
    } else {
        (host, target.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_curl_i_output_keeps_its_status_and_headers() {
        let pasted = Response::from_pasted(
            "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\r\n{\"error\":\"invalid_grant\"}\n",
        );
        assert_eq!(pasted.status, 400);
        assert_eq!(pasted.header("Content-Type"), Some("application/json"));
        assert_eq!(pasted.body, "{\"error\":\"invalid_grant\"}");

        let body_only = Response::from_pasted("  {\"access_token\":\"x\"}  ");
        assert_eq!(
            (body_only.status, body_only.body.as_str()),
            (200, "{\"access_token\":\"x\"}")
        );
    }

    #[test]
    fn curl_quotes_for_a_posix_shell() {
        let request = Request {
            method: "POST".into(),
            url: "https://as.example/token".into(),
            headers: vec![(
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            body: Some("code=it's".into()),
        };
        assert_eq!(
            request.curl(),
            "curl -i -X POST 'https://as.example/token' \\\n  \
             -H 'Content-Type: application/x-www-form-urlencoded' \\\n  \
             --data-raw 'code=it'\\''s'"
        );
    }

    #[test]
    fn raw_request_has_origin_form_target_and_host() {
        let request = Request {
            method: "POST".into(),
            url: "http://example.com/request?b5=%3D%253D#frag".into(),
            headers: vec![(
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            body: Some("c2&a3=2+q".into()),
        };
        assert_eq!(
            request.raw(),
            "POST /request?b5=%3D%253D HTTP/1.1\r\nHost: example.com\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\r\nc2&a3=2+q"
        );
    }
}
