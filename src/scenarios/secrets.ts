/**
 * Planted secrets: the starting states contain literal passwords and tokens on purpose. Every one
 * of them is registered with the run's redactor, so no message can ever repeat it, whatever a
 * check observes.
 */
import { CREDENTIAL_NAME } from '../checks/redact.js';

/** Every string in a resource spec that is, or sits under a name that says, a credential. */
export function plantedSecrets(spec: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown, key?: string): void => {
    if (typeof v === 'string') {
      if (key && (CREDENTIAL_NAME.test(key) || key === 'secretString')) out.push(v);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x) => visit(x, key));
      return;
    }
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      // {name: DB_PASSWORD, value: ...} pairs (environment variables, log options)
      if (typeof o.name === 'string' && typeof o.value === 'string' && CREDENTIAL_NAME.test(o.name)) out.push(o.value);
      if (o.type === 'ssm-parameter' && o.parameterType === 'SecureString' && typeof o.value === 'string') out.push(o.value);
      for (const [k, x] of Object.entries(o)) visit(x, k);
    }
  };
  visit(spec);
  return [...new Set(out)];
}
