//! The OAuth 1.0a three-legged flow (RFC 5849 §2) against the mock server.

use crate::http::Response;
use crate::mock::oauth1_server::{CLIENT_RSA_PRIVATE_KEY, CONSUMER_KEY, CONSUMER_SECRET};
use crate::mock::{OAUTH1_SERVER, World};
use crate::oauth1::flow::{
    Credentials, FlowError, KeyedSigner, ServerEndpoints, Signer, authorization_url,
    process_callback, process_credentials_response, signed_request, temporary_credentials_request,
    token_credentials_request,
};
use crate::oauth1::nonce_from_bytes;
use crate::oauth1::{SignatureMethod, SignatureSteps};
use crate::trace::{Exchange, Role, Trace};

pub const CALLBACK: &str = "https://client.mock.example/ready";

/// How RSA-SHA* requests are signed, for the explanations.
const RSA_NOTE: &str = "The client signs with its RSA private key, not with any secret; the server checks the signature with the public key the client registered (RFC 5849 §3.4.3).";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OAuth1Fault {
    None,
    /// The resource request is sent twice, nonce and all.
    ReplayedNonce,
    /// A parameter is changed after the request was signed.
    TamperedSignature,
    /// The resource owner refuses.
    Denied,
}

impl OAuth1Fault {
    pub const ALL: [OAuth1Fault; 4] = [
        OAuth1Fault::None,
        OAuth1Fault::ReplayedNonce,
        OAuth1Fault::TamperedSignature,
        OAuth1Fault::Denied,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OAuth1Fault::None => "No fault",
            OAuth1Fault::ReplayedNonce => "Replayed nonce",
            OAuth1Fault::TamperedSignature => "Tampered signature",
            OAuth1Fault::Denied => "Resource owner denies",
        }
    }

    /// What the protection stops, in a sentence. PLAINTEXT signs nothing
    /// of the request, so a tampered request is not caught under it.
    pub fn lesson(self, method: SignatureMethod) -> &'static str {
        match self {
            OAuth1Fault::None => {
                "The full flow: temporary credentials, authorization, token credentials, a signed resource request."
            }
            OAuth1Fault::ReplayedNonce if method == SignatureMethod::Plaintext => {
                "Someone who captured a request resends it unchanged, and the server answers 200 OK: with PLAINTEXT the nonce and timestamp may be omitted (RFC 5849 §3.3), so this server does not track them, and nothing tells a replay from the original. PLAINTEXT relies on TLS to keep requests from being captured at all."
            }
            OAuth1Fault::ReplayedNonce => {
                "Someone who captured a signed request resends it unchanged. The signature is still valid, so only the nonce check (RFC 5849 §3.3) stops the replay; without it, the attacker could repeat any request the client made."
            }
            OAuth1Fault::TamperedSignature if method == SignatureMethod::Plaintext => {
                "A parameter is changed in transit after signing, and the server answers 200 OK: PLAINTEXT signs no part of the request, it only sends the secrets (RFC 5849 §3.4.4), so nothing shows the change. Anyone on the path can rewrite any parameter, and read the secrets as well; PLAINTEXT relies on TLS alone."
            }
            OAuth1Fault::TamperedSignature => {
                "A parameter is changed in transit after signing. The server recomputes the base string, the signatures differ, and it answers signature_invalid; without signatures, anyone on the path could rewrite requests."
            }
            OAuth1Fault::Denied => {
                "The resource owner refuses on the authorization page. The server sends no verifier, so the client can never obtain token credentials."
            }
        }
    }
}

pub fn endpoints() -> ServerEndpoints {
    ServerEndpoints {
        temporary_credentials: format!("{OAUTH1_SERVER}/initiate"),
        resource_owner_authorization: format!("{OAUTH1_SERVER}/authorize"),
        token_credentials: format!("{OAUTH1_SERVER}/token"),
    }
}

/// Runs the whole flow in `world` and records every exchange.
pub fn run(world: &mut World, method: SignatureMethod, fault: OAuth1Fault) -> Trace {
    let mut trace = Trace::default();
    // A failed step ends the flow, and the trace says where.
    let _ = run_steps(world, method, fault, &mut trace);
    trace
}

fn run_steps(
    world: &mut World,
    method: SignatureMethod,
    fault: OAuth1Fault,
    trace: &mut Trace,
) -> Result<(), FlowError> {
    let client = Credentials {
        identifier: CONSUMER_KEY.to_owned(),
        secret: CONSUMER_SECRET.to_owned(),
    };
    let endpoints = endpoints();

    // 1. Temporary credentials (§2.1).
    let signer = signer_with(world, &client, None, method);
    let (request, steps) = temporary_credentials_request(&endpoints, &signer, CALLBACK)?;
    let response = world.handle(&request);
    let temporary = process_credentials_response(&response, true);
    let signed_with = match &steps.signing_key {
        Some(key) => format!(
            "The client signs with its client credentials only (key \"{key}\", empty token secret)."
        ),
        None => RSA_NOTE.to_owned(),
    };
    trace.push(
        Exchange::http(
            Role::Client,
            Role::Server,
            "Temporary credentials request",
            &request,
            &response,
        )
        .explained(
            &format!("{signed_with} {}", what_is_signed(&steps)),
            "RFC 5849 §2.1",
        )
        .failed(temporary.as_ref().err().map(ToString::to_string)),
    );
    let temporary = temporary?;

    // 2. Resource owner authorization (§2.2), in the browser.
    let url = authorization_url(&endpoints, &temporary);
    trace.push(Exchange::navigation(Role::Client, Role::ResourceOwner, "Redirect to the server's authorization page", &url).explained("The client sends the browser to the server with the temporary token; the resource owner signs in there, never at the client.", "RFC 5849 §2.2"));
    let approve = fault != OAuth1Fault::Denied;
    let callback = world
        .authorize_oauth1(&temporary.identifier, approve)
        .map_err(FlowError::Rejected)?;
    let verifier = process_callback(&callback, &temporary);
    let mut back = Exchange::navigation(Role::ResourceOwner, Role::Client, if approve {
            "Approved: back to the callback with a verifier"
        } else {
            "Denied: back to the callback"
        }, &callback).explained("The server redirects the browser to the callback. The verifier proves the same person who approved is finishing the flow.", "RFC 5849 §2.2");
    back = back.failed(verifier.as_ref().err().map(ToString::to_string));
    trace.push(back);
    let verifier = verifier?;

    // 3. Token credentials (§2.3).
    let signer = signer_with(world, &client, Some(&temporary), method);
    let (request, steps) = token_credentials_request(&endpoints, &signer, &verifier)?;
    let response = world.handle(&request);
    let token = process_credentials_response(&response, false);
    let signed_with = if method.is_rsa() {
        RSA_NOTE
    } else {
        "Signing key: client secret & temporary secret."
    };
    trace.push(
        Exchange::http(
            Role::Client,
            Role::Server,
            "Token credentials request",
            &request,
            &response,
        )
        .explained(
            &format!(
                "Signed with the temporary credentials and carrying the verifier. {signed_with} {}",
                what_is_signed(&steps)
            ),
            "RFC 5849 §2.3",
        )
        .failed(token.as_ref().err().map(ToString::to_string)),
    );
    let token = token?;

    // 4. The protected resource (§3).
    let signer = signer_with(world, &client, Some(&token), method);
    let resource = format!("{OAUTH1_SERVER}/photos?size=original");
    let (mut request, steps) = signed_request("GET", &resource, &signer, &[])?;
    if fault == OAuth1Fault::TamperedSignature {
        request.url = format!("{OAUTH1_SERVER}/photos?size=thumbnail");
    }
    let response = world.handle(&request);
    let failure = (!(200..300).contains(&response.status)).then(|| problem_of(&response));
    trace.push(
        Exchange::http(
            Role::Client,
            Role::Server,
            "Protected resource request",
            &request,
            &response,
        )
        .explained(
            &format!(
                "Every request is signed with the token credentials. {}{}",
                what_is_signed(&steps),
                tampering_note(fault, method)
            ),
            "RFC 5849 §3",
        )
        .failed(failure.as_ref().map(ToString::to_string)),
    );

    if fault == OAuth1Fault::ReplayedNonce {
        let replay = world.handle(&request);
        let failure = (!(200..300).contains(&replay.status)).then(|| problem_of(&replay));
        let note = if failure.is_some() {
            "The identical signed request is sent again. Its signature still verifies; the server refuses it because it has seen this nonce with this timestamp before."
        } else {
            "The identical request is sent again and succeeds: RFC 5849 §3.3 lets servers skip the nonce and timestamp for PLAINTEXT, which signs nothing but the secrets. That is why PLAINTEXT must only travel over TLS."
        };
        let exchange = Exchange::http(
            Role::Attacker,
            Role::Server,
            "Replay of the same request (attacker)",
            &request,
            &replay,
        )
        .explained(note, "RFC 5849 §3.3")
        .failed(failure.as_ref().map(ToString::to_string));
        trace.push(exchange);
    }
    Ok(())
}

/// What the signature covers: the base string, except for PLAINTEXT,
/// whose signature is the signing key itself (RFC 5849 §3.4.4).
fn what_is_signed(steps: &SignatureSteps) -> String {
    if steps.signature_method == SignatureMethod::Plaintext {
        format!(
            "PLAINTEXT signs no base string: oauth_signature is the signing key itself, \"{}\", percent-encoded again in the header (RFC 5849 §3.4.4).",
            steps.signature
        )
    } else {
        format!("Base string signed: {}", steps.base_string)
    }
}

/// The tampered resource request says what changed and why it is or is not
/// caught.
fn tampering_note(fault: OAuth1Fault, method: SignatureMethod) -> &'static str {
    match fault {
        OAuth1Fault::TamperedSignature if method == SignatureMethod::Plaintext => {
            " After signing, size=original was changed to size=thumbnail. PLAINTEXT signs no part of the request, so the server cannot see the change and answers 200 OK: an attacker on the path can rewrite any parameter. PLAINTEXT relies on TLS alone."
        }
        OAuth1Fault::TamperedSignature => {
            " After signing, size=original was changed to size=thumbnail. The server's base string no longer matches the one signed, so it answers signature_invalid."
        }
        _ => "",
    }
}

/// Nonce and timestamp come from the world, so a seeded run is reproducible.
/// The RSA methods sign with the client's fixed test key.
fn signer_with<'a>(
    world: &mut World,
    client: &'a Credentials,
    token: Option<&'a Credentials>,
    method: SignatureMethod,
) -> KeyedSigner<'a> {
    KeyedSigner {
        signer: Signer {
            client,
            token,
            method,
            nonce: nonce_from_bytes(&world.client_random(8)),
            timestamp: world.now.to_string(),
        },
        rsa_private_key_pem: method.is_rsa().then_some(CLIENT_RSA_PRIVATE_KEY),
    }
}

fn problem_of(response: &Response) -> FlowError {
    let problem = url::form_urlencoded::parse(response.body.as_bytes())
        .find(|(n, _)| n == "oauth_problem")
        .map(|(_, v)| v.into_owned());
    FlowError::Server {
        status: response.status,
        problem,
        body: response.body.clone(),
    }
}
