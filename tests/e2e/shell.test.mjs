// The app shell: sub-path hosting, sections by URL, mode switch, keyboard,
// themes and narrow screens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayground, openPage, screenshot } from './helpers.mjs';

let playground;
before(async () => { playground = await startPlayground(); });
after(async () => { await playground?.close(); });

test('opens in mock mode from a sub-path with every section linked', async () => {
  const { page, errors } = await openPage(playground.browser, playground.base);

  await assert.doesNotReject(page.getByText('OAuth Playground').first().waitFor());
  assert.equal(await page.getByRole('radio', { name: 'Mock' }).isChecked(), true);
  for (const name of ['OAuth 2.0', 'OAuth 1.0a', 'Tokens', 'About the roles']) {
    assert.equal(await page.getByRole('link', { name }).count(), 1, `link ${name}`);
  }
  assert.equal(await page.locator('#panic-banner').isHidden(), true);
  assert.deepEqual(errors, []);
});

test('each section has its own URL, reachable by click and directly', async () => {
  const { page } = await openPage(playground.browser, playground.base);

  await page.getByRole('link', { name: 'About the roles' }).click();
  assert.match(page.url(), /#\/about$/);
  await page.getByRole('heading', { name: 'About the roles' }).waitFor();
  await page.getByRole('link', { name: 'OAuth 1.0a' }).click();
  await page.getByRole('heading', { name: 'OAuth 1.0a signature workbench' }).waitFor();

  const direct = await openPage(playground.browser, `${playground.base}#/about`);
  await direct.page.getByRole('heading', { name: 'How OAuth 2.0 splits the server' }).waitFor();
  assert.equal(
    await direct.page.getByRole('link', { name: 'About the roles' }).getAttribute('aria-current'),
    'page',
  );
});

test('an address that names no page says so and still shows OAuth 2.0', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth3`);

  const notice = page.getByTestId('unknown-page');
  await notice.waitFor();
  assert.match(await notice.innerText(), /no page at #\/oauth3/);
  await page.getByRole('link', { name: 'Tokens' }).click();
  await notice.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('the mode switch and the sections work from the keyboard alone', async () => {
  const { page } = await openPage(playground.browser, playground.base);

  await page.getByRole('radio', { name: 'Mock' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('radio', { name: 'Real provider' }).isChecked(), true);

  await page.getByRole('link', { name: 'OAuth 2.0' }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'OAuth 1.0a signature workbench' }).waitFor();
  assert.match(page.url(), /#\/oauth1$/);
});

test('screenshots of every view in light, dark and at 360 px', async () => {
  const views = ['oauth2', 'oauth1', 'tokens', 'about'];
  const looks = [
    { suffix: 'light', colorScheme: 'light', width: 1280 },
    { suffix: 'dark', colorScheme: 'dark', width: 1280 },
    { suffix: '360', colorScheme: 'light', width: 360 },
  ];
  for (const look of looks) {
    for (const view of views) {
      const { page, context } = await openPage(playground.browser, `${playground.base}#/${view}`, look);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${view} scrolls sideways by ${overflow}px at ${look.width}px`);
      await screenshot(page, `${view}-${look.suffix}`);
      await context.close();
    }
  }
});

test('leaving a page and coming back finds it as it was left', async () => {
  const { page, errors } = await openPage(playground.browser, `${playground.base}#/oauth1`);

  const consumerKey = page.getByLabel('Consumer key', { exact: true });
  await consumerKey.fill('kept-across-pages');
  await page.getByLabel('Signature method').selectOption('HMAC-SHA512');
  const signature = await page.getByTestId('signature').innerText();

  await page.getByRole('link', { name: 'OAuth 2.0' }).click();
  await page.getByRole('button', { name: 'Step forward ▶' }).click();
  await page.getByRole('button', { name: 'Step forward ▶' }).click();
  await page.getByRole('link', { name: 'OAuth 1.0a' }).click();

  assert.equal(await consumerKey.inputValue(), 'kept-across-pages');
  assert.equal(await page.getByLabel('Signature method').inputValue(), 'HMAC-SHA512');
  assert.equal(await page.getByTestId('signature').innerText(), signature);

  await page.getByRole('link', { name: 'OAuth 2.0' }).click();
  assert.equal(await page.locator('svg.sequence g.arrow').count(), 2);
  // The second step, still selected: the browser sent to the authorization endpoint.
  assert.match(await page.getByTestId('navigation').innerText(), /^https:\/\/as\.mock\.example\/authorize\?/);
  assert.deepEqual(errors, []);
});
