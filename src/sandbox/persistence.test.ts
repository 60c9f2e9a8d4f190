import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateClusterCommand, DescribeClustersCommand, DescribeTaskDefinitionCommand, ECSClient, ListClustersCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateVpcCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { clientConfig, startTestSandbox, tempDir } from './test-helpers.js';

describe('persistence', () => {
  it('restores state after close and start with the same data dir', async () => {
    const tmp = tempDir();
    try {
      let sandbox = await startTestSandbox({ dataDir: tmp.dir });
      let ecs = new ECSClient(clientConfig(sandbox.url, '000000000007'));
      let ec2 = new EC2Client(clientConfig(sandbox.url, '000000000007'));
      await ecs.send(new CreateClusterCommand({ clusterName: 'lab-prod', tags: [{ key: 'environment', value: 'prod' }] }));
      await ecs.send(new RegisterTaskDefinitionCommand({ family: 'app', containerDefinitions: [{ name: 'a', image: 'b', memory: 64 }] }));
      const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
      const defaultVpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId;
      ecs.destroy();
      ec2.destroy();
      await sandbox.close();

      sandbox = await startTestSandbox({ dataDir: tmp.dir });
      ecs = new ECSClient(clientConfig(sandbox.url, '000000000007'));
      ec2 = new EC2Client(clientConfig(sandbox.url, '000000000007'));
      const clusters = await ecs.send(new DescribeClustersCommand({ clusters: ['lab-prod'], include: ['TAGS'] }));
      expect(clusters.clusters?.[0]?.tags).toEqual([{ key: 'environment', value: 'prod' }]);
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'app' }));
      expect(td.taskDefinition?.registeredAt).toBeInstanceOf(Date);
      const vpcs = await ec2.send(new DescribeVpcsCommand({}));
      expect(vpcs.Vpcs?.map((v) => v.VpcId).sort()).toEqual([vpc.Vpc!.VpcId, defaultVpc].sort());
      ecs.destroy();
      ec2.destroy();
      await sandbox.close();
    } finally {
      tmp.remove();
    }
  });

  it('ignores a half-written snapshot left by a crash', async () => {
    const tmp = tempDir();
    try {
      const sandbox = await startTestSandbox({ dataDir: tmp.dir });
      const ecs = new ECSClient(clientConfig(sandbox.url, '000000000008'));
      await ecs.send(new CreateClusterCommand({ clusterName: 'kept' }));
      ecs.destroy();
      await sandbox.close();
      writeFileSync(join(tmp.dir, 'accounts', '000000000008.json.tmp-999'), '{"version":1,"state":{"regio');
      const again = await startTestSandbox({ dataDir: tmp.dir });
      const ecs2 = new ECSClient(clientConfig(again.url, '000000000008'));
      expect((await ecs2.send(new ListClustersCommand({}))).clusterArns).toEqual(['arn:aws:ecs:us-east-1:000000000008:cluster/kept']);
      ecs2.destroy();
      await again.close();
    } finally {
      tmp.remove();
    }
  });

  it('loses at most the request in flight when the process is killed with SIGKILL', async () => {
    const tmp = tempDir();
    const script = fileURLToPath(new URL('./test-fixtures/child-sandbox.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, tmp.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
        child.once('exit', () => reject(new Error('child exited early')));
      });
      const ecs = new ECSClient(clientConfig(url, '000000000009'));
      const acknowledged: string[] = [];
      let i = 0;
      const burst = (async () => {
        for (;;) {
          const name = `c${i++}`;
          try {
            await ecs.send(new CreateClusterCommand({ clusterName: name }));
            acknowledged.push(name);
          } catch {
            return;
          }
        }
      })();
      await new Promise((r) => setTimeout(r, 400));
      child.kill('SIGKILL');
      await burst;
      ecs.destroy();
      expect(acknowledged.length).toBeGreaterThan(0);

      const sandbox = await startTestSandbox({ dataDir: tmp.dir });
      const after = new ECSClient(clientConfig(sandbox.url, '000000000009'));
      const names = new Set<string>();
      let token: string | undefined;
      do {
        const page = await after.send(new ListClustersCommand({ nextToken: token }));
        for (const arn of page.clusterArns ?? []) names.add(arn.split('/').pop()!);
        token = page.nextToken;
      } while (token);
      for (const name of acknowledged) expect(names.has(name)).toBe(true);
      expect(names.size - acknowledged.length).toBeLessThanOrEqual(1);
      after.destroy();
      await sandbox.close();
    } finally {
      child.kill('SIGKILL');
      tmp.remove();
    }
  }, 30_000);
});
