/**
 * IAM enforcement. Every request signed with an assumed-role session key is authorised with the
 * project's evaluator against the role's current identity policies (inline and attached managed,
 * default versions), its permissions boundary and the session policies, with the request's real
 * context: the action, the resource ARN(s) the operation acts on, aws:ResourceTag/* from the
 * resource's current tags, aws:RequestTag/* and aws:TagKeys from the request, the create-action
 * key for tag-on-create, and the principal's keys. The per-service tables (`authz-<service>.ts`)
 * say what each operation acts on; an operation they do not list is authorised against `*`.
 * A resource's own policy (a role's trust policy for sts:AssumeRole, a secret's resource policy)
 * is evaluated with them, as AWS does within one account: an explicit Deny in either denies, an
 * Allow in either allows. Handlers authorise the items of a batch one by one with
 * `ctx.authorize` (BatchGetSecretValue: secretsmanager:GetSecretValue per secret).
 *
 * A long-term key (open mode, or an issued key) acts as its account's root: an administrator,
 * never evaluated; so does a GetSessionToken session made with it. Called by dispatch after the
 * input is decoded and before the handler runs.
 */
import type { ContextValue, EvaluationResult, PolicySource } from '../iam/index.js';
import { evaluate } from '../iam/index.js';
import type { AuthFamily } from './auth-errors.js';
import type { AwsError } from './errors.js';
import { AuthErrors, authFamily } from './auth-errors.js';
import { encodeDenial } from './authz-messages.js';
import { AUTOSCALING_RULES, CLOUDTRAIL_RULES, LOGS_RULES, S3_RULES, SECRETS_RULES, SSM_RULES } from './authz-data.js';
import { KMS_RULES } from './authz-kms.js';
import { EC2_RULES } from './authz-ec2.js';
import { ECS_RULES } from './authz-ecs.js';
import { IAM_RULES, STS_RULES } from './authz-iam.js';
import type { NamedPolicy } from './authz-policies.js';
import { rolePolicies, sessionPolicies } from './authz-policies.js';
import type { AuthzCheck, AuthzEnv, Input, ServiceRules } from './authz-table.js';
import { lookup } from './authz-table.js';
import type { Route } from './router.js';
import type { IamState, RoleRecord } from './services/iam/state.js';
import type { SessionRecord } from './services/sts/sessions.js';
import { findSession, isRoleSession } from './services/sts/sessions.js';
import type { FurtherAuthorization, RequestContext } from './services/types.js';
import type { SandboxLogger, SandboxStore } from './store.js';

/**
 * Authorises a decoded call; throws the protocol's access-denied error. Returns the caller's
 * authoriser for the handler's further checks (undefined for the account root: nothing to check).
 */
export type Authorizer = (input: Record<string, unknown>, ctx: RequestContext, route: Route) => FurtherAuthorization | undefined;

/** The tables, by service name. */
export const AUTHZ_RULES: Readonly<Record<string, ServiceRules>> = {
  ecs: ECS_RULES,
  ec2: EC2_RULES,
  iam: IAM_RULES,
  sts: STS_RULES,
  secretsmanager: SECRETS_RULES,
  ssm: SSM_RULES,
  logs: LOGS_RULES,
  cloudtrail: CLOUDTRAIL_RULES,
  autoscaling: AUTOSCALING_RULES,
  s3: S3_RULES,
  kms: KMS_RULES,
};

/** Read-only access to one account's state for the tables. */
export function authzEnv(store: SandboxStore, account: string, region: string): AuthzEnv {
  return {
    account,
    region,
    state<T>(service: string, global = false, owner = account): T | undefined {
      if (!store.hasAccount(owner)) return undefined;
      const state = store.account(owner);
      return (global ? state.global[service] : state.regional[region]?.[service]) as T | undefined;
    },
  };
}

function resourceTagContext(rules: ServiceRules | undefined, resource: string, env: AuthzEnv): Record<string, ContextValue> {
  const tags = resource === '*' ? undefined : rules?.resourceTags?.(resource, env);
  const out: Record<string, ContextValue> = {};
  for (const [key, value] of Object.entries(tags ?? {})) {
    out[`aws:ResourceTag/${key}`] = value;
    if (rules?.resourceTagAlias) out[`${rules.resourceTagAlias}/${key}`] = value;
  }
  return out;
}

/** Every authorisation AWS makes for one call, with the request's context. */
export function checksFor(rules: ServiceRules | undefined, prefix: string, operation: string, input: Input, env: AuthzEnv): AuthzCheck[] {
  const rule = rules?.operations[operation] ?? {};
  const action = rule.action ?? `${prefix}:${operation}`;
  const listed = rule.resources?.(input, env) ?? [];
  const resources = listed.length ? listed : ['*'];
  const context: Record<string, ContextValue> = { ...(rule.context?.(input, env) ?? {}) };
  const tags = rule.requestTags?.(input);
  const tagKeys = Object.keys(tags ?? {});
  for (const key of tagKeys) context[`aws:RequestTag/${key}`] = tags![key]!;
  if (tagKeys.length) context['aws:TagKeys'] = tagKeys;
  const removed = rule.removedTagKeys?.(input);
  if (removed?.length) context['aws:TagKeys'] = [...removed];
  const checks: AuthzCheck[] = resources.map((resource) => ({ action, resource, context: { ...context, ...resourceTagContext(rules, resource, env) } }));
  if (rule.creates && tagKeys.length && rules?.tagOnCreate) {
    // Tagging at creation is authorised as its own action too (ecs:TagResource with ecs:CreateAction).
    const tagAction = typeof rules.tagOnCreate === 'function' ? rules.tagOnCreate(operation) : rules.tagOnCreate;
    const created = rule.createdResources?.(input, env) ?? resources;
    for (const resource of created) {
      checks.push({ action: tagAction, resource, context: { ...context, ...(rules.createActionKey ? { [rules.createActionKey]: operation } : {}) } });
    }
  }
  for (const extra of rule.extra?.(input, env) ?? []) {
    checks.push({ ...extra, context: { ...extra.context, ...resourceTagContext(AUTHZ_RULES[extra.action.split(':')[0] ?? ''], extra.resource, env) } });
  }
  return checks;
}

/** The keys AWS sets for every request of an assumed-role session. */
function principalKeys(session: SessionRecord, role: RoleRecord | undefined, ctx: RequestContext, route: Route): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {
    'aws:PrincipalArn': session.roleArn,
    'aws:userid': `${session.roleId}:${session.sessionName}`,
    'aws:RequestedRegion': ctx.region,
    'aws:CurrentTime': ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(ctx.now.getTime() / 1000)),
    'aws:SecureTransport': 'false',
    'aws:TokenIssueTime': new Date(session.issued).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:MultiFactorAuthPresent': 'false',
    'aws:ViaAWSService': 'false',
  };
  const ip = route.request.remoteAddress?.replace(/^::ffff:/, '');
  if (ip) keys['aws:SourceIp'] = ip;
  if (session.sourceIdentity !== undefined) keys['aws:SourceIdentity'] = session.sourceIdentity;
  for (const tag of role?.tags ?? []) if (tag.Key) keys[`aws:PrincipalTag/${tag.Key}`] = tag.Value ?? '';
  for (const [key, value] of Object.entries(session.tags ?? {})) keys[`aws:PrincipalTag/${key}`] = value;
  return keys;
}

const DENY_WHERE: Record<string, string> = {
  identity: 'an identity-based policy',
  permissionsBoundary: 'a permissions boundary',
  session: 'a session policy',
  resource: 'a resource-based policy',
  trust: 'a resource-based policy',
};

/** "because no identity-based policy allows the ecs:UpdateService action", as AWS words it. */
export function denialReason(result: EvaluationResult | undefined, action: string, has: { boundary: boolean; session: boolean; resource: boolean }): string {
  const deny = result?.matched.find((m) => m.effect === 'Deny');
  if (deny) return `with an explicit deny in ${DENY_WHERE[deny.kind] ?? 'an identity-based policy'}`;
  const allows = (kind: string): boolean => result?.matched.some((m) => m.effect === 'Allow' && m.kind === kind) ?? false;
  const identity = allows('identity');
  if (identity && has.boundary && !allows('permissionsBoundary')) return `because no permissions boundary allows the ${action} action`;
  if (identity && has.session && !allows('session')) return `because no session policy allows the ${action} action`;
  if (identity && has.resource) return `because no resource-based policy allows the ${action} action`;
  return `because no identity-based policy allows the ${action} action`;
}

/** The whole denial sentence: "User: … is not authorized to perform: … on resource: … because …". */
export function denialMessage(principalArn: string, check: AuthzCheck, reason: string, family: AuthFamily): string {
  // EC2 leaves out "on resource: *" for actions without resource-level permissions.
  const on = family === 'ec2' && check.resource === '*' ? '' : ` on resource: ${check.resource}`;
  return `User: ${principalArn} is not authorized to perform: ${check.action}${on} ${reason}`;
}

/** Creates the authoriser of a sandbox. */
export function createAuthorizer(store: SandboxStore, logger: SandboxLogger): Authorizer {
  return (input, ctx, route) => {
    const session = findSession(store, ctx.principal.accessKeyId);
    // Long-term keys, and GetSessionToken sessions made with them, act as the account root.
    if (!session || !isRoleSession(session)) return undefined;
    const rules = AUTHZ_RULES[route.service.name];
    const open = rules?.operations[ctx.operation]?.open;
    if (open === true || (typeof open === 'function' && open(input))) return undefined;
    const env = authzEnv(store, ctx.account, ctx.region);
    const prefix = rules?.prefix ?? route.service.signingName;
    const checks = checksFor(rules, prefix, ctx.operation, input, env);
    const iam = env.state<IamState>('iam', true, session.account);
    // A role deleted (or deleted and re-created) since the session began grants nothing.
    const role = lookup(iam?.roles, session.roleName);
    const current = role && role.roleId === session.roleId ? role : undefined;
    const policies = current ? rolePolicies(iam, current) : undefined;
    const sessionSet = sessionPolicies(iam, session);
    const base = principalKeys(session, current, ctx, route);
    const operationPolicy: PolicySource | undefined = rules?.operations[ctx.operation]?.resourcePolicy?.(input, env);
    const family = authFamily(route.service);

    /** The denial of one check, or undefined when it is allowed. */
    const judge = (check: AuthzCheck, checkRules: ServiceRules | undefined, resourcePolicy: PolicySource | undefined): AwsError | undefined => {
      const checkPrefix = check.action.split(':')[0] ?? '';
      const withPolicy = checkPrefix === checkRules?.prefix ? (resourcePolicy ?? checkRules.resourcePolicyOf?.(check.resource, env)) : undefined;
      let result: EvaluationResult | undefined;
      if (policies) {
        try {
          result = evaluate({
            request: { principal: session.arn, action: check.action, resource: check.resource, context: { ...base, ...check.context } },
            identityPolicies: policies.identity,
            permissionsBoundary: policies.boundary,
            sessionPolicies: sessionSet as NamedPolicy[] | undefined,
            resourcePolicy: withPolicy,
          });
        } catch (err) {
          // Fail closed: a policy the evaluator cannot read grants nothing.
          logger.warn({ err: String(err), action: check.action, role: session.roleArn }, 'sandbox: could not evaluate a policy; denying');
        }
      }
      if (result?.decision === 'allowed') return undefined;
      const reason = denialReason(result, check.action, { boundary: policies?.boundary !== undefined, session: sessionSet !== undefined, resource: withPolicy !== undefined });
      let message = denialMessage(session.arn, check, reason, family);
      if (family === 'ec2') {
        const token = encodeDenial(store, {
          account: session.account,
          principalId: `${session.roleId}:${session.sessionName}`,
          principalArn: session.arn,
          action: check.action,
          resource: check.resource,
          context: { ...base, ...check.context },
          result,
        });
        message += `. Encoded authorization failure message: ${token}`;
      }
      return AuthErrors.accessDenied(family, message);
    };

    for (const check of checks) {
      // judge() applies the operation's resource policy to the service's own actions only.
      const denied = judge(check, rules, operationPolicy);
      if (denied) throw denied;
    }
    // The handler's further checks (one per item of a batch), with the resource's tags and policy.
    return (action, resource) => {
      const actionRules = AUTHZ_RULES[action.split(':')[0] ?? ''];
      return judge({ action, resource, context: resourceTagContext(actionRules, resource, env) }, actionRules, undefined);
    };
  };
}
