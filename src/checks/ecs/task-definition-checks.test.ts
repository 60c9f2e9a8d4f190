import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand, type ContainerDefinition, type TaskDefinition } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../../../test/helpers/check-context.js';
import type { CheckDefinition } from '../types.js';
import capabilities from './ecs-capabilities-exact.js';
import fargate from './ecs-fargate-compatible.js';
import hostPid from './ecs-no-host-pid.js';
import privileged from './ecs-no-privileged.js';
import nonRoot, { isRootUser } from './ecs-non-root-user.js';
import readonlyRoot from './ecs-readonly-root-fs.js';
import runsNewest from './ecs-service-runs-newest.js';

const ecs = mockClient(ECSClient);
afterEach(() => ecs.reset());

const ARN = (rev: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/agent:${rev}`;

/** The family `agent` whose newest revision is `td` (revision 3); revision 2 is older. */
function family(td: Partial<TaskDefinition>, containers: ContainerDefinition[]) {
  ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [ARN(2), ARN(3)] });
  ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: ARN(3), family: 'agent', revision: 3, containerDefinitions: containers, ...td }, tags: [] });
}

async function run(check: CheckDefinition, params: Record<string, unknown>) {
  return check.run(testContext(), check.params.parse({ taskDefinition: { family: 'agent' }, ...params }));
}

const c = (over: Partial<ContainerDefinition> = {}): ContainerDefinition => ({ name: 'app', image: 'busybox', ...over });

describe('ecs-no-privileged', () => {
  it('passes when no container is privileged', async () => {
    family({}, [c(), c({ name: 'side', privileged: false })]);
    const out = await run(privileged, {});
    expect(out).toMatchObject({ status: 'pass', resources: [ARN(3)] });
    expect(out.message).toBe('Task definition agent:3 (newest in family agent): no container is privileged.');
  });
  it('fails naming the privileged container', async () => {
    family({}, [c({ privileged: true })]);
    expect((await run(privileged, {})).message).toBe('Task definition agent:3 (newest in family agent): container app sets privileged: true.');
  });
  it('fails when the family has no ACTIVE revision', async () => {
    ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [] });
    expect(await run(privileged, {})).toMatchObject({ status: 'fail', message: 'Task definition family agent has no ACTIVE revision.' });
  });
});

describe('ecs-capabilities-exact', () => {
  it('passes with drop ALL and exactly the wanted add', async () => {
    family({}, [c({ linuxParameters: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } })]);
    expect((await run(capabilities, { add: ['NET_ADMIN'] })).status).toBe('pass');
  });
  it('fails when something extra is added', async () => {
    family({}, [c({ linuxParameters: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'SYS_ADMIN'] } } })]);
    expect((await run(capabilities, { add: ['NET_ADMIN'] })).message).toContain('adds [NET_ADMIN, SYS_ADMIN], expected exactly [NET_ADMIN]');
  });
  it('fails when ALL is not dropped', async () => {
    family({}, [c({ linuxParameters: { capabilities: { drop: ['NET_RAW'], add: ['NET_ADMIN'] } } })]);
    expect((await run(capabilities, { add: ['NET_ADMIN'] })).message).toContain('drops [NET_RAW] instead of ALL');
  });
  it('fails when privileged overrides the settings', async () => {
    family({}, [c({ privileged: true, linuxParameters: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } })]);
    expect((await run(capabilities, { add: ['NET_ADMIN'] })).message).toContain('is privileged, so its capability settings are ignored');
  });
  it('passes a hardened sidecar that drops ALL and adds nothing beside the container that adds NET_ADMIN', async () => {
    const hardened = { linuxParameters: { capabilities: { drop: ['ALL'], add: [] } } };
    family({}, [c({ linuxParameters: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } }), c({ name: 'log-router', ...hardened })]);
    expect((await run(capabilities, { add: ['NET_ADMIN'] })).status).toBe('pass');
  });
  it('fails two containers when a sidecar keeps its defaults, adds more, or nobody adds what is needed', async () => {
    family({}, [c({ linuxParameters: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } }), c({ name: 'log-router' })]);
    expect((await run(capabilities, { add: ['NET_ADMIN'] })).message).toContain('container log-router drops nothing instead of ALL');
    family({}, [c({ linuxParameters: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } }), c({ name: 'log-router', linuxParameters: { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } })]);
    expect((await run(capabilities, { add: ['NET_ADMIN'] })).message).toContain('container log-router adds [SYS_ADMIN], more than [NET_ADMIN]');
    family({}, [c({ linuxParameters: { capabilities: { drop: ['ALL'] } } }), c({ name: 'log-router', linuxParameters: { capabilities: { drop: ['ALL'] } } })]);
    expect((await run(capabilities, { add: ['NET_ADMIN'] })).message).toContain('no container adds exactly [NET_ADMIN]');
  });
  it('rejects unknown capability names at load', () => {
    expect(capabilities.params.safeParse({ taskDefinition: { family: 'x' }, add: ['NET_ADMINN'] }).success).toBe(false);
  });
});

describe('ecs-non-root-user', () => {
  it('passes for a numeric or named non-root user', async () => {
    family({}, [c({ user: '1000:1000' }), c({ name: 'b', user: 'agent' })]);
    expect((await run(nonRoot, {})).status).toBe('pass');
  });
  it('fails for an unset user, root or uid 0', async () => {
    family({}, [c(), c({ name: 'b', user: 'root' }), c({ name: 'd', user: '0:0' })]);
    const out = await run(nonRoot, {});
    expect(out.status).toBe('fail');
    expect(out.message).toContain("container app sets no user, so it runs as the image's default user (root)");
    expect(out.message).toContain('container b runs as user "root" (root)');
    expect(out.message).toContain('container d runs as user "0:0" (root)');
  });
  it('recognises root forms', () => {
    expect([undefined, '', 'root', '0', '0:1000', 'root:root'].map(isRootUser)).toEqual([true, true, true, true, true, true]);
    expect(['1000', 'nobody', '65534:65534'].map(isRootUser)).toEqual([false, false, false]);
  });
  it('checks only the named container when one is given, and says when it is missing', async () => {
    family({}, [c({ user: '1000' }), c({ name: 'sidecar' })]);
    expect((await run(nonRoot, { container: 'app' })).status).toBe('pass');
    expect((await run(nonRoot, { container: 'nope' })).message).toContain('has no container nope (containers: app, sidecar)');
  });
});

describe('ecs-readonly-root-fs and ecs-no-host-pid', () => {
  it('pass when read-only and not host PID', async () => {
    family({ pidMode: 'task' }, [c({ readonlyRootFilesystem: true })]);
    expect((await run(readonlyRoot, {})).status).toBe('pass');
    expect((await run(hostPid, {})).status).toBe('pass');
  });
  it('fail when writable or host PID', async () => {
    family({ pidMode: 'host' }, [c()]);
    expect((await run(readonlyRoot, {})).message).toContain('readonlyRootFilesystem unset (writable)');
    expect((await run(hostPid, {})).message).toContain('pidMode is host');
  });
});

describe('ecs-fargate-compatible', () => {
  it('passes for a FARGATE awsvpc revision', async () => {
    family({ requiresCompatibilities: ['FARGATE'], compatibilities: ['EC2', 'FARGATE'], networkMode: 'awsvpc' }, [c()]);
    expect((await run(fargate, {})).status).toBe('pass');
  });
  it('fails for an EC2 bridge revision', async () => {
    family({ requiresCompatibilities: ['EC2'], networkMode: 'bridge' }, [c()]);
    const out = await run(fargate, {});
    expect(out.message).toContain('without FARGATE');
    expect(out.message).toContain('networkMode is bridge');
  });
});

describe('service references and ecs-service-runs-newest', () => {
  const service = (rev: number, extra: object = {}) => ({
    services: [
      {
        serviceName: 'agent',
        serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/lab-prod/agent',
        status: 'ACTIVE',
        taskDefinition: ARN(rev),
        deployments: [{ status: 'PRIMARY', taskDefinition: ARN(rev), desiredCount: 1, runningCount: 1 }],
        ...extra,
      },
    ],
  });

  it('reads the revision the service runs, not the newest in the family', async () => {
    family({}, [c()]);
    ecs.on(DescribeServicesCommand).resolves(service(2));
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: ARN(2), include: ['TAGS'] }).resolves({ taskDefinition: { taskDefinitionArn: ARN(2), containerDefinitions: [c({ privileged: true })] } });
    const out = await privileged.run(testContext(), privileged.params.parse({ taskDefinition: { cluster: 'lab-prod', service: 'agent' } }));
    expect(out.status).toBe('fail');
    expect(out.message).toBe('Service lab-prod/agent (runs agent:2): container app sets privileged: true.');
  });

  it('fails while the service runs an older revision, passes once the newest is rolled out', async () => {
    family({}, [c()]);
    ecs.on(DescribeServicesCommand).resolves(service(2));
    const p = runsNewest.params.parse({ cluster: 'lab-prod', service: 'agent' });
    expect((await runsNewest.run(testContext(), p)).message).toBe('Service lab-prod/agent runs agent:2, but the newest revision is agent:3: start a deployment.');
    ecs.on(DescribeServicesCommand).resolves(service(3));
    expect((await runsNewest.run(testContext(), p)).status).toBe('pass');
  });

  it('fails while an older deployment is still draining', async () => {
    family({}, [c()]);
    ecs.on(DescribeServicesCommand).resolves(
      service(3, { deployments: [{ status: 'PRIMARY', taskDefinition: ARN(3), desiredCount: 2, runningCount: 1 }, { status: 'ACTIVE', taskDefinition: ARN(2) }] }),
    );
    expect((await runsNewest.run(testContext(), runsNewest.params.parse({ cluster: 'lab-prod', service: 'agent' }))).message).toContain('is still rolling out agent:3 (1/2 tasks, 1 older deployment(s))');
  });

  it('describes the services of one cluster together', async () => {
    family({}, [c()]);
    ecs.on(DescribeServicesCommand).resolves(service(3));
    const ctx = testContext({ wantedServices: new Map([['lab-prod', new Set(['agent', 'other'])]]) });
    await privileged.run(ctx, privileged.params.parse({ taskDefinition: { cluster: 'lab-prod', service: 'agent' } }));
    await runsNewest.run(ctx, runsNewest.params.parse({ cluster: 'lab-prod', service: 'agent' }));
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    expect(ecs.commandCalls(DescribeServicesCommand)[0]!.args[0].input.services).toEqual(['agent', 'other']);
  });
});
