/**
 * Runs one routed request: finds the operation schema and handler, decodes the input, calls the
 * handler with a request context, persists the account when it may have changed, and encodes the
 * output or the error in the service's protocol.
 */
import { accountForAccessKey, rootPrincipal } from './auth.js';
import { ChangeTracker } from './changes.js';
import { AwsError, CommonErrors, isAwsError, toAwsError } from './errors.js';
import type { OperationShape } from './protocols/schema.js';
import { findOperation } from './protocols/schema.js';
import { ensureSdk } from './services/lazy-sdk.js';
import type { WireResponse } from './protocols/types.js';
import type { Route } from './router.js';
import type { FurtherAuthorization, Principal, RequestContext } from './services/types.js';
import type { SandboxLogger, SandboxStore } from './store.js';

/** What an API call looked like, for the CloudTrail recorder. */
export interface ApiCallRecord {
  readonly requestId: string;
  readonly time: Date;
  readonly account: string;
  readonly region: string;
  readonly service: string;
  readonly eventSource: string;
  readonly operation: string;
  readonly readOnly: boolean;
  readonly principal: Principal;
  readonly input: Record<string, unknown> | undefined;
  /** The handler's output (undefined when the call failed). */
  readonly output: unknown;
  /** The operation's schemas, so the recorder can redact members the model marks sensitive. */
  readonly shape: OperationShape | undefined;
  /** IAM and STS: a global service (CloudTrail records it in us-east-1). */
  readonly global: boolean;
  readonly userAgent: string | undefined;
  readonly sourceIpAddress: string | undefined;
  readonly errorCode: string | undefined;
  readonly errorMessage: string | undefined;
}

/** What dispatch needs from the server. */
export interface DispatchDeps {
  readonly store: SandboxStore;
  readonly logger: SandboxLogger;
  /** Maps an access key to its principal; undefined = the open-mode default. */
  readonly resolvePrincipal?: (accessKeyId: string, account: string) => Principal | undefined;
  /** Verifies the caller (SigV4, session keys) and returns it; rejects with an AwsError. Replaces resolvePrincipal. */
  readonly authenticate?: (route: Route, now: Date) => Principal | Promise<Principal>;
  /**
   * Authorises a decoded call before its handler runs (IAM enforcement, `authz.ts`); throws an
   * AwsError to deny. May return the caller's authoriser for the handler's further checks.
   */
  readonly authorize?: (input: Record<string, unknown>, ctx: RequestContext, route: Route) => FurtherAuthorization | void;
  /** Called after every routed call (success or AWS error). */
  readonly onApiCall?: (call: ApiCallRecord, ctx: RequestContext) => void;
}

const READ_ONLY = /^(Describe|List|Get|Lookup|Head|Simulate|BatchGet|Search|Validate|Filter)/;
/** Named like reads, but they issue something: GetSessionToken stores a session (and CloudTrail records its responseElements). */
const ISSUING = new Set(['GetSessionToken']);

/** Whether an operation only reads state (CloudTrail's ReadOnly, and no snapshot needed). */
export function isReadOnly(operation: string): boolean {
  return READ_ONLY.test(operation) && !ISSUING.has(operation);
}

/**
 * Dispatches a routed request to its handler.
 * @param afterSend when given, receives the work that can wait until the response is written
 * (reporting the call to `onApiCall`); the caller runs it in the same turn, right after the
 * write, so that no other request runs in between. Without it, that work runs here.
 */
export async function dispatch(route: Route, deps: DispatchDeps, requestId: string, afterSend?: (work: () => void) => void): Promise<WireResponse> {
  const { service, operation } = route;
  const protocol = service.protocol;
  const accessKeyId = route.scope?.accessKeyId ?? 'anonymous';
  const defaultAccount = accountForAccessKey(route.scope?.accessKeyId);
  const now = new Date();
  let principal: Principal;
  if (deps.authenticate) {
    try {
      const verified = deps.authenticate(route, now);
      principal = verified instanceof Promise ? await verified : verified;
    } catch (cause) {
      // An unauthenticated request reaches no handler and, as in AWS, leaves no CloudTrail event.
      return protocol.encodeError(toAwsError(cause), requestId);
    }
  } else {
    principal = deps.resolvePrincipal?.(accessKeyId, defaultAccount) ?? rootPrincipal(defaultAccount, accessKeyId);
  }
  const account = principal.arn.split(':')[4] ?? defaultAccount;
  const readOnly = isReadOnly(operation);
  // A tracked read sees tracking views: for the handlers (ctx.readOnly) it is a changing call.
  const tracked = !readOnly || service.persistedReads?.has(operation) === true;
  // Mutating calls see state through tracking views, so that only what they touched is written.
  const changes = new ChangeTracker();
  // Set once the call is authorised; until then (and for the account root) nothing is denied.
  let further: FurtherAuthorization | undefined;

  const ctx: RequestContext = {
    account,
    region: route.region,
    requestId,
    now,
    principal,
    service: service.name,
    operation,
    readOnly: !tracked,
    state<T>(name: string, init: () => T, scope: 'regional' | 'global' = 'regional'): T {
      return this.stateOf(account, name, init, scope);
    },
    stateOf<T>(owner: string, name: string, init: () => T, scope: 'regional' | 'global' = 'regional'): T {
      const region = scope === 'global' ? undefined : route.region;
      const { state, created } = deps.store.serviceState(owner, region, name, init);
      return changes.view(owner, region ?? null, name, state as T & object, created, tracked);
    },
    everyRegion<T>(name: string): readonly { region: string; state: T }[] {
      return deps.store.everyRegion<T>(account, name);
    },
    log<T>(name: string): readonly T[] {
      return deps.store.log<T>(account, name);
    },
    logRecords<T>(name: string, indexes: readonly number[]): T[] {
      return deps.store.logRecords<T>(account, name, indexes);
    },
    authorize(action: string, resource: string): AwsError | undefined {
      return further?.(action, resource);
    },
  };

  let input: Record<string, unknown> | undefined;
  let output: unknown;
  let error: AwsError | undefined;
  let response: WireResponse;
  const loading = ensureSdk(service.sdk);
  if (loading) await loading;
  const op = findOperation(service.sdk, operation);
  try {
    if (!op) {
      throw protocol.kind === 'json' ? CommonErrors.unknownOperation(operation) : CommonErrors.invalidAction(operation);
    }
    const handler = service.handlers[operation];
    if (!handler) throw CommonErrors.notImplemented(service.name, operation);
    input = protocol.decodeInput(op, route.request);
    further = deps.authorize?.(input, ctx, route) ?? undefined;
    // A synchronous handler's output is encoded in the same turn: no other request runs between,
    // so the output may share records with state (services/clone.ts, outputOf).
    const result = handler(input as never, ctx);
    output = result instanceof Promise ? await result : result;
    response = protocol.encodeOutput(op, output, requestId);
  } catch (cause) {
    error = toAwsError(cause);
    if (!isAwsError(cause)) {
      deps.logger.error({ err: cause instanceof Error ? cause.stack : String(cause), service: service.name, operation, requestId }, 'sandbox: handler failed');
    }
    response = protocol.encodeError(error, requestId);
  }

  // A mutating handler that failed half-way still changed memory: keep disk equal to memory.
  if (!changes.empty) {
    try {
      for (const [owner, records] of changes.records()) deps.store.record(owner, records);
    } catch (cause) {
      deps.logger.error({ err: String(cause), account }, 'sandbox: could not persist account state');
      response = protocol.encodeError(new AwsError('ServiceUnavailable', 'The sandbox could not persist its state.', 503), requestId);
    }
  }

  const onApiCall = deps.onApiCall;
  if (onApiCall && (input !== undefined || error)) {
    const call: ApiCallRecord = {
      requestId,
      time: ctx.now,
      account,
      region: route.region,
      service: service.name,
      eventSource: service.eventSource,
      operation,
      readOnly,
      principal,
      input,
      output: error ? undefined : output,
      shape: op,
      global: service.global === true,
      userAgent: [route.request.headers['user-agent']].flat()[0],
      sourceIpAddress: route.request.remoteAddress,
      errorCode: error?.code,
      errorMessage: error?.message,
    };
    if (afterSend) afterSend(() => onApiCall(call, ctx));
    else onApiCall(call, ctx);
  }
  return response;
}
