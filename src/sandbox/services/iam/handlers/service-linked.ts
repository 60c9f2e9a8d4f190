/** IAM's service-linked role operations (the roles themselves: ../service-linked.ts). */
import type { IAM } from '@aws-sdk/client-iam';
import { uuid } from '../../ids.js';
import type { HandlerMap } from '../../types.js';
import { IamErrors } from '../errors.js';
import type { DeletionTaskRecord } from '../service-linked.js';
import { LINKED_ROLES, addLinkedRole, linkedRoleName, linkedRoleSpec, linkedService } from '../service-linked.js';
import { getRole, iamState } from '../state.js';
import { presentRole } from './roles.js';

/** CreateServiceLinkedRole, DeleteServiceLinkedRole and GetServiceLinkedRoleDeletionStatus. */
export const serviceLinkedHandlers: HandlerMap<IAM> = {
  CreateServiceLinkedRole(input, ctx) {
    const service = input.AWSServiceName;
    const { suffix } = linkedRoleSpec(service);
    if (input.CustomSuffix !== undefined && !suffix) throw IamErrors.invalidInput(`Custom suffix is not allowed for ${service}`);
    if (input.CustomSuffix !== undefined && !/^[\w+=,.@-]{1,64}$/.test(input.CustomSuffix)) {
      throw IamErrors.validation(`1 validation error detected: Value '${input.CustomSuffix}' at 'customSuffix' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
    }
    const name = linkedRoleName(service!, input.CustomSuffix);
    const state = iamState(ctx);
    if (Object.keys(state.roles).some((n) => n.toLowerCase() === name.toLowerCase())) {
      throw IamErrors.invalidInput(`Service role name ${name} has been taken in this account, please try a different suffix.`);
    }
    return { Role: presentRole(addLinkedRole(ctx, state, service!, name, input.Description)) };
  },

  DeleteServiceLinkedRole(input, ctx) {
    const state = iamState(ctx);
    const role = getRole(state, input.RoleName);
    const service = linkedService(role);
    if (service === undefined) throw IamErrors.invalidInput(`Role ${role.roleName} is not a service-linked role.`);
    const id = `task/aws-service-role/${service}/${role.roleName}/${uuid()}`;
    const usage = LINKED_ROLES[service]?.usage?.(ctx, role.arn) ?? [];
    const task: DeletionTaskRecord = { status: usage.length > 0 ? 'FAILED' : 'SUCCEEDED', roleArn: role.arn };
    if (usage.length > 0) {
      task.reason = { Reason: `${role.roleName} is still used by resources of ${service}; delete them in every Region first.`, RoleUsageList: usage };
    } else {
      delete state.roles[role.roleName];
    }
    (state.deletionTasks ??= Object.create(null) as Record<string, DeletionTaskRecord>)[id] = task;
    return { DeletionTaskId: id };
  },

  GetServiceLinkedRoleDeletionStatus(input, ctx) {
    const tasks = iamState(ctx).deletionTasks;
    const task = tasks && input.DeletionTaskId !== undefined && Object.hasOwn(tasks, input.DeletionTaskId) ? tasks[input.DeletionTaskId] : undefined;
    if (!task) throw IamErrors.noSuchEntity(`Deletion task ${input.DeletionTaskId ?? ''} does not exist.`);
    return { Status: task.status, Reason: task.reason && structuredClone(task.reason) };
  },
};

