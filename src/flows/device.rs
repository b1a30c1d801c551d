//! The device authorization grant (RFC 8628) against the in-page server:
//! the client asks for a user code, polls while you enter it on the
//! server's page, and backs off when told to slow down.

use crate::mock::authorization_server::Decision;
use crate::mock::{AUTHORIZATION_SERVER, World};
use crate::oauth2::device::{
    DeviceAuthorization, DevicePolling, PollAction, StopReason, device_authorization_request,
    process_device_authorization_response,
};
use crate::oauth2::token::{
    ClientAuthentication, device_code_grant_request, process_token_response,
};
use crate::trace::{Exchange, Role, Trace};

/// What the resource owner did on the user-code page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserCodeEntry {
    pub typed: String,
    pub decision: Decision,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRun {
    pub trace: Trace,
    /// The code shown on the device, once issued.
    pub user_code: Option<String>,
    pub verification_uri: Option<String>,
    /// Set while the flow waits for the user-code page; holds the last
    /// complaint of that page, if any.
    pub waiting: Option<Option<String>>,
}

/// Runs the flow; `entries` are the user's attempts on the user-code page,
/// in order. `expire` lets the code run out before anyone enters it.
pub fn run(world: &mut World, entries: &[UserCodeEntry], expire: bool) -> DeviceRun {
    let mut run = DeviceRun {
        trace: Trace::default(),
        user_code: None,
        verification_uri: None,
        waiting: None,
    };
    let client = ClientAuthentication::None {
        client_id: "playground-spa".to_owned(),
    };
    let endpoint = format!("{AUTHORIZATION_SERVER}/device_authorization");
    let token_endpoint = format!("{AUTHORIZATION_SERVER}/token");

    // §3.1: the device asks for codes.
    let Ok(request) = device_authorization_request(&endpoint, &client, Some("openid profile"))
    else {
        return run;
    };
    let response = world.handle(&request);
    let authorization = process_device_authorization_response(&response);
    run.trace.push(
        Exchange::http(Role::Client, Role::AuthorizationServer, "Device authorization request", &request, &response)
            .explained(
                "A device without a browser (a TV, a CLI) asks for a device code and a short user code to show.",
                "RFC 8628 §3.1, §3.2",
            )
            .failed(authorization.as_ref().err().map(ToString::to_string)),
    );
    let Ok(authorization) = authorization else {
        return run;
    };
    run.user_code = Some(authorization.user_code.clone());
    run.verification_uri = Some(authorization.verification_uri.clone());
    run.trace.push(
        Exchange::navigation(Role::Client, Role::ResourceOwner, "Show the user code", "")
            .explained(
                &format!(
                    "The device shows: visit {} and enter {}.",
                    authorization.verification_uri, authorization.user_code
                ),
                "RFC 8628 §3.3",
            ),
    );

    let mut poller = Poller {
        polling: DevicePolling::new(&authorization, world.now),
        client,
        token_endpoint,
        authorization: authorization.clone(),
    };

    // The device polls at once, then too soon again, and is told to slow down.
    poller.poll(world, &mut run, "Poll the token endpoint");
    poller.poll(world, &mut run, "Poll again, too soon");

    if expire {
        world.advance(authorization.expires_in + 1);
        poller.poll(world, &mut run, "Poll after the code expired");
        return run;
    }
    if !enter_codes(world, &mut run, &authorization, entries) {
        return run;
    }

    world.advance(poller.polling.interval());
    poller.poll(world, &mut run, "Poll after waiting the interval");
    run
}

/// The device's side of the polling (RFC 8628 §3.4, §3.5).
struct Poller {
    polling: DevicePolling,
    client: ClientAuthentication,
    token_endpoint: String,
    authorization: DeviceAuthorization,
}

impl Poller {
    fn poll(&mut self, world: &mut World, run: &mut DeviceRun, title: &str) -> PollAction {
        let Ok(request) = device_code_grant_request(
            &self.token_endpoint,
            &self.client,
            &self.authorization.device_code,
        ) else {
            return PollAction::Stop(StopReason::Expired);
        };
        let response = world.handle(&request);
        let result = process_token_response(&response, Some("openid profile"));
        let failure = result.as_ref().err().map(ToString::to_string);
        let action = self.polling.on_token_response(result, world.now);
        run.trace.push(
            Exchange::http(
                Role::Client,
                Role::AuthorizationServer,
                title,
                &request,
                &response,
            )
            .explained(poll_note(&action), "RFC 8628 §3.4, §3.5")
            .failed(failure.filter(|_| matches!(action, PollAction::Stop(_)))),
        );
        action
    }
}

/// The user-code page; returns whether a decision was made.
fn enter_codes(
    world: &mut World,
    run: &mut DeviceRun,
    authorization: &DeviceAuthorization,
    entries: &[UserCodeEntry],
) -> bool {
    let mut complaint = None;
    for entry in entries {
        let outcome = world.decide_device(&entry.typed, entry.decision.clone());
        let verb = if entry.decision == Decision::Deny {
            "Deny"
        } else {
            "Approve"
        };
        run.trace.push(
            Exchange::navigation(
                Role::ResourceOwner,
                Role::AuthorizationServer,
                &format!("{verb} on the user-code page"),
                &authorization.verification_uri,
            )
            .explained(
                &format!(
                    "On another device you open {} and type the code \"{}\".",
                    authorization.verification_uri, entry.typed
                ),
                "RFC 8628 §3.3",
            )
            .failed(outcome.as_ref().err().cloned()),
        );
        match outcome {
            Ok(()) => return true,
            Err(message) => complaint = Some(message),
        }
    }
    run.waiting = Some(complaint);
    false
}

fn poll_note(action: &PollAction) -> &'static str {
    match action {
        PollAction::PollAt { .. } => {
            "Not yet: the device keeps polling, no faster than the interval it was given (and 5 s slower after each slow_down)."
        }
        PollAction::Granted(tokens) if tokens.refresh_token.is_none() => {
            "You approved, so the next poll returns the tokens. There is no refresh token: the device did not request offline_access (OpenID Connect Core §11), so once the access token expires it must show a new code."
        }
        PollAction::Granted(_) => "You approved, so the next poll returns the tokens.",
        PollAction::Stop(StopReason::AccessDenied) => {
            "You denied the request: the device stops polling."
        }
        PollAction::Stop(StopReason::Expired) => {
            "The device code expired before anyone approved it: the device must start again."
        }
        PollAction::Stop(_) => "The server answered with an error that ends the polling.",
    }
}
