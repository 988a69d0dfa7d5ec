// The dashboard: usage of a time range from /v1/usage, provider state from /q/health/group/providers, this
// replica's provider latency, error rates and refusals from /admin/replica (admin only), batch jobs from /v1/batches.
'use strict';

// Each range: where it starts, and the bucket of its charts (per minute or per hour where it is short).
const RANGES = {
  hour: { label: 'Last hour', seconds: 3600, bucket: 'minute' },
  day: { label: 'Last 24 hours', seconds: 86400, bucket: 'hour' },
  week: { label: 'Last 7 days', seconds: 7 * 86400, bucket: 'day' },
  days30: { label: 'Last 30 days', seconds: 30 * 86400, bucket: 'day' },
  month: { label: 'This month (UTC)', seconds: null, bucket: 'day' }
};
const rangeName = RANGES[location.hash.slice(1)] ? location.hash.slice(1) : 'month';
const range = RANGES[rangeName];
const since = range.seconds === null ? '' : '&from=' + new Date(Date.now() - range.seconds * 1000).toISOString();

function chooseRange() {
  const select = document.getElementById('range');
  select.replaceChildren(...Object.entries(RANGES).map(([name, r]) => new Option(r.label, name, false, name === rangeName)));
  select.onchange = () => { location.hash = select.value; location.reload(); };
  document.getElementById('period').textContent = range.label + ', by ' + range.bucket;
}

// One dataset per series (e.g. provider/model), one value per bucket.
function byBucket(rows, seriesOf, valueOf) {
  const buckets = [...new Set(rows.map(r => r[range.bucket]))].sort();
  const series = [...new Set(rows.map(seriesOf))].sort();
  return {
    labels: buckets.map(b => range.bucket === 'day' ? b : b.slice(range.bucket === 'hour' ? 5 : 11, 16).replace('T', ' ')),
    datasets: series.map(name => ({
      label: name,
      data: buckets.map(b => rows.filter(r => r[range.bucket] === b && seriesOf(r) === name)
        .reduce((sum, r) => sum + valueOf(r), 0))
    }))
  };
}

function chart(id, type, data, stacked) {
  const scales = stacked ? { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } : { y: { beginAtZero: true } };
  return new Chart(document.getElementById(id), {
    type, data, options: { responsive: true, maintainAspectRatio: false, animation: false, scales }
  });
}

async function showUsage() {
  const [series, models, teams] = await Promise.all([
    json('/v1/usage?group_by=' + range.bucket + ',provider,model' + since),
    json('/v1/usage?group_by=model' + since),
    json('/v1/usage?group_by=team' + since)
  ]);
  const sum = (rows, field) => rows.reduce((s, r) => s + Number(r[field]), 0);
  document.getElementById('total-cost').textContent = money(sum(models.data, 'cost_usd'));
  document.getElementById('total-saved').textContent = money(sum(models.data, 'saved_usd'));
  document.getElementById('total-requests').textContent = count(sum(models.data, 'requests'));
  document.getElementById('total-tokens').textContent = count(sum(models.data, 'input_tokens'));
  const tokens = sum(models.data, 'input_tokens');
  document.getElementById('hit-rate').textContent = tokens ? Math.round(100 * sum(models.data, 'cached_tokens') / tokens) + '%' : '–';

  chart('cost-chart', 'bar', byBucket(series.data, r => r.provider + ' / ' + r.model, r => Number(r.cost_usd)), true);
  chart('tokens-chart', 'bar', byBucket(series.data, r => r.model, r => Number(r.input_tokens)), true);
  chart('cache-chart', 'bar', {
    labels: models.data.map(r => r.model),
    datasets: [
      { label: 'cached tokens', data: models.data.map(r => Number(r.cached_tokens)) },
      { label: 'billed tokens', data: models.data.map(r => Number(r.billed_tokens)) }
    ]
  }, false);

  fill('teams', [...teams.data].sort((a, b) => Number(b.cost_usd) - Number(a.cost_usd)
      || Number(b.input_tokens) - Number(a.input_tokens)).slice(0, 10)
    .map(r => row([r.team, count(r.requests), count(r.input_tokens), money(r.cost_usd), money(r.saved_usd)])));
}

function stateOf(state) {
  const dot = document.createElement('span');
  dot.className = state === 'up' ? 'up' : state.startsWith('down') ? 'down' : 'idle';
  dot.textContent = state;
  return dot;
}

const ms = value => value === null || value === undefined ? '–' : value.toFixed(1) + ' ms';

// Provider state for everyone; with the admin key, this replica's latency, error rate and refusals too.
async function showProviders() {
  // The group answers 503 with the same JSON while a model has no provider up.
  const health = await fetch('/q/health/group/providers').then(r => r.json());
  const states = (health.checks.find(c => c.name === 'providers') || { data: {} }).data || {};
  let replica = null;
  try {
    replica = await json('/admin/replica', true);
  } catch (notAdmin) {
    // A team's key sees provider state only.
  }
  const measured = replica ? replica.providers : [];
  fill('providers', Object.entries(states).flatMap(([name, state]) => {
    const mine = measured.filter(p => p.provider === name);
    return mine.length === 0 ? [row([name, stateOf(state), '–', '–', '–', '–', '–'])]
      : mine.map(p => row([name, stateOf(state), p.model, count(p.answered + p.failed), ms(p.p50_ms), ms(p.p99_ms),
        (100 * p.error_rate).toFixed(1) + '%']));
  }));
  document.getElementById('refusals-card').hidden = replica === null;
  if (replica) {
    fill('refusals', replica.rate_limited.slice(0, 20).map(r => row([r.key, r.team, r.limit, r.model, count(r.requests)])));
  }
}

// The latest batch jobs the key may see (all of them for the admin key): progress, and while one runs its rate
// since it started and the time left at that rate.
async function showBatches() {
  const batches = (await json('/v1/batches?limit=10')).data;
  const now = Date.now() / 1000;
  fill('batches', batches.map(batch => {
    const counts = batch.request_counts;
    const done = counts.completed + counts.failed;
    const running = batch.status === 'in_progress' && batch.in_progress_at;
    const rate = running ? done / Math.max(1, now - batch.in_progress_at) : null;
    const eta = rate > 0 ? Math.round((counts.total - done) / rate) + ' s' : '–';
    const progress = counts.total ? Math.floor(100 * done / counts.total) + '% of ' + count(counts.total) : '–';
    const tr = row([batch.id, batch.status, progress, rate === null ? '–' : rate.toFixed(1), running ? eta : '–']);
    tr.dataset.status = batch.status;
    return tr;
  }));
}

chooseRange();
loaded(Promise.all([showUsage(), showProviders(), showBatches()]));
