import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from './index.js';
import { awsCli, hasAwsCli, startTestSandbox } from './test-helpers.js';

const ACCOUNT = '000000000062';


const cliAvailable = await hasAwsCli();
let sandbox: RunningSandbox;
let dir: string;

const aws = awsCli(() => sandbox.url, ACCOUNT);

describe.skipIf(!cliAvailable)('the real AWS CLI: CloudTrail and Auto Scaling', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    dir = mkdtempSync(join(tmpdir(), 'ecs-lab-cli-'));
  });
  afterAll(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a trail once the bucket policy allows CloudTrail, logs, and looks up events', async () => {
    expect((await aws('s3api', 'create-bucket', '--bucket', 'lab-cli-trail')).code).toBe(0);
    const refused = await aws('cloudtrail', 'create-trail', '--name', 'lab-audit', '--s3-bucket-name', 'lab-cli-trail');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('(InsufficientS3BucketPolicyException)');
    const policy = join(dir, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: 'arn:aws:s3:::lab-cli-trail' },
          {
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: `arn:aws:s3:::lab-cli-trail/AWSLogs/${ACCOUNT}/*`,
            Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
          },
        ],
      }),
    );
    expect((await aws('s3api', 'put-bucket-policy', '--bucket', 'lab-cli-trail', '--policy', `file://${policy}`)).code).toBe(0);
    const created = await aws('cloudtrail', 'create-trail', '--name', 'lab-audit', '--s3-bucket-name', 'lab-cli-trail', '--is-multi-region-trail');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ Name: 'lab-audit', IsMultiRegionTrail: true, TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/lab-audit` });
    expect((await aws('cloudtrail', 'start-logging', '--name', 'lab-audit')).code).toBe(0);
    const status = JSON.parse((await aws('cloudtrail', 'get-trail-status', '--name', 'lab-audit')).stdout);
    expect(status.IsLogging).toBe(true);
    expect(typeof status.StartLoggingTime).toBe('number');

    const lookup = await aws('cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=CreateTrail');
    expect(lookup.code).toBe(0);
    const events = JSON.parse(lookup.stdout).Events as { Username: string; CloudTrailEvent: string }[];
    // The refused attempt is in the history too, with its error.
    expect(events).toHaveLength(2);
    const [ok, failed] = events.map((e) => JSON.parse(e.CloudTrailEvent) as Record<string, unknown>);
    expect(ok).toMatchObject({ eventName: 'CreateTrail', userAgent: expect.stringContaining('aws-cli/'), requestParameters: { name: 'lab-audit', isMultiRegionTrail: true } });
    expect(failed).toMatchObject({ errorCode: 'InsufficientS3BucketPolicyException' });
    expect(events[0]!.Username).toBe('root');
  });

  it('creates an Auto Scaling group, refreshes its instances and describes the refresh', async () => {
    const data = JSON.stringify({ ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id', InstanceType: 'c5.large' });
    expect((await aws('ec2', 'create-launch-template', '--launch-template-name', 'lab-ecs-hosts', '--launch-template-data', data)).code).toBe(0);
    const create = await aws(
      'autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', 'lab-ecs-hosts',
      '--launch-template', 'LaunchTemplateName=lab-ecs-hosts,Version=$Latest', '--min-size', '1', '--max-size', '3', '--desired-capacity', '2',
      '--availability-zones', 'us-east-1a', 'us-east-1b', '--tags', 'Key=env,Value=lab,PropagateAtLaunch=true',
    );
    expect(create.code).toBe(0);
    const again = await aws('autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', 'lab-ecs-hosts', '--launch-template', 'LaunchTemplateName=lab-ecs-hosts', '--min-size', '1', '--max-size', '3');
    expect(again.stderr).toContain('(AlreadyExists)');
    const before = JSON.parse((await aws('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', 'lab-ecs-hosts')).stdout).AutoScalingGroups[0];
    expect(before.Instances).toHaveLength(2);

    const started = await aws('autoscaling', 'start-instance-refresh', '--auto-scaling-group-name', 'lab-ecs-hosts');
    expect(started.code).toBe(0);
    const id = JSON.parse(started.stdout).InstanceRefreshId as string;
    const described = JSON.parse((await aws('autoscaling', 'describe-instance-refreshes', '--auto-scaling-group-name', 'lab-ecs-hosts')).stdout);
    expect(described.InstanceRefreshes[0]).toMatchObject({ InstanceRefreshId: id, Status: 'Successful', PercentageComplete: 100 });
    const after = JSON.parse((await aws('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', 'lab-ecs-hosts')).stdout).AutoScalingGroups[0];
    const oldIds = before.Instances.map((i: { InstanceId: string }) => i.InstanceId);
    expect(after.Instances.some((i: { InstanceId: string }) => oldIds.includes(i.InstanceId))).toBe(false);

    // A refresh that is still warming up blocks another one.
    expect((await aws('autoscaling', 'start-instance-refresh', '--auto-scaling-group-name', 'lab-ecs-hosts', '--preferences', '{"InstanceWarmup":10}')).code).toBe(0);
    const blocked = await aws('autoscaling', 'start-instance-refresh', '--auto-scaling-group-name', 'lab-ecs-hosts');
    expect(blocked.stderr).toContain('(InstanceRefreshInProgress)');
    expect((await aws('autoscaling', 'cancel-instance-refresh', '--auto-scaling-group-name', 'lab-ecs-hosts')).code).toBe(0);
    const cancelled = JSON.parse((await aws('autoscaling', 'describe-instance-refreshes', '--auto-scaling-group-name', 'lab-ecs-hosts')).stdout);
    expect(cancelled.InstanceRefreshes.map((r: { Status: string }) => r.Status)).toEqual(['Cancelled', 'Successful']);
  });
});
