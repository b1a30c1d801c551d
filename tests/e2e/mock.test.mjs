// Mock mode: whole flows clicked through in the page, each fault switched
// on, and the resulting tokens explained in the tokens view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPlayground, openPage, screenshot, runToConsentAndApprove, failureOf,
} from './helpers.mjs';

let playground;
before(async () => { playground = await startPlayground(); });
after(async () => { await playground?.close(); });

test('an OAuth 2.0 PKCE flow completes by clicking, with consent and raw messages', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth2`);

  await page.getByRole('button', { name: 'Step forward ▶' }).click();
  assert.match(await page.getByTestId('raw-request-message').innerText(), /^GET \/\.well-known\/openid-configuration HTTP\/1\.1/);

  await page.getByRole('button', { name: 'Run all' }).click();
  const consent = page.getByTestId('consent');
  await consent.waitFor();
  assert.match(await consent.innerText(), /playground-spa wants to access your account/);
  // The steps after consent exist only once the user decides.
  assert.match(await page.locator('.step-count').innerText(), /^Step (\d+) of \1, waiting for you$/);
  await screenshot(page, 'oauth2-mock-consent');
  await consent.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('button', { name: 'Run all' }).click();

  assert.equal(await page.locator('svg.sequence g.arrow.failed').count(), 0);
  assert.match(await page.getByTestId('raw-response-message').innerText(), /^HTTP\/1\.1 200 OK/);
  await page.getByRole('button', { name: /Token request \(code \+ code_verifier\)/ }).click();
  const tokenRequest = await page.getByTestId('raw-request-message').innerText();
  assert.match(tokenRequest, /^POST \/token HTTP\/1\.1/);
  assert.match(tokenRequest, /grant_type=authorization_code/);
  assert.match(tokenRequest, /code_verifier=[A-Za-z0-9_-]{43}/);
  await screenshot(page, 'oauth2-mock-complete');
  assert.deepEqual(errors, []);
});

const FAULTS = [
  ['Wrong state (CSRF)', /state/],
  ['PKCE verifier mismatch', /invalid_grant/],
  ['Code intercepted and replayed', /invalid_grant/],
  ['redirect_uri mismatch', /not registered/],
  ['Expired code', /invalid_grant/],
  ['Consent denied', /access_denied/],
  ['Expired access token', /invalid_token/],
  ['Insufficient scope', /insufficient_scope/],
  ['Refresh token reuse', /invalid_grant/],
  ['Mix-up (iss of another server)', /iss/],
];

test('every OAuth 2.0 fault is stopped and explained', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth2`);
  for (const [label, reason] of FAULTS) {
    await page.getByLabel(label, { exact: true }).check();
    await runToConsentAndApprove(page);
    assert.match(await failureOf(page), reason, label);
  }
  assert.deepEqual(errors, []);
});

test('the OAuth 1.0a three-legged flow completes, and a replayed nonce is refused', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth1/flow`);
  await page.getByRole('button', { name: 'Run all' }).click();
  assert.equal(await page.locator('.step-count').innerText(), 'Step 5 of 5');
  assert.match(await page.getByTestId('raw-response-message').innerText(), /^HTTP\/1\.1 200 OK/);
  assert.match(await page.getByTestId('raw-request-message').innerText(), /Authorization: OAuth oauth_consumer_key="printer-consumer"/);
  await screenshot(page, 'oauth1-flow-complete');

  await page.getByLabel('Replayed nonce', { exact: true }).check();
  await page.getByRole('button', { name: 'Run all' }).click();
  assert.match(await failureOf(page), /nonce_used/);
  await page.getByLabel('Tampered signature', { exact: true }).check();
  await page.getByRole('button', { name: 'Run all' }).click();
  assert.match(await failureOf(page), /signature_invalid/);
  assert.deepEqual(errors, []);
});

test('the OAuth 1.0a flow page does not scroll sideways after Run all', async () => {
  for (const width of [1280, 360]) {
    const { page, errors, context } = await openPage(playground.browser, `${playground.base}#/oauth1/flow`, { width });
    await page.getByRole('button', { name: 'Run all' }).click();
    // The selected exchange shows the long base string in its note.
    assert.match(await page.getByTestId('exchange').innerText(), /Base string signed: GET&/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px at ${width}px`);
    await screenshot(page, `oauth1-flow-run-all-${width}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('with PLAINTEXT a tampered OAuth 1.0a request goes through, and the page says why', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth1/flow`);
  await page.getByLabel('Signature method').selectOption('PLAINTEXT');
  await page.getByLabel('Tampered signature', { exact: true }).check();
  await page.getByRole('button', { name: 'Run all' }).click();
  assert.equal(await page.locator('.step-count').innerText(), 'Step 5 of 5');
  assert.match(await page.getByTestId('raw-response-message').innerText(), /^HTTP\/1\.1 200 OK/);
  const lesson = await page.locator('.lesson').innerText();
  assert.match(lesson, /200 OK/);
  assert.doesNotMatch(lesson, /signature_invalid/);
  const note = await page.getByTestId('exchange').innerText();
  assert.match(note, /PLAINTEXT signs no part of the request/);
  assert.match(note, /the signing key itself/);
  assert.doesNotMatch(note, /Base string signed/);
  assert.deepEqual(errors, []);
});

test('the OAuth 1.0a three-legged flow completes with RSA-SHA256', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth1/flow`);
  await page.getByLabel('Signature method').selectOption('RSA-SHA256');
  await page.getByRole('button', { name: 'Run all' }).click();
  assert.equal(await page.locator('.step-count').innerText(), 'Step 5 of 5');
  assert.equal(await page.locator('svg.sequence g.arrow.failed').count(), 0);
  assert.match(await page.getByTestId('raw-response-message').innerText(), /^HTTP\/1\.1 200 OK/);
  assert.match(await page.getByTestId('raw-request-message').innerText(), /oauth_signature_method="RSA-SHA256"/);
  await screenshot(page, 'oauth1-flow-rsa-sha256');
  assert.deepEqual(errors, []);
});

test('the ID token from the mock flow passes every check; a tampered one fails its signature', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth2`);
  await runToConsentAndApprove(page);
  await page.getByRole('link', { name: 'Tokens' }).click();
  await page.getByRole('button', { name: 'ID token' }).click();

  assert.match(await page.getByTestId('token-verdict').innerText(), /^valid/);
  const checklist = page.getByTestId('checklist');
  assert.equal(await checklist.locator('tr.failed').count(), 0);
  for (const check of ['iss', 'aud', 'signature', 'nonce', 'at_hash']) {
    assert.equal(await checklist.locator(`tr[data-check="${check}"]`).getAttribute('class'), 'passed', check);
  }
  await screenshot(page, 'tokens-id-token');

  const token = await page.getByLabel('Token', { exact: true }).inputValue();
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  claims.sub = 'mallory';
  const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  await page.getByLabel('Token', { exact: true }).fill(forged);
  assert.match(await page.getByTestId('token-verdict').innerText(), /^invalid_signature/);
  assert.equal(await checklist.locator('tr[data-check="signature"]').getAttribute('class'), 'failed');
  assert.deepEqual(errors, []);
});

test('hostile claims stay inert text and do not break the layout', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/tokens`, { width: 360 });
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const hostile = {
    name: '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>',
    long: 'A'.repeat(5000),
    nested: JSON.parse('['.repeat(60) + ']'.repeat(60)),
  };
  await page.getByLabel('Token', { exact: true }).fill(`${b64({ alg: 'HS256' })}.${b64(hostile)}.c2ln`);
  await page.getByTestId('claims-table').waitFor();
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.locator('#main img').count(), 0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px`);
  assert.deepEqual(errors, []);
});

test('the device flow: a code shown, entered on the server page, polled to tokens', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth2/device`);
  await page.getByRole('button', { name: 'Run all' }).click();
  const userCodePage = page.getByTestId('user-code-page');
  await userCodePage.waitFor();
  const code = await page.getByTestId('mock-user-code').innerText();

  await page.getByLabel('Enter the code from your device').fill('WRONG-CODE');
  await userCodePage.getByRole('button', { name: 'Approve' }).click();
  await userCodePage.getByText(/No pending device has the code/).waitFor();

  await page.getByLabel('Enter the code from your device').fill(code.toLowerCase());
  await userCodePage.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('button', { name: 'Run all' }).click().catch(() => {});
  assert.match(await page.getByTestId('raw-response-message').innerText(), /^HTTP\/1\.1 200 OK[\s\S]*access_token/);
  const polls = await page.locator('svg.sequence g.arrow').allTextContents();
  assert.ok(polls.some((t) => /too soon/.test(t)), polls.join(' | '));
  await screenshot(page, 'oauth2-device-mock');
  assert.deepEqual(errors, []);
});

test('a JWT lacking sub, checked as an ID token, fails on sub; an unreachable JWKS URL is explained beside its field', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/tokens`);
  const jwksUrl = 'http://127.0.0.1:9/jwks';
  const expectedLoadErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && (message.location()?.url ?? '').startsWith(jwksUrl)) {
      expectedLoadErrors.push(message.text());
    }
  });

  const { createHmac } = await import('node:crypto');
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const secret = 'e2e-client-secret-5b1d';
  const now = Math.floor(Date.now() / 1000);
  const signingInput = `${b64({ alg: 'HS256' })}.${b64({ iss: 'https://issuer.example', aud: 'client-1', iat: now - 10, exp: now + 600 })}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  await page.getByLabel('Token', { exact: true }).fill(`${signingInput}.${signature}`);
  await page.getByTestId('claims-table').waitFor();

  const asIdToken = page.getByLabel('Check as an ID token');
  assert.equal(await asIdToken.isChecked(), false, 'without sub it does not look like an ID token');
  assert.equal(await page.getByTestId('checklist').count(), 0);
  await asIdToken.check();
  const checklist = page.getByTestId('checklist');
  const sub = checklist.locator('tr[data-check="sub"]');
  assert.equal(await sub.getAttribute('class'), 'failed');
  assert.match(await sub.innerText(), /the token has no sub; sub is required/);

  await page.getByLabel('JWKS URL', { exact: true }).fill(jwksUrl);
  await page.getByRole('button', { name: 'Fetch', exact: true }).click();
  const message = page.locator('#tk-jwks-url-error');
  await message.waitFor();
  assert.match(await message.innerText(), /^The browser could not fetch http:\/\/127\.0\.0\.1:9\/jwks[\s\S]*paste the JWKS into the key box/);
  await screenshot(page, 'tokens-jwks-unreachable');

  // The rest of the page keeps working: the key box, the expectations, copying.
  await page.getByLabel(/^Key:/).fill(JSON.stringify({ secret }));
  await page.getByLabel('Issuer', { exact: true }).fill('https://issuer.example');
  await page.getByLabel('Client ID', { exact: true }).fill('client-1');
  assert.match(await page.getByTestId('token-verdict').innerText(), /^valid/);
  for (const check of ['iss', 'aud', 'signature', 'exp', 'iat']) {
    assert.equal(await checklist.locator(`tr[data-check="${check}"]`).getAttribute('class'), 'passed', check);
  }
  assert.equal(await sub.getAttribute('class'), 'failed');
  await page.getByRole('button', { name: 'Copy claims JSON' }).click();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  assert.equal(copied.aud, 'client-1');
  assert.equal(copied.sub, undefined);

  assert.deepEqual(errors.filter((text) => !expectedLoadErrors.includes(text)), []);
});
