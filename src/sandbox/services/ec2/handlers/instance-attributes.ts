/**
 * Instance metadata options (IMDS: IMDSv2 via HttpTokens `required`, the PUT hop limit, instance
 * tags in metadata), instance status checks and DescribeInstanceAttribute.
 */
import type { EC2, InstanceMetadataOptionsRequest, InstanceMetadataOptionsResponse, InstanceStatus, InstanceStatusSummary, LaunchTemplateInstanceMetadataOptions } from '@aws-sdk/client-ec2';
import type { HandlerMap } from '../../types.js';
import { clonePlain } from '../../clone.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, byIds, page } from '../filters.js';
import type { InstanceRecord } from '../state.js';
import { ec2State, getInstance } from '../state.js';

type MetadataChange = InstanceMetadataOptionsRequest | LaunchTemplateInstanceMetadataOptions;

/** What EC2 gives an instance launched without metadata options (the sandbox's AMIs are IMDSv2-only, as AL2023's are). */
const DEFAULT_METADATA: InstanceMetadataOptionsResponse = {
  State: 'applied',
  HttpTokens: 'required',
  HttpPutResponseHopLimit: 2,
  HttpEndpoint: 'enabled',
  HttpProtocolIpv6: 'disabled',
  InstanceMetadataTags: 'disabled',
};

function checkEnum(name: string, value: string | undefined, allowed: readonly string[]): void {
  // Message pattern of EC2's other enum members; not verified for these.
  if (value !== undefined && !allowed.includes(value)) throw Ec2Errors.invalidParameterValue(`Value (${value}) for parameter ${name} is invalid.`);
}

/**
 * Metadata options with a change applied (at launch: a launch template's or the request's, over
 * the defaults; later: ModifyInstanceMetadataOptions over the current ones).
 * @throws InvalidParameterValue for a value EC2 does not accept.
 */
export function withMetadataChange(current: InstanceMetadataOptionsResponse | undefined, change: MetadataChange | undefined): InstanceMetadataOptionsResponse {
  const next = { ...DEFAULT_METADATA, ...current, State: 'applied' as const };
  if (!change) return next;
  checkEnum('httpTokens', change.HttpTokens, ['optional', 'required']);
  checkEnum('httpEndpoint', change.HttpEndpoint, ['enabled', 'disabled']);
  checkEnum('httpProtocolIpv6', change.HttpProtocolIpv6, ['enabled', 'disabled']);
  checkEnum('instanceMetadataTags', change.InstanceMetadataTags, ['enabled', 'disabled']);
  const hops = change.HttpPutResponseHopLimit;
  if (hops !== undefined && (!Number.isInteger(hops) || hops < 1 || hops > 64)) {
    // The range is AWS's (1-64); the message is not verified.
    throw Ec2Errors.invalidParameterValue(`Value (${hops}) for parameter httpPutResponseHopLimit is invalid. Supported values are 1 to 64.`);
  }
  if (change.HttpTokens !== undefined) next.HttpTokens = change.HttpTokens;
  if (change.HttpEndpoint !== undefined) next.HttpEndpoint = change.HttpEndpoint;
  if (change.HttpProtocolIpv6 !== undefined) next.HttpProtocolIpv6 = change.HttpProtocolIpv6;
  if (change.InstanceMetadataTags !== undefined) next.InstanceMetadataTags = change.InstanceMetadataTags;
  if (hops !== undefined) next.HttpPutResponseHopLimit = hops;
  return next;
}

/** Status checks: `ok` for a running instance, `not-applicable` otherwise (the sandbox's hosts never fail them). */
function statusSummary(record: InstanceRecord): InstanceStatusSummary {
  const running = record.instance.State?.Name === 'running';
  return running
    ? { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] }
    : { Status: 'not-applicable', Details: [{ Name: 'reachability', Status: 'not-applicable' as 'passed' }] };
}

/** DescribeInstanceAttribute: attribute (wire name) -> the response member with its value. */
const INSTANCE_ATTRIBUTES: Readonly<Record<string, (r: InstanceRecord) => object>> = {
  instanceType: (r) => ({ InstanceType: { Value: r.instance.InstanceType } }),
  kernel: () => ({ KernelId: {} }),
  ramdisk: () => ({ RamdiskId: {} }),
  userData: (r) => ({ UserData: r.userData === undefined ? {} : { Value: r.userData } }),
  disableApiTermination: () => ({ DisableApiTermination: { Value: false } }),
  disableApiStop: () => ({ DisableApiStop: { Value: false } }),
  instanceInitiatedShutdownBehavior: () => ({ InstanceInitiatedShutdownBehavior: { Value: 'stop' } }),
  rootDeviceName: (r) => ({ RootDeviceName: { Value: r.instance.RootDeviceName } }),
  blockDeviceMapping: (r) => ({ BlockDeviceMappings: clonePlain(r.instance.BlockDeviceMappings ?? []) }),
  productCodes: () => ({ ProductCodes: [] }),
  sourceDestCheck: (r) => ({ SourceDestCheck: { Value: r.instance.SourceDestCheck ?? true } }),
  groupSet: (r) => ({ Groups: clonePlain(r.instance.SecurityGroups ?? []) }),
  ebsOptimized: (r) => ({ EbsOptimized: { Value: r.instance.EbsOptimized ?? false } }),
  sriovNetSupport: () => ({ SriovNetSupport: {} }),
  enaSupport: (r) => ({ EnaSupport: { Value: r.instance.EnaSupport ?? true } }),
  enclaveOptions: () => ({ EnclaveOptions: { Enabled: false } }),
};

/** Instance metadata, status and attribute operations. */
export const instanceAttributeHandlers: HandlerMap<EC2> = {
  ModifyInstanceMetadataOptions(input, ctx) {
    const record = getInstance(ec2State(ctx), input.InstanceId ?? '');
    const options = withMetadataChange(record.instance.MetadataOptions, input);
    record.instance.MetadataOptions = options;
    return { InstanceId: record.instance.InstanceId, InstanceMetadataOptions: { ...options } };
  },

  DescribeInstanceStatus(input, ctx) {
    const state = ec2State(ctx);
    let records = byIds(Object.values(state.instances), input.InstanceIds, (r) => r.instance.InstanceId, Ec2Errors.instanceNotFound);
    // Without IncludeAllInstances only running instances have a status, named or not.
    if (!input.IncludeAllInstances) records = records.filter((r) => r.instance.State?.Name === 'running');
    records = applyFilters(state, records, input.Filters, {
      'availability-zone': (r) => r.instance.Placement?.AvailabilityZone,
      'instance-state-name': (r) => r.instance.State?.Name,
      'instance-state-code': (r) => r.instance.State?.Code,
      'instance-status.status': (r) => statusSummary(r).Status,
      'instance-status.reachability': (r) => statusSummary(r).Details?.[0]?.Status,
      'system-status.status': (r) => statusSummary(r).Status,
      'system-status.reachability': (r) => statusSummary(r).Details?.[0]?.Status,
    }, (r) => r.instance.InstanceId!);
    const p = page(records, input.NextToken, input.MaxResults);
    const statuses = p.items.map((r): InstanceStatus => ({
      InstanceId: r.instance.InstanceId,
      AvailabilityZone: r.instance.Placement?.AvailabilityZone,
      InstanceState: { ...r.instance.State },
      InstanceStatus: statusSummary(r),
      SystemStatus: statusSummary(r),
      AttachedEbsStatus: statusSummary(r),
    }));
    return { InstanceStatuses: statuses, NextToken: p.NextToken };
  },

  DescribeInstanceAttribute(input, ctx) {
    const record = getInstance(ec2State(ctx), input.InstanceId ?? '');
    const attribute = String(input.Attribute ?? '');
    const read = Object.hasOwn(INSTANCE_ATTRIBUTES, attribute) ? INSTANCE_ATTRIBUTES[attribute] : undefined;
    if (!read) throw Ec2Errors.unknownAttribute(attribute);
    return { InstanceId: record.instance.InstanceId, ...read(record) };
  },
};
