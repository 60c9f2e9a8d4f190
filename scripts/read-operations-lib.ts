/** Shared by the generator and its staleness test. */
const MODULES: Record<string, string> = {
  ecs: '@aws-sdk/client-ecs',
  ec2: '@aws-sdk/client-ec2',
  iam: '@aws-sdk/client-iam',
  sts: '@aws-sdk/client-sts',
  secretsmanager: '@aws-sdk/client-secrets-manager',
  ssm: '@aws-sdk/client-ssm',
  cloudtrail: '@aws-sdk/client-cloudtrail',
  autoscaling: '@aws-sdk/client-auto-scaling',
  logs: '@aws-sdk/client-cloudwatch-logs',
  s3: '@aws-sdk/client-s3',
};

/** Reads that would return secret material or object bodies: never available to generic checks. */
export const EXCLUDED = new Set(['GetSecretValue', 'BatchGetSecretValue', 'GetObject', 'GetObjectTorrent', 'GetPasswordData', 'GetLoginProfile']);

export async function computeReadOperations(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [svc, mod] of Object.entries(MODULES)) {
    const m = (await import(mod)) as Record<string, unknown>;
    out[svc] = Object.keys(m)
      .filter((k) => k.endsWith('Command') && typeof m[k] === 'function')
      .map((k) => k.replace(/Command$/, ''))
      .filter((op) => /^(Describe|List|Get|Lookup|Head)/.test(op) && !EXCLUDED.has(op))
      .sort();
  }
  return out;
}
