// Drives the admin page in headless Chromium as an administrator would: signs in with the admin key, creates a key
// (shown once, copied with the Copy button), uses it, changes its limit, revokes it, and reads the audit trail;
// screenshots at desktop and phone width.
// Usage: node admin.mjs <gateway URL> <admin key> <screenshot.png>
import { chromium } from 'playwright-core';

const [url, adminKey, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync']
});
const problems = [];
const embed = key => fetch(url + '/v1/embeddings', {
  method: 'POST', headers: { Authorization: 'Bearer ' + key, 'Content-Type': 'application/json' },
  body: JSON.stringify({ model: 'all-minilm-l6-v2', input: 'from the admin page test' })
});
const rowOf = (page, name) => page.evaluate(n => [...document.querySelectorAll('#keys tbody tr')]
  .map(tr => [...tr.children].map(td => td.textContent)).find(cells => cells[0] === n) || null, name);
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  page.on('dialog', dialog => dialog.accept());
  const settled = () => page.waitForFunction(() => document.body.dataset.loaded !== undefined, null, { timeout: 20000 });

  await page.goto(url + '/admin.html', { waitUntil: 'load' });
  await page.waitForSelector('#key-form:not([hidden])', { timeout: 20000 });
  await page.fill('#key-form input[name=key]', adminKey);
  await Promise.all([page.waitForNavigation(), page.click('#key-form button')]);
  await settled();

  await page.fill('#create-form input[name=name]', 'docs-bot');
  await page.fill('#create-form input[name=team]', 'docs');
  await page.fill('#create-form input[name=models]', 'all-minilm-l6-v2');
  await page.fill('#create-form input[name=requests_per_minute]', '60');
  await page.fill('#create-form input[name=monthly_usd]', '5');
  await page.click('#create-form button:not([type])');
  await page.waitForFunction(() => document.getElementById('new-key').textContent.startsWith('eg-'));
  const shown = await page.textContent('#new-key');
  await page.click('#copy');
  await page.waitForFunction(() => document.getElementById('copied').textContent !== '');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  if (copied !== shown) problems.push('the Copy button copied "' + copied + '", not the key shown');
  const created = await rowOf(page, 'docs-bot');
  if (!created || created[1] !== 'docs' || created[3] !== '60' || created[5] !== '$5') problems.push('new key row: ' + created);
  const used = await embed(shown);
  if (used.status !== 200) problems.push('the new key was answered ' + used.status);

  await page.evaluate(() => [...document.querySelectorAll('#keys tbody tr')]
    .find(tr => tr.firstChild.textContent === 'docs-bot').querySelector('button').click());
  await page.waitForSelector('#change-form:not([hidden])');
  await page.fill('#change-form input[name=requests_per_minute]', '120');
  await page.click('#change-form button:not([type])');
  await page.waitForFunction(() => document.getElementById('message').textContent === 'Saved.');
  const changed = await rowOf(page, 'docs-bot');
  if (!changed || changed[3] !== '120') problems.push('changed row: ' + changed);
  const limited = await embed(shown);
  if (limited.headers.get('x-ratelimit-limit-requests') !== '120') problems.push('the new limit does not hold: '
    + limited.headers.get('x-ratelimit-limit-requests'));

  await page.screenshot({ path: screenshot, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) problems.push('on a phone the page is ' + overflow + ' px wider than the screen');
  await page.screenshot({ path: screenshot.replace(/\.png$/, '-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 1000 });

  await page.evaluate(() => [...document.querySelectorAll('#keys tbody tr')]
    .find(tr => tr.firstChild.textContent === 'docs-bot').querySelectorAll('button')[1].click());
  await page.waitForFunction(() => document.getElementById('message').textContent.startsWith('Revoked'));
  if (await rowOf(page, 'docs-bot')) problems.push('the revoked key is still listed');
  const refused = await embed(shown);
  if (refused.status !== 401) problems.push('the revoked key was answered ' + refused.status);

  const audit = await page.evaluate(() => [...document.querySelectorAll('#audit tbody tr')].map(tr => tr.textContent));
  for (const action of ['key.created', 'key.changed', 'key.revoked']) {
    if (!audit.some(line => line.includes(action) && line.includes('admin'))) problems.push('audit trail lacks ' + action);
  }
  if (audit.some(line => line.includes(shown))) problems.push('the audit trail shows the key');

  // Signed in as the admin, the dashboard shows this replica's provider latency and the refusals by key too.
  await page.goto(url + '/', { waitUntil: 'load' });
  await settled();
  const dashboard = await page.evaluate(() => ({
    loaded: document.body.dataset.loaded,
    providers: [...document.querySelectorAll('#providers tbody tr')].map(tr => [...tr.children].map(td => td.textContent)),
    refusalsShown: !document.getElementById('refusals-card').hidden
  }));
  await page.screenshot({ path: screenshot.replace(/admin\.png$/, 'dashboard-admin.png'), fullPage: true });
  const local = dashboard.providers.find(p => p[0] === 'local');
  if (dashboard.loaded !== 'true') problems.push('the dashboard did not load for the admin: ' + dashboard.loaded);
  if (!local || local[1] !== 'up' || !/ms$/.test(local[4]) || !/ms$/.test(local[5]) || local[6] !== '0.0%') {
    problems.push('the dashboard shows no latency for provider local: ' + JSON.stringify(local));
  }
  if (!dashboard.refusalsShown) problems.push('the admin sees no refusals table');
  if (errors.length) problems.push('page errors: ' + errors.join('; '));
  console.log(JSON.stringify({ created, changed, audit, dashboard }));
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
}
