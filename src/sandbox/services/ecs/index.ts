/** Amazon ECS (awsJson1_1, target prefix `AmazonEC2ContainerServiceV20141113`). */
import type * as sdk from '@aws-sdk/client-ecs';
import { jsonProtocol } from '../../protocols/json.js';
import type { ServiceModule } from '../types.js';
import { eraseHandlers } from '../types.js';
import { lazySdk } from '../lazy-sdk.js';
import { EcsErrors } from './errors.js';
import { accountSettingHandlers } from './handlers/account-settings.js';
import { capacityProviderHandlers } from './handlers/capacity-providers.js';
import { clusterHandlers } from './handlers/clusters.js';
import { containerInstanceHandlers } from './handlers/container-instances.js';
import { serviceDeploymentHandlers } from './handlers/service-deployments.js';
import { serviceHandlers } from './handlers/services.js';
import { tagHandlers } from './handlers/tags.js';
import { taskDefinitionHandlers } from './handlers/task-definitions.js';
import { taskProtectionHandlers } from './handlers/task-protection.js';
import { taskSetHandlers } from './handlers/task-sets.js';
import { taskHandlers } from './handlers/tasks.js';

export const ecsService: ServiceModule = {
  name: 'ecs',
  signingName: 'ecs',
  eventSource: 'ecs.amazonaws.com',
  protocol: jsonProtocol({ missingParameter: (member) => EcsErrors.missing(member) }),
  targetPrefixes: ['AmazonEC2ContainerServiceV20141113'],
  sdk: lazySdk('@aws-sdk/client-ecs', () => import('@aws-sdk/client-ecs')),
  handlers: eraseHandlers<sdk.ECS>({
    ...clusterHandlers,
    ...taskDefinitionHandlers,
    ...serviceHandlers,
    ...serviceDeploymentHandlers,
    ...taskSetHandlers,
    ...taskHandlers,
    ...taskProtectionHandlers,
    ...capacityProviderHandlers,
    ...containerInstanceHandlers,
    ...accountSettingHandlers,
    ...tagHandlers,
  }),
};
