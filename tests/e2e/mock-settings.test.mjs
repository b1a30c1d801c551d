// The mock authorization server's registration of the client, edited in
// the page: each edit changes what the server accepts, and says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayground, openPage, runToConsentAndApprove, failureOf } from './helpers.mjs';

let playground;
before(async () => { playground = await startPlayground(); });
after(async () => { await playground?.close(); });

test('registered redirect URIs, allowed scopes and token lifetimes are enforced by the mock server', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth2`);
  await page.getByText('Mock server settings').click();

  // One character off is not registered (RFC 6749 §3.1.2.3).
  const redirects = page.getByLabel('Registered redirect URIs (one per line)');
  const registered = await redirects.inputValue();
  await redirects.fill(`${registered}/`);
  await runToConsentAndApprove(page);
  assert.match(await failureOf(page, { last: true }), /not registered/);
  await redirects.fill(registered);
  await runToConsentAndApprove(page);
  assert.equal(await page.locator('svg.sequence g.arrow.failed').count(), 0);

  // Asking for a scope the client may not have.
  const allowed = page.getByLabel('Scopes the client may request');
  await allowed.fill('openid profile');
  await runToConsentAndApprove(page);
  assert.match(await failureOf(page, { last: true }), /invalid_scope/);
  await allowed.fill('openid profile email photos offline_access');

  // A refresh token that dies before the access token cannot renew it.
  const refreshLifetime = page.getByLabel('Refresh token lifetime (s)');
  await refreshLifetime.fill('60');
  await page.getByLabel('Expired access token', { exact: true }).check();
  await runToConsentAndApprove(page);
  assert.match(await failureOf(page, { last: true }), /refresh token expired/);

  // A lifetime that is not a number is named beside its field.
  await refreshLifetime.fill('soon');
  await page.locator('#o2-refresh-lifetime-error').getByText(/number of seconds/).waitFor();
  assert.equal(await refreshLifetime.getAttribute('aria-invalid'), 'true');

  // Scopes are separated by spaces; a comma is named beside the field.
  await allowed.fill('openid,profile');
  await page.locator('#o2-allowed-scopes-error').getByText(/separated by spaces/).waitFor();
  assert.equal(await allowed.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(errors, []);
});
