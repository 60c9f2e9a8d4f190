import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from './index.js';
import { awsCli, hasAwsCli, startTestSandbox, tempDir } from './test-helpers.js';



const cliAvailable = await hasAwsCli();
const ACCOUNT = '000000000006';
let sandbox: RunningSandbox;
let tmp: { dir: string; remove(): void };

const aws = awsCli(() => sandbox.url, ACCOUNT);

describe.skipIf(!cliAvailable)('the real AWS CLI against Secrets Manager, SSM, CloudWatch Logs and S3', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    tmp = tempDir();
  });
  afterAll(async () => {
    await sandbox?.close();
    tmp?.remove();
  });

  it('creates a secret and reads it back; a missing one is ResourceNotFoundException', async () => {
    const created = await aws('secretsmanager', 'create-secret', '--name', 'lab/orders/db-password', '--secret-string', 'hunter2', '--tags', 'Key=ecs-lab:managed,Value=true');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:lab/orders/db-password-[A-Za-z0-9]{6}$`));
    const got = JSON.parse((await aws('secretsmanager', 'get-secret-value', '--secret-id', 'lab/orders/db-password')).stdout);
    expect(got).toMatchObject({ SecretString: 'hunter2', VersionStages: ['AWSCURRENT'] });
    const missing = await aws('secretsmanager', 'get-secret-value', '--secret-id', 'lab/nope');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('(ResourceNotFoundException)');
  });

  it('reads the recommended ECS-optimized AMI parameter and writes a SecureString', async () => {
    const out = await aws('ssm', 'get-parameter', '--name', '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended');
    expect(out.code).toBe(0);
    const value = JSON.parse(JSON.parse(out.stdout).Parameter.Value);
    expect(value).toMatchObject({ schema_version: 1, image_id: expect.stringMatching(/^ami-[0-9a-f]{17}$/), os: 'Amazon Linux 2023' });
    const images = JSON.parse((await aws('ec2', 'describe-images', '--image-ids', value.image_id)).stdout);
    expect(images.Images[0].Name).toBe(value.image_name);
    expect((await aws('ssm', 'put-parameter', '--name', '/lab/auth/token', '--type', 'SecureString', '--value', 's3cret')).code).toBe(0);
    const hidden = JSON.parse((await aws('ssm', 'get-parameter', '--name', '/lab/auth/token')).stdout).Parameter.Value;
    expect(hidden).not.toBe('s3cret');
    const shown = JSON.parse((await aws('ssm', 'get-parameter', '--name', '/lab/auth/token', '--with-decryption')).stdout).Parameter.Value;
    expect(shown).toBe('s3cret');
    const dup = await aws('ssm', 'put-parameter', '--name', '/lab/auth/token', '--type', 'String', '--value', 'x');
    expect(dup.stderr).toContain('(ParameterAlreadyExists)');
  });

  it('creates and describes a log group; a duplicate is ResourceAlreadyExistsException', async () => {
    expect((await aws('logs', 'create-log-group', '--log-group-name', '/ecs-lab/tasks', '--tags', 'ecs-lab:managed=true')).code).toBe(0);
    const groups = JSON.parse((await aws('logs', 'describe-log-groups', '--log-group-name-prefix', '/ecs-lab/')).stdout).logGroups;
    expect(groups[0]).toMatchObject({ logGroupName: '/ecs-lab/tasks', arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs-lab/tasks:*` });
    const dup = await aws('logs', 'create-log-group', '--log-group-name', '/ecs-lab/tasks');
    expect(dup.stderr).toContain('(ResourceAlreadyExistsException)');
  });

  it('creates a bucket, sets its policy and tags, and lists it with s3api and s3 ls', async () => {
    const bucket = `lab-audit-${ACCOUNT}`;
    const created = await aws('s3api', 'create-bucket', '--bucket', bucket);
    expect(JSON.parse(created.stdout).Location).toBe(`/${bucket}`);
    const noTags = await aws('s3api', 'get-bucket-tagging', '--bucket', bucket);
    expect(noTags.stderr).toContain('(NoSuchTagSet)');
    const file = join(tmp.dir, 'policy.json');
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}` }] };
    writeFileSync(file, JSON.stringify(policy));
    expect((await aws('s3api', 'put-bucket-policy', '--bucket', bucket, '--policy', `file://${file}`)).code).toBe(0);
    expect(JSON.parse(JSON.parse((await aws('s3api', 'get-bucket-policy', '--bucket', bucket)).stdout).Policy)).toEqual(policy);
    expect((await aws('s3api', 'put-bucket-tagging', '--bucket', bucket, '--tagging', 'TagSet=[{Key=ecs-lab:managed,Value=true}]')).code).toBe(0);
    expect(JSON.parse((await aws('s3api', 'get-bucket-tagging', '--bucket', bucket)).stdout).TagSet).toEqual([{ Key: 'ecs-lab:managed', Value: 'true' }]);
    const west = await aws('s3api', 'create-bucket', '--bucket', 'lab-west-000000000006', '--region', 'eu-west-1');
    expect(west.stderr).toContain('(IllegalLocationConstraintException)');
    const ls = await aws('s3', 'ls');
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} ${bucket}$`, 'm'));
    const missing = await aws('s3api', 'get-bucket-policy', '--bucket', 'no-such-bucket-anywhere');
    expect(missing.stderr).toContain('(NoSuchBucket)');
  });

  it('copies an object in with s3 cp, which blocks deleting the bucket until it is removed', async () => {
    const bucket = `lab-audit-${ACCOUNT}`;
    const file = join(tmp.dir, 'hello.txt');
    writeFileSync(file, 'hello\n');
    // The CLI lists with encoding-type=url and decodes: spaces and `+` must survive the round trip.
    const key = 'AWSLogs/hello world+1.txt';
    expect((await aws('s3', 'cp', file, `s3://${bucket}/${key}`)).code).toBe(0);
    expect((await aws('s3', 'ls', `s3://${bucket}`, '--recursive')).stdout).toMatch(/ 6 AWSLogs\/hello world\+1\.txt$/m);
    expect((await aws('s3api', 'delete-bucket', '--bucket', bucket)).stderr).toContain('(BucketNotEmpty)');
    expect((await aws('s3', 'rm', `s3://${bucket}/${key}`)).code).toBe(0);
    expect((await aws('s3api', 'delete-bucket', '--bucket', bucket)).code).toBe(0);
  });
});
