/** ECS.3: tasks do not share the host's process namespace. */
import { defineTaskDefCheck } from './define-task-def-check.js';

export default defineTaskDefCheck({
  id: 'ecs-no-host-pid',
  title: "Tasks do not share the host's process namespace",
  severity: 'high',
  service: 'ecs',
  controls: ['ECS.3', 'ecs_task_definitions_host_namespace_not_shared', 'CKV_AWS_335'],
  docs: ['https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-3'],
  remediation: 'Remove "pidMode": "host" (or set it to "task").',
  inspect(td) {
    return {
      problems: td.pidMode === 'host' ? ['pidMode is host, so containers see and can signal every process on the instance'] : [],
      observed: `pidMode is ${td.pidMode ?? 'unset (private to the container)'}`,
    };
  },
});
