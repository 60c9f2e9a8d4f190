/** A revision that can run on Fargate: validated for FARGATE, awsvpc networking. */
import { defineTaskDefCheck } from './define-task-def-check.js';

export default defineTaskDefCheck({
  id: 'ecs-fargate-compatible',
  title: 'The revision is compatible with Fargate',
  severity: 'medium',
  service: 'ecs',
  controls: [],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html'],
  remediation: 'Register the revision with --requires-compatibilities FARGATE, --network-mode awsvpc and task-level cpu and memory.',
  inspect(td) {
    const problems: string[] = [];
    if (!(td.requiresCompatibilities ?? []).includes('FARGATE')) problems.push(`requiresCompatibilities is [${(td.requiresCompatibilities ?? []).join(', ')}], without FARGATE`);
    if (td.compatibilities && !td.compatibilities.includes('FARGATE') && (td.requiresCompatibilities ?? []).includes('FARGATE')) {
      problems.push('ECS does not list FARGATE among its compatibilities');
    }
    if (td.networkMode !== 'awsvpc') problems.push(`networkMode is ${td.networkMode ?? 'unset'}, Fargate needs awsvpc`);
    return { problems, observed: 'it requires FARGATE and uses awsvpc' };
  },
});
