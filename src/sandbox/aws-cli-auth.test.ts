import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedKey, RunningSandbox } from './index.js';
import { issueKey, startSandbox } from './index.js';
import { tempDir } from './test-helpers.js';

const run = promisify(execFile);

async function hasCli(): Promise<boolean> {
  try {
    await run('aws', ['--version']);
    return true;
  } catch {
    return false;
  }
}

const cliAvailable = await hasCli();
let sandbox: RunningSandbox;
let key: IssuedKey;
let home: ReturnType<typeof tempDir>;

/** Runs the CLI with a temporary config: profile `root` (the issued key) and `dev` (assume-role from root). */
async function aws(profile: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_CONFIG_FILE: join(home.dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home.dir, 'credentials'),
    AWS_PROFILE: profile,
    // The assume-role provider makes its own STS client: only the environment variable reaches it.
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_PAGER: '',
    // The CLI caches assumed-role credentials under ~/.aws/cli/cache, keyed by role and session
    // name: a fresh sandbox would be handed the previous run's session keys.
    HOME: home.dir,
  };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION', 'AWS_REGION']) delete env[name];
  try {
    const { stdout, stderr } = await run('aws', ['--output', 'json', ...args], { env, timeout: 30_000 });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: err.code ?? 1 };
  }
}

const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });

describe.skipIf(!cliAvailable)('the real AWS CLI against --auth sigv4', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    home = tempDir('ecs-lab-cli-auth-');
    sandbox = await startSandbox({ port: 0, auth: 'sigv4' });
    key = issueKey(sandbox, '555566667777');
    const roleArn = `arn:aws:iam::${key.account}:role/dev-deployer`;
    writeFileSync(
      join(home.dir, 'config'),
      `[profile root]\nregion = us-east-1\n\n[profile dev]\nregion = us-east-1\nrole_arn = ${roleArn}\nsource_profile = root\nrole_session_name = cli-dev\n\n[profile forged]\nregion = us-east-1\n`,
    );
    writeFileSync(
      join(home.dir, 'credentials'),
      `[root]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n\n[forged]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = not-the-secret\n`,
      { mode: 0o600 },
    );
    const config = { endpoint: sandbox.url, region: 'us-east-1', credentials: key, maxAttempts: 1 };
    const iam = new IAMClient(config);
    const ecs = new ECSClient(config);
    await iam.send(new CreateRoleCommand({ RoleName: 'dev-deployer', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: key.account }, Action: 'sts:AssumeRole' }) }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'dev-deployer',
        PolicyName: 'dev-only',
        PolicyDocument: doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/environment': 'dev' } } }),
      }),
    );
    await ecs.send(new CreateClusterCommand({ clusterName: 'lab' }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }));
    for (const env of ['dev', 'prod']) {
      await ecs.send(new CreateServiceCommand({ cluster: 'lab', serviceName: `web-${env}`, taskDefinition: 'web', desiredCount: 0, tags: [{ key: 'environment', value: env }] }));
    }
    iam.destroy();
    ecs.destroy();
  });
  afterAll(async () => {
    await sandbox?.close();
    home?.remove();
  });

  it('signs every protocol family with botocore\'s signer, and the sandbox verifies it', async () => {
    expect(JSON.parse((await aws('root', 'sts', 'get-caller-identity')).stdout)).toMatchObject({ Account: key.account, Arn: `arn:aws:iam::${key.account}:root` });
    expect((await aws('root', 'ecs', 'list-clusters')).code).toBe(0);
    expect((await aws('root', 'ec2', 'describe-vpcs')).code).toBe(0);
    expect((await aws('root', 's3api', 'list-buckets')).code).toBe(0);
    const forged = await aws('forged', 'iam', 'list-roles');
    expect(forged.code).not.toBe(0);
    expect(forged.stderr).toContain('(SignatureDoesNotMatch)');
  });

  it('simulates a principal policy with context entries (simulate-principal-policy)', async () => {
    const out = await aws(
      'root',
      'iam',
      'simulate-principal-policy',
      '--policy-source-arn',
      `arn:aws:iam::${key.account}:role/dev-deployer`,
      '--action-names',
      'ecs:UpdateService',
      'ecs:DeleteCluster',
      '--resource-arns',
      `arn:aws:ecs:us-east-1:${key.account}:service/lab/web-dev`,
      '--context-entries',
      'ContextKeyName=aws:ResourceTag/environment,ContextKeyValues=dev,ContextKeyType=string',
    );
    expect(out.stderr).toBe('');
    const results = JSON.parse(out.stdout).EvaluationResults as { EvalActionName: string; EvalDecision: string; MatchedStatements: { SourcePolicyId: string }[] }[];
    expect(results.map((r) => [r.EvalActionName, r.EvalDecision, r.MatchedStatements[0]?.SourcePolicyId])).toEqual([
      ['ecs:UpdateService', 'allowed', 'dev-only'],
      ['ecs:DeleteCluster', 'allowed', 'dev-only'],
    ]);
    const missing = JSON.parse((await aws('root', 'iam', 'simulate-principal-policy', '--policy-source-arn', `arn:aws:iam::${key.account}:role/dev-deployer`, '--action-names', 'ecs:UpdateService')).stdout);
    expect(missing.EvaluationResults[0]).toMatchObject({ EvalDecision: 'implicitDeny', MissingContextValues: ['aws:ResourceTag/environment'] });
  });

  it('assumes a role through an assume-role profile and is held to its policy', async () => {
    const who = JSON.parse((await aws('dev', 'sts', 'get-caller-identity')).stdout);
    expect(who.Arn).toBe(`arn:aws:sts::${key.account}:assumed-role/dev-deployer/cli-dev`);
    expect((await aws('dev', 'ecs', 'update-service', '--cluster', 'lab', '--service', 'web-dev', '--desired-count', '1')).code).toBe(0);
    const denied = await aws('dev', 'ecs', 'update-service', '--cluster', 'lab', '--service', 'web-prod', '--desired-count', '1');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(
      `An error occurred (AccessDeniedException) when calling the UpdateService operation: User: arn:aws:sts::${key.account}:assumed-role/dev-deployer/cli-dev ` +
        `is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:${key.account}:service/lab/web-prod because no identity-based policy allows the ecs:UpdateService action`,
    );
    const iamDenied = await aws('dev', 'iam', 'list-roles');
    expect(iamDenied.stderr).toContain('(AccessDenied)');
  });

  it('shows an EC2 denial\'s encoded message, which sts decode-authorization-message explains', async () => {
    const denied = await aws('dev', 'ec2', 'describe-security-groups');
    expect(denied.stderr).toContain('An error occurred (UnauthorizedOperation) when calling the DescribeSecurityGroups operation: You are not authorized to perform this operation.');
    const token = /Encoded authorization failure message: (\S+)/.exec(denied.stderr)?.[1];
    expect(token).toBeDefined();
    const decoded = await aws('root', 'sts', 'decode-authorization-message', '--encoded-message', token!);
    expect(decoded.code).toBe(0);
    expect(JSON.parse(JSON.parse(decoded.stdout).DecodedMessage)).toMatchObject({
      allowed: false,
      explicitDeny: false,
      context: { principal: { arn: `arn:aws:sts::${key.account}:assumed-role/dev-deployer/cli-dev` }, action: 'ec2:DescribeSecurityGroups' },
    });
  });
});
