/** AWS Secrets Manager (awsJson1_1, target prefix `secretsmanager`). */
import type * as sdkTypes from '@aws-sdk/client-secrets-manager';
import { lazySdk } from '../lazy-sdk.js';

const sdk = lazySdk('@aws-sdk/client-secrets-manager', () => import('@aws-sdk/client-secrets-manager'));
import { jsonProtocol } from '../../protocols/json.js';
import type { ServiceModule } from '../types.js';
import { eraseHandlers } from '../types.js';
import { listAndTagHandlers } from './handlers/list-and-tags.js';
import { policyHandlers } from './handlers/policies.js';
import { rotationHandlers } from './handlers/rotation.js';
import { secretHandlers } from './handlers/secrets.js';
import { versionHandlers } from './handlers/versions.js';

export const secretsManagerService: ServiceModule = {
  name: 'secretsmanager',
  signingName: 'secretsmanager',
  eventSource: 'secretsmanager.amazonaws.com',
  protocol: jsonProtocol(),
  targetPrefixes: ['secretsmanager'],
  sdk,
  handlers: eraseHandlers<sdkTypes.SecretsManager>({ ...secretHandlers, ...listAndTagHandlers, ...policyHandlers, ...versionHandlers, ...rotationHandlers }),
};
