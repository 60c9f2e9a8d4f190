/**
 * EC2's encoded authorization failure messages. An EC2 denial ends with "Encoded authorization
 * failure message: <token>", and `aws sts decode-authorization-message` (which needs
 * sts:DecodeAuthorizationMessage) turns the token into the decision's details: whether a deny
 * statement matched, the statements that did, the principal, the action, the resource and the
 * values of the condition keys the request carried. AWS encrypts those details into the token;
 * the sandbox keeps them in the denied account's log `authorization-messages` (its newest
 * {@link AUTHZ_MESSAGE_CAP}) and hands out an opaque token, so decoding works only in that
 * account, as in AWS.
 */
import { randomBytes } from 'node:crypto';
import type { ContextValue, EvaluationResult } from '../iam/index.js';
import type { SandboxStore } from './store.js';

/** The log holding decoded messages. */
export const AUTHZ_MESSAGE_LOG = 'authorization-messages';
/** Messages kept per account. */
export const AUTHZ_MESSAGE_CAP = 1_000;

/** One stored message. */
export interface StoredAuthzMessage {
  readonly token: string;
  /** The DecodedMessage text (JSON). */
  readonly decoded: string;
}

/** What a denial was about. */
export interface DenialDetails {
  readonly account: string;
  readonly principalId: string;
  readonly principalArn: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, ContextValue>>;
  /** The evaluation, when the policies could be read (undefined: nothing was evaluated). */
  readonly result: EvaluationResult | undefined;
}

const items = <T>(list: readonly T[]) => ({ items: list });

/** The decoded message, in the shape `sts decode-authorization-message` shows. */
export function decodedMessage(details: DenialDetails): string {
  // The deny statements that applied (an implicit deny has none: nothing matched).
  const denies = (details.result?.statements ?? []).filter((s) => s.applies && s.effect === 'Deny');
  const values = (list: readonly string[]) => items(list.map((value) => ({ value })));
  return JSON.stringify({
    allowed: false,
    explicitDeny: details.result?.decision === 'explicitDeny',
    matchedStatements: items(
      denies.map((s) => ({
        statementId: s.sid ?? '',
        effect: 'DENY',
        principals: values([details.principalId.split(':')[0] ?? details.principalId]),
        principalGroups: items([]),
        actions: values(s.action.patterns),
        resources: values(s.resource.patterns),
        conditions: items(s.conditions.map((c) => ({ key: `${c.operator}:${c.key}`, values: values(c.values) }))),
      })),
    ),
    failures: items([]),
    context: {
      principal: { id: details.principalId, arn: details.principalArn },
      action: details.action,
      resource: details.resource,
      conditions: items(
        Object.entries(details.context)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, value]) => ({ key, values: items([value].flat().map((v) => ({ value: String(v) }))) })),
      ),
    },
  });
}

/** Stores a denial's details in its account and returns the token that stands for them. */
export function encodeDenial(store: SandboxStore, details: DenialDetails): string {
  // Standard base64, as AWS's tokens look: never a leading '-', which the AWS CLI would take
  // for an option in `--encoded-message <token>` (base64url did that once in 64 tokens).
  const token = randomBytes(192).toString('base64');
  store.append<StoredAuthzMessage>(details.account, AUTHZ_MESSAGE_LOG, { token, decoded: decodedMessage(details) }, AUTHZ_MESSAGE_CAP);
  return token;
}

/** The decoded message a token stands for in an account's log, if it is there. */
export function findDecoded(messages: readonly StoredAuthzMessage[], token: string): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.token === token) return messages[i]!.decoded;
  return undefined;
}
