// A bulk indexer as a Node.js team writes one: OpenAI's SDK with its default settings (retries, timeout), one call
// for the whole corpus. Usage: node bulk-indexer.mjs <base url> <texts> <name>; prints how many vectors came back.
import OpenAI from 'openai';

const [baseURL, count, name] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'unused' });
const input = Array.from({ length: Number(count) }, (_, i) => `chunk ${i} of the ${name} corpus about retrieval`);
const response = await client.embeddings.create({ model: 'all-minilm-l6-v2', input });
console.log(response.data.length);
