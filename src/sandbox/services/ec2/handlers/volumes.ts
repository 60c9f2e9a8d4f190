/**
 * EBS volumes and snapshots, as far as instances have them: every instance the sandbox launches
 * is EBS-backed with one root volume (`/dev/xvda`), and nothing else creates volumes or
 * snapshots. A root volume is derived from its instance on every read, with an id derived from
 * the instance's (like the VPC's route table and ACL, vpc-resources.ts): it is `in-use` while the
 * instance exists and goes with it when the instance terminates (DeleteOnTermination, which the
 * ECS-optimized AMIs set). Its size, type and encryption are the launch template's root mapping
 * over the image's, kept on the instance record at launch.
 */
import type { EC2, Image, LaunchTemplateBlockDeviceMapping, Volume } from '@aws-sdk/client-ec2';
import type { HandlerMap, RequestContext } from '../../types.js';
import { AwsError } from '../../../errors.js';
import { stableEc2Id } from '../../ids.js';
import { applyFilters, byIds, page } from '../filters.js';
import type { InstanceRecord, RootVolume } from '../state.js';
import { ec2State } from '../state.js';

/** Code and message as the EC2 API reference's error list and CLI output quote them (message not verified). */
const volumeNotFound = (id: string) => new AwsError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
/** Message not verified. */
const snapshotNotFound = (id: string) => new AwsError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);

/** The id of an instance's root volume. */
export function rootVolumeId(instanceId: string): string {
  return stableEc2Id('vol', `${instanceId}/vol`);
}

/** gp3's baseline IOPS and throughput (MiB/s), io1/io2 need IOPS given, gp2 has 3 IOPS per GiB (at least 100). */
function performance(type: string, size: number, iops: number | undefined, throughput: number | undefined): { iops?: number; throughput?: number } {
  if (type === 'gp3') return { iops: iops ?? 3000, throughput: throughput ?? 125 };
  if (type === 'gp2') return { iops: Math.min(16000, Math.max(100, size * 3)) };
  if (type === 'io1' || type === 'io2') return { iops };
  return {};
}

/**
 * The root volume an instance launches with: the image's root mapping, overridden member by
 * member by the launch template's mapping of the same device.
 */
export function rootVolumeAtLaunch(ctx: RequestContext, image: Image | undefined, templateMappings: readonly LaunchTemplateBlockDeviceMapping[] | undefined): RootVolume {
  const device = image?.RootDeviceName ?? '/dev/xvda';
  const fromImage = image?.BlockDeviceMappings?.find((m) => m.DeviceName === device)?.Ebs;
  const fromTemplate = templateMappings?.find((m) => m.DeviceName === device)?.Ebs;
  const size = fromTemplate?.VolumeSize ?? fromImage?.VolumeSize ?? 8;
  const volumeType = String(fromTemplate?.VolumeType ?? fromImage?.VolumeType ?? 'gp2');
  const encrypted = fromTemplate?.Encrypted ?? fromImage?.Encrypted ?? false;
  const perf = performance(volumeType, size, fromTemplate?.Iops ?? fromImage?.Iops, fromTemplate?.Throughput ?? fromImage?.Throughput);
  return {
    size,
    volumeType,
    encrypted,
    // Without a key, EBS encrypts with the account's AWS managed key (alias/aws/ebs), whose id is
    // random per account and Region: this one is derived from them (not a real key id).
    kmsKeyId: encrypted ? (fromTemplate?.KmsKeyId ?? fromImage?.KmsKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.account}:key/${awsManagedKeyId(ctx)}`) : undefined,
    iops: perf.iops,
    throughput: perf.throughput,
    deleteOnTermination: fromTemplate?.DeleteOnTermination ?? fromImage?.DeleteOnTermination ?? true,
    snapshotId: fromImage?.SnapshotId,
    createTime: ctx.now,
  };
}

function awsManagedKeyId(ctx: RequestContext): string {
  const h = stableEc2Id('k', `${ctx.account}/${ctx.region}/aws/ebs`).slice(3);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(1, 4)}-${h.slice(4, 16)}`;
}

/** An instance's root volume (undefined once the instance is terminated, as the volume is deleted with it). */
function volumeOf(ctx: RequestContext, record: InstanceRecord): Volume | undefined {
  const instance = record.instance;
  const root = record.rootVolume ?? rootVolumeAtLaunch(ctx, undefined, undefined);
  if (instance.State?.Name === 'terminated' && root.deleteOnTermination) return undefined;
  const id = rootVolumeId(instance.InstanceId!);
  const createTime = record.rootVolume?.createTime ?? instance.LaunchTime;
  const attached = instance.State?.Name !== 'terminated';
  return {
    VolumeId: id,
    Size: root.size,
    SnapshotId: root.snapshotId ?? '',
    AvailabilityZone: instance.Placement?.AvailabilityZone,
    State: attached ? 'in-use' : 'available',
    CreateTime: createTime,
    VolumeType: root.volumeType as Volume['VolumeType'],
    Iops: root.iops,
    Throughput: root.throughput,
    Encrypted: root.encrypted,
    KmsKeyId: root.kmsKeyId,
    MultiAttachEnabled: false,
    Attachments: attached
      ? [{ AttachTime: createTime, Device: instance.RootDeviceName ?? '/dev/xvda', InstanceId: instance.InstanceId, State: 'attached', VolumeId: id, DeleteOnTermination: root.deleteOnTermination }]
      : [],
  };
}

/** Volume and snapshot operations. */
export const volumeHandlers: HandlerMap<EC2> = {
  DescribeVolumes(input, ctx) {
    const state = ec2State(ctx);
    const all = Object.values(state.instances).flatMap((r) => {
      const v = volumeOf(ctx, r);
      return v ? [v] : [];
    });
    let volumes = byIds(all, input.VolumeIds, (v) => v.VolumeId, volumeNotFound);
    volumes = applyFilters(state, volumes, input.Filters, {
      'volume-id': (v) => v.VolumeId,
      'attachment.instance-id': (v) => v.Attachments?.map((a) => a.InstanceId),
      'attachment.device': (v) => v.Attachments?.map((a) => a.Device),
      'attachment.status': (v) => v.Attachments?.map((a) => a.State),
      'attachment.delete-on-termination': (v) => v.Attachments?.map((a) => a.DeleteOnTermination),
      'availability-zone': (v) => v.AvailabilityZone,
      'encrypted': (v) => v.Encrypted,
      'size': (v) => v.Size,
      'snapshot-id': (v) => v.SnapshotId,
      'status': (v) => v.State,
      'volume-type': (v) => v.VolumeType,
      'multi-attach-enabled': (v) => v.MultiAttachEnabled,
    }, (v) => v.VolumeId!);
    if (input.VolumeIds?.length && input.MaxResults !== undefined) {
      // Message not verified (by analogy with DescribeInstances').
      throw new AwsError('InvalidParameterCombination', 'The parameter volumeSet cannot be used with the parameter maxResults');
    }
    const p = page(volumes, input.NextToken, input.MaxResults);
    return { Volumes: p.items, NextToken: p.NextToken };
  },

  /**
   * The account owns no snapshots (nothing in the sandbox creates one), and it sees no public
   * ones either: AWS would list every public snapshot when no owner is named, which the sandbox
   * does not model.
   */
  DescribeSnapshots(input) {
    for (const id of input.SnapshotIds ?? []) throw snapshotNotFound(id);
    return { Snapshots: [] };
  },
};
