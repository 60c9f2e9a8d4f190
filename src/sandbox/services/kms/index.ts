/** AWS Key Management Service (awsJson1_1, target prefix `TrentService`): customer managed keys, aliases, key policies, rotation settings and tags (no cryptography). */
import type * as sdkTypes from '@aws-sdk/client-kms';
import { jsonProtocol } from '../../protocols/json.js';
import { lazySdk } from '../lazy-sdk.js';
import type { ServiceModule } from '../types.js';
import { eraseHandlers } from '../types.js';
import { kmsHandlers } from './handlers.js';

export const kmsService: ServiceModule = {
  name: 'kms',
  signingName: 'kms',
  eventSource: 'kms.amazonaws.com',
  protocol: jsonProtocol(),
  targetPrefixes: ['TrentService'],
  sdk: lazySdk('@aws-sdk/client-kms', () => import('@aws-sdk/client-kms')),
  handlers: eraseHandlers<sdkTypes.KMS>(kmsHandlers),
};
