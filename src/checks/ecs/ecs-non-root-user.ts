/** ECS.20: containers run as a non-root user. */
import { defineTaskDefCheck } from './define-task-def-check.js';
import { containersOf } from './task-definitions.js';

/** root by name or uid 0, with or without a group. An unset user means the image's, usually root. */
export function isRootUser(user: string | undefined): boolean {
  if (!user) return true;
  const name = user.split(':')[0]!.trim();
  return name === '' || name === 'root' || name === '0';
}

export default defineTaskDefCheck({
  id: 'ecs-non-root-user',
  title: 'Containers run as a non-root user',
  severity: 'medium',
  service: 'ecs',
  controls: ['ECS.20', 'ecs_task_definitions_host_networking_mode_users'],
  docs: ['https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-20'],
  remediation: 'Set "user" in the container definition to a non-root user or uid (e.g. "1000" or "1000:1000").',
  inspect(td, p) {
    const problems = containersOf(td, p.container)
      .filter((c) => isRootUser(c.user))
      .map((c) => (c.user ? `container ${c.name} runs as user "${c.user}" (root)` : `container ${c.name} sets no user, so it runs as the image's default user (root)`));
    return { problems, observed: 'every container runs as a non-root user' };
  },
});
