// One client, not written in Java: sends the same POST one at a time (keep-alive, Node's fetch) and prints
// the latency percentiles in milliseconds as JSON, after a warm-up.
// node latency.mjs --url=U --body=JSON --warmup=N --count=N [--header=name:value ...]
const args = process.argv.slice(2).map(a => a.replace(/^--/, ''));
const option = name => args.find(a => a.startsWith(name + '='))?.slice(name.length + 1);
const headers = { 'content-type': 'application/json' };
for (const h of args.filter(a => a.startsWith('header='))) {
  const [name, ...value] = h.slice('header='.length).split(':');
  headers[name] = value.join(':');
}
const url = option('url');
const body = option('body');

async function once() {
  const start = process.hrtime.bigint();
  const response = await fetch(url, { method: 'POST', headers, body });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered HTTP ${response.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

for (let i = 0; i < Number(option('warmup')); i++) await once();
const latencies = [];
for (let i = 0; i < Number(option('count')); i++) latencies.push(await once());
latencies.sort((a, b) => a - b);
const at = p => latencies[Math.max(0, Math.ceil(p * latencies.length) - 1)];
console.log(JSON.stringify({ p50: at(0.5), p99: at(0.99), count: latencies.length }));
