//! The real half of the transport seam: `fetch` in the browser. The mock
//! half is `mock::World::handle`; the client code is the same for both.

use gloo_net::http::{Method, RequestBuilder};

use crate::http::{Request, Response};

/// Why a request got no response. Browsers report a CORS refusal and a
/// network failure the same way, on purpose, so we cannot tell which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    pub reason: String,
}

pub async fn send(request: &Request) -> Result<Response, Blocked> {
    let method = Method::from_bytes(request.method.as_bytes()).map_err(|e| Blocked {
        reason: e.to_string(),
    })?;
    let mut builder = RequestBuilder::new(&request.url).method(method);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let built = match &request.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    }
    .map_err(|e| Blocked {
        reason: e.to_string(),
    })?;

    let response = built.send().await.map_err(|e| Blocked {
        reason: e.to_string(),
    })?;
    let headers = response.headers().entries().collect();
    let body = response.text().await.map_err(|e| Blocked {
        reason: e.to_string(),
    })?;
    Ok(Response {
        status: response.status(),
        headers,
        body,
    })
}
