/**
 * The ECS-optimized AMI catalogue: one source of truth for EC2 (the seeded public images,
 * `resolve:ssm:` image ids) and SSM (the public `/aws/service/ecs/optimized-ami/...` parameters),
 * so that the `recommended` parameter always names an image EC2 can launch. Computed, never
 * persisted: every account and Region sees the same releases (AMI ids differ per Region, as in AWS).
 */

import { stableEc2Id } from '../ids.js';

/** The OS families the lab seeds. */
export type EcsAmiFamily = 'amazon-linux-2023' | 'amazon-linux-2';

/** CPU architectures of the seeded releases. */
export type EcsAmiArch = 'x86_64' | 'arm64';

/** One seeded ECS-optimized AMI release. */
export interface EcsAmiRelease {
  readonly name: string;
  readonly osFamily: EcsAmiFamily;
  readonly arch: EcsAmiArch;
  readonly agentVersion: string;
  readonly runtimeVersion: string;
  /** The Amazon Linux minimal image the release was built from. */
  readonly sourceImageName: string;
  readonly created: string;
  /** The newest release of its family and architecture is the `recommended` one. */
  readonly recommended: boolean;
}

/** A release with its id in one Region. */
export interface EcsAmi extends EcsAmiRelease {
  readonly imageId: string;
}

// arm64 releases come first so that, among images created the same day, the x86_64 one sorts last.
/** Seeded ECS-optimized AMI releases, oldest first within each family and architecture. */
export const ECS_AMI_RELEASES: readonly EcsAmiRelease[] = [
  { name: 'al2023-ami-ecs-hvm-2023.0.20240712-kernel-6.1-arm64', osFamily: 'amazon-linux-2023', arch: 'arm64', agentVersion: '1.84.0', runtimeVersion: 'Docker version 25.0.3', sourceImageName: 'al2023-ami-minimal-2023.5.20240708.0-kernel-6.1-arm64', created: '2024-07-13T00:00:00.000Z', recommended: false },
  { name: 'al2023-ami-ecs-hvm-2023.0.20250110-kernel-6.1-arm64', osFamily: 'amazon-linux-2023', arch: 'arm64', agentVersion: '1.89.2', runtimeVersion: 'Docker version 25.0.6', sourceImageName: 'al2023-ami-minimal-2023.6.20250107.0-kernel-6.1-arm64', created: '2025-01-11T00:00:00.000Z', recommended: true },
  { name: 'amzn2-ami-ecs-hvm-2.0.20250110-arm64-ebs', osFamily: 'amazon-linux-2', arch: 'arm64', agentVersion: '1.89.2', runtimeVersion: 'Docker version 25.0.6', sourceImageName: 'amzn2-ami-minimal-hvm-2.0.20250108.0-arm64-ebs', created: '2025-01-11T00:00:00.000Z', recommended: true },
  { name: 'al2023-ami-ecs-hvm-2023.0.20240109-kernel-6.1-x86_64', osFamily: 'amazon-linux-2023', arch: 'x86_64', agentVersion: '1.79.2', runtimeVersion: 'Docker version 24.0.5', sourceImageName: 'al2023-ami-minimal-2023.3.20240108.0-kernel-6.1-x86_64', created: '2024-01-10T00:00:00.000Z', recommended: false },
  { name: 'al2023-ami-ecs-hvm-2023.0.20240712-kernel-6.1-x86_64', osFamily: 'amazon-linux-2023', arch: 'x86_64', agentVersion: '1.84.0', runtimeVersion: 'Docker version 25.0.3', sourceImageName: 'al2023-ami-minimal-2023.5.20240708.0-kernel-6.1-x86_64', created: '2024-07-13T00:00:00.000Z', recommended: false },
  { name: 'al2023-ami-ecs-hvm-2023.0.20250110-kernel-6.1-x86_64', osFamily: 'amazon-linux-2023', arch: 'x86_64', agentVersion: '1.89.2', runtimeVersion: 'Docker version 25.0.6', sourceImageName: 'al2023-ami-minimal-2023.6.20250107.0-kernel-6.1-x86_64', created: '2025-01-11T00:00:00.000Z', recommended: true },
  { name: 'amzn2-ami-ecs-hvm-2.0.20240109-x86_64-ebs', osFamily: 'amazon-linux-2', arch: 'x86_64', agentVersion: '1.79.2', runtimeVersion: 'Docker version 20.10.25', sourceImageName: 'amzn2-ami-minimal-hvm-2.0.20240109.0-x86_64-ebs', created: '2024-01-10T00:00:00.000Z', recommended: false },
  { name: 'amzn2-ami-ecs-hvm-2.0.20250110-x86_64-ebs', osFamily: 'amazon-linux-2', arch: 'x86_64', agentVersion: '1.89.2', runtimeVersion: 'Docker version 25.0.6', sourceImageName: 'amzn2-ami-minimal-hvm-2.0.20250108.0-x86_64-ebs', created: '2025-01-11T00:00:00.000Z', recommended: true },
];

/** Amazon's owner id for public ECS-optimized AMIs. */
export const AMAZON_OWNER_ID = '591542846629';

/** Stable per Region and name, so SSM's parameters and EC2's images agree across restarts. */
export function amiIdFor(region: string, name: string): string {
  return stableEc2Id('ami', `${region}/${name}`);
}

/** Every seeded release with its id in `region`. */
export function ecsAmis(region: string): EcsAmi[] {
  return ECS_AMI_RELEASES.map((release) => ({ ...release, imageId: amiIdFor(region, release.name) }));
}

/** The `recommended` release of a family and architecture in `region`. */
export function recommendedAmi(region: string, osFamily: EcsAmiFamily, arch: EcsAmiArch = 'x86_64'): EcsAmi {
  return ecsAmis(region).find((a) => a.osFamily === osFamily && a.arch === arch && a.recommended)!;
}

/** The parameter folder of a family and architecture, e.g. `/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64`. */
export function amiParameterFolder(osFamily: EcsAmiFamily, arch: EcsAmiArch): string {
  return `/aws/service/ecs/optimized-ami/${osFamily}${arch === 'arm64' ? '/arm64' : ''}`;
}

/** The metadata document AWS publishes as the JSON value of `.../recommended` and of the per-name parameters. */
export function amiMetadata(ami: EcsAmi): Record<string, string | number> {
  return {
    ecs_agent_version: ami.agentVersion,
    ecs_runtime_version: ami.runtimeVersion,
    image_id: ami.imageId,
    image_name: ami.name,
    os: ami.osFamily === 'amazon-linux-2023' ? 'Amazon Linux 2023' : 'Amazon Linux 2',
    schema_version: 1,
    source_image_name: ami.sourceImageName,
  };
}

/** One public (AWS-owned, read-only) SSM parameter derived from the catalogue. */
export interface PublicAmiParameter {
  readonly name: string;
  readonly value: string;
  readonly version: number;
  readonly lastModified: Date;
}

const cache = new Map<string, readonly PublicAmiParameter[]>();

function withFields(base: string, ami: EcsAmi, version: number): PublicAmiParameter[] {
  const metadata = amiMetadata(ami);
  const lastModified = new Date(ami.created);
  return [
    { name: base, value: JSON.stringify(metadata), version, lastModified },
    ...Object.entries(metadata).map(([field, value]) => ({ name: `${base}/${field}`, value: String(value), version, lastModified })),
  ];
}

/**
 * The public ECS-optimized AMI parameters of a Region: for each family and architecture,
 * `<folder>/recommended` (JSON) and `<folder>/recommended/<field>`, plus the per-release
 * `<folder>/<image name>` (JSON) and its fields. `recommended` has one version per release so far.
 */
export function publicAmiParameters(region: string): readonly PublicAmiParameter[] {
  const cached = cache.get(region);
  if (cached) return cached;
  const out: PublicAmiParameter[] = [];
  const amis = ecsAmis(region);
  const groups = new Map<string, EcsAmi[]>();
  for (const ami of amis) {
    const folder = amiParameterFolder(ami.osFamily, ami.arch);
    groups.set(folder, [...(groups.get(folder) ?? []), ami]);
  }
  for (const [folder, releases] of groups) {
    const recommended = releases.find((r) => r.recommended);
    if (recommended) out.push(...withFields(`${folder}/recommended`, recommended, releases.indexOf(recommended) + 1));
    for (const release of releases) out.push(...withFields(`${folder}/${release.name}`, release, 1));
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  cache.set(region, out);
  return out;
}
