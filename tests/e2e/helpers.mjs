// Shared set-up for the end-to-end tests: the release bundle served under a
// sub-path, and Debian's Chromium driven by playwright-core.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { serveStatic } from './static-server.mjs';

export const PREFIX = '/docs/playground/';
export const SCREENSHOTS = 'screenshots';

export async function startPlayground() {
  const server = await serveStatic({ root: 'dist', prefix: PREFIX });
  const { port } = server.address();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run',
    ],
  });
  const base = `http://127.0.0.1:${port}${PREFIX}`;
  return {
    base,
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/// A page that never leaves 127.0.0.1 and fails the test on any console error.
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  await page.goto(url);
  await page.locator('header.top').waitFor();
  return { page, errors, context };
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/// Runs a mock flow to its end, approving the consent screen on the way.
export async function runToConsentAndApprove(page) {
  await page.getByRole('button', { name: 'Run all' }).click();
  const consent = page.getByTestId('consent');
  if (await consent.isVisible()) {
    await consent.getByRole('button', { name: 'Approve' }).click();
  }
  const runAll = page.getByRole('button', { name: 'Run all' });
  if (await runAll.isEnabled()) await runAll.click();
}

/// Why a mock flow failed: the first failed step, or with `last`, the one
/// where it stopped.
export async function failureOf(page, { last = false } = {}) {
  const failed = page.locator('svg.sequence g.arrow.failed');
  await (last ? failed.last() : failed.first()).click();
  return page.getByTestId('failure').innerText();
}
