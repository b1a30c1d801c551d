// Load time of the release bundle in headless Chromium: from navigation
// start to the app's header in the DOM, median of several cold loads.
// Run after `trunk build --release`: node scripts/bench-load.mjs [runs]
import { startPlayground } from '../tests/e2e/helpers.mjs';

const runs = Number(process.argv[2] ?? 10);
const playground = await startPlayground();
const times = [];
for (let i = 0; i < runs; i++) {
  const context = await playground.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${playground.base}#/oauth2`);
  await page.locator('header.top').waitFor();
  times.push(await page.evaluate(() => performance.now()));
  await context.close();
}
await playground.close();

times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`load to first render: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms over ${runs} cold loads`);
