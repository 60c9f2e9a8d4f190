import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  GetTaskProtectionCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateTaskProtectionCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { checksFor } from '../../authz.js';
import { ECS_RULES } from '../../authz-ecs.js';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox, tempDir } from '../../test-helpers.js';

const ARN = 'arn:aws:ecs:us-east-1:000000000000';
const MINUTE = 60_000;

let sandbox: RunningSandbox;
let ecs: ECSClient;
let serviceTasks: string[];
let standalone: string;

async function setUp(client: ECSClient): Promise<{ serviceTasks: string[]; standalone: string }> {
  await client.send(new CreateClusterCommand({ clusterName: 'lab-prod' }));
  await client.send(new RegisterTaskDefinitionCommand({ family: 'worker', containerDefinitions: [{ name: 'w', image: 'busybox', memory: 64 }] }));
  await client.send(new CreateServiceCommand({ cluster: 'lab-prod', serviceName: 'queue', taskDefinition: 'worker', desiredCount: 3, launchType: 'EC2' }));
  const tasks = (await client.send(new ListTasksCommand({ cluster: 'lab-prod', serviceName: 'queue' }))).taskArns!;
  const run = await client.send(new RunTaskCommand({ cluster: 'lab-prod', taskDefinition: 'worker' }));
  return { serviceTasks: tasks, standalone: run.tasks![0]!.taskArn! };
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ecs = new ECSClient(clientConfig(sandbox.url));
  ({ serviceTasks, standalone } = await setUp(ecs));
});
afterAll(async () => {
  ecs.destroy();
  await sandbox.close();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('task scale-in protection', () => {
  it('starts unprotected', async () => {
    const out = await ecs.send(new GetTaskProtectionCommand({ cluster: 'lab-prod', tasks: serviceTasks }));
    expect(out.protectedTasks).toEqual(serviceTasks.map((taskArn) => ({ taskArn, protectionEnabled: false })));
    expect(out.failures).toEqual([]);
  });

  it('protects service tasks for 120 minutes by default, or as long as asked', async () => {
    const before = Date.now();
    const out = await ecs.send(new UpdateTaskProtectionCommand({ cluster: 'lab-prod', tasks: [serviceTasks[0]!], protectionEnabled: true }));
    expect(out.failures).toEqual([]);
    const [p] = out.protectedTasks!;
    expect(p).toMatchObject({ taskArn: serviceTasks[0], protectionEnabled: true });
    expect(p!.expirationDate!.getTime()).toBeGreaterThanOrEqual(before + 120 * MINUTE - 1000);
    expect(p!.expirationDate!.getTime()).toBeLessThanOrEqual(Date.now() + 120 * MINUTE + 1000);

    // By id, with a custom period; the period starts again on every call.
    const id = serviceTasks[1]!.split('/').pop()!;
    const custom = await ecs.send(new UpdateTaskProtectionCommand({ cluster: `${ARN}:cluster/lab-prod`, tasks: [id], protectionEnabled: true, expiresInMinutes: 2880 }));
    expect(custom.protectedTasks![0]!.expirationDate!.getTime()).toBeGreaterThan(Date.now() + 2879 * MINUTE);
    const shorter = await ecs.send(new UpdateTaskProtectionCommand({ cluster: 'lab-prod', tasks: [id], protectionEnabled: true, expiresInMinutes: 5 }));
    expect(shorter.protectedTasks![0]!.expirationDate!.getTime()).toBeLessThan(Date.now() + 6 * MINUTE);

    const got = await ecs.send(new GetTaskProtectionCommand({ cluster: 'lab-prod', tasks: serviceTasks }));
    expect(got.protectedTasks!.map((t) => t.protectionEnabled)).toEqual([true, true, false]);
    expect(got.protectedTasks![0]!.expirationDate).toEqual(p!.expirationDate);
    expect(got.protectedTasks![1]!.expirationDate).toEqual(shorter.protectedTasks![0]!.expirationDate);
  });

  it('lists every running service task of the cluster when no tasks are named', async () => {
    const out = await ecs.send(new GetTaskProtectionCommand({ cluster: 'lab-prod' }));
    expect(out.protectedTasks!.map((t) => t.taskArn).sort()).toEqual([...serviceTasks].sort());
    expect(out.protectedTasks!.filter((t) => t.protectionEnabled)).toHaveLength(2);
  });

  it('lets protection expire', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * MINUTE);
    const out = await ecs.send(new GetTaskProtectionCommand({ cluster: 'lab-prod', tasks: serviceTasks.slice(0, 2) }));
    expect(out.protectedTasks).toEqual([
      { taskArn: serviceTasks[0], protectionEnabled: true, expirationDate: expect.any(Date) },
      { taskArn: serviceTasks[1], protectionEnabled: false },
    ]);
  });

  it('turns protection off', async () => {
    const out = await ecs.send(new UpdateTaskProtectionCommand({ cluster: 'lab-prod', tasks: [serviceTasks[0]!], protectionEnabled: false, expiresInMinutes: 0 }));
    expect(out.protectedTasks).toEqual([{ taskArn: serviceTasks[0], protectionEnabled: false }]);
    const got = await ecs.send(new GetTaskProtectionCommand({ cluster: 'lab-prod', tasks: [serviceTasks[0]!] }));
    expect(got.protectedTasks).toEqual([{ taskArn: serviceTasks[0], protectionEnabled: false }]);
  });

  it('fails standalone, stopped and unknown tasks, protecting the others', async () => {
    const stopped = serviceTasks[2]!;
    await ecs.send(new StopTaskCommand({ cluster: 'lab-prod', task: stopped }));
    const out = await ecs.send(
      new UpdateTaskProtectionCommand({ cluster: 'lab-prod', tasks: [standalone, stopped, 'ffffffffffffffffffffffffffffffff', serviceTasks[0]!], protectionEnabled: true }),
    );
    expect(out.protectedTasks!.map((t) => t.taskArn)).toEqual([serviceTasks[0]]);
    expect(out.failures).toEqual([
      { arn: standalone, reason: 'TASK_NOT_VALID' },
      { arn: stopped, reason: 'TASK_NOT_VALID' },
      { arn: `${ARN}:task/lab-prod/ffffffffffffffffffffffffffffffff`, reason: 'MISSING' },
    ]);
    const got = await ecs.send(new GetTaskProtectionCommand({ cluster: 'lab-prod', tasks: [standalone, `${ARN}:task/lab-prod/0000`] }));
    expect(got.protectedTasks).toEqual([]);
    expect(got.failures).toEqual([
      { arn: standalone, reason: 'TASK_NOT_VALID' },
      { arn: `${ARN}:task/lab-prod/0000`, reason: 'MISSING' },
    ]);
  });

  it('refuses bad requests with AWS error codes', async () => {
    const update = (input: Partial<ConstructorParameters<typeof UpdateTaskProtectionCommand>[0]>) =>
      ecs.send(new UpdateTaskProtectionCommand({ cluster: 'lab-prod', tasks: [serviceTasks[0]!], protectionEnabled: true, ...input }));
    for (const expiresInMinutes of [0, 2881]) {
      await expect(update({ expiresInMinutes })).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('2880') });
    }
    await expect(update({ tasks: [] })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(update({ tasks: Array.from({ length: 11 }, () => serviceTasks[0]!) })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(update({ cluster: 'ghost' })).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    await expect(ecs.send(new GetTaskProtectionCommand({ cluster: 'ghost', tasks: [serviceTasks[0]!] }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    await expect(ecs.send(new GetTaskProtectionCommand({ cluster: 'lab-prod', tasks: Array.from({ length: 101 }, () => 'x') }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('keeps protection across a restart', async () => {
    const tmp = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: tmp.dir });
      let client = new ECSClient(clientConfig(box.url));
      const { serviceTasks: tasks } = await setUp(client);
      const set = await client.send(new UpdateTaskProtectionCommand({ cluster: 'lab-prod', tasks: [tasks[0]!], protectionEnabled: true, expiresInMinutes: 30 }));
      client.destroy();
      await box.close();

      box = await startTestSandbox({ dataDir: tmp.dir });
      client = new ECSClient(clientConfig(box.url));
      const got = await client.send(new GetTaskProtectionCommand({ cluster: 'lab-prod', tasks: tasks.slice(0, 2) }));
      expect(got.protectedTasks).toEqual([set.protectedTasks![0], { taskArn: tasks[1], protectionEnabled: false }]);
      client.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });

  it('is authorised on the task ARNs, with ecs:cluster', () => {
    const env = { account: '000000000000', region: 'us-east-1', state: () => undefined };
    for (const operation of ['GetTaskProtection', 'UpdateTaskProtection']) {
      const checks = checksFor(ECS_RULES, 'ecs', operation, { cluster: 'lab-prod', tasks: ['abc', `${ARN}:task/lab-prod/def`] }, env);
      expect(checks.map((c) => [c.action, c.resource, c.context?.['ecs:cluster']])).toEqual([
        [`ecs:${operation}`, `${ARN}:task/lab-prod/abc`, `${ARN}:cluster/lab-prod`],
        [`ecs:${operation}`, `${ARN}:task/lab-prod/def`, `${ARN}:cluster/lab-prod`],
      ]);
    }
  });
});
