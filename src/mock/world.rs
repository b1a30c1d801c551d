//! The mock world: every server role, one clock and one source of
//! randomness. A fixed seed and start time make every value reproducible.

use super::authorization_server::{AuthorizationServer, AuthorizeOutcome, Decision};
use super::oauth1_server::OAuth1Server;
use super::rng::SeededRandom;
use super::{AUTHORIZATION_SERVER, OAUTH1_SERVER, RESOURCE_SERVER, json_response, resource_server};
use crate::http::{Request, Response};

pub struct World {
    /// Unix seconds; only `advance` moves it, so time is a choice.
    pub now: u64,
    random: SeededRandom,
    pub authorization_server: AuthorizationServer,
    pub oauth1_server: OAuth1Server,
}

impl World {
    pub fn new(seed: &[u8], now: u64) -> World {
        let mut random = SeededRandom::new(seed);
        World {
            now,
            authorization_server: AuthorizationServer::new(&mut random),
            oauth1_server: OAuth1Server::default(),
            random,
        }
    }

    /// The back channel: a request to one of the servers, by origin.
    pub fn handle(&mut self, request: &Request) -> Response {
        let origin_of = |prefix: &str| {
            request
                .url
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
        };
        if origin_of(AUTHORIZATION_SERVER) {
            self.authorization_server
                .handle(request, &mut self.random, self.now)
        } else if origin_of(RESOURCE_SERVER) {
            resource_server::handle(&self.authorization_server, request, self.now)
        } else if origin_of(OAUTH1_SERVER) {
            self.oauth1_server
                .handle(request, &mut self.random, self.now)
        } else {
            json_response(
                502,
                &serde_json::json!({ "error": "no such host in the mock world" }),
            )
        }
    }

    /// The front channel: the browser navigates to the authorization endpoint.
    pub fn authorize(&mut self, url: &str) -> AuthorizeOutcome {
        self.authorization_server.authorize(url, &mut self.random)
    }

    pub fn decide(&mut self, pending_id: &str, decision: Decision) -> Option<String> {
        self.authorization_server
            .decide(pending_id, decision, &mut self.random, self.now)
    }

    pub fn decide_device(&mut self, user_code: &str, decision: Decision) -> Result<(), String> {
        self.authorization_server.decide_device(user_code, decision)
    }

    pub fn authorize_oauth1(
        &mut self,
        temporary_token: &str,
        approve: bool,
    ) -> Result<String, String> {
        self.oauth1_server
            .authorize(temporary_token, approve, &mut self.random)
    }

    /// Random octets for the client's own use (state, nonce, verifier), so
    /// a seeded world reproduces the client's values too.
    pub fn client_random(&mut self, octets: usize) -> Vec<u8> {
        let mut bytes = vec![0u8; octets];
        self.random.fill(&mut bytes);
        bytes
    }

    pub fn advance(&mut self, seconds: u64) {
        self.now += seconds;
    }
}
