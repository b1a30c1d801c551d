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
