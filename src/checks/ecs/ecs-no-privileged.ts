/** ECS.4: no container runs privileged. */
import { defineTaskDefCheck } from './define-task-def-check.js';
import { containersOf } from './task-definitions.js';

export default defineTaskDefCheck({
  id: 'ecs-no-privileged',
  title: 'No container runs in privileged mode',
  severity: 'high',
  service: 'ecs',
  controls: ['ECS.4', 'ecs_task_definitions_no_privileged_containers', 'CKV_AWS_334'],
  docs: ['https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-4'],
  remediation: 'Register a revision without "privileged": true and grant only the Linux capabilities the container needs.',
  inspect(td, p) {
    const privileged = containersOf(td, p.container).filter((c) => c.privileged === true).map((c) => c.name);
    return {
      problems: privileged.map((n) => `container ${n} sets privileged: true`),
      observed: 'no container is privileged',
    };
  },
});
