/**
 * Run Command and Session Manager as they answer for instances that are not managed nodes.
 *
 * An EC2 instance becomes a managed node when its SSM Agent registers with Systems Manager. The
 * sandbox runs no agents, so no instance ever is one: DescribeInstanceInformation lists none,
 * SendCommand to named instances fails with InvalidInstanceId (the answer AWS gives for an
 * instance whose agent is not registered), SendCommand to targets that match no managed node
 * creates a command with no targets, and StartSession fails with TargetNotConnected.
 *
 * The lab's patching checks look at the AMI each container instance runs (a launch template
 * version with a newer ECS-optimized AMI, rolled out by an instance refresh, or a newer Fargate
 * platform version), not at packages installed in place. In-place patching through Run Command
 * (AWS-RunPatchBaseline) needs agents and is outside the sandbox, so the refusal here is the
 * honest AWS answer for instances without an agent, not a gap to work around.
 */
import type { Command, SSM } from '@aws-sdk/client-ssm';
import type { HandlerMap, RequestContext } from '../../types.js';
import { AwsError } from '../../../errors.js';
import { outputOf } from '../../clone.js';
import { uuid } from '../../ids.js';
import { SsmErrors } from '../errors.js';
import type { SsmState } from '../state.js';
import { ssmPage, ssmState } from '../state.js';

/**
 * Verified: CLI output quoted in aws-samples/eks-security-compromised-cluster-remediation#12
 * (`Instances [[i-00903e1796f3b1cb6]] not in a valid state for account 775288309636`); the
 * separator between several ids is not verified.
 */
const invalidInstanceId = (ids: readonly string[], account: string) =>
  new AwsError('InvalidInstanceId', `Instances [[${ids.join(', ')}]] not in a valid state for account ${account}`);
/** Verified: CLI output quoted in aws-samples/sagemaker-ssh-helper#1 (`mi-01064afae0734b12b is not connected.`). */
const targetNotConnected = (target: string) => new AwsError('TargetNotConnected', `${target} is not connected.`);
/** AWS answers these with an empty message (CLI output ends after the operation name); not verified. */
const invocationDoesNotExist = () => new AwsError('InvocationDoesNotExist', '');
const invalidCommandId = () => new AwsError('InvalidCommandId', '');
/** Message not verified. */
const invalidDocument = (name: string) => new AwsError('InvalidDocument', `Document with name ${name} does not exist.`);

/**
 * The AWS-owned Command documents a learner sends (the sandbox has no document store): Run
 * Command accepts these; any other name is an unknown document.
 */
const COMMAND_DOCUMENTS = new Set([
  'AWS-RunShellScript',
  'AWS-RunPowerShellScript',
  'AWS-RunPatchBaseline',
  'AWS-RunPatchBaselineWithHooks',
  'AWS-ApplyPatchBaseline',
  'AWS-UpdateSSMAgent',
  'AWS-ConfigureAWSPackage',
  'AWS-RunDocument',
  'AWS-UpdateEC2Config',
]);

const INSTANCE_ID = /^(i|mi)-[0-9a-f]{8,17}$/;

function commands(state: SsmState): Record<string, Command> {
  return state.commands ?? {};
}

function findCommand(ctx: RequestContext, id: string | undefined): Command | undefined {
  if (id === undefined) return undefined;
  const all = commands(ssmState(ctx));
  return Object.hasOwn(all, id) ? all[id] : undefined;
}

/** Run Command and Session Manager operations. */
export const runCommandHandlers: HandlerMap<SSM> = {
  /** No managed nodes (no agents): an empty list, whatever the filters. */
  DescribeInstanceInformation(input) {
    if (input.InstanceInformationFilterList?.length && input.Filters?.length) {
      // Message not verified.
      throw new AwsError('InvalidFilter', 'InstanceInformationFilterList and Filters cannot be used together.');
    }
    const p = ssmPage([], input.NextToken, input.MaxResults, 50, 'maxResults');
    return { InstanceInformationList: p.items, NextToken: p.NextToken };
  },

  /**
   * Named instances are not managed nodes: InvalidInstanceId. Targets (tags, resource groups)
   * match no managed node: the command is created with no targets and nothing to run, so it is
   * `Success` at once (TargetCount 0; the status of such a command is not verified).
   */
  SendCommand(input, ctx) {
    const document = input.DocumentName ?? '';
    if (!document) throw SsmErrors.validation("1 validation error detected: Value null at 'documentName' failed to satisfy constraint: Member must not be null");
    const ids = input.InstanceIds ?? [];
    const targets = input.Targets ?? [];
    // Message not verified.
    if (ids.length > 0 && targets.length > 0) throw SsmErrors.validation('Specify either instance IDs or targets, but not both.');
    if (ids.length === 0 && targets.length === 0) throw SsmErrors.validation('Specify either instance IDs or targets.');
    if (!COMMAND_DOCUMENTS.has(document)) throw invalidDocument(document);
    const named = [...ids, ...targets.filter((t) => t.Key === 'InstanceIds').flatMap((t) => t.Values ?? [])];
    for (const id of named) if (!INSTANCE_ID.test(id)) throw invalidInstanceId([id], ctx.account);
    if (named.length > 0) throw invalidInstanceId(named, ctx.account);
    const state = ssmState(ctx);
    const command: Command = {
      CommandId: uuid(),
      DocumentName: document,
      DocumentVersion: input.DocumentVersion ?? '$DEFAULT',
      Comment: input.Comment ?? '',
      ExpiresAfter: new Date(ctx.now.getTime() + ((input.TimeoutSeconds ?? 3600) + 3600) * 1000),
      Parameters: input.Parameters ?? {},
      InstanceIds: [],
      Targets: targets.map((t) => ({ Key: t.Key, Values: [...(t.Values ?? [])] })),
      RequestedDateTime: ctx.now,
      Status: 'Success',
      StatusDetails: 'Success',
      OutputS3Region: ctx.region,
      OutputS3BucketName: input.OutputS3BucketName ?? '',
      OutputS3KeyPrefix: input.OutputS3KeyPrefix ?? '',
      MaxConcurrency: input.MaxConcurrency ?? '50',
      MaxErrors: input.MaxErrors ?? '0',
      TargetCount: 0,
      CompletedCount: 0,
      ErrorCount: 0,
      DeliveryTimedOutCount: 0,
      ServiceRole: input.ServiceRoleArn ?? '',
      NotificationConfig: { NotificationArn: '', NotificationEvents: [] },
      CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false, ...input.CloudWatchOutputConfig },
      TimeoutSeconds: input.TimeoutSeconds ?? 3600,
      TriggeredAlarms: [],
    };
    state.commands ??= Object.create(null) as Record<string, Command>;
    state.commands[command.CommandId!] = command;
    return { Command: outputOf(ctx, command) };
  },

  ListCommands(input, ctx) {
    let list = Object.values(commands(ssmState(ctx)));
    if (input.CommandId !== undefined) {
      const command = findCommand(ctx, input.CommandId);
      if (!command) throw invalidCommandId();
      list = [command];
    }
    // A command names no instances (none is a managed node), so an instance filter matches none.
    if (input.InstanceId !== undefined) list = [];
    list.sort((a, b) => (b.RequestedDateTime?.getTime() ?? 0) - (a.RequestedDateTime?.getTime() ?? 0));
    const p = ssmPage(list, input.NextToken, input.MaxResults, 50, 'maxResults');
    return { Commands: p.items.map((c) => outputOf(ctx, c)), NextToken: p.NextToken };
  },

  /** A command with no targets has no invocations. */
  ListCommandInvocations(input, ctx) {
    if (input.CommandId !== undefined && !findCommand(ctx, input.CommandId)) throw invalidCommandId();
    const p = ssmPage([], input.NextToken, input.MaxResults, 50, 'maxResults');
    return { CommandInvocations: p.items, NextToken: p.NextToken };
  },

  /** No command ever runs on an instance. */
  GetCommandInvocation(input, ctx) {
    if (!findCommand(ctx, input.CommandId)) throw invalidCommandId();
    throw invocationDoesNotExist();
  },

  /** Session Manager needs the target's agent connected; no instance has one. */
  StartSession(input) {
    const target = input.Target ?? '';
    if (!target) throw SsmErrors.validation("1 validation error detected: Value null at 'target' failed to satisfy constraint: Member must not be null");
    throw targetNotConnected(target);
  },

  /** No managed node reports patch states. */
  DescribeInstancePatchStates(input) {
    if (!input.InstanceIds?.length) throw SsmErrors.validation("1 validation error detected: Value null at 'instanceIds' failed to satisfy constraint: Member must not be null");
    return { InstancePatchStates: [] };
  },
};
