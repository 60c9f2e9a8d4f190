/** Task-level ENIs: the revision uses the awsvpc network mode. */
import { defineTaskDefCheck } from './define-task-def-check.js';

export default defineTaskDefCheck({
  id: 'ecs-awsvpc',
  title: 'Tasks get their own network interface (awsvpc)',
  severity: 'medium',
  service: 'ecs',
  controls: ['CT.ECS.PR.4'],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html'],
  remediation: 'Register a revision with --network-mode awsvpc and give the service a network configuration.',
  inspect(td) {
    return {
      problems: td.networkMode === 'awsvpc' ? [] : [`networkMode is ${td.networkMode ?? 'unset (bridge on EC2)'}, so tasks share the instance's network interface and security groups`],
      observed: 'networkMode is awsvpc',
    };
  },
});
