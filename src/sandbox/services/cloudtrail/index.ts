/**
 * AWS CloudTrail (awsJson1_1). SDK v3 sends `X-Amz-Target: CloudTrail_20131101.<Op>`, the CLI
 * `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Op>`; the router takes the last
 * segment of either prefix.
 */
import type * as sdkTypes from '@aws-sdk/client-cloudtrail';
import { lazySdk } from '../lazy-sdk.js';

const sdk = lazySdk('@aws-sdk/client-cloudtrail', () => import('@aws-sdk/client-cloudtrail'));
import { jsonProtocol } from '../../protocols/json.js';
import type { ServiceModule } from '../types.js';
import { eraseHandlers } from '../types.js';
import { CloudTrailErrors } from './errors.js';
import { insightAndLakeHandlers } from './handlers/insights-and-lake.js';
import { lookupEventsHandlers } from './handlers/lookup-events.js';
import { selectorAndTagHandlers } from './handlers/selectors-and-tags.js';
import { trailHandlers } from './handlers/trails.js';

export const cloudTrailService: ServiceModule = {
  name: 'cloudtrail',
  signingName: 'cloudtrail',
  eventSource: 'cloudtrail.amazonaws.com',
  protocol: jsonProtocol({
    missingParameter: (member) =>
      ['Name', 'TrailName'].includes(member)
        ? CloudTrailErrors.invalidTrailName('Trail name or ARN can not be empty.')
        : CloudTrailErrors.parameter(`${member} can not be null or empty.`),
  }),
  targetPrefixes: ['CloudTrail_20131101', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101'],
  sdk,
  handlers: eraseHandlers<sdkTypes.CloudTrail>({ ...trailHandlers, ...selectorAndTagHandlers, ...lookupEventsHandlers, ...insightAndLakeHandlers }),
};

export { CloudTrailRecorder, recordApiCall } from './recorder.js';
