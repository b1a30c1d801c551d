// A real OpenID Provider for the end-to-end tests: oidc-provider 9.x on
// 127.0.0.1 with its own login and consent pages, two public clients
// ("playground", allowed by CORS, and "no-cors", refused at the token,
// revocation, introspection, device and userinfo endpoints), PKCE (S256),
// refresh tokens with rotation, revocation, introspection, the device flow
// and userinfo.
//
// By hand: `node tests/e2e/oidc-server.mjs [port] [playground origin] [redirect URI…]`
// (port 3000 and http://127.0.0.1:8080 by default; the redirect URI defaults
// to <origin>/ and <origin>/docs/playground/). Set OIDC_VERBOSE=1 to see
// oidc-provider's own development warnings, OIDC_DEBUG=1 to log every error
// answered (with oidc-provider's error_detail).
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';

// oidc-provider prints development-only warnings and notices (in-memory
// adapter, devInteractions, "Unsupported runtime" on Node 20, default
// helpers called…) through console.warn/console.info. They are expected
// here; keep the test output quiet unless asked.
if (!process.env.OIDC_VERBOSE) {
  for (const level of ['warn', 'info']) {
    const original = console[level].bind(console);
    console[level] = (...args) => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider ')) return;
      original(...args);
    };
  }
}
const { default: Provider, errors: oidcErrors } = await import('oidc-provider');

// A fixed account for any login: sub is the login name.
function account(sub) {
  return {
    accountId: sub,
    async claims() {
      return {
        sub,
        name: `Test User ${sub}`,
        given_name: 'Test',
        family_name: `User ${sub}`,
        preferred_username: sub,
        email: `${sub}@example.test`,
        email_verified: true,
      };
    },
  };
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

export async function startOidcServer({ port = 0, playgroundOrigin, redirectUris }) {
  if (!playgroundOrigin) throw new Error('startOidcServer: playgroundOrigin is required');
  if (!redirectUris?.length) throw new Error('startOidcServer: redirectUris is required');

  // Listen first so that port 0 can be resolved into the issuer.
  const server = createServer();
  const actualPort = await listen(server, port);
  const issuer = `http://127.0.0.1:${actualPort}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'playground-test-rs256', use: 'sig', alg: 'RS256' };

  const clientMetadata = {
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
    redirect_uris: redirectUris,
  };

  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'playground', ...clientMetadata },
      { client_id: 'no-cors', ...clientMetadata },
    ],
    // Discovery and JWKS answer every origin (oidc-provider's own "open"
    // CORS); this decides the client-based endpoints: token, revocation,
    // introspection, device authorization and userinfo.
    clientBasedCORS(ctx, origin, client) {
      return client.clientId === 'playground' && origin === playgroundOrigin;
    },
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    async findAccount(ctx, sub) {
      return account(sub);
    },
    // oidc-provider's default issues a refresh token only when offline_access
    // was granted, and (following OpenID Connect Core 11) it drops
    // offline_access from an authorization request unless prompt=consent is
    // sent too. Simplest for the playground: every code or device grant of a
    // client allowed the refresh_token grant yields a refresh token, whether
    // or not offline_access survives.
    async issueRefreshToken(ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },
    rotateRefreshToken: true,
    features: {
      devInteractions: { enabled: true },
      revocation: {
        enabled: true,
        async allowedPolicy(ctx, client, token) {
          // A public client may revoke only its own tokens.
          if (token.clientId !== client.clientId) {
            if (client.clientAuthMethod === 'none') return false;
            throw new oidcErrors.InvalidRequest('client is not authorized to revoke the presented token');
          }
          return true;
        },
      },
      introspection: {
        enabled: true,
        async allowedPolicy(ctx, client, token) {
          // A public client may introspect its own tokens (answered as
          // inactive otherwise).
          return !(client.clientAuthMethod === 'none' && token.clientId !== client.clientId);
        },
      },
      deviceFlow: { enabled: true },
      userinfo: { enabled: true },
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      DeviceCode: 600,
      IdToken: 3600,
      RefreshToken: 86400,
      Interaction: 3600,
      Session: 86400,
      Grant: 86400,
    },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
  });
  provider.on('server_error', (ctx, error) => {
    console.error(`oidc-server: server_error on ${ctx.method} ${ctx.path}:`, error);
  });

  if (process.env.OIDC_DEBUG) {
    for (const event of ['authorization.error', 'grant.error', 'userinfo.error', 'revocation.error',
      'introspection.error', 'device_authorization.error', 'code_verification.error', 'device_resume.error']) {
      provider.on(event, (ctx, error) => {
        console.error(`oidc-server: ${event}: ${error.error} (${error.error_detail ?? error.error_description})`);
      });
    }
  }
  const handle = provider.callback();
  server.on('request', (req, res) => {
    // Browsers ask every top-level page's origin for a favicon; an empty
    // answer keeps a 404 out of the console of the provider's pages.
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    handle(req, res);
  });

  return {
    issuer,
    provider,
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 3000);
  const playgroundOrigin = process.argv[3] ?? 'http://127.0.0.1:8080';
  const redirectUris = process.argv.length > 4
    ? process.argv.slice(4)
    : [`${playgroundOrigin}/`, `${playgroundOrigin}/docs/playground/`];
  const { issuer } = await startOidcServer({ port, playgroundOrigin, redirectUris });
  console.log(issuer);
}
