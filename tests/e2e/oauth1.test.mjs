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
