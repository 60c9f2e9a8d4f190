/**
 * Which service and operation a request is for. The Host is just 127.0.0.1:PORT, so:
 * 1. the SigV4 credential scope names the service (and region, and access key);
 * 2. awsJson: `X-Amz-Target` = `<prefix>.<Operation>`; the operation is the last `.` segment
 *    (CloudTrail's CLI spelling has dots in its prefix);
 * 3. query protocols: `Action` (and `Version`, which tells IAM/STS/ASG/EC2 apart when unsigned);
 * 4. S3 (restXml): signed with `s3` (or unsigned when nothing else matched): the protocol picks
 *    the operation from method, path and query (`protocols/rest-xml.ts`).
 */
import type { AwsError } from './errors.js';
import { CommonErrors } from './errors.js';
import type { CredentialScope } from './auth.js';
import { parseCredentialScope } from './auth.js';
import { isRestProtocol } from './protocols/rest-xml.js';
import type { Protocol, WireRequest } from './protocols/types.js';
import { ensureSdk } from './services/lazy-sdk.js';
import type { ServiceModule } from './services/types.js';

/** A routed request. */
export interface Route {
  readonly service: ServiceModule;
  readonly operation: string;
  readonly region: string;
  readonly scope: CredentialScope | undefined;
  /** The request with `form` filled in for query protocols. */
  readonly request: WireRequest;
}

/** A request that could not be routed, with the protocol to report it in. */
export interface RouteFailure {
  readonly error: AwsError;
  readonly protocol: Protocol | undefined;
}

const DEFAULT_REGION = 'us-east-1';

function header(req: WireRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The routing table built from the service list. */
export class Router {
  private readonly bySigningName = new Map<string, ServiceModule>();
  private readonly byTargetPrefix = new Map<string, ServiceModule>();
  private readonly byVersion = new Map<string, ServiceModule>();

  constructor(readonly services: readonly ServiceModule[]) {
    for (const service of services) {
      this.bySigningName.set(service.signingName, service);
      for (const prefix of service.targetPrefixes ?? []) this.byTargetPrefix.set(prefix, service);
      if (service.apiVersion) this.byVersion.set(service.apiVersion, service);
    }
  }

  /** Routes one request: at once, except S3's, which may first load its SDK model (a promise then). */
  route(req: WireRequest): Route | RouteFailure | Promise<Route | RouteFailure> {
    const scope = parseCredentialScope(req.headers, req.query);
    const region = scope?.region ?? DEFAULT_REGION;
    const signed = scope ? this.bySigningName.get(scope.service) : undefined;
    const contentType = (header(req, 'content-type') ?? '').toLowerCase();
    const target = header(req, 'x-amz-target');

    // S3 (restXml) picks its operation from method, path and query, whatever the content type.
    if (signed?.protocol.kind === 'rest-xml') return this.routeRest(signed, req, region, scope);

    if (target !== undefined || contentType.startsWith('application/x-amz-json')) {
      const dot = (target ?? '').lastIndexOf('.');
      const prefix = dot >= 0 ? target!.slice(0, dot) : '';
      const operation = dot >= 0 ? target!.slice(dot + 1) : (target ?? '');
      // CloudTrail's CLI spelling is `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`.
      const byPrefix = this.byTargetPrefix.get(prefix) ?? this.byTargetPrefix.get(prefix.split('.').pop() ?? '');
      const service = signed ?? byPrefix;
      if (!service) {
        return { error: CommonErrors.unknownOperation(target ?? '(missing X-Amz-Target)'), protocol: this.anyJson() };
      }
      if (service.protocol.kind !== 'json' || !operation) {
        return { error: CommonErrors.unknownOperation(target ?? '(missing X-Amz-Target)'), protocol: service.protocol.kind === 'json' ? service.protocol : this.anyJson() };
      }
      return { service, operation, region, scope, request: req };
    }

    const isForm = contentType.startsWith('application/x-www-form-urlencoded');
    const form = isForm ? new URLSearchParams(req.body.toString('utf8')) : req.query.has('Action') ? req.query : undefined;
    if (form && (!signed || signed.protocol.kind === 'query' || signed.protocol.kind === 'ec2')) {
      const action = form.get('Action');
      const version = form.get('Version');
      const service = signed ?? (version ? this.byVersion.get(version) : undefined);
      if (!service) {
        return { error: action ? CommonErrors.invalidAction(action) : CommonErrors.missingAction(), protocol: this.anyQuery() };
      }
      if (!action) return { error: CommonErrors.missingAction(), protocol: service.protocol };
      return { service, operation: action, region, scope, request: { ...req, form } };
    }

    // Unsigned, and nothing above matched: an anonymous S3 request, routed by method + path.
    const rest = scope ? undefined : this.services.find((s) => s.protocol.kind === 'rest-xml');
    if (rest) return this.routeRest(rest, req, region, scope);
    if (signed) {
      const error = signed.protocol.kind === 'json' ? CommonErrors.unknownOperation('(missing X-Amz-Target)') : CommonErrors.missingAction();
      return { error, protocol: signed.protocol };
    }
    return { error: CommonErrors.missingAuthentication(), protocol: undefined };
  }

  private async routeRest(service: ServiceModule, req: WireRequest, region: string, scope: CredentialScope | undefined): Promise<Route | RouteFailure> {
    if (!isRestProtocol(service.protocol)) return { error: CommonErrors.missingAuthentication(), protocol: service.protocol };
    // The operation comes from the model's HTTP bindings: the package must be loaded first.
    await ensureSdk(service.sdk);
    const operation = service.protocol.resolveOperation(req, (op) => op in service.handlers);
    if (typeof operation !== 'string') return { error: operation, protocol: service.protocol };
    return { service, operation, region, scope, request: req };
  }

  private anyJson(): Protocol | undefined {
    return this.services.find((s) => s.protocol.kind === 'json')?.protocol;
  }

  private anyQuery(): Protocol | undefined {
    return this.services.find((s) => s.protocol.kind === 'query')?.protocol;
  }
}

/** Whether a route failed. */
export function isRouteFailure(value: Route | RouteFailure): value is RouteFailure {
  return 'error' in value;
}
