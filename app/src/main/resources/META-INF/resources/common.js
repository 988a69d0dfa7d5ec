// What the dashboard and the admin page share: the key they ask for once keys exist, and small DOM helpers.
'use strict';

const money = value => '$' + Number(value).toLocaleString(undefined, { maximumFractionDigits: 6 });
const count = value => Number(value).toLocaleString();

// Once keys exist, the pages take one (kept for this browser tab): the admin key shows every team.
const key = sessionStorage.getItem('gateway-key');

// quiet: a 401 is an answer (an admin-only part of a page), not a reason to ask for a key.
async function request(method, url, body, quiet) {
  const headers = key ? { Authorization: 'Bearer ' + key } : {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && !quiet) askForKey();
  if (!response.ok) {
    const error = await response.json().catch(() => ({}));
    throw new Error(url + ': HTTP ' + response.status + (error.error ? ' ' + error.error.message : ''));
  }
  return response.json();
}

const json = (url, quiet) => request('GET', url, undefined, quiet);

function askForKey() {
  const form = document.getElementById('key-form');
  form.hidden = false;
  fetch('/sso/config').then(r => r.json()).then(sso => { document.getElementById('sso').hidden = !sso.sign_in; })
    .catch(() => {});
  form.onsubmit = event => {
    event.preventDefault();
    sessionStorage.setItem('gateway-key', form.elements.key.value);
    location.reload();
  };
}

// A table row of text cells (text, never HTML: names and ids come from users).
function row(texts) {
  const tr = document.createElement('tr');
  for (const text of texts) {
    const cell = document.createElement('td');
    if (text instanceof Node) cell.appendChild(text); else cell.textContent = text;
    tr.appendChild(cell);
  }
  return tr;
}

function fill(tableId, rows) {
  document.querySelector('#' + tableId + ' tbody').replaceChildren(...rows);
}

function loaded(work) {
  work.then(() => document.body.dataset.loaded = 'true')
    .catch(error => {
      document.body.dataset.loaded = 'error';
      document.getElementById('period').textContent = 'Could not load: ' + error.message;
    });
}
