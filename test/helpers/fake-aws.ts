/**
 * A tiny AWS-shaped HTTP server for error paths the emulators cannot produce on demand
 * (AccessDenied, throttling, expired tokens). It answers STS GetCallerIdentity in awsQuery XML and
 * every awsJson1_1 operation through a handler the test supplies, and counts the requests.
 */
import http from 'node:http';

export interface FakeReply {
  status: number;
  body: unknown;
}

export interface FakeAws {
  endpoint: string;
  /** Requests seen, by operation name. */
  hits: Record<string, number>;
  close(): Promise<void>;
}

export type JsonHandler = (operation: string, input: Record<string, unknown>) => FakeReply;

const identityXml = (account: string) =>
  `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
  `<Arn>arn:aws:iam::${account}:user/learner</Arn><UserId>AIDAFAKE</UserId><Account>${account}</Account>` +
  `</GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;

/** Starts the fake on a random loopback port. */
export function startFakeAws(handler: JsonHandler, opts: { account?: string; stsError?: { status: number; code: string; message: string } } = {}): Promise<FakeAws> {
  const hits: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const target = req.headers['x-amz-target'];
      res.setHeader('x-amzn-RequestId', 'fake-request');
      if (typeof target === 'string') {
        const op = target.slice(target.lastIndexOf('.') + 1);
        hits[op] = (hits[op] ?? 0) + 1;
        const reply = handler(op, body ? (JSON.parse(body) as Record<string, unknown>) : {});
        res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(reply.body));
        return;
      }
      const action = new URLSearchParams(body).get('Action') ?? 'Unknown';
      hits[action] = (hits[action] ?? 0) + 1;
      if (action === 'GetCallerIdentity' && !opts.stsError) {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(identityXml(opts.account ?? '000000000000'));
        return;
      }
      const e = opts.stsError ?? { status: 400, code: 'InvalidAction', message: `${action} is not served by the fake` };
      res.writeHead(e.status, { 'content-type': 'text/xml' });
      res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${e.message}</Message></Error><RequestId>r-2</RequestId></ErrorResponse>`);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address() as { port: number };
      resolve({
        endpoint: `http://127.0.0.1:${addr.port}`,
        hits,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

/** An awsJson1_1 error reply. */
export const jsonError = (status: number, type: string, message: string): FakeReply => ({ status, body: { __type: type, message } });
