/**
 * Task sets exist only for services with the EXTERNAL (or CODE_DEPLOY) deployment controller,
 * which the sandbox does not model (CreateService refuses them, services.ts). On a service with
 * the ECS controller, AWS refuses task set management with an InvalidParameterException; a
 * service an older sandbox created with another controller has no task sets.
 */
import type { ECS, Service } from '@aws-sdk/client-ecs';
import type { HandlerMap, RequestContext } from '../../types.js';
import { EcsErrors } from '../errors.js';
import { activeCluster, ecsArn, ecsState, findService } from '../state.js';

/** The service whose task sets a call manages; refused unless its deployment controller uses task sets. */
function taskSetService(ctx: RequestContext, clusterId: string | undefined, serviceId: string): Service {
  const state = ecsState(ctx);
  const cluster = activeCluster(state, clusterId);
  const service = findService(state, cluster.clusterName!, serviceId);
  if (!service || service.status === 'INACTIVE') throw EcsErrors.serviceNotFound();
  if ((service.deploymentController?.type ?? 'ECS') === 'ECS') throw EcsErrors.taskSetsNotSupported();
  return service;
}

/** Task set operations. */
export const taskSetHandlers: HandlerMap<ECS> = {
  DescribeTaskSets(input, ctx) {
    const service = taskSetService(ctx, input.cluster, input.service!);
    const prefix = ecsArn(ctx, `task-set/${service.clusterArn!.split('/').pop()}/${service.serviceName}/`);
    return { taskSets: [], failures: (input.taskSets ?? []).map((id) => ({ arn: id.startsWith('arn:') ? id : `${prefix}${id}`, reason: 'MISSING' })) };
  },

  UpdateServicePrimaryTaskSet(input, ctx) {
    taskSetService(ctx, input.cluster, input.service!);
    throw EcsErrors.taskSetNotFound();
  },
};
