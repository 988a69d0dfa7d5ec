// The admin page: stored keys with their limits, budget and this month's spend (/admin/keys, /v1/usage), creating
// (the key shown once, with a copy button), changing and revoking them, and the audit trail (/admin/audit).
'use strict';

const limitOf = value => value === 'unlimited' ? '' : String(value);
const orUnlimited = value => value === 'unlimited' ? 'unlimited' : count(value);

// A form's limits as the admin API takes them: an empty field is no limit (null).
function limits(form) {
  const number = name => form.elements[name].value === '' ? null : Number(form.elements[name].value);
  const models = form.elements.models.value.split(',').map(m => m.trim()).filter(m => m);
  return {
    team: form.elements.team.value,
    models: models.length ? models : null,
    rate_limit: { requests_per_minute: number('requests_per_minute'), tokens_per_minute: number('tokens_per_minute') },
    budget: { monthly_usd: number('monthly_usd') }
  };
}

function button(label, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.onclick = action;
  return b;
}

function edit(stored) {
  const form = document.getElementById('change-form');
  form.hidden = false;
  document.getElementById('change-name').textContent = stored.name + ' (' + stored.id + ')';
  form.elements.id.value = stored.id;
  form.elements.team.value = stored.team;
  form.elements.models.value = (stored.models || []).join(', ');
  form.elements.requests_per_minute.value = limitOf(stored.rate_limit.requests_per_minute);
  form.elements.tokens_per_minute.value = limitOf(stored.rate_limit.tokens_per_minute);
  form.elements.monthly_usd.value = limitOf(stored.budget.monthly_usd);
  form.scrollIntoView();
}

async function revoke(stored) {
  if (!confirm('Revoke key ' + stored.name + ' (' + stored.id + ')? Its clients get 401 from now on.')) return;
  await request('DELETE', '/admin/keys/' + encodeURIComponent(stored.id));
  await show('Revoked ' + stored.name + '.');
}

async function showKeys() {
  const [keys, spend] = await Promise.all([json('/admin/keys'), json('/v1/usage?group_by=key')]);
  const spent = Object.fromEntries(spend.data.map(r => [r.key, r.cost_usd]));
  fill('keys', keys.data.map(k => {
    const tr = row([k.name, k.team, k.models ? k.models.join(', ') : 'all', orUnlimited(k.rate_limit.requests_per_minute),
      orUnlimited(k.rate_limit.tokens_per_minute), k.budget.monthly_usd === 'unlimited' ? 'none' : money(k.budget.monthly_usd),
      money(spent[k.id] || 0), k.created_at.slice(0, 10), button('Change', () => edit(k))]);
    tr.lastChild.appendChild(button('Revoke', () => revoke(k).catch(e => message(e.message))));
    tr.dataset.id = k.id;
    return tr;
  }));
}

async function showAudit() {
  const events = (await json('/admin/audit?limit=20')).data;
  fill('audit', events.map(e => row([new Date(e.created_at * 1000).toISOString().slice(0, 19).replace('T', ' '),
    e.actor + ' (' + e.actor_team + ')', e.action, e.target, e.address])));
}

function message(text) {
  document.getElementById('message').textContent = text;
}

async function show(text) {
  await Promise.all([showKeys(), showAudit()]);
  message(text || '');
}

document.getElementById('create-form').onsubmit = async event => {
  event.preventDefault();
  const form = event.target;
  try {
    const created = await request('POST', '/admin/keys', { name: form.elements.name.value, ...limits(form) });
    document.getElementById('created').hidden = false;
    document.getElementById('new-key').textContent = created.key;
    document.getElementById('copied').textContent = '';
    await show('Created ' + created.name + ' (' + created.id + ').');
  } catch (e) {
    message(e.message);
  }
};

document.getElementById('copy').onclick = async () => {
  await navigator.clipboard.writeText(document.getElementById('new-key').textContent);
  document.getElementById('copied').textContent = 'Copied.';
};

document.getElementById('change-form').onsubmit = async event => {
  event.preventDefault();
  const form = event.target;
  try {
    await request('PATCH', '/admin/keys/' + encodeURIComponent(form.elements.id.value), limits(form));
    form.hidden = true;
    await show('Saved.');
  } catch (e) {
    message(e.message);
  }
};

document.getElementById('cancel-change').onclick = () => { document.getElementById('change-form').hidden = true; };

loaded(show());
