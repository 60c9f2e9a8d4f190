/**
 * VPC flow logs (to CloudWatch Logs or S3, `arn:aws:s3:::bucket[/prefix/]`). Records are delivered
 * to CloudWatch Logs when a Logs read touches the group (flow-log-delivery.ts).
 */
import type { EC2, FlowLog, UnsuccessfulItem } from '@aws-sdk/client-ec2';
import type { HandlerMap } from '../../types.js';
import { ec2Id } from '../../ids.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, page } from '../filters.js';
import { DEFAULT_LOG_FORMAT, logFormatFields } from '../flow-log-delivery.js';
import type { Ec2State, FlowLogRecord } from '../state.js';
import { ec2State, setTags, tagsFromSpecs, tagsOf } from '../state.js';

/** The SDK view of a flow log (without the sandbox's delivery point). */
function present(state: Ec2State, log: FlowLogRecord): FlowLog {
  const { deliveredUntil: _, ...rest } = structuredClone(log);
  return { ...rest, Tags: tagsOf(state, log.FlowLogId!) };
}

function resourceExists(state: Ec2State, type: string, id: string): boolean {
  if (type === 'VPC') return id in state.vpcs;
  if (type === 'Subnet') return id in state.subnets;
  if (type === 'NetworkInterface') return id in state.networkInterfaces;
  return false;
}

const NOT_FOUND: Record<string, string> = { VPC: 'InvalidVpcID.NotFound', Subnet: 'InvalidSubnetID.NotFound', NetworkInterface: 'InvalidNetworkInterfaceID.NotFound' };

/** Flow log operations. */
export const flowLogHandlers: HandlerMap<EC2> = {
  CreateFlowLogs(input, ctx) {
    const state = ec2State(ctx);
    const type = input.ResourceType ?? '';
    if (!['VPC', 'Subnet', 'NetworkInterface', 'TransitGateway', 'TransitGatewayAttachment'].includes(type)) {
      throw Ec2Errors.invalidParameterValue(`Invalid value for ResourceType: ${type}`);
    }
    const destinationType = input.LogDestinationType ?? 'cloud-watch-logs';
    let destination = input.LogDestination;
    let logGroupName = input.LogGroupName;
    if (destinationType === 'cloud-watch-logs') {
      if (!logGroupName && !destination) throw Ec2Errors.missingParameter('LogGroupName or LogDestination');
      if (!input.DeliverLogsPermissionArn) {
        throw Ec2Errors.invalidParameterValue('DeliverLogsPermissionArn is required when the destination is CloudWatch Logs.');
      }
      if (!logGroupName && destination) logGroupName = destination.split(':log-group:')[1]?.replace(/:\*$/, '');
      destination ??= `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${logGroupName}`;
    } else if (destinationType === 's3') {
      if (!destination || !/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(destination)) {
        throw Ec2Errors.invalidParameterValue(`LogDestination: ${destination ?? '(none)'} is not a valid S3 bucket ARN.`);
      }
      if (logGroupName) throw Ec2Errors.invalidParameterCombination('LogGroupName can only be used with the cloud-watch-logs destination type.');
    } else if (destinationType !== 'kinesis-data-firehose') {
      throw Ec2Errors.invalidParameterValue(`Invalid value for LogDestinationType: ${destinationType}`);
    }
    if (input.LogFormat !== undefined) logFormatFields(input.LogFormat);
    const traffic = input.TrafficType ?? 'ALL';
    const FlowLogIds: string[] = [];
    const Unsuccessful: UnsuccessfulItem[] = [];
    for (const resourceId of input.ResourceIds ?? []) {
      if (!resourceExists(state, type, resourceId)) {
        Unsuccessful.push({ ResourceId: resourceId, Error: { Code: NOT_FOUND[type] ?? 'InvalidParameterValue', Message: `The ${type} ID '${resourceId}' does not exist` } });
        continue;
      }
      const duplicate = Object.values(state.flowLogs).some(
        (l) => l.ResourceId === resourceId && l.TrafficType === traffic && l.LogDestinationType === destinationType && l.LogDestination === destination,
      );
      if (duplicate) {
        Unsuccessful.push({ ResourceId: resourceId, Error: { Code: 'FlowLogAlreadyExists', Message: 'There is an existing Flow Log with the same configuration and log destination.' } });
        continue;
      }
      const id = ec2Id('fl');
      state.flowLogs[id] = {
        FlowLogId: id,
        CreationTime: ctx.now,
        DeliverLogsStatus: 'SUCCESS',
        FlowLogStatus: 'ACTIVE',
        ResourceId: resourceId,
        TrafficType: traffic,
        LogDestinationType: destinationType,
        LogDestination: destination,
        LogGroupName: destinationType === 'cloud-watch-logs' ? logGroupName : undefined,
        DeliverLogsPermissionArn: input.DeliverLogsPermissionArn,
        DeliverCrossAccountRole: input.DeliverCrossAccountRole,
        LogFormat: input.LogFormat ?? DEFAULT_LOG_FORMAT,
        MaxAggregationInterval: input.MaxAggregationInterval ?? 600,
        DestinationOptions:
          destinationType === 's3'
            ? {
                FileFormat: input.DestinationOptions?.FileFormat ?? 'plain-text',
                HiveCompatiblePartitions: input.DestinationOptions?.HiveCompatiblePartitions ?? false,
                PerHourPartition: input.DestinationOptions?.PerHourPartition ?? false,
              }
            : undefined,
      };
      setTags(state, id, tagsFromSpecs(input.TagSpecifications, 'vpc-flow-log'));
      FlowLogIds.push(id);
    }
    return { FlowLogIds, Unsuccessful, ClientToken: input.ClientToken };
  },

  DescribeFlowLogs(input, ctx) {
    const state = ec2State(ctx);
    let logs = Object.values(state.flowLogs);
    if (input.FlowLogIds?.length) logs = logs.filter((l) => input.FlowLogIds!.includes(l.FlowLogId!));
    logs = applyFilters(state, logs, input.Filter, {
      'deliver-log-status': (l) => l.DeliverLogsStatus,
      'log-destination-type': (l) => l.LogDestinationType,
      'flow-log-id': (l) => l.FlowLogId,
      'log-group-name': (l) => l.LogGroupName,
      'resource-id': (l) => l.ResourceId,
      'traffic-type': (l) => l.TrafficType,
    }, (l) => l.FlowLogId!);
    const p = page(logs, input.NextToken, input.MaxResults);
    return { FlowLogs: p.items.map((l) => present(state, l)), NextToken: p.NextToken };
  },

  DeleteFlowLogs(input, ctx) {
    const state = ec2State(ctx);
    const Unsuccessful: UnsuccessfulItem[] = [];
    for (const id of input.FlowLogIds ?? []) {
      if (!state.flowLogs[id]) {
        Unsuccessful.push({ ResourceId: id, Error: { Code: 'InvalidFlowLogId.NotFound', Message: `Flow log ID '${id}' does not exist` } });
        continue;
      }
      delete state.flowLogs[id];
      delete state.tags[id];
    }
    return { Unsuccessful };
  },
};
