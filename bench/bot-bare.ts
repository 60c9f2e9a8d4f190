/**
 * The ceiling for bench/bot: a bare Bolt app on the same HTTPReceiver that acknowledges
 * `/ecslab` at once and does nothing else (no result, no Web API call).
 *   PORT=3000 SLACK_SIGNING_SECRET=… SLACK_API_URL=… npx tsx bench/bot-bare.ts
 */
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  endpoints: '/slack/events',
  processBeforeResponse: false,
  customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => res.end('{"ok":true}') }],
});
// Without Bolt's default conversation store, as the bot: the ceiling must not be slowed by it.
const app = new App({
  token: 'xoxb-bench',
  convoStore: false,
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL, retryConfig: { retries: 0 } },
});
app.command('/ecslab', async ({ ack, command }) => {
  await ack({ response_type: 'ephemeral', text: `⏳ Working on ${command.text.split(' ')[0]}…` });
});
await app.start({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
