/**
 * Resource policies of secrets: Put, Get, Delete and ValidateResourcePolicy. The stored policy is
 * enforced by the sandbox's authoriser (authz-data.ts, `resourcePolicyOf`), evaluated with the
 * caller's identity policies as AWS does within one account: its explicit Deny denies.
 *
 * Validation: the project's IAM parser with the resource-policy rules (a principal in every
 * statement); a policy it rejects is MalformedPolicyDocumentException. "Broad access" (what
 * BlockPublicPolicy refuses and ValidateResourcePolicy reports) is an Allow statement for every
 * principal (`"*"`, `{"AWS": "*"}` or NotPrincipal) that no condition on the caller's or source's
 * account, ARN, organisation, VPC or address narrows; AWS decides it with Zelkova, which also sees
 * through subtler policies.
 */
import type { SecretsManager } from '@aws-sdk/client-secrets-manager';
import type { ParsedPolicy } from '../../../../iam/index.js';
import { assertPolicyKind, parsePolicy } from '../../../../iam/index.js';
import type { HandlerMap } from '../../types.js';
import { SecretsErrors } from '../errors.js';
import { getSecret, liveSecret, secretsState } from '../state.js';

/** Condition keys that narrow "every principal" to known callers. */
const NARROWING_KEYS = new Set([
  'aws:principalaccount', 'aws:principalarn', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:userid', 'aws:sourceaccount', 'aws:sourcearn',
  'aws:sourceowner', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceip', 'aws:resourceaccount',
]);

/** The policy parsed as a resource policy, or MalformedPolicyDocumentException. */
function parseResourcePolicy(text: string | undefined): ParsedPolicy {
  try {
    const parsed = parsePolicy(text ?? '');
    assertPolicyKind(parsed, 'resource');
    return parsed;
  } catch {
    throw SecretsErrors.malformedPolicy();
  }
}

/** Whether the policy allows some action to every principal, unnarrowed by a condition. */
export function grantsBroadAccess(policy: ParsedPolicy): boolean {
  return policy.statements.some((s) => {
    if (s.effect !== 'Allow') return false;
    const everyone = s.principalElement === 'NotPrincipal' || s.principals?.wildcard === true;
    if (!everyone) return false;
    const narrowed = s.conditions.some((c) => NARROWING_KEYS.has(c.keyLower) && !/Not|Null/.test(c.operator) && c.values.some((v) => v !== '*'));
    return !narrowed;
  });
}

/** Resource-policy operations. */
export const policyHandlers: HandlerMap<SecretsManager> = {
  PutResourcePolicy(input, ctx) {
    const secret = liveSecret(ctx, secretsState(ctx), input.SecretId);
    const policy = parseResourcePolicy(input.ResourcePolicy);
    if (input.BlockPublicPolicy && grantsBroadAccess(policy)) throw SecretsErrors.publicPolicy();
    secret.resourcePolicy = input.ResourcePolicy;
    secret.lastChangedDate = ctx.now;
    return { ARN: secret.arn, Name: secret.name };
  },

  GetResourcePolicy(input, ctx) {
    const secret = getSecret(ctx, secretsState(ctx), input.SecretId);
    return { ARN: secret.arn, Name: secret.name, ResourcePolicy: secret.resourcePolicy };
  },

  DeleteResourcePolicy(input, ctx) {
    const secret = liveSecret(ctx, secretsState(ctx), input.SecretId);
    secret.resourcePolicy = undefined;
    secret.lastChangedDate = ctx.now;
    return { ARN: secret.arn, Name: secret.name };
  },

  ValidateResourcePolicy(input, ctx) {
    if (input.SecretId !== undefined) getSecret(ctx, secretsState(ctx), input.SecretId);
    const policy = parseResourcePolicy(input.ResourcePolicy);
    if (!grantsBroadAccess(policy)) return { PolicyValidationPassed: true, ValidationErrors: [] };
    // The check name AWS reports is not verified.
    return {
      PolicyValidationPassed: false,
      ValidationErrors: [{ CheckName: 'BLOCK_PUBLIC_POLICY', ErrorMessage: 'The resource policy grants broad access to the secret: an Allow statement names every principal.' }],
    };
  },
};
