//! Who is who in OAuth 2.0 and OAuth 1.0a.

use leptos::prelude::*;

#[component]
pub fn Roles() -> impl IntoView {
    view! {
        <section class="panel prose">
            <h1>"About the roles"</h1>
            <p>
                "Every OAuth exchange is between a few parties with distinct jobs. \
                 Knowing who is talking to whom explains most of the protocol."
            </p>

            <h2>"OAuth 2.0 (RFC 6749 §1.1)"</h2>
            <dl class="roles">
                <dt>"Resource owner"</dt>
                <dd>"The person who can grant access to their data: you, at the consent screen."</dd>
                <dt>"Client"</dt>
                <dd>
                    "The application asking for access. A browser app such as this playground is a "
                    <em>"public"</em>
                    " client: it cannot keep a secret, so it proves itself with PKCE instead."
                </dd>
                <dt>"Authorization server"</dt>
                <dd>
                    "Authenticates the resource owner, asks for consent, and issues codes and \
                     tokens at its authorization and token endpoints."
                </dd>
                <dt>"Resource server"</dt>
                <dd>"The API holding the data. It accepts requests carrying a valid access token."</dd>
            </dl>

            <h2>"OAuth 1.0a (RFC 5849 §1.1)"</h2>
            <dl class="roles">
                <dt>"Resource owner"</dt>
                <dd>"The user who authorizes the client, as in OAuth 2.0."</dd>
                <dt>"Client"</dt>
                <dd>
                    "Signs every request with its client credentials (consumer key and secret) \
                     and, once authorized, its token credentials."
                </dd>
                <dt>"Server"</dt>
                <dd>
                    "One party does everything: it issues temporary credentials, lets the \
                     resource owner authorize them, exchanges them for token credentials, and \
                     serves the protected resources, checking each signature."
                </dd>
            </dl>

            <h2>"How OAuth 2.0 splits the server"</h2>
            <p>
                "OAuth 2.0 divides the OAuth 1.0a server in two: the authorization server \
                 issues tokens, the resource server accepts them. They may be run by different \
                 teams, so access tokens are bearer tokens checked by the resource server, and \
                 requests are protected by TLS rather than by per-request signatures."
            </p>
        </section>
    }
}
