// The dashboard: this UTC month's usage from /v1/usage, provider health from /q/health/group/providers, batch jobs
// from /v1/batches.
'use strict';

const money = value => '$' + Number(value).toLocaleString(undefined, { maximumFractionDigits: 6 });
const count = value => Number(value).toLocaleString();

// Once keys exist, /v1/usage takes one: the admin key shows every team, a team's key its own team.
const key = sessionStorage.getItem('gateway-key');

async function json(url) {
  const response = await fetch(url, key ? { headers: { Authorization: 'Bearer ' + key } } : {});
  if (response.status === 401 || response.status === 403) askForKey();
  if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
  return response.json();
}

function askForKey() {
  const form = document.getElementById('key-form');
  form.hidden = false;
  form.onsubmit = event => {
    event.preventDefault();
    sessionStorage.setItem('gateway-key', form.elements.key.value);
    location.reload();
  };
}

// One dataset per series (e.g. provider/model), one value per day.
function byDay(rows, seriesOf, valueOf) {
  const days = [...new Set(rows.map(r => r.day))].sort();
  const series = [...new Set(rows.map(seriesOf))].sort();
  return {
    labels: days,
    datasets: series.map(name => ({
      label: name,
      data: days.map(day => rows.filter(r => r.day === day && seriesOf(r) === name)
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
  const [daily, models, teams] = await Promise.all([
    json('/v1/usage?group_by=day,provider,model'),
    json('/v1/usage?group_by=model'),
    json('/v1/usage?group_by=team')
  ]);
  const sum = (rows, field) => rows.reduce((s, r) => s + Number(r[field]), 0);
  document.getElementById('total-cost').textContent = money(sum(models.data, 'cost_usd'));
  document.getElementById('total-saved').textContent = money(sum(models.data, 'saved_usd'));
  document.getElementById('total-requests').textContent = count(sum(models.data, 'requests'));
  document.getElementById('total-tokens').textContent = count(sum(models.data, 'input_tokens'));

  chart('cost-chart', 'bar', byDay(daily.data, r => r.provider + ' / ' + r.model, r => Number(r.cost_usd)), true);
  chart('tokens-chart', 'bar', byDay(daily.data, r => r.model, r => Number(r.input_tokens)), true);
  chart('cache-chart', 'bar', {
    labels: models.data.map(r => r.model),
    datasets: [
      { label: 'cached tokens', data: models.data.map(r => Number(r.cached_tokens)) },
      { label: 'billed tokens', data: models.data.map(r => Number(r.billed_tokens)) }
    ]
  }, false);

  const body = document.querySelector('#teams tbody');
  body.replaceChildren(...[...teams.data].sort((a, b) => Number(b.cost_usd) - Number(a.cost_usd)
      || Number(b.input_tokens) - Number(a.input_tokens)).slice(0, 10).map(r => {
    const row = document.createElement('tr');
    [r.team, count(r.requests), count(r.input_tokens), money(r.cost_usd), money(r.saved_usd)].forEach(text => {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.appendChild(cell);
    });
    return row;
  }));
}

async function showProviders() {
  // The group answers 503 with the same JSON while a model has no provider up.
  const health = await fetch('/q/health/group/providers').then(r => r.json());
  const check = health.checks.find(c => c.name === 'providers') || { data: {} };
  document.getElementById('providers').replaceChildren(...Object.entries(check.data || {}).map(([name, state]) => {
    const item = document.createElement('li');
    item.className = state === 'up' ? 'up' : state.startsWith('down') ? 'down' : 'idle';
    item.textContent = name + ': ' + state;
    return item;
  }));
}

// The latest batch jobs the key may see (all of them for the admin key): progress, and while one runs its rate
// since it started and the time left at that rate.
async function showBatches() {
  const batches = (await json('/v1/batches?limit=10')).data;
  const now = Date.now() / 1000;
  document.querySelector('#batches tbody').replaceChildren(...batches.map(batch => {
    const counts = batch.request_counts;
    const done = counts.completed + counts.failed;
    const running = batch.status === 'in_progress' && batch.in_progress_at;
    const rate = running ? done / Math.max(1, now - batch.in_progress_at) : null;
    const eta = rate > 0 ? Math.round((counts.total - done) / rate) + ' s' : '–';
    const row = document.createElement('tr');
    row.dataset.status = batch.status;
    const progress = counts.total ? Math.floor(100 * done / counts.total) + '% of ' + count(counts.total) : '–';
    for (const text of [batch.id, batch.status, progress, rate === null ? '–' : rate.toFixed(1), running ? eta : '–']) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.appendChild(cell);
    }
    return row;
  }));
}

Promise.all([showUsage(), showProviders(), showBatches()])
  .then(() => document.body.dataset.loaded = 'true')
  .catch(error => {
    document.body.dataset.loaded = 'error';
    document.getElementById('period').textContent = 'Could not load: ' + error.message;
  });
