/**
 * Static EC2 data every account sees: Availability Zones, instance types (with the ENI limits the
 * network-isolation scenario teaches) and the seeded ECS-optimized AMIs. Computed, never
 * persisted.
 */
import type { AvailabilityZone, Image, InstanceTypeInfo } from '@aws-sdk/client-ec2';

/** Region short code used in zone ids: us-east-1 -> use1, ap-southeast-2 -> apse2. */
function regionCode(region: string): string {
  const [geo = '', dir = '', num = ''] = region.split('-');
  const compass: Record<string, string> = {
    east: 'e', west: 'w', north: 'n', south: 's', central: 'c',
    northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
  };
  return `${geo}${compass[dir] ?? dir.slice(0, 1)}${num}`;
}

/** The Region's Availability Zones (six in us-east-1, three elsewhere). */
export function zonesFor(region: string): AvailabilityZone[] {
  const letters = region === 'us-east-1' ? ['a', 'b', 'c', 'd', 'e', 'f'] : ['a', 'b', 'c'];
  const code = regionCode(region);
  return letters.map((letter, i) => ({
    ZoneName: `${region}${letter}`,
    ZoneId: `${code}-az${i + 1}`,
    RegionName: region,
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    GroupName: region,
    NetworkBorderGroup: region,
    ZoneType: 'availability-zone',
    GroupLongName: region,
  }));
}

interface TypeSpec {
  vcpus: number;
  memoryMiB: number;
  enis: number;
  ipv4PerEni: number;
  network: string;
  burstable?: boolean;
}

// ENI limits as documented in the EC2 User Guide ("Maximum IP addresses per network interface").
const TYPES: Record<string, TypeSpec> = {
  't3.micro': { vcpus: 2, memoryMiB: 1024, enis: 2, ipv4PerEni: 2, network: 'Up to 5 Gigabit', burstable: true },
  't3.small': { vcpus: 2, memoryMiB: 2048, enis: 3, ipv4PerEni: 4, network: 'Up to 5 Gigabit', burstable: true },
  't3.medium': { vcpus: 2, memoryMiB: 4096, enis: 3, ipv4PerEni: 6, network: 'Up to 5 Gigabit', burstable: true },
  't3.large': { vcpus: 2, memoryMiB: 8192, enis: 3, ipv4PerEni: 12, network: 'Up to 5 Gigabit', burstable: true },
  'c5.large': { vcpus: 2, memoryMiB: 4096, enis: 3, ipv4PerEni: 10, network: 'Up to 10 Gigabit' },
  'c5.xlarge': { vcpus: 4, memoryMiB: 8192, enis: 4, ipv4PerEni: 15, network: 'Up to 10 Gigabit' },
  'c5.2xlarge': { vcpus: 8, memoryMiB: 16384, enis: 4, ipv4PerEni: 15, network: 'Up to 10 Gigabit' },
  'c5.4xlarge': { vcpus: 16, memoryMiB: 32768, enis: 8, ipv4PerEni: 30, network: 'Up to 10 Gigabit' },
  'm5.large': { vcpus: 2, memoryMiB: 8192, enis: 3, ipv4PerEni: 10, network: 'Up to 10 Gigabit' },
  'm5.xlarge': { vcpus: 4, memoryMiB: 16384, enis: 4, ipv4PerEni: 15, network: 'Up to 10 Gigabit' },
  'm5.2xlarge': { vcpus: 8, memoryMiB: 32768, enis: 4, ipv4PerEni: 15, network: 'Up to 10 Gigabit' },
  'r5.large': { vcpus: 2, memoryMiB: 16384, enis: 3, ipv4PerEni: 10, network: 'Up to 10 Gigabit' },
};

/** Whether EC2 knows an instance type. */
export function isKnownInstanceType(type: string): boolean {
  return type in TYPES;
}

/** Instance type descriptions. */
export function instanceTypes(): InstanceTypeInfo[] {
  return Object.entries(TYPES).map(([name, spec]) => ({
    InstanceType: name as InstanceTypeInfo['InstanceType'],
    CurrentGeneration: true,
    FreeTierEligible: name === 't3.micro',
    SupportedUsageClasses: ['on-demand', 'spot'],
    SupportedRootDeviceTypes: ['ebs'],
    SupportedVirtualizationTypes: ['hvm'],
    BareMetal: false,
    Hypervisor: 'nitro',
    ProcessorInfo: { SupportedArchitectures: ['x86_64'], SustainedClockSpeedInGhz: 3.1 },
    VCpuInfo: { DefaultVCpus: spec.vcpus, DefaultCores: spec.vcpus / 2, DefaultThreadsPerCore: 2 },
    MemoryInfo: { SizeInMiB: spec.memoryMiB },
    InstanceStorageSupported: false,
    NetworkInfo: {
      NetworkPerformance: spec.network,
      MaximumNetworkInterfaces: spec.enis,
      MaximumNetworkCards: 1,
      DefaultNetworkCardIndex: 0,
      NetworkCards: [{ NetworkCardIndex: 0, NetworkPerformance: spec.network, MaximumNetworkInterfaces: spec.enis }],
      Ipv4AddressesPerInterface: spec.ipv4PerEni,
      Ipv6AddressesPerInterface: spec.ipv4PerEni,
      Ipv6Supported: true,
      EnaSupport: 'required',
      EfaSupported: false,
      EncryptionInTransitSupported: false,
    },
    BurstablePerformanceSupported: Boolean(spec.burstable),
    HibernationSupported: true,
    DedicatedHostsSupported: !spec.burstable,
    AutoRecoverySupported: true,
    SupportedBootModes: ['legacy-bios', 'uefi'],
  }));
}

/** One seeded ECS-optimized AMI release. */
export interface EcsAmiRelease {
  readonly name: string;
  readonly agentVersion: string;
  readonly osFamily: 'amazon-linux-2023' | 'amazon-linux-2';
  readonly created: string;
  /** The newest release of its family is the `recommended` one. */
  readonly recommended: boolean;
}

/** Seeded ECS-optimized AMI releases (ids are derived per Region, as AMI ids differ by Region). */
export const ECS_AMI_RELEASES: readonly EcsAmiRelease[] = [
  { name: 'al2023-ami-ecs-hvm-2023.0.20240109-kernel-6.1-x86_64', agentVersion: '1.79.2', osFamily: 'amazon-linux-2023', created: '2024-01-10T00:00:00.000Z', recommended: false },
  { name: 'al2023-ami-ecs-hvm-2023.0.20240712-kernel-6.1-x86_64', agentVersion: '1.84.0', osFamily: 'amazon-linux-2023', created: '2024-07-13T00:00:00.000Z', recommended: false },
  { name: 'al2023-ami-ecs-hvm-2023.0.20250110-kernel-6.1-x86_64', agentVersion: '1.89.2', osFamily: 'amazon-linux-2023', created: '2025-01-11T00:00:00.000Z', recommended: true },
  { name: 'amzn2-ami-ecs-hvm-2.0.20240109-x86_64-ebs', agentVersion: '1.79.2', osFamily: 'amazon-linux-2', created: '2024-01-10T00:00:00.000Z', recommended: false },
  { name: 'amzn2-ami-ecs-hvm-2.0.20250110-x86_64-ebs', agentVersion: '1.89.2', osFamily: 'amazon-linux-2', created: '2025-01-11T00:00:00.000Z', recommended: true },
];

/** Amazon's owner id for public ECS-optimized AMIs. */
export const AMAZON_OWNER_ID = '591542846629';

function amiIdFor(region: string, name: string): string {
  // Stable per Region and name, so SSM's recommended parameter and EC2 agree across restarts.
  let h = 0x811c9dc5;
  for (const ch of `${region}/${name}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let h2 = h ^ 0x5bd1e995;
  h2 = Math.imul(h2, 0x01000193) >>> 0;
  return `ami-0${h.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

/** The seeded public ECS-optimized images of a Region. */
export function ecsImages(region: string): Image[] {
  return ECS_AMI_RELEASES.map((release) => ({
    ImageId: amiIdFor(region, release.name),
    Name: release.name,
    Description: `Amazon Linux AMI ${release.name} x86_64 ECS HVM EBS`,
    OwnerId: AMAZON_OWNER_ID,
    ImageOwnerAlias: 'amazon',
    Public: true,
    State: 'available',
    Architecture: 'x86_64',
    ImageType: 'machine',
    Platform: undefined,
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    RootDeviceName: '/dev/xvda',
    RootDeviceType: 'ebs',
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EnaSupport: true,
    SriovNetSupport: 'simple',
    CreationDate: release.created,
    ImageLocation: `amazon/${release.name}`,
    BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { DeleteOnTermination: true, VolumeSize: 30, VolumeType: 'gp3', Encrypted: false } }],
  }));
}

/** The `recommended` seeded image of an OS family in a Region. */
export function recommendedEcsImage(region: string, osFamily: EcsAmiRelease['osFamily']): { image: Image; release: EcsAmiRelease } {
  const release = ECS_AMI_RELEASES.find((r) => r.osFamily === osFamily && r.recommended)!;
  const image = ecsImages(region).find((i) => i.Name === release.name)!;
  return { image, release };
}
