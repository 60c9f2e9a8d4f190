/**
 * One AWS session for one target and one run: lazily built SDK v3 clients (the EC2 client alone
 * takes most of a second to import, so nothing is loaded before it is used), a shared credential
 * source, adaptive retry, and a middleware that counts API calls and turns every failure into an
 * {@link AwsCallError} naming the action, the principal and the code.
 */
import net from 'node:net';
import type { AutoScaling } from '@aws-sdk/client-auto-scaling';
import type { CloudTrail } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchLogs } from '@aws-sdk/client-cloudwatch-logs';
import type { EC2 } from '@aws-sdk/client-ec2';
import type { ECS } from '@aws-sdk/client-ecs';
import type { IAM } from '@aws-sdk/client-iam';
import type { KMS } from '@aws-sdk/client-kms';
import type { S3 } from '@aws-sdk/client-s3';
import type { SecretsManager } from '@aws-sdk/client-secrets-manager';
import type { SSM } from '@aws-sdk/client-ssm';
import type { STS } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { AwsCallError, TargetError, toAwsCallError } from './errors.js';
import type { TargetKind, TargetSpec } from './target.js';

// The SDK versions are pinned (package.json); the Node 22 notice is about future releases.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The services the lab uses, by the short name used in scenarios.yaml and IAM action prefixes. */
export const SERVICES = ['ecs', 'ec2', 'iam', 'sts', 'secretsmanager', 'ssm', 'cloudtrail', 'autoscaling', 'logs', 's3', 'kms'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Aggregated SDK v3 clients (methods such as `ecs.describeServices(input)`), by service. */
export interface ServiceClients {
  ecs: ECS;
  ec2: EC2;
  iam: IAM;
  sts: STS;
  secretsmanager: SecretsManager;
  ssm: SSM;
  cloudtrail: CloudTrail;
  autoscaling: AutoScaling;
  logs: CloudWatchLogs;
  s3: S3;
  kms: KMS;
}

/** Loads a service's SDK module and returns its aggregated client class. */
const loaders: { [K in ServiceName]: () => Promise<new (config: object) => ServiceClients[K]> } = {
  ecs: async () => (await import('@aws-sdk/client-ecs')).ECS,
  ec2: async () => (await import('@aws-sdk/client-ec2')).EC2,
  iam: async () => (await import('@aws-sdk/client-iam')).IAM,
  sts: async () => (await import('@aws-sdk/client-sts')).STS,
  secretsmanager: async () => (await import('@aws-sdk/client-secrets-manager')).SecretsManager,
  ssm: async () => (await import('@aws-sdk/client-ssm')).SSM,
  cloudtrail: async () => (await import('@aws-sdk/client-cloudtrail')).CloudTrail,
  autoscaling: async () => (await import('@aws-sdk/client-auto-scaling')).AutoScaling,
  logs: async () => (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogs,
  s3: async () => (await import('@aws-sdk/client-s3')).S3,
  kms: async () => (await import('@aws-sdk/client-kms')).KMS,
};

/** What a report says about the target (CONTRACT §4 `target`). */
export interface TargetInfo {
  kind: TargetKind;
  endpoint?: string;
  account?: string;
  region: string;
}

export interface Identity {
  account: string;
  arn: string;
}

export interface SessionOptions {
  /** Endpoint for `local` (the sandbox address) and `endpoint` targets. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Total attempts per call, retries included (default 4, env ECS_LAB_MAX_ATTEMPTS). */
  maxAttempts?: number;
  env?: Record<string, string | undefined>;
  /** Observes every logical call (benchmarks replay them; tests assert on them). */
  onCall?: (service: ServiceName, operation: string, input: unknown) => void;
}

/** Credentials the local sandbox and emulators accept when none are configured. */
export const EMULATOR_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Per-run counters; `apiCalls` is the number of logical API calls (retries not counted). */
export interface CallStats {
  apiCalls: number;
  byAction: Record<string, number>;
}

export class AwsSession {
  readonly stats: CallStats = { apiCalls: 0, byAction: {} };
  private readonly clients = new Map<ServiceName, Promise<unknown>>();
  private identityPromise?: Promise<Identity>;
  private knownPrincipal?: string;
  private readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly endpoint?: string;

  constructor(
    readonly spec: TargetSpec,
    private readonly options: SessionOptions = {},
  ) {
    this.endpoint = options.endpoint ?? spec.endpoint;
    this.credentials = options.credentials ?? EMULATOR_CREDENTIALS;
  }

  get region(): string {
    return this.spec.region;
  }

  /** Resets the per-run counters (one check run = one count). */
  resetStats(): void {
    this.stats.apiCalls = 0;
    this.stats.byAction = {};
  }

  /** The aggregated SDK client for a service, built on first use. */
  client<K extends ServiceName>(service: K): Promise<ServiceClients[K]> {
    let p = this.clients.get(service) as Promise<ServiceClients[K]> | undefined;
    if (!p) {
      p = this.build(service);
      this.clients.set(service, p);
    }
    return p;
  }

  ecs = () => this.client('ecs');
  ec2 = () => this.client('ec2');
  iam = () => this.client('iam');
  sts = () => this.client('sts');
  secretsManager = () => this.client('secretsmanager');
  ssm = () => this.client('ssm');
  cloudTrail = () => this.client('cloudtrail');
  autoScaling = () => this.client('autoscaling');
  logs = () => this.client('logs');
  s3 = () => this.client('s3');
  kms = () => this.client('kms');

  private async build<K extends ServiceName>(service: K): Promise<ServiceClients[K]> {
    const Ctor = await loaders[service]();
    const env = this.options.env ?? process.env;
    const maxAttempts = this.options.maxAttempts ?? (Number(env.ECS_LAB_MAX_ATTEMPTS) || 4);
    const config: Record<string, unknown> = {
      region: this.spec.region,
      credentials: this.credentials,
      maxAttempts,
      retryMode: 'adaptive',
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    };
    if (this.endpoint) config.endpoint = this.endpoint;
    if (service === 's3') config.forcePathStyle = Boolean(this.endpoint);
    const client = new Ctor(config) as ServiceClients[K] & {
      middlewareStack: { add: (mw: unknown, opts: { step: string; name: string; priority?: string }) => void };
    };
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const action = `${service}:${operation}`;
        this.options.onCall?.(service, operation, (args as { input?: unknown }).input);
        this.stats.apiCalls += 1;
        this.stats.byAction[action] = (this.stats.byAction[action] ?? 0) + 1;
        try {
          return await next(args);
        } catch (err) {
          throw toAwsCallError(err, action, this.knownPrincipal, this.endpointLabel());
        }
      },
      { step: 'initialize', name: 'ecsLabCallCounter', priority: 'high' },
    );
    return client;
  }

  private endpointLabel(): string {
    return this.endpoint ?? `AWS (${this.spec.region})`;
  }

  /**
   * A session for the same target with other credentials (an assumed role), counting its calls
   * into this session's statistics.
   */
  async withCredentials(credentials: AwsCredentialIdentity): Promise<AwsSession> {
    const other = new AwsSession(this.spec, { ...this.options, endpoint: this.endpoint, credentials });
    (other as { stats: CallStats }).stats = this.stats;
    return other;
  }

  /** The caller's account and ARN (sts:GetCallerIdentity), fetched once per session. */
  identity(): Promise<Identity> {
    if (!this.identityPromise) {
      this.identityPromise = (async () => {
        const sts = await this.sts();
        const out = await sts.getCallerIdentity({});
        const id = { account: out.Account ?? '000000000000', arn: out.Arn ?? 'unknown' };
        this.knownPrincipal = id.arn;
        return id;
      })();
      this.identityPromise.catch(() => {
        this.identityPromise = undefined;
      });
    }
    return this.identityPromise;
  }

  /** Target description for reports; the account is filled once known. */
  async info(): Promise<TargetInfo> {
    const account = await this.identity().then(
      (i) => i.account,
      () => undefined,
    );
    return { kind: this.spec.kind, endpoint: this.endpoint, account, region: this.spec.region };
  }

  /**
   * Fails fast, with the URL, when an endpoint does not accept connections; on the `aws` target,
   * refuses accounts that are not allow-listed (CONTRACT §2). Call before any other request.
   */
  async verify(): Promise<Identity> {
    if (this.endpoint) await probeTcp(this.endpoint);
    let id: Identity;
    try {
      id = await this.identity();
    } catch (err) {
      if (err instanceof AwsCallError && err.kind === 'network') {
        throw new TargetError('ENDPOINT_UNREACHABLE', `Cannot reach ${this.endpointLabel()}: ${err.code}.`);
      }
      throw err;
    }
    if (this.spec.kind === 'aws' && !this.spec.allowedAccounts.includes(id.account)) {
      throw new TargetError(
        'TARGET_REFUSED',
        `Refusing to use AWS account ${id.account} (${id.arn}): it is not allow-listed; add it to ECS_LAB_ALLOWED_ACCOUNTS or pass --allow-account ${id.account} if it is a sandbox account.`,
      );
    }
    return id;
  }
}


/** Resolves when a TCP connection to the URL's host and port succeeds; rejects with the URL. */
export function probeTcp(url: string, timeoutMs = 2_000): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: u.hostname, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new TargetError('ENDPOINT_UNREACHABLE', `Cannot reach ${url} (${why}). Is the endpoint running?`));
    };
    socket.setTimeout(timeoutMs, () => fail('timed out'));
    socket.once('error', (e: NodeJS.ErrnoException) => fail(e.code === 'ECONNREFUSED' ? 'connection refused' : (e.code ?? e.message)));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}
