/**
 * GetRandomPassword, and rotation as far as a sandbox without Lambda can take it.
 *
 * GetRandomPassword: AWS's defaults (32 characters of upper and lower case letters, digits and the
 * punctuation `!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~`, at least one of each included type), drawn with
 * node:crypto. The password is never logged; CloudTrail records read-only calls without
 * responseElements, and the SDK model marks RandomPassword sensitive.
 *
 * RotateSecret: AWS rotates with a Lambda function (or a managed rotation of a service-owned
 * secret, which the sandbox has none of). Without a RotationLambdaARN, and none configured, AWS
 * answers InvalidRequestException "No Lambda rotation function ARN is associated with this
 * secret."; with one, the sandbox has no function to invoke and answers as AWS does for a function
 * Secrets Manager may not invoke (AccessDeniedException). Either way nothing changes, so rotation
 * stays disabled and CancelRotateSecret has nothing to cancel.
 */
import { randomInt } from 'node:crypto';
import type { SecretsManager } from '@aws-sdk/client-secrets-manager';
import type { HandlerMap } from '../../types.js';
import { SecretsErrors } from '../errors.js';
import { checkRange, liveSecret, secretsState } from '../state.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** A random password as GetRandomPassword's parameters describe it. */
export function randomPassword(options: {
  length: number;
  exclude: string;
  lower: boolean;
  upper: boolean;
  digits: boolean;
  punctuation: boolean;
  space: boolean;
  requireEach: boolean;
}): string {
  const excluded = new Set(options.exclude);
  const types = [
    options.lower ? LOWER : '',
    options.upper ? UPPER : '',
    options.digits ? DIGITS : '',
    options.punctuation ? PUNCTUATION : '',
    options.space ? ' ' : '',
  ]
    .map((set) => [...set].filter((c) => !excluded.has(c)))
    .filter((set) => set.length > 0);
  const pool = types.flat();
  // Not verified wordings: moto's for the length, the sandbox's own for an empty pool.
  if (pool.length === 0) throw SecretsErrors.invalidParameter('The password can\'t be generated: every character type is excluded.');
  if (options.requireEach && options.length < types.length) throw SecretsErrors.invalidParameter('Password length is too short based on the required types.');
  const chars = Array.from({ length: options.length }, () => pool[randomInt(pool.length)]!);
  if (options.requireEach) {
    // One character of each type at distinct random positions.
    const positions = [...chars.keys()];
    for (const set of types) {
      const position = positions.splice(randomInt(positions.length), 1)[0]!;
      chars[position] = set[randomInt(set.length)]!;
    }
  }
  return chars.join('');
}

/** Password and rotation operations. */
export const rotationHandlers: HandlerMap<SecretsManager> = {
  GetRandomPassword(input) {
    checkRange('passwordLength', input.PasswordLength, 1, 4096);
    if ((input.ExcludeCharacters?.length ?? 0) > 4096) {
      throw SecretsErrors.validation('1 validation error detected: Value at \'excludeCharacters\' failed to satisfy constraint: Member must have length less than or equal to 4096');
    }
    return {
      RandomPassword: randomPassword({
        length: input.PasswordLength ?? 32,
        exclude: input.ExcludeCharacters ?? '',
        lower: !input.ExcludeLowercase,
        upper: !input.ExcludeUppercase,
        digits: !input.ExcludeNumbers,
        punctuation: !input.ExcludePunctuation,
        space: input.IncludeSpace === true,
        requireEach: input.RequireEachIncludedType !== false,
      }),
    };
  },

  RotateSecret(input, ctx) {
    liveSecret(ctx, secretsState(ctx), input.SecretId);
    const token = input.ClientRequestToken;
    // moto's wordings for the two range checks.
    if (token !== undefined && (token.length < 32 || token.length > 64)) throw SecretsErrors.invalidParameter('ClientRequestToken must be 32-64 characters long.');
    const days = input.RotationRules?.AutomaticallyAfterDays;
    if (days !== undefined && (days < 1 || days > 1000)) throw SecretsErrors.invalidParameter('RotationRules.AutomaticallyAfterDays must be within 1-1000.');
    if (input.RotationLambdaARN !== undefined) throw SecretsErrors.cannotInvoke();
    throw SecretsErrors.noRotationFunction();
  },

  CancelRotateSecret(input, ctx) {
    liveSecret(ctx, secretsState(ctx), input.SecretId);
    // Rotation is never configured in the sandbox. moto's answer for a secret without a rotation
    // function, one of the InvalidRequestException reasons the API reference lists (not verified
    // against AWS for CancelRotateSecret).
    throw SecretsErrors.invalidRequest(
      'You tried to enable rotation on a secret that doesn\'t already have a Lambda function ARN configured and you didn\'t include such an ARN as a parameter in this call.',
    );
  },
};
