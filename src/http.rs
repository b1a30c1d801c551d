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
