/**
 * Benchmark: evaluations per second of src/iam's evaluator and of @cloud-copilot/iam-simulate (the
 * test oracle) on the same 10-statement policy with conditions, measured side by side in one run.
 *
 *   npx tsx bench/iam-eval.ts [seconds-per-measurement]
 *
 * Prints rates and ratios only; nothing here is asserted.
 */
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { evaluate, principalContext } from '../src/iam/index.js';
import type { EvaluationInput } from '../src/iam/index.js';

const ACCOUNT = '111122223333';
const SECONDS = Number(process.argv[2] ?? 1.5);

/** Ten statements: the lab's tag-based developer policy grown with the condition kinds the lab uses. */
const POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'DescribeAll', Effect: 'Allow', Action: ['ecs:Describe*', 'ecs:List*'], Resource: '*' },
    { Sid: 'ChangeDev', Effect: 'Allow', Action: ['ecs:UpdateService', 'ecs:DeleteService', 'ecs:StopTask', 'ecs:RunTask'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/environment': 'dev' } } },
    { Sid: 'CreateTaggedDev', Effect: 'Allow', Action: ['ecs:CreateService', 'ecs:RegisterTaskDefinition', 'ecs:CreateCluster'], Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/environment': 'dev' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'team'] } } },
    { Sid: 'TagOnCreate', Effect: 'Allow', Action: 'ecs:TagResource', Resource: '*', Condition: { StringEquals: { 'ecs:CreateAction': ['CreateService', 'CreateCluster', 'RegisterTaskDefinition'] } } },
    { Sid: 'DenyProd', Effect: 'Deny', Action: ['ecs:UpdateService', 'ecs:DeleteService', 'ecs:StopTask'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/environment': 'prod' } } },
    { Sid: 'DenyRetag', Effect: 'Deny', Action: ['ecs:TagResource', 'ecs:UntagResource'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'environment' }, Null: { 'ecs:CreateAction': 'true' } } },
    { Sid: 'OwnTeamSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:lab/\${aws:PrincipalTag/team}/*`, Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
    { Sid: 'OfficeOnly', Effect: 'Deny', NotAction: ['ecs:Describe*', 'ecs:List*'], Resource: '*', Condition: { NotIpAddressIfExists: { 'aws:SourceIp': ['203.0.113.0/24', '10.0.0.0/8'] } } },
    { Sid: 'PassExecutionRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/lab-*`, Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' }, ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/lab-*` } } },
    { Sid: 'FreshSessions', Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' } } },
  ],
};
const POLICY_TEXT = JSON.stringify(POLICY);
const PRINCIPAL = `arn:aws:sts::${ACCOUNT}:assumed-role/lab-developer/alice`;

interface BenchRequest {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

const svc = (cluster: string): string => `arn:aws:ecs:us-east-1:${ACCOUNT}:service/${cluster}/catalog`;
const base = { ...principalContext(PRINCIPAL), 'aws:SourceIp': '10.1.2.3', 'aws:SecureTransport': 'true', 'aws:TokenIssueTime': '2025-06-01T12:00:00Z', 'aws:PrincipalTag/team': 'auth' };
const REQUESTS: BenchRequest[] = [
  { action: 'ecs:UpdateService', resource: svc('lab-dev'), context: { ...base, 'aws:ResourceTag/environment': 'dev' } },
  { action: 'ecs:UpdateService', resource: svc('lab-prod'), context: { ...base, 'aws:ResourceTag/environment': 'prod' } },
  { action: 'ecs:DeleteService', resource: svc('lab-dev'), context: { ...base, 'aws:ResourceTag/environment': 'dev', 'aws:SourceIp': '8.8.8.8' } },
  { action: 'ecs:DescribeServices', resource: svc('lab-prod'), context: { ...base } },
  { action: 'ecs:CreateService', resource: svc('lab-dev'), context: { ...base, 'aws:RequestTag/environment': 'dev', 'aws:TagKeys': ['environment'] } },
  { action: 'ecs:CreateService', resource: svc('lab-dev'), context: { ...base, 'aws:RequestTag/environment': 'prod', 'aws:TagKeys': ['environment'] } },
  { action: 'ecs:TagResource', resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/lab-dev`, context: { ...base, 'aws:TagKeys': ['environment'] } },
  { action: 'ecs:TagResource', resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/lab-dev`, context: { ...base, 'aws:TagKeys': ['environment'], 'ecs:CreateAction': 'CreateCluster' } },
  { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:lab/auth/db-AbCdEf`, context: { ...base } },
  { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:lab/orders/db-AbCdEf`, context: { ...base } },
  { action: 'iam:PassRole', resource: `arn:aws:iam::${ACCOUNT}:role/lab-task-execution-role`, context: { ...base, 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
  { action: 'ecs:StopTask', resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:task/lab-dev/0123456789abcdef`, context: { ...base, 'aws:ResourceTag/environment': 'dev', 'aws:TokenIssueTime': '2023-01-01T00:00:00Z' } },
];

function ourInput(r: BenchRequest): EvaluationInput {
  return { request: { principal: PRINCIPAL, action: r.action, resource: r.resource, context: r.context }, identityPolicies: [{ id: 'inline:lab-developer/dev-only', document: POLICY_TEXT }] };
}

function simulation(r: BenchRequest): Simulation {
  return {
    request: { principal: PRINCIPAL, action: r.action, resource: { resource: r.resource, accountId: ACCOUNT }, contextVariables: r.context },
    identityPolicies: [{ name: 'dev-only', policy: POLICY }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
}

const ORACLE: Record<string, string> = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' };

/** Evaluations per second of wall-clock time and per second of this process's CPU time. */
interface Rate {
  wall: number;
  cpu: number;
}

/**
 * CPU time is reported beside wall time because the lab's machines are shared: other processes
 * stretch wall time, while CPU time measures what one core did. The ratio uses CPU time.
 */
function rate(count: number, wallStart: number, cpuStart: NodeJS.CpuUsage): Rate {
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (count * 1000) / (performance.now() - wallStart), cpu: (count * 1e6) / (cpu.user + cpu.system) };
}

/** Runs `step` in batches of 100 until `seconds` have passed. */
function measureSync(step: (i: number) => unknown, seconds: number): Rate {
  for (let i = 0; i < 2000; i++) step(i);
  let count = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const deadline = start + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i++) step(count + i);
    count += 100;
  }
  return rate(count, start, cpuStart);
}

/** The same for an async step, awaited one at a time. */
async function measureAsync(step: (i: number) => Promise<unknown>, seconds: number): Promise<Rate> {
  for (let i = 0; i < 50; i++) await step(i);
  let count = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const deadline = start + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 10; i++) await step(count + i);
    count += 10;
  }
  return rate(count, start, cpuStart);
}

async function main(): Promise<void> {
  const inputs = REQUESTS.map(ourInput);
  const sims = REQUESTS.map(simulation);
  let disagreements = 0;
  for (let i = 0; i < REQUESTS.length; i++) {
    const ours = evaluate(inputs[i] as EvaluationInput).decision;
    const theirs = ORACLE[runUnsafeSimulation(sims[i] as Simulation, {})];
    if (ours !== theirs) disagreements++;
  }
  const decisions = inputs.map((input) => evaluate(input).decision);
  const n = REQUESTS.length;

  const decisionOnly = measureSync((i) => evaluate(inputs[i % n] as EvaluationInput).decision, SECONDS);
  const explained = measureSync((i) => evaluate(inputs[i % n] as EvaluationInput).reason, SECONDS);
  const unsafe = measureSync((i) => runUnsafeSimulation(sims[i % n] as Simulation, {}), SECONDS);
  const validated = await measureAsync((i) => runSimulation(sims[i % n] as Simulation, {}), SECONDS);

  const fmt = (r: Rate): string => `${Math.round(r.cpu).toLocaleString('en-US').padStart(9)} /cpu-s ${Math.round(r.wall).toLocaleString('en-US').padStart(9)} /wall-s`;
  const ratio = (a: Rate, b: Rate): string => `${(a.cpu / b.cpu).toFixed(1)}x`;
  console.log(`IAM evaluation benchmark: 10-statement policy with conditions, ${n} requests (${decisions.filter((d) => d === 'allowed').length} allowed), ${SECONDS}s per measurement, node ${process.version}`);
  console.log(`  decisions agree with the oracle on ${n - disagreements}/${n} benchmark requests`);
  console.log(`  evaluations per second (CPU time of this process, and wall-clock):`);
  console.log(`    src/iam evaluate, decision only                   ${fmt(decisionOnly)}`);
  console.log(`    src/iam evaluate, decision + reason + statements  ${fmt(explained)}`);
  console.log(`    iam-simulate runUnsafeSimulation (no validation)  ${fmt(unsafe)}`);
  console.log(`    iam-simulate runSimulation (validated, async)     ${fmt(validated)}`);
  console.log(`  ratio, decision only     : runUnsafeSimulation ${ratio(decisionOnly, unsafe)}, runSimulation ${ratio(decisionOnly, validated)}`);
  console.log(`  ratio, with explanations : runUnsafeSimulation ${ratio(explained, unsafe)}, runSimulation ${ratio(explained, validated)}`);
}

await main();
