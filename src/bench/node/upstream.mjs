// A fake OpenAI-compatible embeddings server, not written in Java: answers POST /v1/embeddings with fixed
// 8-dimensional vectors (float or base64, as asked) after --delay-ms, and GET /v1/models.
// node upstream.mjs --port=N [--delay-ms=0]
import http from 'node:http';

const args = Object.fromEntries(process.argv.slice(2).map(a => a.replace(/^--/, '').split('=')));
const delay = Number(args['delay-ms'] ?? 0);
const vector = [0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0];
const base64 = Buffer.from(new Float32Array(vector).buffer).toString('base64');

function answer(res, status, body) {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
  res.end(bytes);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url.endsWith('/models')) {
    return answer(res, 200, { object: 'list', data: [{ id: 'fake-remote', object: 'model', owned_by: 'bench' }] });
  }
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    const request = JSON.parse(Buffer.concat(chunks).toString());
    const inputs = Array.isArray(request.input) && typeof request.input[0] !== 'number' ? request.input : [request.input];
    const data = inputs.map((_, index) => ({
      object: 'embedding', index, embedding: request.encoding_format === 'base64' ? base64 : vector,
    }));
    const body = { object: 'list', data, model: request.model, usage: { prompt_tokens: inputs.length, total_tokens: inputs.length } };
    if (delay > 0) setTimeout(() => answer(res, 200, body), delay); else answer(res, 200, body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(args.port), '127.0.0.1', () => console.log(`upstream listening on ${args.port}`));
