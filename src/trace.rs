//! The recorded exchanges of a flow: who sent what to whom, and what came
//! back. The sequence diagram draws it; the message panel shows it raw.

use crate::http::{Request, Response};

/// The parties of OAuth 2.0 (RFC 6749 §1.1) and OAuth 1.0a (RFC 5849 §1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// The user, acting through the browser.
    ResourceOwner,
    Client,
    AuthorizationServer,
    ResourceServer,
    /// The single OAuth 1.0a server.
    Server,
    /// Someone who should not take part, in a fault scenario.
    Attacker,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::ResourceOwner => "Resource owner (browser)",
            Role::Client => "Client",
            Role::AuthorizationServer => "Authorization server",
            Role::ResourceServer => "Resource server",
            Role::Server => "Server",
            Role::Attacker => "Attacker",
        }
    }
}

/// What crossed the wire in one step.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Message {
    /// A back-channel HTTP exchange.
    Http {
        request: Request,
        response: Option<Response>,
    },
    /// A browser navigation (front channel): the URL travelled.
    Navigation { url: String },
    /// A step with no message, such as the client checking a response.
    Check,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Exchange {
    pub from: Role,
    pub to: Role,
    pub title: String,
    pub message: Message,
    /// What this step does and why, in a sentence or two.
    pub note: String,
    /// Where the step is specified, such as "RFC 6749 §4.1.3".
    pub reference: &'static str,
    /// A rejection, error or fault outcome at this step.
    pub failure: Option<String>,
}

impl Exchange {
    /// A back-channel request and its response.
    pub fn http(
        from: Role,
        to: Role,
        title: &str,
        request: &Request,
        response: &Response,
    ) -> Exchange {
        let message = Message::Http {
            request: request.clone(),
            response: Some(response.clone()),
        };
        Exchange::new(from, to, title, message)
    }

    /// A browser navigation; an empty URL marks a page shown, not a URL
    /// travelled.
    pub fn navigation(from: Role, to: Role, title: &str, url: &str) -> Exchange {
        let message = if url.is_empty() {
            Message::Check
        } else {
            Message::Navigation {
                url: url.to_owned(),
            }
        };
        Exchange::new(from, to, title, message)
    }

    fn new(from: Role, to: Role, title: &str, message: Message) -> Exchange {
        Exchange {
            from,
            to,
            title: title.to_owned(),
            message,
            note: String::new(),
            reference: "",
            failure: None,
        }
    }

    pub fn explained(mut self, note: &str, reference: &'static str) -> Exchange {
        self.note = note.to_owned();
        self.reference = reference;
        self
    }

    pub fn failed(mut self, failure: Option<String>) -> Exchange {
        self.failure = failure;
        self
    }
}

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Trace {
    pub exchanges: Vec<Exchange>,
}

impl Trace {
    pub fn push(&mut self, exchange: Exchange) {
        self.exchanges.push(exchange);
    }
}
