/** Amazon EC2 (ec2Query, Version 2016-11-15). */
import type * as sdk from '@aws-sdk/client-ec2';
import { ec2Protocol } from '../../protocols/ec2.js';
import type { ServiceModule } from '../types.js';
import { eraseHandlers } from '../types.js';
import { lazySdk } from '../lazy-sdk.js';
import { accountHandlers } from './handlers/account.js';
import { flowLogHandlers } from './handlers/flow-logs.js';
import { instanceAttributeHandlers } from './handlers/instance-attributes.js';
import { instanceHandlers } from './handlers/instances.js';
import { launchTemplateHandlers } from './handlers/launch-templates.js';
import { networkInterfaceHandlers } from './handlers/network-interfaces.js';
import { prefixListHandlers } from './handlers/prefix-lists.js';
import { routingHandlers } from './handlers/routing.js';
import { securityGroupHandlers } from './handlers/security-groups.js';
import { tagHandlers } from './handlers/tags.js';
import { vpcEndpointHandlers } from './handlers/vpc-endpoints.js';
import { volumeHandlers } from './handlers/volumes.js';
import { vpcHandlers } from './handlers/vpcs.js';

export const ec2Service: ServiceModule = {
  name: 'ec2',
  signingName: 'ec2',
  eventSource: 'ec2.amazonaws.com',
  protocol: ec2Protocol(),
  apiVersion: '2016-11-15',
  sdk: lazySdk('@aws-sdk/client-ec2', () => import('@aws-sdk/client-ec2')),
  handlers: eraseHandlers<sdk.EC2>({
    ...vpcHandlers,
    ...securityGroupHandlers,
    ...flowLogHandlers,
    ...launchTemplateHandlers,
    ...instanceHandlers,
    ...instanceAttributeHandlers,
    ...networkInterfaceHandlers,
    ...routingHandlers,
    ...vpcEndpointHandlers,
    ...volumeHandlers,
    ...prefixListHandlers,
    ...accountHandlers,
    ...tagHandlers,
  }),
};
