/**
 * Static EC2 data every account sees: Regions, Availability Zones, instance types (with the ENI
 * limits the network-isolation scenario teaches) and the seeded ECS-optimized AMIs (as EC2 images
 * of the catalogue in `../shared/amis.ts`, which SSM's public parameters share). Computed, never
 * persisted.
 */
import type { AvailabilityZone, Image, InstanceTypeInfo, Region } from '@aws-sdk/client-ec2';
import type { EcsAmiArch, EcsAmiFamily, EcsAmiRelease } from '../shared/amis.js';
import { AMAZON_OWNER_ID, ecsAmis, recommendedAmi } from '../shared/amis.js';

/** Region short code used in zone ids: us-east-1 -> use1, ap-southeast-2 -> apse2. */
function regionCode(region: string): string {
  const [geo = '', dir = '', num = ''] = region.split('-');
  const compass: Record<string, string> = {
    east: 'e', west: 'w', north: 'n', south: 's', central: 'c',
    northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
  };
  return `${geo}${compass[dir] ?? dir.slice(0, 1)}${num}`;
}

/** The Regions an account has without opting in, in the order DescribeRegions lists them. */
const DEFAULT_REGIONS = [
  'ap-south-1', 'eu-north-1', 'eu-west-3', 'eu-west-2', 'eu-west-1', 'ap-northeast-3', 'ap-northeast-2', 'ap-northeast-1',
  'ca-central-1', 'sa-east-1', 'ap-southeast-1', 'ap-southeast-2', 'eu-central-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
];

/**
 * The Regions DescribeRegions reports to a request made in `current`: the default ones, and
 * `current` itself when it is another (the sandbox serves any Region, as an opted-in one).
 */
export function regionsFor(current: string): Region[] {
  const names = DEFAULT_REGIONS.includes(current) ? DEFAULT_REGIONS : [...DEFAULT_REGIONS, current];
  return names.map((name) => ({
    RegionName: name,
    Endpoint: `ec2.${name}.amazonaws.com`,
    OptInStatus: DEFAULT_REGIONS.includes(name) ? 'opt-in-not-required' : 'opted-in',
  }));
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
    ProcessorInfo: { SupportedArchitectures: ['x86_64'], SustainedClockSpeedInGhz: 3.1, Manufacturer: 'Intel' },
    VCpuInfo: {
      DefaultVCpus: spec.vcpus,
      DefaultCores: spec.vcpus / 2,
      DefaultThreadsPerCore: 2,
      ValidCores: Array.from({ length: spec.vcpus / 2 }, (_, i) => i + 1),
      ValidThreadsPerCore: [1, 2],
    },
    MemoryInfo: { SizeInMiB: spec.memoryMiB },
    InstanceStorageSupported: false,
    // Nitro instances: EBS volumes are NVMe devices sharing the attachment limit with ENIs.
    EbsInfo: { EbsOptimizedSupport: 'default', EncryptionSupport: 'supported', NvmeSupport: 'required', MaximumEbsAttachments: 27, AttachmentLimitType: 'shared' },
    PlacementGroupInfo: { SupportedStrategies: ['cluster', 'partition', 'spread'] },
    // Nitro Enclaves need at least 4 vCPUs and are not offered on burstable types.
    NitroEnclavesSupport: !spec.burstable && spec.vcpus >= 4 ? 'supported' : 'unsupported',
    NitroTpmSupport: 'supported',
    NitroTpmInfo: { SupportedVersions: ['2.0'] },
    PhcSupport: 'unsupported',
    RebootMigrationSupport: 'supported',
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
      EnaSrdSupported: false,
      FlexibleEnaQueuesSupport: 'unsupported',
      SecondaryNetworkSupported: false,
      ConnectionTrackingConfiguration: { DefaultTcpEstablishedTimeout: 432000, DefaultUdpTimeout: 30, DefaultUdpStreamTimeout: 180 },
    },
    BurstablePerformanceSupported: Boolean(spec.burstable),
    HibernationSupported: true,
    DedicatedHostsSupported: !spec.burstable,
    AutoRecoverySupported: true,
    SupportedBootModes: ['legacy-bios', 'uefi'],
  }));
}

export type { EcsAmiRelease } from '../shared/amis.js';
export { AMAZON_OWNER_ID, ECS_AMI_RELEASES } from '../shared/amis.js';

/** The seeded public ECS-optimized images of a Region. */
export function ecsImages(region: string): Image[] {
  return ecsAmis(region).map((release) => ({
    ImageId: release.imageId,
    Name: release.name,
    Description: `Amazon Linux AMI ${release.name} ${release.arch} ECS HVM EBS`,
    OwnerId: AMAZON_OWNER_ID,
    ImageOwnerAlias: 'amazon',
    Public: true,
    State: 'available',
    Architecture: release.arch,
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
export function recommendedEcsImage(region: string, osFamily: EcsAmiFamily, arch: EcsAmiArch = 'x86_64'): { image: Image; release: EcsAmiRelease } {
  const release = recommendedAmi(region, osFamily, arch);
  const image = ecsImages(region).find((i) => i.ImageId === release.imageId)!;
  return { image, release };
}

/**
 * The AWS services the sandbox offers VPC endpoints for (those a task in a private subnet reaches:
 * secrets, parameters, images, logs, the ECS agent), with the endpoint types each supports and the
 * private DNS name an interface endpoint takes over (`%r` is the Region).
 */
const ENDPOINT_SERVICES: readonly { service: string; types: readonly ('Interface' | 'Gateway')[]; privateDns?: string }[] = [
  { service: 'secretsmanager', types: ['Interface'] },
  { service: 'ssm', types: ['Interface'] },
  { service: 'ssmmessages', types: ['Interface'] },
  { service: 'ec2messages', types: ['Interface'] },
  { service: 'kms', types: ['Interface'] },
  { service: 'ecr.api', types: ['Interface'], privateDns: 'api.ecr.%r.amazonaws.com' },
  { service: 'ecr.dkr', types: ['Interface'], privateDns: '*.dkr.ecr.%r.amazonaws.com' },
  { service: 'logs', types: ['Interface'] },
  { service: 'ecs', types: ['Interface'] },
  { service: 'ecs-agent', types: ['Interface'] },
  { service: 'ecs-telemetry', types: ['Interface'] },
  { service: 'sts', types: ['Interface'] },
  { service: 'ec2', types: ['Interface'] },
  { service: 'monitoring', types: ['Interface'] },
  { service: 'cloudtrail', types: ['Interface'] },
  { service: 'autoscaling', types: ['Interface'] },
  { service: 's3', types: ['Gateway', 'Interface'] },
  { service: 'dynamodb', types: ['Gateway', 'Interface'] },
];

/** One VPC endpoint service of a Region. */
export interface EndpointService {
  name: string;
  types: readonly ('Interface' | 'Gateway')[];
  /** The service's regional DNS name, which private DNS resolves to an interface endpoint. */
  privateDnsName: string;
  /** The zone-independent part of an interface endpoint's own DNS names. */
  baseDnsName: string;
}

/** The VPC endpoint services of a Region, by service name (`com.amazonaws.<region>.<service>`). */
export function endpointServices(region: string): EndpointService[] {
  return ENDPOINT_SERVICES.map((s) => ({
    name: `com.amazonaws.${region}.${s.service}`,
    types: s.types,
    privateDnsName: (s.privateDns ?? `${s.service}.%r.amazonaws.com`).replace('%r', region),
    baseDnsName: `${s.service}.${region}.vpce.amazonaws.com`,
  }));
}
