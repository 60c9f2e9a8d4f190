/** ECS.5: containers mount their root filesystem read-only. */
import { defineTaskDefCheck } from './define-task-def-check.js';
import { containersOf } from './task-definitions.js';

export default defineTaskDefCheck({
  id: 'ecs-readonly-root-fs',
  title: 'Containers have a read-only root filesystem',
  severity: 'high',
  service: 'ecs',
  controls: ['ECS.5', 'ecs_task_definitions_containers_readonly_access', 'CKV_AWS_336'],
  docs: ['https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-5'],
  remediation: 'Set "readonlyRootFilesystem": true and mount a volume where the container must write.',
  inspect(td, p) {
    const problems = containersOf(td, p.container)
      .filter((c) => c.readonlyRootFilesystem !== true)
      .map((c) => `container ${c.name} has readonlyRootFilesystem ${c.readonlyRootFilesystem === false ? 'false' : 'unset (writable)'}`);
    return { problems, observed: 'every root filesystem is read-only' };
  },
});
