/**
 * What a sandbox service is: its wire identity, its protocol, and one handler per operation typed
 * with the SDK's Input/Output types (derived from the SDK's aggregated client class, so there are
 * no hand-written duplicates).
 */
import type { AwsError } from '../errors.js';
import type { Protocol } from '../protocols/types.js';

/** Who made the request. */
export interface Principal {
  /** e.g. `arn:aws:iam::000000000000:root` or `arn:aws:sts::…:assumed-role/R/S`. */
  readonly arn: string;
  readonly userId: string;
  readonly accessKeyId: string;
}

/** Per-request context handed to handlers. */
export interface RequestContext {
  readonly account: string;
  readonly region: string;
  readonly requestId: string;
  readonly now: Date;
  readonly principal: Principal;
  readonly service: string;
  readonly operation: string;
  /**
   * The operation only reads (Describe, List, Get, ...): state is handed out as it is, untracked,
   * and the request writes nothing.
   */
  readonly readOnly: boolean;
  /**
   * A service's state in this account and region (`scope: 'global'`: account-wide, for IAM),
   * created with `init` on first use. Services reach other services' state through this too
   * (ECS reads EC2's VPCs).
   */
  state<T>(service: string, init: () => T, scope?: 'regional' | 'global'): T;
  /** The same for another account (cross-account AssumeRole); that account is persisted too. */
  stateOf<T>(account: string, service: string, init: () => T, scope?: 'regional' | 'global'): T;
  /**
   * A regional service's state in every Region of the account that holds it, read only (IAM
   * looks for resources that still use a service-linked role).
   */
  everyRegion<T>(service: string): readonly { region: string; state: T }[];
  /**
   * The account's append-only log `name` (CloudTrail's event history), oldest record first; for a
   * log kept in summary, the summaries (SandboxStore.summariseLog).
   */
  log<T>(name: string): readonly T[];
  /** Whole records of the account's log `name`, by their index in what {@link log} returns. */
  logRecords<T>(name: string, indexes: readonly number[]): T[];
  /**
   * Authorises one more action on one resource for the caller, as AWS does per item of a batch
   * (BatchGetSecretValue: secretsmanager:GetSecretValue per secret): undefined when allowed (always
   * for the account root), else the access-denied error. Never throws. Optional for contexts
   * built outside dispatch (tests), which authorise nothing.
   */
  authorize?(action: string, resource: string): AwsError | undefined;
}

/** What an authoriser hands back for the handler's further checks (RequestContext.authorize). */
export type FurtherAuthorization = (action: string, resource: string) => AwsError | undefined;

type MaybePromise<T> = T | Promise<T>;

/** A handler: one operation, plain objects in and out. */
export type Handler<I, O> = (input: I, ctx: RequestContext) => MaybePromise<Omit<O, '$metadata'>>;

// The last overload of each aggregated-client method is `(args, options, cb(err, data)) => void`;
// conditional types infer from the last overload, which names both Input and Output.
type SdkMethod = (args: never, options: never, cb: (err: never, data?: never) => void) => void;

/** `{ DescribeServices: { input: DescribeServicesCommandInput; output: …Output } … }` for a client class. */
export type OperationsOf<C> = {
  [K in keyof C & string as C[K] extends SdkMethod ? Capitalize<K> : never]: C[K] extends (
    args: infer I,
    options: infer _O,
    cb: (err: infer _E, data?: infer O) => void,
  ) => void
    ? { input: I; output: O }
    : never;
};

/** A service's handlers keyed by operation name, each typed from the SDK client class `C`. */
export type HandlerMap<C> = {
  [K in keyof OperationsOf<C>]?: OperationsOf<C>[K] extends { input: infer I; output: infer O } ? Handler<I, O> : never;
};

/** Handlers with the types erased, as the router calls them. */
export type AnyHandler = (input: never, ctx: RequestContext) => MaybePromise<unknown>;

/** One emulated service. */
export interface ServiceModule {
  /** Short name used for state keys and logs, e.g. `ecs`. */
  readonly name: string;
  /** SigV4 signing name from the credential scope. */
  readonly signingName: string;
  /** CloudTrail `eventSource`, e.g. `ecs.amazonaws.com`. */
  readonly eventSource: string;
  readonly protocol: Protocol;
  /** awsJson: the `X-Amz-Target` prefixes (text before the last `.`). */
  readonly targetPrefixes?: readonly string[];
  /** Query protocols: the `Version` form field. */
  readonly apiVersion?: string;
  /** IAM (and STS): state is per account, not per region. */
  readonly global?: boolean;
  /**
   * Reads (CloudTrail ReadOnly) whose state changes are persisted all the same: they get tracking
   * views, as changing calls do (CloudWatch Logs reads that first deliver VPC flow log records).
   */
  readonly persistedReads?: ReadonlySet<string>;
  /** The SDK client package's exports, where the operation schemas live. */
  readonly sdk: object;
  readonly handlers: Readonly<Record<string, AnyHandler>>;
}

/** Erases handler types for the registry (the map was type-checked where it was written). */
export function eraseHandlers<C>(handlers: HandlerMap<C>): Record<string, AnyHandler> {
  return handlers as unknown as Record<string, AnyHandler>;
}
