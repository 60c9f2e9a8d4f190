/**
 * Benchmark: the embedded sandbox against moto_server and a canned-reply node:http server (the
 * ceiling of the SDK v3 client loop itself), measured side by side in one run:
 *
 *   (a) time from process start to the first answered request (sandbox: `ecs-lab sandbox` as
 *       installed, i.e. `node dist/bin.cjs sandbox`, or a small tsx entry when dist/ is missing;
 *       moto: `moto_server`);
 *   (b) DescribeServices of 10 services and RegisterTaskDefinition, sequential and 8-way
 *       concurrent, in requests per second, as a share of the canned-reply ceiling; the last
 *       column gives the median and range of that share over the rounds of one run (sandbox and
 *       canned slices taken back to back), i.e. how far a single reading can be trusted here;
 *   (c) RSS of the sandbox process holding 100 accounts, each with a started scenario's worth of
 *       resources (VPC, 2 subnets, security group, 2 clusters, roles, task definitions, services),
 *       and again after a working session of 300 more calls in each account (a cohort sharing one
 *       sandbox: mostly a check's reads; every call is also an event in the account's history).
 *
 *   npx tsx bench/sandbox-vs-moto.ts [seconds-per-measurement] [parts]
 *
 *   (d) `budget`: what sequential RegisterTaskDefinition throughput is left when the canned server
 *       does 150, 300, 450 or 600 µs of work before each reply, next to the sandbox in the same
 *       interleaved slices: how much work before the reply the 80 % goal allows on this machine,
 *       and how much the sandbox's answers cost in those terms.
 *
 * `parts` is a comma-separated subset of startup,throughput,budget,memory (default: all four),
 * for re-measuring one part while working on it; the goals line covers the parts measured.
 *
 * Prints a table and the ratios against the goals; asserts nothing. All traffic stays on
 * 127.0.0.1; state goes to a temporary directory that is removed afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import { Agent } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateSubnetCommand, CreateVpcCommand, CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const SECONDS = Number(process.argv[2] ?? 2);
const ALL_PARTS = ['startup', 'throughput', 'budget', 'memory'];
const PARTS = new Set((process.argv[3] ?? ALL_PARTS.join(',')).split(','));
for (const part of PARTS) {
  if (!ALL_PARTS.includes(part)) throw new Error(`unknown part ${part} (valid: ${ALL_PARTS.join(', ')})`);
}
/** The `budget` part: microseconds of work the canned server does before each reply. */
const BUDGET_MICROS = [0, 150, 300, 450, 600];
const STARTUP_RUNS = 5;
const ACCOUNTS = 100;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ACCOUNT = '123456789012';

// ---------------------------------------------------------------------------------------------
// Processes

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface Target {
  readonly name: string;
  readonly endpoint: string;
  readonly child: ChildProcess;
  /** Milliseconds from spawn to the first answered sts:GetCallerIdentity (the lab's first call). */
  readonly startupMs: number;
  /** Milliseconds from spawn to the first answered ecs:ListClusters, sent right after. */
  readonly firstEcsMs: number;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** How the sandbox is started: the built `ecs-lab` when dist/ exists, else a tsx entry. */
function sandboxCommand(port: number, dataDir: string): { port: number; command: string; args: string[]; label: string } {
  const bin = join(ROOT, 'dist', 'bin.cjs');
  if (existsSync(bin)) {
    return { port, command: process.execPath, args: [bin, 'sandbox', '--port', String(port), '--data', dataDir], label: 'node dist/bin.cjs sandbox' };
  }
  const entry = `import { startSandbox } from ${JSON.stringify(join(ROOT, 'src', 'sandbox', 'index.ts'))}; ` +
    `await startSandbox({ port: ${port}, dataDir: ${JSON.stringify(dataDir)} });`;
  return { port, command: process.execPath, args: ['--import', 'tsx', '--input-type=module', '-e', entry], label: 'tsx src/sandbox (no dist/)' };
}

function ecsClient(endpoint: string, maxSockets = 16, account = ACCOUNT): ECSClient {
  return new ECSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: account, secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets }) },
  });
}

/** Every server process still running, so that a run that fails half-way leaves none behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Spawns a server and polls it with a real SDK call until one is answered. */
async function start(name: string, port: number, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const endpoint = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'test' }, maxAttempts: 1 });
  const ecs = ecsClient(endpoint, 1);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited during start-up: ${stderr}`);
      if (performance.now() - started > 60_000) throw new Error(`${name} did not answer within 60 s: ${stderr}`);
      try {
        await sts.send(new GetCallerIdentityCommand({}));
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const startupMs = performance.now() - started;
    await ecs.send(new ListClustersCommand({}));
    return { name, endpoint, child, startupMs, firstEcsMs: performance.now() - started };
  } finally {
    sts.destroy();
    ecs.destroy();
  }
}

function stop(target: Target | { child: ChildProcess }): Promise<void> {
  return new Promise((resolve) => {
    if (target.child.exitCode !== null) return resolve();
    target.child.once('exit', () => resolve());
    target.child.kill('SIGTERM');
    setTimeout(() => target.child.kill('SIGKILL'), 3_000).unref();
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+([0-9]+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// ---------------------------------------------------------------------------------------------
// Workloads

const TASK_DEFINITION: RegisterTaskDefinitionCommandInput = {
  family: 'bench-web',
  networkMode: 'bridge',
  containerDefinitions: [
    {
      name: 'app',
      image: 'public.ecr.aws/nginx/nginx:1.27',
      memory: 256,
      portMappings: [{ containerPort: 80 }],
      environment: [{ name: 'MODE', value: 'bench' }],
      secrets: [{ name: 'DB_PASSWORD', valueFrom: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db` }],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/bench', 'awslogs-region': 'us-east-1' } },
    },
  ],
};
const SERVICES = Array.from({ length: 10 }, (_, i) => `svc-${i}`);

/** A cluster with 10 services (EC2 launch type, so moto needs no network configuration). */
async function seedServices(endpoint: string): Promise<void> {
  const ecs = ecsClient(endpoint);
  await ecs.send(new CreateClusterCommand({ clusterName: 'bench' }));
  const td = await ecs.send(new RegisterTaskDefinitionCommand(TASK_DEFINITION));
  for (const name of SERVICES) {
    await ecs.send(new CreateServiceCommand({ cluster: 'bench', serviceName: name, taskDefinition: td.taskDefinition!.taskDefinitionArn, desiredCount: 0, launchType: 'EC2' }));
  }
  ecs.destroy();
}

type Workload = (ecs: ECSClient) => Promise<unknown>;
const WORKLOADS: Record<string, Workload> = {
  DescribeServices: (ecs) => ecs.send(new DescribeServicesCommand({ cluster: 'bench', services: SERVICES })),
  RegisterTaskDefinition: (ecs) => ecs.send(new RegisterTaskDefinitionCommand(TASK_DEFINITION)),
};

/** Runs `workload` with `concurrency` in flight until `until` (performance.now() time); returns the calls answered. */
async function run(ecs: ECSClient, workload: Workload, concurrency: number, until: number): Promise<number> {
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await workload(ecs);
        n++;
      }
    }),
  );
  return n;
}

/**
 * Warm-up per target and workload before measuring. A JIT-compiled server (the sandbox, the
 * canned server) runs its first thousand or so calls of a new operation through V8's interpreter
 * and baseline tiers; 20 calls measured that start-up rather than the steady state (the sandbox's
 * RegisterTaskDefinition rate rose from ~300 to ~550 req/s over its first 5,000 calls). moto
 * (CPython) has no such phase.
 */
const WARM_UP_MS = 2_000;

/** Slices per throughput measurement: the targets take turns, so drifting machine load hits each alike. */
const SLICES = 8;

/** Requests per second per endpoint: over the whole measurement, and in each slice. */
interface Rates {
  readonly total: number[];
  /** [slice][endpoint]: the endpoints' slices of one round were taken back to back. */
  readonly slices: number[][];
}

/**
 * Requests per second of `workload` with `concurrency` in flight against each endpoint, measured
 * in {@link SLICES} interleaved slices (A B C A B C ...) totalling SECONDS per endpoint, after a
 * warm-up. Interleaving matters on a shared machine: load that comes and goes during the run is
 * spread over all targets instead of falling on whichever was measured at the time. The slices'
 * own rates show how much one round differs from the next (the run's noise).
 */
async function throughputs(endpoints: readonly string[], workload: Workload, concurrency: number): Promise<Rates> {
  for (const endpoint of endpoints) {
    const ecs = ecsClient(endpoint, concurrency);
    await run(ecs, workload, concurrency, performance.now() + WARM_UP_MS);
    ecs.destroy();
  }
  const done = endpoints.map(() => 0);
  const spent = endpoints.map(() => 0);
  const slices: number[][] = [];
  for (let slice = 0; slice < SLICES; slice++) {
    const round: number[] = [];
    for (const [i, endpoint] of endpoints.entries()) {
      // A client (and connections) per slice: with six targets (the budget part) a kept-alive
      // connection would wait about 5 s between its slices, the servers' keep-alive timeout, and a
      // request sent just as the server closes it fails with "socket hang up". The new connection
      // costs each target the same, once per slice of a thousand calls or more.
      const ecs = ecsClient(endpoint, concurrency);
      const started = performance.now();
      const n = await run(ecs, workload, concurrency, started + (SECONDS * 1000) / SLICES);
      const elapsed = performance.now() - started;
      ecs.destroy();
      done[i]! += n;
      spent[i]! += elapsed;
      round.push(n / (elapsed / 1000));
    }
    slices.push(round);
  }
  return { total: done.map((n, i) => n / (spent[i]! / 1000)), slices };
}

/**
 * The canned-reply server: a child node:http process answering each target with a fixed body.
 * With `workMicros`, it first keeps the CPU busy that long on every call (the `budget` part): a
 * stand-in for the work a real server does before it replies.
 */
async function startCanned(replies: Record<string, string>, env: NodeJS.ProcessEnv = process.env, workMicros = 0): Promise<Target> {
  const port = await freePort();
  const source = `
    const http = require('node:http');
    const replies = ${JSON.stringify(replies)};
    const work = BigInt(${Math.round(workMicros * 1000)});
    let n = 0;
    http.createServer((req, res) => {
      const target = req.headers['x-amz-target'];
      const op = String(target || '').split('.').pop();
      req.resume();
      req.on('end', () => {
        if (work > 0n) { const until = process.hrtime.bigint() + work; while (process.hrtime.bigint() < until); }
        const body = target ? (replies[op] ?? '{}') : replies.GetCallerIdentity;
        res.writeHead(200, { 'content-type': target ? 'application/x-amz-json-1.1' : 'text/xml', 'x-amzn-requestid': 'canned-' + (n++), 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    }).listen(${port}, '127.0.0.1');`;
  return start('canned', port, process.execPath, ['-e', source], env);
}

/** The canned answers to the start-up probes (sts:GetCallerIdentity, then ecs:ListClusters). */
const PROBE_REPLIES: Readonly<Record<string, string>> = {
  ListClusters: '{"clusterArns":[]}',
  GetCallerIdentity:
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
    `<Arn>arn:aws:iam::${ACCOUNT}:root</Arn><UserId>${ACCOUNT}</UserId><Account>${ACCOUNT}</Account>` +
    '</GetCallerIdentityResult><ResponseMetadata><RequestId>canned</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
};

/** Captures the sandbox's own answers, so that the canned server replies with the same bytes. */
async function captureReplies(endpoint: string): Promise<Record<string, string>> {
  const replies: Record<string, string> = { ...PROBE_REPLIES };
  for (const [op, body] of [
    ['DescribeServices', { cluster: 'bench', services: SERVICES }],
    ['RegisterTaskDefinition', TASK_DEFINITION],
  ] as const) {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AmazonEC2ContainerServiceV20141113.${op}`,
        authorization: `AWS4-HMAC-SHA256 Credential=${ACCOUNT}/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=00`,
      },
      body: JSON.stringify(body),
    });
    replies[op] = await res.text();
  }
  return replies;
}

/** A started scenario's worth of resources in one account. */
async function populate(endpoint: string, account: string): Promise<void> {
  const cfg = { endpoint, region: 'us-east-1', credentials: { accessKeyId: account, secretAccessKey: 'test' }, maxAttempts: 1 };
  const ec2 = new EC2Client(cfg);
  const iam = new IAMClient(cfg);
  const ecs = new ECSClient(cfg);
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'ecs-lab:managed', Value: 'true' }] }] }));
  const subnets = [];
  for (const [i, zone] of ['us-east-1a', 'us-east-1b'].entries()) {
    subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: zone }))).Subnet!.SubnetId!);
  }
  const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'lab-web', Description: 'web', VpcId: vpc.Vpc!.VpcId }));
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  for (const role of ['lab-task', 'lab-execution']) {
    await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: trust, Tags: [{ Key: 'ecs-lab:managed', Value: 'true' }] }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: role,
        PolicyName: 'read',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] }),
      }),
    );
  }
  for (const cluster of ['lab-prod', 'lab-dev']) {
    await ecs.send(new CreateClusterCommand({ clusterName: cluster, tags: [{ key: 'ecs-lab:managed', value: 'true' }] }));
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        ...TASK_DEFINITION,
        family: `${cluster}-web`,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        taskRoleArn: `arn:aws:iam::${account}:role/lab-task`,
        executionRoleArn: `arn:aws:iam::${account}:role/lab-execution`,
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'web',
        taskDefinition: td.taskDefinition!.taskDefinitionArn,
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets, securityGroups: [sg.GroupId!] } },
      }),
    );
  }
  for (const client of [ec2, iam, ecs]) client.destroy();
}

/** Calls per account in the memory part's working session. */
const SESSION_CALLS = 300;

/**
 * A learner's working session in one account: mostly the reads a check makes, every tenth call a
 * new task definition revision. Each call also becomes an event in the account's history.
 */
async function workSession(endpoint: string, account: string): Promise<void> {
  const ecs = ecsClient(endpoint, 1, account);
  for (let i = 0; i < SESSION_CALLS; i++) {
    if (i % 10 === 0) await ecs.send(new RegisterTaskDefinitionCommand({ ...TASK_DEFINITION, family: 'lab-prod-web' }));
    else await ecs.send(new DescribeServicesCommand({ cluster: 'lab-prod', services: ['web'] }));
  }
  ecs.destroy();
}

// ---------------------------------------------------------------------------------------------
// Run

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const temp = mkdtempSync(join(tmpdir(), 'ecs-lab-bench-'));
  const sandboxHow = sandboxCommand(0, temp).label;
  const distSrc = join(ROOT, 'src');
  if (existsSync(join(ROOT, 'dist', 'bin.cjs')) && statSync(join(ROOT, 'dist', 'bin.cjs')).mtimeMs < newestMtime(join(distSrc, 'sandbox'))) {
    console.error('note: dist/ is older than src/sandbox; run `npm run build` to measure the current code.');
  }
  console.error(`sandbox: ${sandboxHow}; moto: moto_server; ${SECONDS} s per throughput measurement`);
  const results: { metric: string; sandbox: number; moto: number; canned?: number; unit: string; sliceRatios?: number[] }[] = [];
  let budget: { sandbox: number; canned: { micros: number; rate: number }[] } | undefined;
  try {
    // (a) Start-up, next to the floor any Node.js sandbox has here: a bare node:http server
    // answering the same probes with canned bytes. Node 20 reads NODE_EXTRA_CA_CERTS (set on some
    // machines, this one included) while it starts; when it is set, both are measured again
    // without it.
    if (PARTS.has('startup')) {
      const withoutCa = process.env.NODE_EXTRA_CA_CERTS ? Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS')) : undefined;
      const runs: Record<string, { first: number[]; ecs: number[] }> = {};
      const record = (label: string, target: Target) => {
        runs[label] ??= { first: [], ecs: [] };
        runs[label].first.push(target.startupMs);
        runs[label].ecs.push(target.firstEcsMs);
        return stop(target);
      };
      for (let run = 0; run < STARTUP_RUNS; run++) {
        for (const [suffix, env] of [['', process.env], ...(withoutCa ? [[' (no NODE_EXTRA_CA_CERTS)', withoutCa] as const] : [])] as const) {
          const how = sandboxCommand(await freePort(), mkdtempSync(join(temp, 'start-')));
          await record(`sandbox${suffix}`, await start('sandbox', how.port, how.command, how.args, env));
          await record(`floor${suffix}`, await startCanned(PROBE_REPLIES, env));
        }
        const motoPort = await freePort();
        await record('moto', await start('moto', motoPort, 'moto_server', ['-H', '127.0.0.1', '-p', String(motoPort)]));
      }
      const moto = runs.moto!;
      results.push({ metric: 'start-up to first answer (sts)', sandbox: median(runs.sandbox!.first), moto: median(moto.first), unit: 'ms' });
      results.push({ metric: 'start-up to first ECS answer', sandbox: median(runs.sandbox!.ecs), moto: median(moto.ecs), unit: 'ms' });
      results.push({ metric: 'start-up, bare node:http server (floor)', sandbox: median(runs.floor!.first), moto: median(moto.first), unit: 'ms' });
      if (withoutCa) {
        results.push({ metric: 'start-up without NODE_EXTRA_CA_CERTS', sandbox: median(runs['sandbox (no NODE_EXTRA_CA_CERTS)']!.first), moto: median(moto.first), unit: 'ms' });
        results.push({ metric: 'floor without NODE_EXTRA_CA_CERTS', sandbox: median(runs['floor (no NODE_EXTRA_CA_CERTS)']!.first), moto: median(moto.first), unit: 'ms' });
      }
      for (const [label, r] of Object.entries(runs)) console.error(`start-up ${label}: ${r.first.map((n) => fmt(n)).join('/')} ms`);
    }

    // (b) Throughput: one target at a time (they never compete for the CPU), in interleaved slices.
    if (PARTS.has('throughput')) {
    const how = sandboxCommand(await freePort(), join(temp, 'throughput'));
    const sandbox = await start('sandbox', how.port, how.command, how.args);
    await seedServices(sandbox.endpoint);
    const canned = await startCanned(await captureReplies(sandbox.endpoint));
    const motoPort = await freePort();
    const moto = await start('moto', motoPort, 'moto_server', ['-H', '127.0.0.1', '-p', String(motoPort)]);
    await seedServices(moto.endpoint);
    for (const [name, workload] of Object.entries(WORKLOADS)) {
      for (const concurrency of [1, 8]) {
        const { total, slices } = await throughputs([sandbox.endpoint, moto.endpoint, canned.endpoint], workload, concurrency);
        const rate = { sandbox: total[0]!, moto: total[1]!, canned: total[2]! };
        // Sandbox over canned within each round: the spread is what one measurement can be trusted to.
        const sliceRatios = slices.map(([s, , c]) => s! / c!);
        results.push({ metric: `${name}${name === 'DescribeServices' ? ' (10)' : ''}, ${concurrency === 1 ? 'sequential' : '8-way'}`, ...rate, unit: 'req/s', sliceRatios });
        console.error(`${name} x${concurrency}: sandbox ${fmt(rate.sandbox)}, moto ${fmt(rate.moto)}, canned ${fmt(rate.canned)} req/s`);
      }
    }
    await Promise.all([stop(sandbox), stop(moto), stop(canned)]);
    }

    // (d) The budget: canned servers that work before replying, next to the sandbox.
    if (PARTS.has('budget')) {
      const how = sandboxCommand(await freePort(), join(temp, 'budget'));
      const sandbox = await start('sandbox', how.port, how.command, how.args);
      await seedServices(sandbox.endpoint);
      const replies = await captureReplies(sandbox.endpoint);
      const canned: Target[] = [];
      for (const micros of BUDGET_MICROS) canned.push(await startCanned(replies, process.env, micros));
      const { total } = await throughputs([sandbox.endpoint, ...canned.map((c) => c.endpoint)], WORKLOADS.RegisterTaskDefinition!, 1);
      budget = { sandbox: total[0]!, canned: BUDGET_MICROS.map((micros, i) => ({ micros, rate: total[i + 1]! })) };
      console.error(`budget: sandbox ${fmt(total[0]!)} req/s; canned ${budget.canned.map((c) => `+${c.micros} µs ${fmt(c.rate)}`).join(', ')} req/s`);
      await Promise.all([stop(sandbox), ...canned.map((c) => stop(c))]);
    }

    // (c) Memory with 100 accounts.
    if (PARTS.has('memory')) {
    const memHow = sandboxCommand(await freePort(), join(temp, 'memory'));
    const big = await start('sandbox', memHow.port, memHow.command, memHow.args);
    const idle = rssMb(big.child.pid!);
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => String(100000000000 + i));
    /** Runs `work` in every account, `workers` at a time, and returns the RSS once the sandbox has settled. */
    const rssAfter = async (workers: number, work: (endpoint: string, account: string) => Promise<void>): Promise<number> => {
      let next = 0;
      await Promise.all(Array.from({ length: workers }, async () => {
        while (next < accounts.length) await work(big.endpoint, accounts[next++]!);
      }));
      await new Promise((r) => setTimeout(r, 500));
      return rssMb(big.child.pid!);
    };
    const loaded = await rssAfter(4, populate);
    // Then a working session of a cohort sharing one sandbox: every learner's checks and fixes.
    const worked = await rssAfter(8, workSession);
    await stop(big);
    results.push({ metric: `RSS, ${ACCOUNTS} accounts with a scenario each`, sandbox: loaded, moto: Number.NaN, unit: 'MB' });
    results.push({ metric: `RSS, then ${SESSION_CALLS} calls more in each`, sandbox: worked, moto: Number.NaN, unit: 'MB' });
    console.error(`RSS: ${fmt(idle, 1)} MB idle, ${fmt(loaded, 1)} MB with ${ACCOUNTS} accounts, ${fmt(worked, 1)} MB after ${SESSION_CALLS} calls more in each`);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }

  // Report.
  const widths = [44, 10, 10, 10, 16, 14, 22];
  const spread = (ratios: number[] | undefined) => (ratios?.length ? `${fmt(100 * median(ratios))} % (${fmt(100 * Math.min(...ratios))}-${fmt(100 * Math.max(...ratios))})` : '-');
  console.log();
  if (results.length > 0) {
    console.log(row(['metric', 'sandbox', 'moto', 'canned', 'sandbox/ceiling', 'moto/ceiling', 'by slice: median (range)'], widths));
    console.log('-'.repeat(widths.reduce((a, b) => a + b + 2, -2)));
  }
  for (const r of results) {
    const unit = ` ${r.unit}`;
    const digits = r.unit === 'MB' ? 1 : 0;
    console.log(
      row(
        [
          r.metric,
          fmt(r.sandbox, digits) + unit,
          Number.isNaN(r.moto) ? '-' : fmt(r.moto, digits) + unit,
          r.canned === undefined ? '-' : fmt(r.canned) + unit,
          r.canned === undefined ? '-' : `${fmt((100 * r.sandbox) / r.canned)} %`,
          r.canned === undefined ? '-' : `${fmt((100 * r.moto) / r.canned)} %`,
          spread(r.sliceRatios),
        ],
        widths,
      ),
    );
  }
  console.log();
  const byMetric = (prefix: string) => results.find((r) => r.metric.startsWith(prefix));
  const startup = byMetric('start-up to first answer');
  const startupEcs = byMetric('start-up to first ECS');
  const through = results.filter((r) => r.canned !== undefined);
  const memory = byMetric('RSS');
  const goal = (ok: boolean) => (ok ? 'goal met' : 'GOAL MISSED');
  if (startup && startupEcs) {
    console.log(`start-up: sandbox/moto = ${fmt(startup.sandbox / startup.moto, 3)} (moto is ${fmt(startup.moto / startup.sandbox, 1)}x slower; goal <= 0.1): ${goal(startup.sandbox / startup.moto <= 0.1)}; first ECS answer: ${fmt(startupEcs.sandbox / startupEcs.moto, 3)}`);
    const floor = byMetric('start-up, bare node:http');
    if (floor) console.log(`  the floor: a bare node:http server answers at ${fmt(floor.sandbox / floor.moto, 3)} of moto; the sandbox's own part is ${fmt(startup.sandbox - floor.sandbox)} ms`);
    const noCa = byMetric('start-up without NODE_EXTRA_CA_CERTS');
    const noCaFloor = byMetric('floor without NODE_EXTRA_CA_CERTS');
    if (noCa && noCaFloor) console.log(`  without NODE_EXTRA_CA_CERTS: sandbox/moto = ${fmt(noCa.sandbox / noCa.moto, 3)}: ${goal(noCa.sandbox / noCa.moto <= 0.1)}; floor ${fmt(noCaFloor.sandbox / noCaFloor.moto, 3)}`);
  }
  if (through.length > 0) {
    const worst = Math.min(...through.map((r) => r.sandbox / r.canned!));
    console.log(`throughput: sandbox reaches ${fmt(100 * worst)} % of the canned-reply ceiling at worst (goal >= 80 %): ${goal(worst >= 0.8)}; one round's slices ranged ${fmt(100 * Math.min(...through.flatMap((r) => r.sliceRatios ?? [])))}-${fmt(100 * Math.max(...through.flatMap((r) => r.sliceRatios ?? [])))} %; moto ${fmt(100 * Math.min(...through.map((r) => r.moto / r.canned!)))}-${fmt(100 * Math.max(...through.map((r) => r.moto / r.canned!)))} %`);
  }
  if (budget) {
    const ceiling = budget.canned[0]!.rate;
    const shares = budget.canned.map((c) => ({ micros: c.micros, share: c.rate / ceiling }));
    console.log(`budget (RegisterTaskDefinition, sequential): ${shares.map((s) => `canned +${s.micros} µs before the reply ${fmt(100 * s.share)} %`).join('; ')}`);
    console.log(`  the 80 % goal allows about ${microsAt(shares, 0.8)} µs of work before each reply here; the sandbox reaches ${fmt((100 * budget.sandbox) / ceiling)} %, like about ${microsAt(shares, budget.sandbox / ceiling)} µs`);
  }
  if (memory) console.log(`memory: ${fmt(memory.sandbox, 1)} MB RSS for ${ACCOUNTS} accounts (goal < 150 MB): ${goal(memory.sandbox < 150)}`);
  const session = byMetric('RSS, then');
  if (session) console.log(`  after a working session of ${SESSION_CALLS} calls in each account: ${fmt(session.sandbox, 1)} MB (no goal; the event history grows with every call)`);
}

/**
 * Microseconds of work before the reply at which the canned share falls to `share`, by linear
 * interpolation between the measured points (shares fall as the work grows; noise may bend that).
 */
function microsAt(points: readonly { micros: number; share: number }[], share: number): string {
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    if (share <= a.share && share >= b.share && a.share !== b.share) return fmt(a.micros + ((a.share - share) / (a.share - b.share)) * (b.micros - a.micros));
  }
  return share > points[0]!.share ? '< 0' : `> ${points[points.length - 1]!.micros}`;
}

await main();
