// Loads the dashboard in headless Chromium, waits until its data is in, checks that every chart is drawn
// (non-blank canvas pixels) and that the page shows the traffic, and saves a screenshot.
// Usage: node dashboard.mjs <gateway URL> <screenshot.png> <model expected in the charts>
import { chromium } from 'playwright-core';

const [url, screenshot, model] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync']
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.loaded !== undefined, null, { timeout: 20000 });
  const state = await page.evaluate(() => ({
    loaded: document.body.dataset.loaded,
    requests: document.getElementById('total-requests').textContent,
    teams: document.querySelectorAll('#teams tbody tr').length,
    providers: [...document.querySelectorAll('#providers tbody tr')].map(tr => tr.textContent),
    batches: [...document.querySelectorAll('#batches tbody tr')].map(tr => tr.textContent),
    charts: [...document.querySelectorAll('canvas')].map(canvas => {
      const chart = Chart.getChart(canvas);
      const { width, height } = canvas;
      const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
      return { id: canvas.id, painted, labels: chart.data.labels, series: chart.data.datasets.map(d => d.label),
        total: chart.data.datasets.flatMap(d => d.data).reduce((a, b) => a + b, 0) };
    })
  }));
  await page.screenshot({ path: screenshot, fullPage: true });
  // The same page on a phone: one column, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.screenshot({ path: screenshot.replace(/\.png$/, '-phone.png'), fullPage: true });
  // The last hour, per minute: the same traffic, in buckets of a minute.
  await page.setViewportSize({ width: 1280, height: 1100 });
  await page.goto(url + '#hour', { waitUntil: 'load' });
  await page.reload({ waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.loaded !== undefined, null, { timeout: 20000 });
  const hour = await page.evaluate(() => ({
    loaded: document.body.dataset.loaded,
    period: document.getElementById('period').textContent,
    labels: Chart.getChart(document.getElementById('tokens-chart')).data.labels,
    total: Chart.getChart(document.getElementById('tokens-chart')).data.datasets.flatMap(d => d.data).reduce((a, b) => a + b, 0)
  }));
  console.log(JSON.stringify({ ...state, hour }));
  const problems = [];
  if (state.loaded !== 'true') problems.push('dashboard did not load: ' + state.loaded);
  if (errors.length) problems.push('page errors: ' + errors.join('; '));
  if (Number(state.requests.replace(/\D/g, '')) === 0) problems.push('no requests shown');
  if (state.teams === 0) problems.push('no team rows');
  if (overflow > 0) problems.push('on a phone the page is ' + overflow + ' px wider than the screen');
  if (!state.providers.some(p => p.includes('up'))) problems.push('no provider shown up');
  if (hour.loaded !== 'true' || !hour.period.includes('minute')) problems.push('the last hour did not load by minute: ' + hour.period);
  if (!(hour.total > 0) || !hour.labels.every(l => /^\d\d:\d\d$/.test(l))) problems.push('the last hour has no per-minute data: ' + hour.labels);
  if (!state.batches.some(b => b.includes('batch_') && b.includes('% of'))) problems.push('no batch job shown with its progress');
  for (const c of state.charts) {
    if (c.painted < 500) problems.push(c.id + ' is blank');
    if (!(c.total > 0)) problems.push(c.id + ' has no data');
    if (!c.series.concat(c.labels).some(name => String(name).includes(model))) problems.push(c.id + ' does not show ' + model);
  }
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  }
} finally {
  await browser.close();
}
