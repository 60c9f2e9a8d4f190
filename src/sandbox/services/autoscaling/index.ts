/** Amazon EC2 Auto Scaling (awsQuery, Version 2011-01-01). */
import type * as sdkTypes from '@aws-sdk/client-auto-scaling';
import { lazySdk } from '../lazy-sdk.js';

const sdk = lazySdk('@aws-sdk/client-auto-scaling', () => import('@aws-sdk/client-auto-scaling'));
import { queryProtocol } from '../../protocols/query.js';
import type { ServiceModule } from '../types.js';
import { eraseHandlers } from '../types.js';
import { activityHandlers } from './activities.js';
import { capacityHandlers } from './handlers/capacity.js';
import { configurationHandlers } from './handlers/configuration.js';
import { groupHandlers } from './handlers/groups.js';
import { instanceRefreshHandlers } from './handlers/instance-refresh.js';
import { tagHandlers } from './handlers/tags.js';

export const autoScalingService: ServiceModule = {
  name: 'autoscaling',
  signingName: 'autoscaling',
  eventSource: 'autoscaling.amazonaws.com',
  protocol: queryProtocol({ xmlNamespace: 'http://autoscaling.amazonaws.com/doc/2011-01-01/' }),
  apiVersion: '2011-01-01',
  sdk,
  handlers: eraseHandlers<sdkTypes.AutoScaling>({ ...groupHandlers, ...tagHandlers, ...instanceRefreshHandlers, ...activityHandlers, ...capacityHandlers, ...configurationHandlers }),
};
