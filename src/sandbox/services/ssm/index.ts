/** AWS Systems Manager: Parameter Store, and Run Command / Session Manager for unmanaged instances (awsJson1_1, target prefix `AmazonSSM`). */
import type * as sdkTypes from '@aws-sdk/client-ssm';
import { lazySdk } from '../lazy-sdk.js';

const sdk = lazySdk('@aws-sdk/client-ssm', () => import('@aws-sdk/client-ssm'));
import { jsonProtocol } from '../../protocols/json.js';
import type { ServiceModule } from '../types.js';
import { eraseHandlers } from '../types.js';
import { describeHandlers } from './handlers/describe.js';
import { labelHandlers } from './handlers/labels.js';
import { parameterHandlers } from './handlers/parameters.js';
import { runCommandHandlers } from './handlers/run-command.js';
import { tagHandlers } from './handlers/tags.js';

export { resolveImageParameter } from './state.js';

export const ssmService: ServiceModule = {
  name: 'ssm',
  signingName: 'ssm',
  eventSource: 'ssm.amazonaws.com',
  protocol: jsonProtocol(),
  targetPrefixes: ['AmazonSSM'],
  sdk,
  handlers: eraseHandlers<sdkTypes.SSM>({ ...parameterHandlers, ...describeHandlers, ...tagHandlers, ...labelHandlers, ...runCommandHandlers }),
};
