/**
 * A variable (or log option) comes from a secret store: `secrets` (or `secretOptions`) maps it to
 * an existing Secrets Manager secret or SSM SecureString parameter.
 */
import { z } from 'zod';
import { defineTaskDefCheck } from './define-task-def-check.js';
import { resolveSecretReference } from './secrets.js';
import { containersOf } from './task-definitions.js';

export default defineTaskDefCheck({
  id: 'ecs-secret-injected',
  title: 'A sensitive value is injected from Secrets Manager or SSM SecureString',
  severity: 'high',
  service: 'ecs',
  controls: ['ECS.8'],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html'],
  remediation: 'Store the value in Secrets Manager (or as an SSM SecureString) and reference its ARN in the container\'s "secrets" (for log drivers: logConfiguration.secretOptions).',
  extraParams: {
    name: z.string().describe('the environment variable (or log option) name'),
    as: z.enum(['environment', 'logOption']).default('environment'),
  },
  async inspect(td, p, _r, ctx) {
    const problems: string[] = [];
    const found: string[] = [];
    for (const c of containersOf(td, p.container)) {
      const refs = p.as === 'environment' ? (c.secrets ?? []) : (c.logConfiguration?.secretOptions ?? []);
      const plain = p.as === 'environment' ? (c.environment ?? []).some((e) => e.name === p.name) : p.name in (c.logConfiguration?.options ?? {});
      const where = p.as === 'environment' ? 'secrets' : 'logConfiguration.secretOptions';
      const ref = refs.find((s) => s.name === p.name);
      if (plain) problems.push(`container ${c.name} still sets ${p.name} as a plain ${p.as === 'environment' ? 'environment variable' : 'log option'}`);
      if (!ref?.valueFrom) {
        problems.push(`container ${c.name} has no ${where} entry named ${p.name}`);
        continue;
      }
      const target = await resolveSecretReference(ctx, ref.valueFrom);
      if (target.problem) problems.push(`container ${c.name}: ${p.name} comes from ${target.label}, which ${target.problem}`);
      else found.push(`${p.name} comes from ${target.label}`);
    }
    return { problems, observed: found.join(', ') };
  },
});
