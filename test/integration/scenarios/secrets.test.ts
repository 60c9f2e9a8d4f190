/** secrets on the sandbox: alternative valid fixes pass; partial fixes fail the step they leave unfinished. */
import { ECS } from '@aws-sdk/client-ecs';
import { IAM } from '@aws-sdk/client-iam';
import { KMS } from '@aws-sdk/client-kms';
import { SecretsManager } from '@aws-sdk/client-secrets-manager';
import { SSM } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../helpers/lab.js';

let lab: Lab;
let ecs: ECS;
let iam: IAM;
let sm: SecretsManager;
let ssm: SSM;
beforeAll(async () => {
  lab = await startLab();
  ecs = new ECS(lab.clientConfig);
  iam = new IAM(lab.clientConfig);
  sm = new SecretsManager(lab.clientConfig);
  ssm = new SSM(lab.clientConfig);
});
afterAll(async () => {
  await lab?.close();
});
let n = 0;
beforeEach(async () => {
  await lab.cli('reset', '--all');
  expect((await lab.cli('start', 'secrets')).code).toBe(0);
  n += 1;
});

const image = 'public.ecr.aws/docker/library/busybox:1.36';
const env = [
  { name: 'DB_HOST', value: 'orders.cluster-lab.us-east-1.rds.amazonaws.com' },
  { name: 'DB_USER', value: 'orders_app' },
];
async function register(secrets: Array<{ name: string; valueFrom: string }>, log: object, extraEnv: Array<{ name: string; value: string }> = []) {
  return ecs.registerTaskDefinition({
    family: 'order-service',
    requiresCompatibilities: ['EC2'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    taskRoleArn: 'lab-secrets-task-role',
    executionRoleArn: 'lab-secrets-execution-role',
    containerDefinitions: [{ name: 'app', image, essential: true, environment: [...env, ...extraEnv], secrets, logConfiguration: { logDriver: 'splunk', options: { 'splunk-url': 'https://splunk.example.com:8088' }, ...log } }],
  });
}

describe('secrets: valid fixes', () => {
  it('SSM SecureString for the password and a Secrets Manager JSON key for the token, read through a managed policy, pass', async () => {
    const account = lab.clientConfig.credentials.accessKeyId === 'test' ? '000000000000' : lab.clientConfig.credentials.accessKeyId;
    await ssm.putParameter({ Name: `/lab/s${n}/db-password`, Type: 'SecureString', Value: 'from-the-store' });
    const tok = await sm.createSecret({ Name: `lab/s${n}/splunk`, SecretString: JSON.stringify({ token: 'from-the-store' }) });
    await register(
      [{ name: 'DB_PASSWORD', valueFrom: `arn:aws:ssm:us-east-1:${account}:parameter/lab/s${n}/db-password` }],
      { secretOptions: [{ name: 'splunk-token', valueFrom: `${tok.ARN}:token::` }] },
    );
    const policy = await iam.createPolicy({
      PolicyName: `read-order-secrets-${n}`,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'ssm:GetParameters', Resource: `arn:aws:ssm:us-east-1:${account}:parameter/lab/s${n}/db-password` },
          { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: tok.ARN },
        ],
      }),
    });
    await iam.attachRolePolicy({ RoleName: 'lab-secrets-execution-role', PolicyArn: policy.Policy!.Arn });
    await iam.deleteRolePolicy({ RoleName: 'lab-secrets-task-role', PolicyName: 'read-secrets' });
    await ecs.updateService({ cluster: 'lab-prod', service: 'order-service', taskDefinition: 'order-service' });
    const s = await lab.statuses('secrets');
    expect(s).toMatchObject({
      'no-plaintext': 'pass',
      'password-from-store': 'pass',
      'log-token-from-store': 'pass',
      'execution-role-scoped': 'pass',
      'task-role-cannot-read': 'pass',
      'fixed-revision-running': 'pass',
    });
    await iam.detachRolePolicy({ RoleName: 'lab-secrets-execution-role', PolicyArn: policy.Policy!.Arn });
  });

  it('a customer key named by its alias (SSM KeyId, Secrets Manager alias ARN) is judged on the key it stands for', async () => {
    const account = lab.clientConfig.credentials.accessKeyId === 'test' ? '000000000000' : lab.clientConfig.credentials.accessKeyId;
    const kms = new KMS(lab.clientConfig);
    const key = (await kms.createKey({ Description: 'order secrets' })).KeyMetadata!;
    await kms.createAlias({ AliasName: `alias/order-secrets-${n}`, TargetKeyId: key.KeyId });
    await ssm.putParameter({ Name: `/lab/s${n}/db-password`, Type: 'SecureString', Value: 'from-the-store', KeyId: `alias/order-secrets-${n}` });
    const tok = await sm.createSecret({ Name: `lab/s${n}/splunk`, SecretString: 'from-the-store', KmsKeyId: `arn:aws:kms:us-east-1:${account}:alias/order-secrets-${n}` });
    await register([{ name: 'DB_PASSWORD', valueFrom: `/lab/s${n}/db-password` }], { secretOptions: [{ name: 'splunk-token', valueFrom: tok.ARN }] });
    const read = [
      { Effect: 'Allow', Action: 'ssm:GetParameters', Resource: `arn:aws:ssm:us-east-1:${account}:parameter/lab/s${n}/db-password` },
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: tok.ARN },
    ];
    const put = (statements: object[]) => iam.putRolePolicy({ RoleName: 'lab-secrets-execution-role', PolicyName: 'read-order-secrets', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
    const scoped = async () => (await lab.check('secrets')).steps.find((x) => x.id === 'execution-role-scoped')!;
    await put(read);
    expect((await scoped()).checks.map((c) => c.message).join(' ')).toMatch(/cannot decrypt parameter \/lab\/s\d+\/db-password \(SecureString\) with its customer key/);
    await put([...read, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: key.Arn }]);
    expect((await scoped()).status).toBe('pass');
    kms.destroy();
  });

  it('a task role replaced by one without any policy also passes the task-role step', async () => {
    const secret = await sm.createSecret({ Name: `lab/s${n}/db`, SecretString: 'x-from-store' });
    await iam.createRole({ RoleName: `lab-clean-task-role-${n}`, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) });
    await ecs.registerTaskDefinition({
      family: 'order-service',
      requiresCompatibilities: ['EC2'],
      networkMode: 'awsvpc',
      memory: '512',
      taskRoleArn: `lab-clean-task-role-${n}`,
      executionRoleArn: 'lab-secrets-execution-role',
      containerDefinitions: [{ name: 'app', image, essential: true, environment: env, secrets: [{ name: 'DB_PASSWORD', valueFrom: secret.ARN! }] }],
    });
    expect((await lab.statuses('secrets'))['task-role-cannot-read']).toBe('pass');
  });
});

describe('secrets: partial fixes fail the unfinished step', () => {
  it('a String (not SecureString) parameter fails the store step', async () => {
    await ssm.putParameter({ Name: `/lab/s${n}/plain`, Type: 'String', Value: 'not-secure' });
    await register([{ name: 'DB_PASSWORD', valueFrom: `/lab/s${n}/plain` }], {});
    const r = await lab.check('secrets');
    const step = r.steps.find((x) => x.id === 'password-from-store')!;
    expect(step.status).toBe('fail');
    expect(step.checks[0]!.message).toContain('is a String parameter, not SecureString');
    expect(r.steps.find((x) => x.id === 'no-plaintext')!.status).toBe('pass');
  });

  it('renaming the variable keeps the planted value and still fails the plain-text step, without printing it', async () => {
    await register([], {}, [{ name: 'DB_PASS_OLD', value: 'Pl4nted-Passw0rd-91ac' }]);
    const r = await lab.check('secrets');
    const step = r.steps.find((x) => x.id === 'no-plaintext')!;
    expect(step.status).toBe('fail');
    expect(JSON.stringify(r)).not.toContain('Pl4nted-Passw0rd-91ac');
    expect(step.checks[0]!.message).toContain('(redacted)');
  });

  it('an execution role allowed secretsmanager:GetSecretValue on "*" fails the scoping step', async () => {
    const secret = await sm.createSecret({ Name: `lab/s${n}/db`, SecretString: 'from-store' });
    await register([{ name: 'DB_PASSWORD', valueFrom: secret.ARN! }], {});
    await iam.putRolePolicy({
      RoleName: 'lab-secrets-execution-role',
      PolicyName: 'too-broad',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] }),
    });
    const r = await lab.check('secrets');
    const step = r.steps.find((x) => x.id === 'execution-role-scoped')!;
    expect(step.status).toBe('fail');
    expect(step.checks[0]!.message).toMatch(/can also read secret lab\/other-team\/api-key/);
  });
});
