/**
 * The fake Slack Web API for bench/bot, in a process of its own so that recording results never
 * competes with the load generator. Prints its URL on stdout; `GET /_bench/arrivals` returns, per
 * response_url id, when its final (non-"⏳") post arrived, in epoch milliseconds.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeSlack } from '../test/helpers/fake-slack.js';

const now = () => performance.timeOrigin + performance.now();
const fake = await startFakeSlack();
const arrivals: Record<string, number> = {};
const record = fake.responses.push.bind(fake.responses);
fake.responses.push = (...items) => {
  for (const r of items) if (!String(r.body.text ?? '').startsWith('⏳')) arrivals[r.id] = now();
  // Keep nothing else: thousands of recorded bodies are not needed here.
  return record();
};
fake.calls.push = () => fake.calls.length;
const control = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(arrivals));
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
process.stdout.write(`${JSON.stringify({ api: fake.apiUrl, base: fake.url, control: `http://127.0.0.1:${(control.address() as AddressInfo).port}` })}\n`);
process.on('SIGTERM', () => {
  control.close();
  void fake.close().then(() => process.exit(0));
});
