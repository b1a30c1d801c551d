//! The three-legged flow (RFC 5849 §2) from the client's side: each leg a
//! request builder and a response processor, so any transport can carry it.

use std::fmt;

use super::encode::{form_decode, percent_encode};
use super::request::authorization_header;
use super::signature::{SignatureError, SignatureInput, SignatureMethod, SignatureSteps, sign};
use crate::http::{Request, Response};

/// Where the server's three endpoints and its resource are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerEndpoints {
    pub temporary_credentials: String,
    pub resource_owner_authorization: String,
    pub token_credentials: String,
}

/// An identifier and its shared secret: the client credentials, temporary
/// credentials or token credentials of §1.1.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub identifier: String,
    pub secret: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials({}, [redacted])", self.identifier)
    }
}

/// What signing a request needs besides the request itself.
#[derive(Clone, Debug)]
pub struct Signer<'a> {
    pub client: &'a Credentials,
    pub token: Option<&'a Credentials>,
    pub method: SignatureMethod,
    pub nonce: String,
    pub timestamp: String,
}

/// A [`Signer`] that also holds the client's RSA private key (PEM), which
/// the RSA-SHA* methods sign with instead of the shared secrets (§3.4.3).
#[derive(Clone)]
pub struct KeyedSigner<'a> {
    pub signer: Signer<'a>,
    pub rsa_private_key_pem: Option<&'a str>,
}

impl fmt::Debug for KeyedSigner<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyedSigner")
            .field("signer", &self.signer)
            .field("rsa_private_key_pem", &"[redacted]")
            .finish()
    }
}

/// What the request builders sign with: a [`Signer`] alone for HMAC and
/// PLAINTEXT, a [`KeyedSigner`] for every method.
pub trait Signing {
    fn signer(&self) -> &Signer<'_>;
    fn rsa_private_key_pem(&self) -> Option<&str>;
}

impl Signing for Signer<'_> {
    fn signer(&self) -> &Signer<'_> {
        self
    }

    fn rsa_private_key_pem(&self) -> Option<&str> {
        None
    }
}

impl Signing for KeyedSigner<'_> {
    fn signer(&self) -> &Signer<'_> {
        &self.signer
    }

    fn rsa_private_key_pem(&self) -> Option<&str> {
        self.rsa_private_key_pem
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlowError {
    Signature(SignatureError),
    /// The server answered with an error; `problem` is its `oauth_problem`.
    Server {
        status: u16,
        problem: Option<String>,
        body: String,
    },
    /// The server's answer broke a rule of RFC 5849.
    Rejected(String),
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::Signature(error) => error.fmt(f),
            FlowError::Server {
                status,
                problem: Some(problem),
                ..
            } => {
                write!(
                    f,
                    "the server refused the request ({status}, oauth_problem={problem})"
                )
            }
            FlowError::Server { status, body, .. } => {
                write!(f, "the server refused the request ({status}): {body}")
            }
            FlowError::Rejected(reason) => write!(f, "{reason}"),
        }
    }
}

/// A signed request with the protocol parameters in the `Authorization`
/// header (§3.5.1); `extra` are further `oauth_*` parameters.
pub fn signed_request(
    http_method: &str,
    url: &str,
    signing: &impl Signing,
    extra: &[(&str, &str)],
) -> Result<(Request, SignatureSteps), FlowError> {
    let signer = signing.signer();
    let mut oauth = vec![
        (
            "oauth_consumer_key".to_owned(),
            signer.client.identifier.clone(),
        ),
        (
            "oauth_signature_method".to_owned(),
            signer.method.name().to_owned(),
        ),
        ("oauth_timestamp".to_owned(), signer.timestamp.clone()),
        ("oauth_nonce".to_owned(), signer.nonce.clone()),
        ("oauth_version".to_owned(), "1.0".to_owned()),
    ];
    if let Some(token) = signer.token {
        oauth.push(("oauth_token".to_owned(), token.identifier.clone()));
    }
    oauth.extend(extra.iter().map(|(n, v)| (n.to_string(), v.to_string())));

    let input = SignatureInput {
        method: http_method.to_owned(),
        url: url.to_owned(),
        oauth,
        consumer_secret: signer.client.secret.clone(),
        token_secret: signer.token.map(|t| t.secret.clone()).unwrap_or_default(),
        rsa_private_key_pem: signing.rsa_private_key_pem().map(str::to_owned),
        ..SignatureInput::default()
    };
    let steps = sign(&input).map_err(FlowError::Signature)?;
    let request = Request {
        method: steps.http_method.clone(),
        url: url.to_owned(),
        headers: vec![("Authorization".to_owned(), authorization_header(&steps))],
        body: None,
    };
    Ok((request, steps))
}

/// §2.1: ask for temporary credentials, naming where to come back.
pub fn temporary_credentials_request(
    endpoints: &ServerEndpoints,
    signer: &impl Signing,
    callback: &str,
) -> Result<(Request, SignatureSteps), FlowError> {
    signed_request(
        "POST",
        &endpoints.temporary_credentials,
        signer,
        &[("oauth_callback", callback)],
    )
}

/// §2.1 and §2.3: a form-encoded `oauth_token` and `oauth_token_secret`;
/// for temporary credentials `oauth_callback_confirmed` must be `true`.
pub fn process_credentials_response(
    response: &Response,
    temporary: bool,
) -> Result<Credentials, FlowError> {
    let pairs = form_decode(response.body.trim())
        .map_err(|e| FlowError::Rejected(format!("the response body is not form-encoded: {e}")))?;
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };

    if !(200..300).contains(&response.status) {
        return Err(FlowError::Server {
            status: response.status,
            problem: get("oauth_problem"),
            body: response.body.clone(),
        });
    }
    if temporary && get("oauth_callback_confirmed").as_deref() != Some("true") {
        return Err(FlowError::Rejected(
            "oauth_callback_confirmed is not \"true\" (RFC 5849 §2.1)".to_owned(),
        ));
    }
    match (get("oauth_token"), get("oauth_token_secret")) {
        (Some(identifier), Some(secret)) => Ok(Credentials { identifier, secret }),
        _ => Err(FlowError::Rejected(
            "the response lacks oauth_token or oauth_token_secret".to_owned(),
        )),
    }
}

/// §2.2: where the resource owner goes to approve.
pub fn authorization_url(endpoints: &ServerEndpoints, temporary: &Credentials) -> String {
    let separator = if endpoints.resource_owner_authorization.contains('?') {
        '&'
    } else {
        '?'
    };
    format!(
        "{}{separator}oauth_token={}",
        endpoints.resource_owner_authorization,
        percent_encode(&temporary.identifier)
    )
}

/// §2.2: the callback must carry our temporary token and a verifier.
pub fn process_callback(url: &str, temporary: &Credentials) -> Result<String, FlowError> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let pairs = form_decode(query.split('#').next().unwrap_or(""))
        .map_err(|e| FlowError::Rejected(e.to_string()))?;
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };

    if let Some(problem) = get("oauth_problem") {
        return Err(FlowError::Server {
            status: 302,
            problem: Some(problem),
            body: String::new(),
        });
    }
    if get("oauth_token").as_deref() != Some(temporary.identifier.as_str()) {
        return Err(FlowError::Rejected(
            "the callback's oauth_token is not the temporary token we hold".to_owned(),
        ));
    }
    get("oauth_verifier")
        .ok_or_else(|| FlowError::Rejected("the callback carries no oauth_verifier".to_owned()))
}

/// §2.3: temporary credentials and the verifier for token credentials.
pub fn token_credentials_request(
    endpoints: &ServerEndpoints,
    signer: &impl Signing,
    verifier: &str,
) -> Result<(Request, SignatureSteps), FlowError> {
    signed_request(
        "POST",
        &endpoints.token_credentials,
        signer,
        &[("oauth_verifier", verifier)],
    )
}
