// The OAuth 1.0a workbench, driven like a user: typing the RFC 5849 example
// and reading the steps, then pasting a request whose signature is wrong.
// Expected values come from the RFC via the fixture file, not from our code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startPlayground, openPage, screenshot } from './helpers.mjs';

const rfcCases = JSON.parse(readFileSync('tests/fixtures/oauth1/rfc5849.json', 'utf8'));
const example = rfcCases.find((c) => c.id === 'rfc5849-3.1-hmac-sha1-signature');

let playground;
before(async () => { playground = await startPlayground(); });
after(async () => { await playground?.close(); });

async function typeInto(page, label, text) {
  const field = page.getByLabel(label, { exact: true });
  await field.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  if (text) await field.pressSequentially(text);
}

const wire = (page, id) => page.getByTestId(id).innerText();

test('typing the RFC 5849 §3.4.1.1 request shows its base string, signature and header', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth1`);
  const { input, expect } = example;

  await typeInto(page, 'Method', input.method);
  await typeInto(page, 'URL', input.url);
  await typeInto(page, 'Content type', input.content_type);
  await typeInto(page, 'Body', input.body);
  await typeInto(page, 'Realm (not signed)', input.realm);
  await page.getByLabel('Signature method').selectOption(input.oauth.oauth_signature_method);
  await typeInto(page, 'Consumer key', input.oauth.oauth_consumer_key);
  await typeInto(page, 'Consumer secret', input.consumer_secret);
  await typeInto(page, 'Token', input.oauth.oauth_token);
  await typeInto(page, 'Token secret', input.token_secret);
  await typeInto(page, 'Nonce', input.oauth.oauth_nonce);
  await typeInto(page, 'Timestamp', input.oauth.oauth_timestamp);
  await page.getByLabel(/oauth_version/).uncheck();

  assert.equal(await wire(page, 'base-string'), expect.base_string);
  assert.equal(await wire(page, 'base-uri'), expect.base_uri);
  assert.equal(await wire(page, 'normalized-params'), expect.normalized_params);
  assert.equal(await wire(page, 'signing-key'), expect.signing_key);
  assert.equal(await wire(page, 'signature'), expect.signature);

  const header = await wire(page, 'authorization-header');
  assert.ok(header.startsWith('OAuth realm="Example", '), header);
  assert.ok(header.includes(`oauth_signature="${expect.signature_header_encoded}"`), header);
  assert.ok(header.includes('oauth_consumer_key="9djdj82h48djs9d2"'), header);

  // Hovering a parameter lights up its part of the base string.
  await page.getByTestId('params-table').locator('tbody tr').first().hover();
  assert.equal(await page.locator('.base-string .part.active').innerText(), 'a2%3Dr%2520b');

  await screenshot(page, 'oauth1-rfc-example');
  assert.deepEqual(errors, []);
});

test('a pasted request with a wrong signature shows the diff and names the cause', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth1`);
  const { input, expect } = example;
  const request = [
    'POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b HTTP/1.1',
    'Host: example.com',
    'Content-Type: application/x-www-form-urlencoded',
    'Authorization: OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", ' +
      'oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", ' +
      'oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", ' +
      'oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"',
    '',
    'c2&a3=2+q',
  ].join('\n');
  // A server that form-encodes spaces as + builds this base string instead.
  const serverBase = expect.base_string.replaceAll('%2520', '%2B');

  await page.getByText('Paste a request, URL or Authorization header').click();
  await page.getByLabel(/Raw HTTP request/).fill(request);
  await page.getByRole('button', { name: 'Fill the form' }).click();
  await typeInto(page, 'Consumer secret', input.consumer_secret);
  await typeInto(page, 'Token secret', input.token_secret);
  assert.equal(await page.getByLabel(/oauth_signature received/).inputValue(), 'bYT5CMsGcbgUdFHObYMEfcx6bsw=');
  await page.getByLabel(/Base string the server built/).fill(serverBase);

  await page.getByText('Invalid: the received signature does not match.').waitFor();
  const removed = await page.getByTestId('diff').locator('del').allInnerTexts();
  const added = await page.getByTestId('diff').locator('ins').allInnerTexts();
  assert.ok(removed.length > 0 && added.length > 0, 'the diff marks both sides');
  assert.ok(removed.every((text) => text === '520'), `removed ${removed}`);
  assert.ok(added.every((text) => text === 'B'), `added ${added}`);
  assert.match(await page.getByTestId('causes').innerText(), /Space encoded as \+ instead of %20/);

  await screenshot(page, 'oauth1-verify-mismatch');
  assert.deepEqual(errors, []);
});

test('the RFC 5849 §3.1 request pasted as printed, header folded, fills the form', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth1`);
  const { input, expect } = example;
  // As RFC 5849 §3.1 prints it (page margin removed): the Authorization
  // header continues on indented lines (obsolete line folding).
  const request = [
    'POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b HTTP/1.1',
    'Host: example.com',
    'Content-Type: application/x-www-form-urlencoded',
    'Authorization: OAuth realm="Example",',
    '               oauth_consumer_key="9djdj82h48djs9d2",',
    '               oauth_token="kkk9d7dh3k39sjv7",',
    '               oauth_signature_method="HMAC-SHA1",',
    '               oauth_timestamp="137131201",',
    '               oauth_nonce="7d8f3e4a",',
    '               oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"',
    '',
    'c2&a3=2+q',
  ].join('\n');

  await page.getByText('Paste a request, URL or Authorization header').click();
  await page.getByLabel(/Raw HTTP request/).fill(request);
  await page.getByRole('button', { name: 'Fill the form' }).click();

  const field = (label) => page.getByLabel(label, { exact: true }).inputValue();
  assert.equal(await field('Consumer key'), input.oauth.oauth_consumer_key);
  assert.equal(await field('Token'), input.oauth.oauth_token);
  assert.equal(await field('Nonce'), input.oauth.oauth_nonce);
  assert.equal(await field('Timestamp'), input.oauth.oauth_timestamp);
  assert.equal(await field('Realm (not signed)'), input.realm);
  // The signature printed in the RFC is wrong (erratum 2550); it is still
  // read as received.
  assert.equal(await page.getByLabel(/oauth_signature received/).inputValue(), 'bYT5CMsGcbgUdFHObYMEfcx6bsw=');
  assert.equal(await page.locator('#o1-paste-error').isHidden(), true);

  await typeInto(page, 'Consumer secret', input.consumer_secret);
  await typeInto(page, 'Token secret', input.token_secret);
  assert.equal(await wire(page, 'base-string'), expect.base_string);
  assert.equal(await wire(page, 'signature'), expect.signature);
  assert.deepEqual(errors, []);
});

test('a timestamp that is not a positive integer is warned about, and still signed', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth1`);
  const timestampError = page.locator('#o1-timestamp-error');
  assert.equal(await timestampError.isHidden(), true);

  for (const typed of ['abc', '-1']) {
    await typeInto(page, 'Timestamp', typed);
    await timestampError.getByText(/positive integer of seconds/).waitFor();
    assert.equal(await page.getByLabel('Timestamp', { exact: true }).getAttribute('aria-invalid'), 'true');
    // abc and -1 need no percent-encoding, so they show as typed.
    assert.ok((await wire(page, 'base-string')).includes(`oauth_timestamp%3D${typed}`));
    assert.ok((await wire(page, 'signature')).length > 0);
  }

  await typeInto(page, 'Timestamp', '137131201');
  assert.equal(await timestampError.isHidden(), true);
  assert.deepEqual(errors, []);
});

test('bad input gets a message beside its field and the page keeps working', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth1`);

  await typeInto(page, 'URL', 'example.com/photos');
  await page.locator('#o1-url-error').getByText(/not an absolute URL/).waitFor();
  assert.equal(await page.getByLabel('URL', { exact: true }).getAttribute('aria-invalid'), 'true');

  await typeInto(page, 'URL', 'https://example.com/p?name=%E9');
  await page.locator('#o1-url-error').getByText(/not UTF-8/).waitFor();

  await typeInto(page, 'URL', 'https://example.com/p?x=1');
  await page.getByLabel('Signature method').selectOption('RSA-SHA256');
  await page.getByLabel(/RSA private key/).fill('-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----');
  await page.locator('#o1-rsa-key-error').getByText(/could not be read/).waitFor();

  await page.getByLabel('Signature method').selectOption('HMAC-SHA1');
  assert.equal(await page.locator('#o1-url-error').isHidden(), true);
  assert.ok((await wire(page, 'signature')).length > 0);
  assert.deepEqual(errors, []);
});

test('a pasted request with another oauth_* parameter keeps it, and its signature verifies', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth1`);
  // The signature was computed independently with Python's oauthlib 4.0.1
  // (oauthlib.oauth1.rfc5849.signature: collect_parameters,
  // normalize_parameters, base_string_uri, signature_base_string and
  // sign_hmac_sha1 with secrets "kd94hf93k423kf44" and "pfkkdhi9sl3r4s00"),
  // over these parameters plus oauth_session_handle="sess 1/2".
  const request = [
    'GET https://api.example.com/photos?size=original HTTP/1.1',
    'Authorization: OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", ' +
      'oauth_signature_method="HMAC-SHA1", oauth_timestamp="1191242096", ' +
      'oauth_nonce="kllo9940pd9333jh", oauth_version="1.0", ' +
      'oauth_session_handle="sess%201%2F2", oauth_signature="H0d9XueGqD9fHRRoXEKqOQGv4gw%3D"',
  ].join('\n');

  await page.getByText('Paste a request, URL or Authorization header').click();
  await page.getByLabel(/Raw HTTP request/).fill(request);
  await page.getByRole('button', { name: 'Fill the form' }).click();
  await typeInto(page, 'Consumer secret', 'kd94hf93k423kf44');
  await typeInto(page, 'Token secret', 'pfkkdhi9sl3r4s00');

  const extra = page.getByLabel(/Other oauth_\* parameters/);
  assert.equal(await extra.inputValue(), 'oauth_session_handle=sess 1/2');
  await page.getByText('Valid: the received signature matches the one computed here.').waitFor();
  assert.match(await wire(page, 'base-string'), /oauth_session_handle%3Dsess%25201%252F2/);
  assert.ok((await wire(page, 'authorization-header')).includes('oauth_session_handle="sess%201%2F2"'));

  // Without the parameter the same signature no longer matches.
  await extra.fill('');
  await page.getByText('Invalid: the received signature does not match.').waitFor();
  assert.deepEqual(errors, []);
});

test('a bad line of other oauth_* parameters is named beside the field', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth1`);
  const extra = page.getByLabel(/Other oauth_\* parameters/);
  const message = page.locator('#o1-extra-oauth-error');

  await extra.fill('oauth_session_handle=abc\noauth_nonce=123');
  await message.getByText(/line 2: oauth_nonce has its own field above/).waitFor();
  assert.equal(await extra.getAttribute('aria-invalid'), 'true');
  await page.getByText('Fix the field marked in red to see the steps.').waitFor();

  await extra.fill('size=original');
  await message.getByText(/line 1: "size" does not start with oauth_/).waitFor();
  await extra.fill('oauth_signature=abc');
  await message.getByText(/oauth_signature is computed/).waitFor();
  await extra.fill('oauth_session_handle');
  await message.getByText(/has no "="; write one parameter per line as name=value/).waitFor();

  await extra.fill('oauth_session_handle=abc');
  assert.equal(await message.isHidden(), true);
  assert.equal(await extra.getAttribute('aria-invalid'), null);
  assert.match(await wire(page, 'base-string'), /oauth_session_handle%3Dabc/);
  assert.deepEqual(errors, []);
});

test('focusing a parameter row from the keyboard lights up its part of the base string', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth1`);
  const rows = page.getByTestId('params-table').locator('tbody tr');
  const active = page.locator('.base-string .part.active');

  assert.equal(await rows.first().getAttribute('tabindex'), '0');
  await rows.first().focus();
  assert.equal(await active.innerText(), 'file%3Dvacation.jpg');
  await page.keyboard.press('Tab');
  assert.equal(await active.count(), 1);
  assert.match(await active.innerText(), /^oauth_consumer_key%3D/);
  await rows.nth(1).blur();
  assert.equal(await active.count(), 0);
  assert.deepEqual(errors, []);
});
