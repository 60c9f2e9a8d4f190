import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, ListTagsForResourceCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, GetBucketPolicyCommand, GetBucketTaggingCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutBucketTaggingCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, GetParameterHistoryCommand, ListTagsForResourceCommand as ListSsmTags, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import type { RunningSandbox } from './index.js';
import { clientConfig, startTestSandbox, tempDir } from './test-helpers.js';

const ACCOUNT = '000000000041';

function clients(sandbox: RunningSandbox, account = ACCOUNT) {
  const config = clientConfig(sandbox.url, account);
  return {
    sm: new SecretsManagerClient(config),
    ssm: new SSMClient(config),
    logs: new CloudWatchLogsClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    destroy() {
      for (const c of [this.sm, this.ssm, this.logs, this.s3]) c.destroy();
    },
  };
}

const bucketPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::lab-audit-${ACCOUNT}/AWSLogs/${ACCOUNT}/*` }],
});

describe('persistence of Secrets Manager, SSM, CloudWatch Logs and S3', () => {
  it('restores every service\'s state after close and start with the same data dir', async () => {
    const tmp = tempDir();
    try {
      let sandbox = await startTestSandbox({ dataDir: tmp.dir });
      let c = clients(sandbox);
      const created = await c.sm.send(new CreateSecretCommand({ Name: 'lab/db', SecretString: 'v1', Tags: [{ Key: 'ecs-lab:managed', Value: 'true' }] }));
      await c.sm.send(new PutSecretValueCommand({ SecretId: 'lab/db', SecretString: 'v2' }));
      await c.sm.send(new CreateSecretCommand({ Name: 'lab/bin', SecretBinary: new Uint8Array([9, 8, 7]) }));
      await c.sm.send(new CreateSecretCommand({ Name: 'lab/doomed', SecretString: 'x' }));
      await c.sm.send(new DeleteSecretCommand({ SecretId: 'lab/doomed', RecoveryWindowInDays: 7 }));
      await c.ssm.send(new PutParameterCommand({ Name: '/lab/auth/token', Value: 't1', Type: 'SecureString', Tags: [{ Key: 'team', Value: 'auth' }] }));
      await c.ssm.send(new PutParameterCommand({ Name: '/lab/auth/token', Value: 't2', Overwrite: true }));
      await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs-lab/tasks', tags: { 'ecs-lab:managed': 'true' } }));
      await c.logs.send(new PutRetentionPolicyCommand({ logGroupName: '/ecs-lab/tasks', retentionInDays: 14 }));
      await c.s3.send(new CreateBucketCommand({ Bucket: `lab-audit-${ACCOUNT}` }));
      await c.s3.send(new PutBucketPolicyCommand({ Bucket: `lab-audit-${ACCOUNT}`, Policy: bucketPolicy }));
      await c.s3.send(new PutBucketTaggingCommand({ Bucket: `lab-audit-${ACCOUNT}`, Tagging: { TagSet: [{ Key: 'ecs-lab:managed', Value: 'true' }] } }));
      await c.s3.send(new PutObjectCommand({ Bucket: `lab-audit-${ACCOUNT}`, Key: 'AWSLogs/x.json', Body: '{}' }));
      c.destroy();
      await sandbox.close();

      sandbox = await startTestSandbox({ dataDir: tmp.dir });
      c = clients(sandbox);
      const secret = await c.sm.send(new DescribeSecretCommand({ SecretId: created.ARN }));
      expect(secret.Tags).toEqual([{ Key: 'ecs-lab:managed', Value: 'true' }]);
      expect(secret.CreatedDate).toBeInstanceOf(Date);
      expect(Object.values(secret.VersionIdsToStages!).sort()).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']]);
      expect((await c.sm.send(new GetSecretValueCommand({ SecretId: 'lab/db', VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe('v1');
      expect([...(await c.sm.send(new GetSecretValueCommand({ SecretId: 'lab/bin' }))).SecretBinary!]).toEqual([9, 8, 7]);
      await expect(c.sm.send(new GetSecretValueCommand({ SecretId: 'lab/doomed' }))).rejects.toMatchObject({ name: 'InvalidRequestException' });

      expect((await c.ssm.send(new GetParameterCommand({ Name: '/lab/auth/token', WithDecryption: true }))).Parameter).toMatchObject({ Value: 't2', Version: 2, Type: 'SecureString' });
      expect((await c.ssm.send(new GetParameterHistoryCommand({ Name: '/lab/auth/token', WithDecryption: true }))).Parameters!.map((p) => p.Value)).toEqual(['t1', 't2']);
      expect((await c.ssm.send(new ListSsmTags({ ResourceType: 'Parameter', ResourceId: '/lab/auth/token' }))).TagList).toEqual([{ Key: 'team', Value: 'auth' }]);

      const group = (await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs-lab/' }))).logGroups![0]!;
      expect(group).toMatchObject({ logGroupName: '/ecs-lab/tasks', retentionInDays: 14 });
      expect((await c.logs.send(new ListTagsForResourceCommand({ resourceArn: group.logGroupArn }))).tags).toEqual({ 'ecs-lab:managed': 'true' });

      expect((await c.s3.send(new GetBucketPolicyCommand({ Bucket: `lab-audit-${ACCOUNT}` }))).Policy).toBe(bucketPolicy);
      expect((await c.s3.send(new GetBucketTaggingCommand({ Bucket: `lab-audit-${ACCOUNT}` }))).TagSet).toEqual([{ Key: 'ecs-lab:managed', Value: 'true' }]);
      expect((await c.s3.send(new ListObjectsV2Command({ Bucket: `lab-audit-${ACCOUNT}` }))).Contents?.map((o) => o.Key)).toEqual(['AWSLogs/x.json']);
      // The global bucket namespace survives the restart too.
      const other = clients(sandbox, '000000000042');
      await expect(other.s3.send(new CreateBucketCommand({ Bucket: `lab-audit-${ACCOUNT}` }))).rejects.toMatchObject({ name: 'BucketAlreadyExists' });
      other.destroy();
      c.destroy();
      await sandbox.close();
    } finally {
      tmp.remove();
    }
  });
});
