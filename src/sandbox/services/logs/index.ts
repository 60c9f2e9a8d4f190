/** Amazon CloudWatch Logs (awsJson1_1, target prefix `Logs_20140328`): log groups, log streams and their events, metric filters. */
import type * as sdkTypes from '@aws-sdk/client-cloudwatch-logs';
import { lazySdk } from '../lazy-sdk.js';

const sdk = lazySdk('@aws-sdk/client-cloudwatch-logs', () => import('@aws-sdk/client-cloudwatch-logs'));
import { jsonProtocol } from '../../protocols/json.js';
import type { ServiceModule } from '../types.js';
import { eraseHandlers } from '../types.js';
import { logsHandlers } from './handlers.js';
import { insightsHandlers } from './insights.js';
import { metricFilterHandlers } from './metric-filters.js';
import { streamHandlers } from './streams.js';

export { ensureLogStream, findLogGroup, logGroupArn } from './state.js';

export const logsService: ServiceModule = {
  name: 'logs',
  signingName: 'logs',
  eventSource: 'logs.amazonaws.com',
  protocol: jsonProtocol(),
  targetPrefixes: ['Logs_20140328'],
  // They deliver pending VPC flow log records first (ec2/flow-log-delivery.ts), and persist them.
  persistedReads: new Set(['DescribeLogStreams', 'GetLogEvents', 'FilterLogEvents']),
  sdk,
  handlers: eraseHandlers<sdkTypes.CloudWatchLogs>({ ...logsHandlers, ...streamHandlers, ...metricFilterHandlers, ...insightsHandlers }),
};
