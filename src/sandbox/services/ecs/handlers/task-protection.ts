/**
 * Task scale-in protection: GetTaskProtection and UpdateTaskProtection.
 *
 * - Protection is for tasks of services: a standalone task is a TASK_NOT_VALID failure (API
 *   reference, UpdateTaskProtection), and so is a stopped one (the sandbox's choice); a task the
 *   cluster does not have is MISSING (as DescribeTasks; not verified for these calls).
 * - expiresInMinutes defaults to 120 and may be 1 to 2880; every enabling call starts the period
 *   again. Protection past its expiry reads as not enabled, as ECS clears it.
 * - GetTaskProtection without `tasks` reports every running task of the cluster's services (the
 *   API leaves `tasks` optional and does not say what it returns then; the sandbox's choice).
 * - The sandbox records and reports protection; its scheduler, whose deployments and scale-ins
 *   finish at once, does not wait for protected tasks.
 */
import type { ECS, Failure, ProtectedTask, Task } from '@aws-sdk/client-ecs';
import type { HandlerMap, RequestContext } from '../../types.js';
import { EcsErrors } from '../errors.js';
import type { EcsHistoryState } from '../state.js';
import { activeCluster, ecsArn, ecsHistoryState } from '../state.js';
import { findTask } from './tasks.js';

const DEFAULT_MINUTES = 120;
const MAX_MINUTES = 2880;

function taskId(task: Task): string {
  return task.taskArn!.split('/').pop()!;
}

function isServiceTask(task: Task): boolean {
  return (task.group ?? '').startsWith('service:') && task.lastStatus === 'RUNNING';
}

/** A task's protection now (expired protection is none). */
function protectionOf(ctx: RequestContext, state: EcsHistoryState, task: Task): ProtectedTask {
  const expires = state.taskProtection[taskId(task)];
  if (expires && expires.getTime() > ctx.now.getTime()) return { taskArn: task.taskArn, protectionEnabled: true, expirationDate: new Date(expires.getTime()) };
  return { taskArn: task.taskArn, protectionEnabled: false };
}

/** The named tasks of a cluster that can be protected, and failures for the others. */
function resolveTasks(ctx: RequestContext, state: EcsHistoryState, clusterId: string | undefined, ids: readonly string[]): { tasks: Task[]; failures: Failure[] } {
  const cluster = activeCluster(state, clusterId);
  const tasks: Task[] = [];
  const failures: Failure[] = [];
  for (const id of ids) {
    const task = findTask(state, cluster.clusterArn!, id);
    if (!task) failures.push({ arn: id.startsWith('arn:') ? id : ecsArn(ctx, `task/${cluster.clusterName}/${id}`), reason: 'MISSING' });
    else if (!isServiceTask(task)) failures.push({ arn: task.taskArn, reason: 'TASK_NOT_VALID' });
    else tasks.push(task);
  }
  return { tasks, failures };
}

/** Task protection operations. */
export const taskProtectionHandlers: HandlerMap<ECS> = {
  GetTaskProtection(input, ctx) {
    const state = ecsHistoryState(ctx);
    const ids = input.tasks;
    if (ids && ids.length > 100) throw EcsErrors.invalidParameter('tasks can have at most 100 items.');
    if (!ids?.length) {
      const cluster = activeCluster(state, input.cluster);
      const tasks = Object.values(state.tasks).filter((t) => t.clusterArn === cluster.clusterArn && isServiceTask(t));
      return { protectedTasks: tasks.map((t) => protectionOf(ctx, state, t)), failures: [] };
    }
    const { tasks, failures } = resolveTasks(ctx, state, input.cluster, ids);
    return { protectedTasks: tasks.map((t) => protectionOf(ctx, state, t)), failures };
  },

  UpdateTaskProtection(input, ctx) {
    const state = ecsHistoryState(ctx);
    const ids = input.tasks ?? [];
    if (ids.length === 0) throw EcsErrors.missing('tasks');
    if (ids.length > 10) throw EcsErrors.invalidParameter('tasks can have at most 10 items.');
    const minutes = input.expiresInMinutes ?? DEFAULT_MINUTES;
    if (input.protectionEnabled && (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES)) {
      // Not verified: the range is the API reference's, the wording the sandbox's.
      throw EcsErrors.invalidParameter(`expiresInMinutes must be between 1 and ${MAX_MINUTES}.`);
    }
    const { tasks, failures } = resolveTasks(ctx, state, input.cluster, ids);
    // Drop what has expired or lost its task, so the map stays as small as the running tasks.
    for (const [id, expires] of Object.entries(state.taskProtection)) {
      const task = state.tasks[id];
      if (expires.getTime() <= ctx.now.getTime() || !task || task.lastStatus !== 'RUNNING') delete state.taskProtection[id];
    }
    for (const task of tasks) {
      if (input.protectionEnabled) state.taskProtection[taskId(task)] = new Date(ctx.now.getTime() + minutes * 60_000);
      else delete state.taskProtection[taskId(task)];
    }
    return { protectedTasks: tasks.map((t) => protectionOf(ctx, state, t)), failures };
  },
};
