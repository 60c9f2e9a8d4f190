/**
 * `ecs-lab sandbox` as a learner runs it: the installed binary (dist/bin.cjs, package.json "bin")
 * in the foreground, the AWS CLI against it, a clean stop on SIGTERM (exit 0), and the state still
 * there after a restart. Also: the ES module CLI (dist/cli.js) runs the same bundle, the binary's
 * other commands and errors, and a start that never loads node:crypto.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/moto.js';

const run = promisify(execFile);
const bin = new URL('../../dist/bin.cjs', import.meta.url).pathname;
const esmCli = new URL('../../dist/cli.js', import.meta.url).pathname;
const bundleDir = new URL('../../dist/sandbox-bundle/', import.meta.url).pathname;

async function startCommand(port: number, data: string, env: NodeJS.ProcessEnv = process.env, entry = bin): Promise<{ child: ChildProcess; stdout: () => string; stderr: () => string }> {
  const child = spawn(process.execPath, [entry, 'sandbox', '--port', String(port), '--data', data], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/_ecs-lab/health`);
      if (res.ok) return { child, stdout: () => out, stderr: () => err };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the sandbox did not answer');
}

const stop = (child: ChildProcess) => new Promise<number | null>((resolve) => {
  child.once('exit', (code) => resolve(code));
  child.kill('SIGTERM');
});

describe('ecs-lab sandbox', () => {
  it('serves the AWS CLI, stops cleanly on SIGTERM and keeps its state across a restart', async () => {
    const port = await freePort();
    const data = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-sandbox-'));
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '111122223333', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', `http://127.0.0.1:${port}`, '--output', 'json', ...args], { env });

    const first = await startCommand(port, data, { ...process.env, ECS_LAB_DEBUG: '1' });
    // The build's V8 code cache fits this Node.js: the bundle starts without compiling.
    expect(first.stderr()).toContain('ecs-lab sandbox: code cache accepted');
    expect(first.stdout()).toContain(`export AWS_ENDPOINT_URL=http://127.0.0.1:${port}`);
    expect(first.stdout()).toMatch(/older than 2\.13 \(v2\) or 1\.29 \(v1\) ignores AWS_ENDPOINT_URL/);
    await aws('ecs', 'create-cluster', '--cluster-name', 'survives-restart');
    expect(await stop(first.child)).toBe(0);

    const second = await startCommand(port, data);
    const { stdout } = await aws('ecs', 'describe-clusters', '--clusters', 'survives-restart');
    const cluster = JSON.parse(stdout).clusters[0];
    expect(cluster).toMatchObject({ clusterName: 'survives-restart', status: 'ACTIVE' });
    expect(cluster.clusterArn).toContain(':111122223333:');
    expect(await stop(second.child)).toBe(0);
  });

  it('answers every service from the bundled build (operation schemas taken from the SDK packages)', async () => {
    const port = await freePort();
    const data = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-sandbox-'));
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '111122223334', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    // The AWS CLI's JSON output, read field by field by the assertions below.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type CliJson = Record<string, any>;
    const aws = async (...args: string[]) => JSON.parse((await run('aws', ['--endpoint-url', `http://127.0.0.1:${port}`, '--output', 'json', ...args], { env })).stdout || '{}') as CliJson;
    const sandbox = await startCommand(port, data);
    try {
      expect((await aws('sts', 'get-caller-identity')).Account).toBe('111122223334');
      await aws('ecs', 'create-cluster', '--cluster-name', 'lab-prod');
      const td = await aws('ecs', 'register-task-definition', '--family', 'web', '--container-definitions', JSON.stringify([{ name: 'app', image: 'nginx', memory: 256 }]));
      expect(td.taskDefinition.taskDefinitionArn).toMatch(/:task-definition\/web:1$/);
      expect((await aws('ec2', 'create-vpc', '--cidr-block', '10.9.0.0/16')).Vpc.VpcId).toMatch(/^vpc-/);
      expect((await aws('ec2', 'describe-availability-zones')).AvailabilityZones.length).toBeGreaterThan(1);
      const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
      await aws('iam', 'create-role', '--role-name', 'lab-task', '--assume-role-policy-document', trust);
      expect((await aws('iam', 'get-role', '--role-name', 'lab-task')).Role.Arn).toBe('arn:aws:iam::111122223334:role/lab-task');
      expect((await aws('autoscaling', 'describe-auto-scaling-groups')).AutoScalingGroups).toEqual([]);
      await aws('logs', 'create-log-group', '--log-group-name', '/ecs/web');
      expect((await aws('logs', 'describe-log-groups')).logGroups.map((g: { logGroupName: string }) => g.logGroupName)).toContain('/ecs/web');
      await aws('s3api', 'create-bucket', '--bucket', 'lab-trail');
      expect((await aws('s3api', 'list-buckets')).Buckets.map((b: { Name: string }) => b.Name)).toContain('lab-trail');
      const secret = await aws('secretsmanager', 'create-secret', '--name', 'lab/db', '--secret-string', 'not-printed');
      expect(JSON.stringify(secret)).not.toContain('not-printed');
      expect((await aws('secretsmanager', 'describe-secret', '--secret-id', 'lab/db')).Name).toBe('lab/db');
      const ami = await aws('ssm', 'get-parameter', '--name', '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id');
      expect(ami.Parameter.Value).toMatch(/^ami-/);
      // An error in the service's own shape, from the error models of the same schemas.
      const missing = await run('aws', ['--endpoint-url', `http://127.0.0.1:${port}`, 'ecs', 'describe-services', '--cluster', 'ghost', '--services', 'x'], { env }).catch((e: { stderr: string }) => e);
      expect((missing as { stderr: string }).stderr).toContain('ClusterNotFoundException');
      // Every call above is in the account's event history.
      const events = (await aws('cloudtrail', 'lookup-events', '--max-results', '50')).Events.map((e: { EventName: string }) => e.EventName);
      expect(events).toEqual(expect.arrayContaining(['CreateCluster', 'RegisterTaskDefinition', 'CreateVpc', 'CreateRole', 'CreateLogGroup', 'CreateBucket', 'CreateSecret', 'GetParameter', 'DescribeServices']));
    } finally {
      expect(await stop(sandbox.child)).toBe(0);
    }
  });

  it('runs the same bundle from the ES module CLI (node dist/cli.js sandbox)', async () => {
    const port = await freePort();
    const data = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-sandbox-'));
    const sandbox = await startCommand(port, data, { ...process.env, ECS_LAB_DEBUG: '1' }, esmCli);
    expect(sandbox.stderr()).toContain('ecs-lab sandbox: code cache accepted');
    expect(sandbox.stdout()).toContain(`export AWS_ENDPOINT_URL=http://127.0.0.1:${port}`);
    expect(await stop(sandbox.child)).toBe(0);
  });

  it('the installed binary runs every other command through the ES module CLI, and maps errors to exit codes', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-home-'));
    const env = { ...process.env, ECS_LAB_HOME: home };
    const exec = (...args: string[]) =>
      run(process.execPath, [bin, ...args], { env }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await exec('--version')).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(await exec('sandbox', '--version')).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect((await exec('sandbox', '--help')).stdout).toContain('sandbox [--port 4566]');
    // A usage error from the bundle's parser: one line, exit 2, no stack.
    const badPort = await exec('sandbox', '--port', 'nope');
    expect(badPort).toMatchObject({ code: 2, stderr: 'ecs-lab: --port nope is not a port number.\n' });
    const badAuth = await exec('sandbox', '--auth', 'maybe');
    expect(badAuth.code).toBe(2);
    expect(badAuth.stderr).toContain('valid: open, sigv4');
    // Not the sandbox: the ES module CLI.
    const list = await exec('list', '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { id: string }[]).map((s) => s.id)).toContain('secrets');
    const unknown = await exec('check', 'no-such-scenario');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('patching');
  });

  it('answers its first calls without loading node:crypto (keys, secrets and signatures load it on first use)', async () => {
    const script = `
      const http = require('node:http');
      const { bundle } = require(${JSON.stringify(path.join(bundleDir, 'boot.cjs'))}).loadSandboxBundle(${JSON.stringify(bundleDir)});
      const call = (port, service, headers, body) => new Promise((resolve, reject) => {
        const auth = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/' + service + '/aws4_request, SignedHeaders=host, Signature=0';
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { authorization: auth, 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
          let text = ''; res.on('data', (d) => (text += d)); res.on('end', () => resolve(res.statusCode + ' ' + text));
        });
        req.on('error', reject); req.end(body);
      });
      const loaded = () => process.moduleLoadList.filter((m) => /crypto/.test(m)).length;
      (async () => {
        const { startSandbox } = await bundle.loadServer();
        const sandbox = await startSandbox({ port: 0, dataDir: require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'ecs-lab-crypto-')) });
        const sts = await call(sandbox.port, 'sts', { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=GetCallerIdentity&Version=2011-06-15');
        const ecs = await call(sandbox.port, 'ecs', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters' }, '{}');
        const before = loaded();
        const secret = await call(sandbox.port, 'secretsmanager', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.CreateSecret' }, '{"Name":"lab/db","SecretString":"x"}');
        console.log(JSON.stringify({ sts: sts.slice(0, 3), ecs: ecs.slice(0, 3), secret: secret.slice(0, 3), arn: /"ARN":"([^"]+)"/.exec(secret)?.[1], before, after: loaded() }));
        await sandbox.close();
      })().catch((e) => { console.error(e); process.exit(1); });`;
    // A script file, not \`node -e\`: Node.js itself loads node:crypto for -e.
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-crypto-script-')), 'first-calls.cjs');
    writeFileSync(file, script);
    const { stdout } = await run(process.execPath, [file]);
    const result = JSON.parse(stdout) as { sts: string; ecs: string; secret: string; arn: string; before: number; after: number };
    expect(result).toMatchObject({ sts: '200', ecs: '200', secret: '200', before: 0 });
    // A secret's ARN ends in six random characters: node:crypto loaded for them.
    expect(result.arn).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:lab\/db-[A-Za-z0-9]{6}$/);
    expect(result.after).toBeGreaterThan(0);
  });
});
