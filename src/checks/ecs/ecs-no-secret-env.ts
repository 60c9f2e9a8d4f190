/**
 * ECS.8: no credentials in environment variables or log options. Values are never printed: the
 * run registers every value it reads under a credential-like name, and messages say (redacted).
 */
import { REDACTED, CREDENTIAL_NAME } from '../redact.js';
import { defineTaskDefCheck } from './define-task-def-check.js';
import { containersOf } from './task-definitions.js';

/** Names AWS Config's ecs-no-environment-secrets rule always treats as secrets. */
const FIXED = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'ECS_ENGINE_AUTH_DATA']);

export default defineTaskDefCheck({
  id: 'ecs-no-secret-env',
  title: 'No credentials in environment variables or log options',
  severity: 'critical',
  service: 'ecs',
  controls: ['ECS.8', 'ecs_task_definitions_no_environment_secrets'],
  docs: ['https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-8'],
  remediation: 'Move the value into Secrets Manager or an SSM SecureString parameter and reference it from "secrets" (or logConfiguration.secretOptions).',
  inspect(td, p, _resolved, ctx) {
    const problems: string[] = [];
    for (const c of containersOf(td, p.container)) {
      for (const e of c.environment ?? []) {
        if (e.name && (CREDENTIAL_NAME.test(e.name) || FIXED.has(e.name)) && e.value) {
          problems.push(`container ${c.name}: environment variable ${e.name} holds a literal value ${REDACTED}`);
        }
      }
      for (const [k, v] of Object.entries(c.logConfiguration?.options ?? {})) {
        if (CREDENTIAL_NAME.test(k) && v) problems.push(`container ${c.name}: log option ${k} holds a literal value ${REDACTED}`);
      }
    }
    // The planted values must be gone from everywhere, whatever they were renamed to.
    const text = JSON.stringify(td);
    const planted = ctx.plantedValues.filter((v) => text.includes(v)).length;
    if (planted) problems.push(`${planted} planted secret value(s) still appear in the task definition ${REDACTED}`);
    return { problems, observed: 'no environment variable or log option holds a credential' };
  },
});
