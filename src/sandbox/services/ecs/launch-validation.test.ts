/**
 * Requests real ECS refuses and the sandbox once accepted: Fargate task sizes, awsvpc port
 * mappings, secrets without an execution role, public IPs outside Fargate, and launch types a
 * revision is not compatible with. Each is driven through the real SDK client.
 */
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { ContainerDefinition, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let ecs: ECSClient;
let ec2: EC2Client;
let subnet: string;

const asgArn = 'arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:0e1b5b7d-1111-2222-3333-444455556666:autoScalingGroupName/lab-ecs-hosts';

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ecs = new ECSClient(clientConfig(sandbox.url));
  ec2 = new EC2Client(clientConfig(sandbox.url));
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
  await ecs.send(new CreateClusterCommand({ clusterName: 'lab-prod' }));
  await ecs.send(new CreateCapacityProviderCommand({ name: 'lab-ecs-hosts', autoScalingGroupProvider: { autoScalingGroupArn: asgArn } }));
  // Fits both Fargate and EC2.
  await ecs.send(new RegisterTaskDefinitionCommand(fargate('web')));
  // awsvpc, but EC2 only: no task-level size.
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'ec2-web', networkMode: 'awsvpc', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }));
});
afterAll(async () => {
  ecs.destroy();
  ec2.destroy();
  await sandbox.close();
});

/** A Fargate revision of `family` (256 CPU, 512 MiB), with `extra` over it. */
function fargate(family: string, extra: Partial<RegisterTaskDefinitionCommandInput> = {}): RegisterTaskDefinitionCommandInput {
  return { family, networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'nginx' }], ...extra };
}

function register(input: RegisterTaskDefinitionCommandInput) {
  return ecs.send(new RegisterTaskDefinitionCommand(input));
}

const noFargateSize = (cpu: number, memory: number) => ({
  name: 'ClientException',
  message: `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
});
const portsMustMatch = { name: 'ClientException', message: 'When networkMode=awsvpc, the host ports and container ports in port mappings must match.' };
const secretsNeedRole = { name: 'ClientException', message: "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'." };
const noPublicIp = { name: 'InvalidParameterException', message: 'Assign public IP is not supported for this launch type.' };
const noFargate = { name: 'InvalidParameterException', message: 'Task definition does not support launch_type FARGATE.' };

const network = (assignPublicIp: 'ENABLED' | 'DISABLED') => ({ awsvpcConfiguration: { subnets: [subnet], assignPublicIp } });

describe('RegisterTaskDefinition', () => {
  it('refuses a Fargate revision whose cpu and memory Fargate does not offer, naming the pair, and accepts the others', async () => {
    await expect(register(fargate('size', { cpu: '256', memory: '4096' }))).rejects.toMatchObject(noFargateSize(256, 4096));
    await expect(register(fargate('size', { cpu: '8192', memory: '18432' }))).rejects.toMatchObject(noFargateSize(8192, 18432));
    await expect(register(fargate('size', { cpu: '128', memory: '512' }))).rejects.toMatchObject(noFargateSize(128, 512));
    // vCPU and GB are read as 1,024 units each.
    await expect(register(fargate('size', { cpu: '1 vCPU', memory: '1 GB' }))).rejects.toMatchObject(noFargateSize(1024, 1024));
    // The sizes of the table pass, in units or in vCPU and GB, and are kept as written.
    const sizes: [string, string][] = [['256', '2048'], ['512', '4096'], ['1 vCPU', '2 GB'], ['2048', '16384'], ['4096', '30720'], ['8192', '20480'], ['16384', '122880']];
    for (const [cpu, memory] of sizes) {
      const td = (await register(fargate('sized', { cpu, memory }))).taskDefinition!;
      expect(td.compatibilities).toEqual(['EC2', 'FARGATE']);
      expect([td.cpu, td.memory]).toEqual([cpu, memory]);
    }
  });

  it('registers an awsvpc revision of a size Fargate lacks, without asking for Fargate, as EC2-only', async () => {
    const td = (await register({ family: 'odd-size', networkMode: 'awsvpc', cpu: '256', memory: '4096', containerDefinitions: [{ name: 'app', image: 'nginx' }] })).taskDefinition!;
    expect(td.compatibilities).toEqual(['EC2']);
    const placement = { cluster: 'lab-prod', taskDefinition: 'odd-size', launchType: 'FARGATE' as const, networkConfiguration: network('DISABLED') };
    await expect(ecs.send(new RunTaskCommand(placement))).rejects.toMatchObject(noFargate);
    await expect(ecs.send(new CreateServiceCommand({ ...placement, serviceName: 'odd-size' }))).rejects.toMatchObject(noFargate);
  });

  it('refuses an awsvpc port mapping whose host port differs from its container port', async () => {
    const withPorts = (portMappings: ContainerDefinition['portMappings'], networkMode: 'awsvpc' | 'bridge' = 'awsvpc') =>
      register({ family: 'ports', networkMode, containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128, portMappings }] });
    await expect(withPorts([{ containerPort: 80, hostPort: 8080 }])).rejects.toMatchObject(portsMustMatch);
    await expect(withPorts([{ containerPort: 443, hostPort: 443 }, { containerPort: 80, hostPort: 0 }])).rejects.toMatchObject(portsMustMatch);
    await expect(register(fargate('ports', { containerDefinitions: [{ name: 'app', image: 'nginx', portMappings: [{ containerPort: 80, hostPort: 81 }] }] }))).rejects.toMatchObject(
      portsMustMatch,
    );
    const same = await withPorts([{ containerPort: 80, hostPort: 80 }, { containerPort: 443 }]);
    expect(same.taskDefinition!.containerDefinitions![0]!.portMappings!.map((p) => p.hostPort)).toEqual([80, 443]);
    // Bridge mode maps ports.
    await expect(withPorts([{ containerPort: 80, hostPort: 8080 }], 'bridge')).resolves.toBeDefined();
  });

  it('refuses container secrets or log driver secretOptions without an execution role', async () => {
    const secret = { name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:lab/api-AbCdEf' };
    const splunk = { logDriver: 'splunk' as const, options: { 'splunk-url': 'https://splunk.example' }, secretOptions: [{ name: 'splunk-token', valueFrom: '/lab/splunk' }] };
    const app = { name: 'app', image: 'nginx', memory: 128 };
    await expect(register({ family: 'secrets', containerDefinitions: [{ ...app, secrets: [secret] }] })).rejects.toMatchObject(secretsNeedRole);
    await expect(register({ family: 'secrets', containerDefinitions: [{ ...app, logConfiguration: splunk }] })).rejects.toMatchObject(secretsNeedRole);
    await expect(
      register({ family: 'secrets', taskRoleArn: 'arn:aws:iam::000000000000:role/task', containerDefinitions: [app, { ...app, name: 'sidecar', secrets: [secret] }] }),
    ).rejects.toMatchObject(secretsNeedRole);
    const executionRoleArn = 'arn:aws:iam::000000000000:role/exec';
    await expect(register({ family: 'secrets', executionRoleArn, containerDefinitions: [{ ...app, secrets: [secret], logConfiguration: splunk }] })).resolves.toBeDefined();
    await expect(register({ family: 'secrets', containerDefinitions: [{ ...app, secrets: [] }] })).resolves.toBeDefined();
  });
});

describe('assignPublicIp outside Fargate', () => {
  it('is refused for an EC2 service or task, by launch type or by default', async () => {
    const service = (serviceName: string, extra: object) =>
      ecs.send(new CreateServiceCommand({ cluster: 'lab-prod', serviceName, taskDefinition: 'web', desiredCount: 0, networkConfiguration: network('ENABLED'), ...extra }));
    await expect(service('ec2-public', { launchType: 'EC2' })).rejects.toMatchObject(noPublicIp);
    await expect(service('ec2-public', {})).rejects.toMatchObject(noPublicIp);
    await expect(ecs.send(new RunTaskCommand({ cluster: 'lab-prod', taskDefinition: 'web', launchType: 'EC2', networkConfiguration: network('ENABLED') }))).rejects.toMatchObject(noPublicIp);
    await expect(ecs.send(new RunTaskCommand({ cluster: 'lab-prod', taskDefinition: 'ec2-web', networkConfiguration: network('ENABLED') }))).rejects.toMatchObject(noPublicIp);
    // Fargate gives the task ENI its public IP.
    const ok = await service('fargate-public', { launchType: 'FARGATE' });
    expect(ok.service!.networkConfiguration!.awsvpcConfiguration!.assignPublicIp).toBe('ENABLED');
  });

  it('is refused with an Auto Scaling group capacity provider, given or the cluster default', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'asg' }));
    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'asg', capacityProviders: ['lab-ecs-hosts'], defaultCapacityProviderStrategy: [] }));
    const capacityProviderStrategy = [{ capacityProvider: 'lab-ecs-hosts', weight: 1 }];
    await expect(
      ecs.send(new CreateServiceCommand({ cluster: 'asg', serviceName: 'public', taskDefinition: 'web', capacityProviderStrategy, networkConfiguration: network('ENABLED') })),
    ).rejects.toMatchObject(noPublicIp);
    await expect(ecs.send(new RunTaskCommand({ cluster: 'asg', taskDefinition: 'web', capacityProviderStrategy, networkConfiguration: network('ENABLED') }))).rejects.toMatchObject(noPublicIp);
    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'asg', capacityProviders: ['lab-ecs-hosts'], defaultCapacityProviderStrategy: capacityProviderStrategy }));
    await expect(ecs.send(new CreateServiceCommand({ cluster: 'asg', serviceName: 'public', taskDefinition: 'web', networkConfiguration: network('ENABLED') }))).rejects.toMatchObject(
      noPublicIp,
    );
    await expect(ecs.send(new RunTaskCommand({ cluster: 'asg', taskDefinition: 'web', networkConfiguration: network('ENABLED') }))).rejects.toMatchObject(noPublicIp);
  });

  it('is refused when UpdateService turns it on for an EC2 service, not for a Fargate one', async () => {
    await ecs.send(new CreateServiceCommand({ cluster: 'lab-prod', serviceName: 'ec2-private', taskDefinition: 'web', launchType: 'EC2', networkConfiguration: network('DISABLED') }));
    await expect(ecs.send(new UpdateServiceCommand({ cluster: 'lab-prod', service: 'ec2-private', networkConfiguration: network('ENABLED') }))).rejects.toMatchObject(noPublicIp);
    await expect(ecs.send(new UpdateServiceCommand({ cluster: 'lab-prod', service: 'ec2-private', desiredCount: 1 }))).resolves.toBeDefined();
    await ecs.send(new CreateServiceCommand({ cluster: 'lab-prod', serviceName: 'fg-private', taskDefinition: 'web', launchType: 'FARGATE', networkConfiguration: network('DISABLED') }));
    const updated = await ecs.send(new UpdateServiceCommand({ cluster: 'lab-prod', service: 'fg-private', networkConfiguration: network('ENABLED') }));
    expect(updated.service!.networkConfiguration!.awsvpcConfiguration!.assignPublicIp).toBe('ENABLED');
  });
});

describe('launch type compatibility', () => {
  it('runs on the cluster default FARGATE strategy only a revision Fargate can run', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'serverless' }));
    await ecs.send(
      new PutClusterCapacityProvidersCommand({ cluster: 'serverless', capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] }),
    );
    await expect(ecs.send(new RunTaskCommand({ cluster: 'serverless', taskDefinition: 'ec2-web', networkConfiguration: network('DISABLED') }))).rejects.toMatchObject(noFargate);
    // Fargate, so a public IP is fine.
    const run = await ecs.send(new RunTaskCommand({ cluster: 'serverless', taskDefinition: 'web', networkConfiguration: network('ENABLED') }));
    expect(run.tasks![0]).toMatchObject({ capacityProviderName: 'FARGATE', platformFamily: 'Linux' });
    // An explicit launch type overrides the default strategy.
    await expect(ecs.send(new RunTaskCommand({ cluster: 'serverless', taskDefinition: 'ec2-web', launchType: 'EC2', networkConfiguration: network('DISABLED') }))).resolves.toMatchObject({
      tasks: [expect.objectContaining({ launchType: 'EC2' })],
    });
  });
});
