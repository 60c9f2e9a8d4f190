/** AWS IAM (awsQuery, Version 2010-05-08; global per account). */
import type * as sdk from '@aws-sdk/client-iam';
import { queryProtocol } from '../../protocols/query.js';
import type { ServiceModule } from '../types.js';
import { eraseHandlers } from '../types.js';
import { lazySdk } from '../lazy-sdk.js';
import { accountHandlers } from './handlers/account.js';
import { instanceProfileHandlers } from './handlers/instance-profiles.js';
import { lastAccessedHandlers } from './handlers/last-accessed.js';
import { policyHandlers } from './handlers/policies.js';
import { providerHandlers } from './handlers/providers.js';
import { roleHandlers } from './handlers/roles.js';
import { serviceLinkedHandlers } from './handlers/service-linked.js';
import { simulateHandlers } from './handlers/simulate.js';
import { userHandlers } from './handlers/users.js';

export const iamService: ServiceModule = {
  name: 'iam',
  signingName: 'iam',
  eventSource: 'iam.amazonaws.com',
  protocol: queryProtocol({ xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/' }),
  apiVersion: '2010-05-08',
  global: true,
  sdk: lazySdk('@aws-sdk/client-iam', () => import('@aws-sdk/client-iam')),
  handlers: eraseHandlers<sdk.IAM>({ ...roleHandlers, ...policyHandlers, ...instanceProfileHandlers, ...serviceLinkedHandlers, ...simulateHandlers, ...userHandlers, ...accountHandlers, ...lastAccessedHandlers, ...providerHandlers }),
};
