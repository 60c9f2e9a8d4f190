import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningSandbox } from '../sandbox/index.js';
import { startTestSandbox } from '../sandbox/test-helpers.js';
import { connectTarget } from './connect.js';

let sandbox: RunningSandbox;
let other: Server;
let otherUrl: string;
const env = { AWS_ACCESS_KEY_ID: '123456789012', AWS_SECRET_ACCESS_KEY: 'test' };

beforeAll(async () => {
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  sandbox = await startTestSandbox();
  // Not a sandbox: answers STS like an emulator would, and 404 elsewhere.
  other = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/' && body.includes('Action=GetCallerIdentity')) {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end('<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:root</Arn><UserId>123456789012</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>');
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sandbox.close();
  await new Promise((resolve) => other.close(resolve));
});

describe('connectTarget with an endpoint', () => {
  it('knows an ecs-lab sandbox behind --endpoint enforces IAM, and another emulator does not', async () => {
    for (const [endpoint, enforces] of [[sandbox.url, true], [`${sandbox.url}/`, true], [otherUrl, false]] as const) {
      const conn = await connectTarget({ kind: 'endpoint', endpoint, region: 'us-east-1', allowedAccounts: [] }, 'alice', env);
      expect({ endpoint, enforces: conn.enforcesIam, account: conn.account }).toEqual({ endpoint, enforces, account: '123456789012' });
      await conn.close();
    }
  });
});
