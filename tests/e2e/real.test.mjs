// Real-provider mode against a real authorization server (oidc-provider,
// tests/e2e/oidc-server.mjs): every flow clicked through in the page, with
// the server's own login, consent and device pages, and each attack the
// server (or the playground) must stop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { PREFIX, openPage, screenshot } from './helpers.mjs';
import { serveStatic } from './static-server.mjs';
import { startOidcServer } from './oidc-server.mjs';

// A fixed port, so that the redirect URI registered with the provider is
// known before the playground is served.
const PORT = Number(process.env.PLAYGROUND_PORT ?? 8931);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const REDIRECT_URI = `${ORIGIN}${PREFIX}`;
const BASE = `${ORIGIN}${PREFIX}`;
const SLOW = { timeout: 20_000 };

let server;
let oidc;
let browser;

before(async () => {
  server = await serveStatic({ root: 'dist', prefix: PREFIX, port: PORT });
  oidc = await startOidcServer({ port: 0, playgroundOrigin: ORIGIN, redirectUris: [REDIRECT_URI] });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
  await oidc?.close();
  server?.close();
});

// ---------------------------------------------------------------------------
// Console errors. openPage collects every console error as text. The
// provider's own pages ask for web fonts from the internet, which every test
// aborts: those "Failed to load resource" errors from hosts other than
// 127.0.0.1 are expected, and only those (the CORS test expects the
// browser's CORS refusal of the token endpoint as well).

function abortedExternalLoad({ text, url }) {
  return text.startsWith('Failed to load resource')
    && /^https?:\/\//.test(url) && !/^https?:\/\/127\.0\.0\.1[:/]/.test(url);
}

/// Opens the playground in Real mode and keeps track of console errors.
async function openReal(hash = '#/oauth2') {
  const { page, errors, context } = await openPage(browser, `${BASE}${hash}`);
  const tracked = trackErrors(page, errors);
  await page.getByRole('radio', { name: 'Real provider', exact: true }).check();
  await page.getByLabel('Issuer', { exact: true }).waitFor();
  return { page, context, tracked };
}

/// Records each console error with the URL it is about, next to openPage's
/// plain list (which also has the errors of the first load, before this
/// listener existed); `unexpected` takes the expected ones out of that list.
function trackErrors(page, errors) {
  const seen = [];
  const listen = (target, alsoInto) => {
    target.on('console', (message) => {
      if (message.type() !== 'error') return;
      alsoInto?.push(message.text());
      seen.push({ text: message.text(), url: message.location()?.url ?? '' });
    });
  };
  listen(page);
  return {
    /// Another page (a popup, the device verification page) whose errors count too.
    watch(other) {
      other.on('pageerror', (error) => errors.push(String(error)));
      listen(other, errors);
    },
    /// The errors left once the aborted external loads, and those matching
    /// one of `alsoExpected` (predicates on { text, url }), are taken out.
    unexpected(alsoExpected = []) {
      const left = [...errors];
      const where = new Map();
      for (const entry of seen) {
        if (abortedExternalLoad(entry) || alsoExpected.some((expected) => expected(entry))) {
          const at = left.indexOf(entry.text);
          if (at >= 0) left.splice(at, 1);
        } else if (entry.url) {
          where.set(entry.text, entry.url);
        }
      }
      // Name the resource a load error is about, to tell them apart.
      return left.map((text) => (where.has(text) ? `${text} [${where.get(text)}]` : text));
    },
  };
}

/// The console error a browser logs for any 4xx/5xx answer to fetch.
function refusedBy(url, status) {
  return (entry) => entry.url === url
    && entry.text.startsWith(`Failed to load resource: the server responded with a status of ${status}`);
}

// ---------------------------------------------------------------------------
// Steps shared by the tests.

async function discover(page, clientId = 'playground') {
  await page.getByLabel('Issuer', { exact: true }).fill(oidc.issuer);
  await page.getByRole('button', { name: 'Discover', exact: true }).click();
  const tokenEndpoint = page.getByLabel('Token endpoint', { exact: true });
  await page.waitForFunction(
    (id) => document.getElementById(id)?.value !== '',
    await tokenEndpoint.getAttribute('id'),
    SLOW,
  );
  await page.getByLabel('Client ID', { exact: true }).fill(clientId);
}

async function buildAuthorizationRequest(page) {
  await page.getByRole('button', { name: 'Build authorization request', exact: true }).click();
  const url = await page.getByTestId('authorization-url').innerText();
  assert.ok(url.startsWith(`${oidc.issuer}/auth?`), url);
  return new URL(url);
}

/// The server's login page: typed in, then Enter.
async function logIn(page, login = 'alice') {
  const field = page.locator('input[name=login]');
  await field.waitFor(SLOW);
  await field.click();
  await field.pressSequentially(login);
  await page.locator('input[name=password]').click();
  await page.keyboard.type('any password');
  await page.keyboard.press('Enter');
}

/// The server's consent page ("Authorize"): Continue, or [ Cancel ].
async function consent(page, { approve = true } = {}) {
  await page.getByRole('heading', { name: 'Authorize' }).waitFor(SLOW);
  if (approve) await page.getByRole('button', { name: 'Continue', exact: true }).click();
  else await page.getByRole('link', { name: '[ Cancel ]', exact: true }).click();
}

/// Open here → log in → consent → back at the playground.
async function authorizeHere(page, { approve = true, shot } = {}) {
  await page.getByRole('button', { name: 'Open here', exact: true }).click();
  await page.waitForURL(`${oidc.issuer}/**`, SLOW);
  if (shot) await screenshot(page, `${shot}-login`);
  await logIn(page);
  if (shot) {
    await page.getByRole('heading', { name: 'Authorize' }).waitFor(SLOW);
    await screenshot(page, `${shot}-consent`);
  }
  await consent(page, { approve });
  await page.waitForURL(`${REDIRECT_URI}**`, SLOW);
  const result = page.getByTestId('callback-result');
  await result.waitFor(SLOW);
  return result.innerText();
}

/// The panel of one exchange, once its response (or its blocking) is shown.
async function exchangePanel(page, name, { text } = {}) {
  const panel = page.getByTestId(`exchange-${name}`);
  const shown = text ? panel.filter({ hasText: text }) : panel;
  await shown.waitFor(SLOW);
  await panel.locator('[data-testid="raw-response"], [data-testid="blocked"]').first().waitFor(SLOW);
  return panel;
}

async function rawResponse(panel) {
  return panel.getByTestId('raw-response').innerText();
}

function bodyOf(raw) {
  const at = raw.search(/\r?\n\r?\n/);
  return JSON.parse(raw.slice(at).trim());
}

/// Remembers the first URL the provider redirects back to, code and state
/// in it (later navigations, such as a test's own forged one, do not count).
function watchRedirect(page) {
  const seen = { url: undefined };
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.url().startsWith(REDIRECT_URI) && request.url().includes('code=')) {
      seen.url ??= request.url();
    }
  });
  return seen;
}

async function exchangeCode(page) {
  await page.getByRole('button', { name: 'Exchange the code', exact: true }).click();
  return exchangePanel(page, 'token');
}

// ---------------------------------------------------------------------------

test('discovery, authorization with login and consent, code exchange, userinfo, refresh with rotation, introspection and revocation; the ID token checks out against the JWKS', async () => {
  const { page, tracked } = await openReal();

  await discover(page);
  const field = (label) => page.getByLabel(label, { exact: true }).inputValue();
  assert.equal(await field('Authorization endpoint'), `${oidc.issuer}/auth`);
  assert.equal(await field('Token endpoint'), `${oidc.issuer}/token`);
  assert.equal(await field('Userinfo endpoint'), `${oidc.issuer}/me`);
  assert.equal(await field('Revocation endpoint'), `${oidc.issuer}/token/revocation`);
  assert.equal(await field('Introspection endpoint'), `${oidc.issuer}/token/introspection`);
  assert.equal(await field('Device authorization endpoint'), `${oidc.issuer}/device/auth`);
  assert.equal(await field('JWKS URI'), `${oidc.issuer}/jwks`);
  assert.equal(await field('Redirect URI'), REDIRECT_URI);
  await screenshot(page, 'real-discovered');

  const authorization = await buildAuthorizationRequest(page);
  const params = authorization.searchParams;
  assert.equal(params.get('client_id'), 'playground');
  assert.equal(params.get('response_type'), 'code');
  assert.equal(params.get('redirect_uri'), REDIRECT_URI);
  assert.equal(params.get('code_challenge_method'), 'S256');
  assert.match(params.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.ok(params.get('state'), 'state sent');
  assert.ok(params.get('nonce'), 'nonce sent with openid');
  assert.match(params.get('scope'), /\bopenid\b/);

  const callback = await authorizeHere(page, { shot: 'real-server' });
  assert.match(callback, /Authorization code received/);
  assert.ok(!page.url().includes('code='), `the code stays in the address bar: ${page.url()}`);
  assert.equal(await page.getByRole('radio', { name: 'Real provider' }).isChecked(), true);
  await screenshot(page, 'real-callback');

  const token = await exchangeCode(page);
  const tokenRequest = await token.getByTestId('raw-request').innerText();
  assert.match(tokenRequest, /^POST \/token HTTP\/1\.1/);
  assert.match(tokenRequest, /grant_type=authorization_code/);
  assert.match(tokenRequest, /code_verifier=[A-Za-z0-9_-]{43}/);
  const tokenResponse = await rawResponse(token);
  assert.match(tokenResponse, /^HTTP\/1\.1 200/);
  const issued = bodyOf(tokenResponse);
  assert.ok(issued.access_token && issued.id_token && issued.refresh_token, Object.keys(issued).join());
  const summary = page.getByTestId('tokens');
  const firstSummary = await summary.innerText();
  assert.match(firstSummary, /refresh_token/);
  assert.match(firstSummary, /id_token/);

  await page.getByRole('button', { name: 'Userinfo', exact: true }).click();
  const userinfo = await exchangePanel(page, 'userinfo');
  assert.match(await userinfo.getByTestId('raw-request').innerText(), /^GET \/me HTTP\/1\.1[\s\S]*Authorization: Bearer /i);
  const userinfoResponse = await rawResponse(userinfo);
  assert.match(userinfoResponse, /^HTTP\/1\.1 200/);
  assert.equal(bodyOf(userinfoResponse).sub, 'alice');

  // Any API, with the access token as Bearer; a bad URL is named beside its field.
  const apiUrl = page.getByLabel(/^API URL/);
  await apiUrl.fill('me, please');
  await page.getByRole('button', { name: 'Call the API', exact: true }).click();
  await page.locator('#rp-resource-error').getByText(/resource_url/).waitFor();
  assert.equal(await apiUrl.getAttribute('aria-invalid'), 'true');
  await apiUrl.fill(`${oidc.issuer}/me`);
  const method = page.getByLabel('Method', { exact: true });
  await method.fill('G E T');
  await page.getByRole('button', { name: 'Call the API', exact: true }).click();
  await page.locator('#rp-resource-method-error').getByText(/not an HTTP method/).waitFor();
  assert.equal(await method.getAttribute('aria-invalid'), 'true');
  assert.equal(await apiUrl.getAttribute('aria-invalid'), null);
  await method.fill('GET');
  await page.getByRole('button', { name: 'Call the API', exact: true }).click();
  const api = await exchangePanel(page, 'resource');
  assert.match(await api.getByTestId('raw-request').innerText(), /^GET \/me HTTP\/1\.1[\s\S]*Authorization: Bearer /);
  assert.match(await rawResponse(api), /^HTTP\/1\.1 200/);
  assert.equal(await page.locator('#rp-resource-error').isHidden(), true);

  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  const refresh = await exchangePanel(page, 'refresh');
  assert.match(await refresh.getByTestId('raw-request').innerText(), /grant_type=refresh_token/);
  const refreshResponse = await rawResponse(refresh);
  assert.match(refreshResponse, /^HTTP\/1\.1 200/);
  const refreshed = bodyOf(refreshResponse);
  assert.ok(refreshed.refresh_token, 'a new refresh token');
  assert.notEqual(refreshed.refresh_token, issued.refresh_token, 'the refresh token rotated');
  await page.waitForFunction((before) => document.querySelector('[data-testid="tokens"]')?.innerText !== before, firstSummary);
  const refreshTokenLine = (text) => text.split('\n').find((line) => line.startsWith('refresh_token'));
  assert.notEqual(refreshTokenLine(await summary.innerText()), refreshTokenLine(firstSummary), 'the summary shows the rotated refresh token');

  await page.getByRole('button', { name: 'Introspect', exact: true }).click();
  const introspect = await exchangePanel(page, 'introspect');
  const introspected = bodyOf(await rawResponse(introspect));
  assert.equal(introspected.active, true);
  assert.equal(introspected.client_id, 'playground');
  await screenshot(page, 'real-token-operations');

  await page.getByRole('button', { name: 'Revoke access token', exact: true }).click();
  let revoke = await exchangePanel(page, 'revoke', { text: 'token_type_hint=access_token' });
  assert.match(await rawResponse(revoke), /^HTTP\/1\.1 200/);
  await page.getByRole('button', { name: 'Revoke refresh token', exact: true }).click();
  revoke = await exchangePanel(page, 'revoke', { text: 'token_type_hint=refresh_token' });
  assert.match(await rawResponse(revoke), /^HTTP\/1\.1 200/);

  // The server no longer accepts the revoked access token.
  await page.getByRole('button', { name: 'Introspect', exact: true }).click();
  await page.getByTestId('exchange-introspect').filter({ hasText: '"active":false' }).waitFor(SLOW);

  await page.getByRole('link', { name: 'Tokens', exact: true }).click();
  await page.getByRole('button', { name: 'ID token', exact: true }).click();
  const checklist = page.getByTestId('checklist');
  await checklist.waitFor(SLOW);
  // The JWKS is fetched after the tokens arrive; the signature row passes
  // once the keys are in.
  await checklist.locator('tr[data-check="signature"].passed').waitFor(SLOW);
  assert.match(await page.getByTestId('token-verdict').innerText(), /^valid/);
  assert.equal(await checklist.locator('tr.failed').count(), 0, await checklist.innerText());
  for (const check of ['iss', 'aud', 'signature']) {
    assert.equal(await checklist.locator(`tr[data-check="${check}"]`).getAttribute('class'), 'passed', check);
  }
  await screenshot(page, 'real-id-token');
  assert.deepEqual(tracked.unexpected(), []);
});

test('device authorization grant: the user code entered on the provider\'s page, polling reaches tokens', async () => {
  const { page, context, tracked } = await openReal();
  await discover(page);

  // The device flow has its own page, sharing the discovered settings.
  await page.getByRole('link', { name: 'device flow page' }).click();
  await page.getByRole('heading', { name: 'Device flow with your provider' }).waitFor();
  assert.equal(await page.getByLabel('Token endpoint', { exact: true }).inputValue(), `${oidc.issuer}/token`);
  // The device grant sends no code_verifier, so that test switch is not offered.
  assert.equal(await page.getByLabel('Send a wrong code_verifier (to test the server)').count(), 0);
  await page.getByRole('button', { name: 'Start device flow', exact: true }).click();
  const userCode = await page.getByTestId('user-code').innerText();
  assert.match(userCode, /^[A-Z]{4}-[A-Z]{4}$/);
  const link = page.getByTestId('verification-uri');
  assert.ok((await link.getAttribute('href')).startsWith(`${oidc.issuer}/device`));
  await screenshot(page, 'real-device-started');

  const [device] = await Promise.all([context.waitForEvent('page'), link.click()]);
  tracked.watch(device);
  await device.waitForLoadState();
  // The link is verification_uri_complete: the provider's page already
  // holds the code. Check that, then enter the code by hand at the plain
  // verification URI, as on a device that can only show the code.
  const prefilled = device.locator('input[name=user_code]');
  await prefilled.waitFor({ state: 'attached', ...SLOW });
  assert.equal(await prefilled.inputValue(), userCode);
  const verificationUri = new URL(device.url());
  verificationUri.search = '';
  await device.goto(verificationUri.href);
  const codeInput = device.locator('input[name=user_code]');
  await codeInput.waitFor(SLOW);
  await codeInput.click();
  await device.keyboard.type(userCode);
  await screenshot(device, 'real-device-code-entry');
  await device.keyboard.press('Enter');

  // oidc-provider asks, in this order: confirm the device, log in, consent.
  await device.getByRole('heading', { name: 'Confirm Device' }).waitFor(SLOW);
  assert.match(await device.locator('body').innerText(), new RegExp(userCode));
  await device.getByRole('button', { name: 'Continue', exact: true }).click();
  await logIn(device, 'dora');
  await consent(device);
  await device.getByText('Sign-in Success').waitFor(SLOW);
  await screenshot(device, 'real-device-success');
  await device.close();

  const status = page.getByTestId('device-status');
  await status.filter({ hasText: /Tokens received$/ }).waitFor({ timeout: 60_000 });
  const summary = await page.getByTestId('tokens').innerText();
  assert.match(summary, /access_token/);
  assert.match(summary, /id_token/);
  await screenshot(page, 'real-device-tokens');
  // Polls before the approval are answered 400 authorization_pending.
  assert.deepEqual(tracked.unexpected([refusedBy(`${oidc.issuer}/token`, 400)]), []);
});

test('consent denied at the provider: the callback shows access_denied', async () => {
  const { page, tracked } = await openReal();
  await discover(page);
  await buildAuthorizationRequest(page);
  const callback = await authorizeHere(page, { approve: false });
  assert.match(callback, /access_denied/);
  assert.doesNotMatch(callback, /Authorization code received/);
  assert.equal(await page.getByRole('button', { name: 'Exchange the code', exact: true }).count(), 0);
  await screenshot(page, 'real-consent-denied');
  assert.deepEqual(tracked.unexpected(), []);
});

test('a callback whose state was changed is rejected (CSRF)', async () => {
  const { page, tracked } = await openReal();
  await discover(page);
  await buildAuthorizationRequest(page);
  const redirect = watchRedirect(page);
  assert.match(await authorizeHere(page), /Authorization code received/);
  assert.ok(redirect.url, 'the redirect back was seen');

  const forged = new URL(redirect.url);
  assert.ok(forged.searchParams.get('code'));
  forged.searchParams.set('state', `${forged.searchParams.get('state')}x`);
  await page.goto(forged.href);
  const result = page.getByTestId('callback-result');
  await result.waitFor(SLOW);
  assert.match(await result.innerText(), /state_mismatch/);
  assert.equal(await page.getByRole('button', { name: 'Exchange the code', exact: true }).count(), 0);
  await screenshot(page, 'real-state-mismatch');

  // The genuine parameters pasted alone (no URL, no "?") are read too; their
  // state already answered the first callback.
  await page.getByText('The provider cannot redirect here? Paste the callback URL').click();
  await page.getByLabel('Callback URL (with code and state)').fill(new URL(redirect.url).search.slice(1));
  await page.getByRole('button', { name: 'Check this callback', exact: true }).click();
  await result.filter({ hasText: 'state_reused' }).waitFor(SLOW);
  assert.deepEqual(tracked.unexpected(), []);
});

test('a callback is good once: coming back to the page keeps the flow, a replayed callback URL is refused', async () => {
  const { page, tracked } = await openReal();
  await discover(page);
  await buildAuthorizationRequest(page);
  const redirect = watchRedirect(page);
  assert.match(await authorizeHere(page), /Authorization code received/);

  // A reload before the exchange keeps the checked callback for this tab.
  await page.reload();
  await page.getByTestId('callback-result').filter({ hasText: 'Authorization code received' }).waitFor(SLOW);
  const token = await exchangeCode(page);
  assert.match(await rawResponse(token), /^HTTP\/1\.1 200/);

  // Another page and back: the same flow, not a second check of the callback.
  await page.getByRole('link', { name: 'Tokens', exact: true }).click();
  await page.getByRole('link', { name: 'OAuth 2.0', exact: true }).click();
  assert.match(await page.getByTestId('callback-result').innerText(), /Authorization code received/);
  assert.match(await page.getByTestId('tokens').innerText(), /access_token/);
  assert.match(await rawResponse(page.getByTestId('exchange-token')), /^HTTP\/1\.1 200/);

  // The same redirect loaded again in this tab is a replay.
  await page.goto(redirect.url);
  const result = page.getByTestId('callback-result');
  await result.filter({ hasText: 'state_reused' }).waitFor(SLOW);
  assert.equal(await page.getByRole('button', { name: 'Exchange the code', exact: true }).count(), 0);
  assert.deepEqual(tracked.unexpected(), []);
});

test('a code exchanged twice: the second exchange gets invalid_grant', async () => {
  const { page, tracked } = await openReal();
  await discover(page);
  await buildAuthorizationRequest(page);
  assert.match(await authorizeHere(page), /Authorization code received/);

  const token = await exchangeCode(page);
  assert.match(await rawResponse(token), /^HTTP\/1\.1 200/);
  await page.getByRole('button', { name: 'Exchange the code', exact: true }).click();
  await page.getByTestId('exchange-token').filter({ hasText: 'invalid_grant' }).waitFor(SLOW);
  const replayed = await rawResponse(page.getByTestId('exchange-token'));
  assert.match(replayed, /^HTTP\/1\.1 400/);
  assert.equal(bodyOf(replayed).error, 'invalid_grant');
  await screenshot(page, 'real-code-replayed');
  assert.deepEqual(tracked.unexpected([refusedBy(`${oidc.issuer}/token`, 400)]), []);
});

test('a wrong code_verifier: invalid_grant', async () => {
  const { page, tracked } = await openReal();
  await discover(page);
  await page.getByLabel('Send a wrong code_verifier (to test the server)').check();
  await buildAuthorizationRequest(page);
  assert.match(await authorizeHere(page), /Authorization code received/);

  const token = await exchangeCode(page);
  const response = await rawResponse(token);
  assert.match(response, /^HTTP\/1\.1 400/);
  assert.equal(bodyOf(response).error, 'invalid_grant');
  assert.match(await token.innerText(), /invalid_grant/);
  await screenshot(page, 'real-wrong-verifier');
  assert.deepEqual(tracked.unexpected([refusedBy(`${oidc.issuer}/token`, 400)]), []);
});

test('a client the provider refuses CORS for: the token request is blocked, run with curl and pasted back', async () => {
  const { page, tracked } = await openReal();
  await discover(page, 'no-cors');
  await buildAuthorizationRequest(page);
  assert.match(await authorizeHere(page), /Authorization code received/);

  const token = await exchangeCode(page);
  const blocked = token.getByTestId('blocked');
  await blocked.waitFor(SLOW);
  assert.match(await blocked.innerText(), /^The browser could not reach/);
  const curl = await token.getByTestId('curl').innerText();
  assert.match(curl, /^curl /);
  assert.match(curl, /grant_type=authorization_code/);
  assert.match(curl, /client_id=no-cors/);
  await screenshot(page, 'real-cors-blocked');

  // Run the command as a user would, outside the browser (no Origin header,
  // so the provider answers), and paste the response body back. Not with
  // execFileSync: the provider runs in this very process.
  const { stdout: output } = await promisify(execFile)('sh', ['-c', curl], {
    encoding: 'utf8',
    timeout: 15_000,
    env: { ...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
  });
  const separator = output.search(/\r?\n\r?\n/);
  const body = output.slice(separator).trim();
  assert.match(output, /^HTTP\/1\.1 200/, output);
  assert.ok(JSON.parse(body).access_token, body);

  const paste = token.getByLabel('Paste the response body');
  await paste.click();
  await paste.fill(body);
  await token.getByRole('button', { name: 'Use this response', exact: true }).click();
  const summary = page.getByTestId('tokens');
  await summary.waitFor(SLOW);
  assert.match(await summary.innerText(), /access_token/);
  await screenshot(page, 'real-cors-pasted');

  // The other token operations are blocked too, and go on the same way.
  await page.getByRole('button', { name: 'Userinfo', exact: true }).click();
  const userinfo = await exchangePanel(page, 'userinfo');
  await userinfo.getByTestId('blocked').waitFor(SLOW);
  const userinfoCurl = await userinfo.getByTestId('curl').innerText();
  assert.match(userinfoCurl, /Authorization: Bearer /);
  const { stdout: userinfoOutput } = await promisify(execFile)('sh', ['-c', userinfoCurl], {
    encoding: 'utf8',
    timeout: 15_000,
    env: { ...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
  });
  assert.match(userinfoOutput, /^HTTP\/1\.1 200/, userinfoOutput);
  // A userinfo about someone else than the ID token's user is refused.
  await userinfo.getByLabel('Paste the response body').fill('{"sub":"mallory"}');
  await userinfo.getByRole('button', { name: 'Use this response', exact: true }).click();
  await userinfo.locator('.field-error').filter({ hasText: 'sub_mismatch' }).waitFor(SLOW);
  await userinfo.getByLabel('Paste the response body').fill(userinfoOutput);
  await userinfo.getByRole('button', { name: 'Use this response', exact: true }).click();
  const pasted = userinfo.getByTestId('raw-response');
  await pasted.waitFor(SLOW);
  assert.equal(bodyOf(await pasted.innerText()).sub, 'alice');
  assert.equal(await userinfo.locator('.field-error').count(), 0, await userinfo.innerText());

  // The browser reports the refusal itself; that, and only for the token
  // endpoint, is expected here.
  const tokenEndpoint = `${oidc.issuer}/token`;
  assert.deepEqual(tracked.unexpected([
    ({ text }) => text.includes(`'${tokenEndpoint}'`) && text.includes('blocked by CORS policy'),
    ({ text, url }) => text.startsWith('Failed to load resource') && url === tokenEndpoint,
    ({ text }) => text.includes(`'${oidc.issuer}/me'`) && text.includes('blocked by CORS policy'),
    ({ text, url }) => text.startsWith('Failed to load resource') && url === `${oidc.issuer}/me`,
  ]), []);
});

test('authorized in a popup: the popup hands the callback to the page and closes', async () => {
  const { page, context, tracked } = await openReal();
  await discover(page);
  await buildAuthorizationRequest(page);

  const [popup] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('button', { name: 'Open in a popup', exact: true }).click(),
  ]);
  tracked.watch(popup);
  const closed = popup.waitForEvent('close', SLOW).then(() => true, () => false);
  await logIn(popup);
  await consent(popup);
  assert.ok(await closed, `the popup hands the callback over and closes; it stayed open at ${popup.isClosed() ? '' : popup.url()}`);

  const result = page.getByTestId('callback-result');
  await result.waitFor(SLOW);
  assert.match(await result.innerText(), /Authorization code received/);
  const token = await exchangeCode(page);
  assert.match(await rawResponse(token), /^HTTP\/1\.1 200/);
  await screenshot(page, 'real-popup-tokens');
  assert.deepEqual(tracked.unexpected(), []);
});

test('a device flow the provider refuses CORS for: the device authorization is run with curl and pasted back', async () => {
  const { page, tracked } = await openReal('#/oauth2/device');
  await discover(page, 'no-cors');
  await page.getByRole('button', { name: 'Start device flow', exact: true }).click();

  const device = await exchangePanel(page, 'device');
  await device.getByTestId('blocked').waitFor(SLOW);
  const curl = await device.getByTestId('curl').innerText();
  assert.match(curl, /client_id=no-cors/);
  const { stdout: output } = await promisify(execFile)('sh', ['-c', curl], {
    encoding: 'utf8',
    timeout: 15_000,
    env: { ...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
  });
  assert.match(output, /^HTTP\/1\.1 200/, output);
  const issuedCode = bodyOf(output).user_code;

  await device.getByLabel('Paste the response body').fill(output);
  await device.getByRole('button', { name: 'Use this response', exact: true }).click();
  assert.equal(await page.getByTestId('user-code').innerText(), issuedCode);
  await page.getByTestId('device-status').filter({ hasText: /polling every/ }).waitFor(SLOW);
  await screenshot(page, 'real-device-pasted');

  // The refusal of the device endpoint, and of any poll sent meanwhile.
  assert.deepEqual(tracked.unexpected([
    ({ text }) => text.includes(`from origin '${ORIGIN}'`) && text.includes('blocked by CORS policy'),
    ({ text, url }) => text.startsWith('Failed to load resource') && url.startsWith(oidc.issuer),
  ]), []);
});
