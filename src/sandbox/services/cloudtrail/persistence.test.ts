import { CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand, DescribeInstanceRefreshesCommand, StartInstanceRefreshCommand, AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudTrailClient, CreateTrailCommand, GetEventSelectorsCommand, GetTrailStatusCommand, LookupEventsCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { clientConfig, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '000000000034';

describe('CloudTrail and Auto Scaling persistence', () => {
  it('keeps trails, groups, refreshes and the event history across a restart', async () => {
    const tmp = tempDir();
    try {
      let sandbox = await startTestSandbox({ dataDir: tmp.dir });
      const config = clientConfig(sandbox.url, ACCOUNT);
      const s3 = new S3Client({ ...config, forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: 'lab-trail-persist' }));
      await s3.send(
        new PutBucketPolicyCommand({
          Bucket: 'lab-trail-persist',
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: 'arn:aws:s3:::lab-trail-persist' },
              { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::lab-trail-persist/*' },
            ],
          }),
        }),
      );
      const trails = new CloudTrailClient(config);
      await trails.send(new CreateTrailCommand({ Name: 'lab-audit', S3BucketName: 'lab-trail-persist', IsMultiRegionTrail: true }));
      await trails.send(new StartLoggingCommand({ Name: 'lab-audit' }));
      await trails.send(new PutEventSelectorsCommand({ TrailName: 'lab-audit', EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }));
      const ecs = new ECSClient(config);
      await ecs.send(new CreateClusterCommand({ clusterName: 'lab-prod' }));
      const ec2 = new EC2Client(config);
      await ec2.send(
        new CreateLaunchTemplateCommand({ LaunchTemplateName: 'lab-ecs-hosts', LaunchTemplateData: { ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended', InstanceType: 'c5.large' } }),
      );
      const asg = new AutoScalingClient(config);
      await asg.send(
        new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'lab-ecs-hosts', LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts' }, MinSize: 1, MaxSize: 2, AvailabilityZones: ['us-east-1a'] }),
      );
      const refreshId = (await asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'lab-ecs-hosts' }))).InstanceRefreshId;
      const instances = (await asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups![0]!.Instances!.map((i) => i.InstanceId);
      const before = (await trails.send(new LookupEventsCommand({ MaxResults: 50 }))).Events!.map((e) => e.EventId);
      for (const c of [s3, trails, ecs, ec2, asg]) c.destroy();
      await sandbox.close();

      sandbox = await startTestSandbox({ dataDir: tmp.dir });
      const after = clientConfig(sandbox.url, ACCOUNT);
      const trails2 = new CloudTrailClient(after);
      const asg2 = new AutoScalingClient(after);
      expect((await trails2.send(new GetTrailStatusCommand({ Name: 'lab-audit' }))).IsLogging).toBe(true);
      expect((await trails2.send(new GetEventSelectorsCommand({ TrailName: 'lab-audit' }))).EventSelectors?.[0]?.ReadWriteType).toBe('All');
      const events = (await trails2.send(new LookupEventsCommand({ MaxResults: 50 }))).Events!;
      // The history survived (the new call above is the newest event).
      expect(events.map((e) => e.EventId)).toEqual(expect.arrayContaining(before));
      expect(events.map((e) => e.EventName)).toEqual(expect.arrayContaining(['CreateTrail', 'CreateCluster', 'CreateAutoScalingGroup', 'StartInstanceRefresh']));
      const group = (await asg2.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups![0]!;
      expect(group.Instances!.map((i) => i.InstanceId)).toEqual(instances);
      const refreshes = await asg2.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'lab-ecs-hosts' }));
      expect(refreshes.InstanceRefreshes).toEqual([expect.objectContaining({ InstanceRefreshId: refreshId, Status: 'Successful' })]);
      trails2.destroy();
      asg2.destroy();
      await sandbox.close();
    } finally {
      tmp.remove();
    }
  });
});
