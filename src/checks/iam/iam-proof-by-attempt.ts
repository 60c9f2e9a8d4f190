/**
 * Proof of control: act as the role and try a harmless UpdateService (the current desired count
 * again). Denied where it must be, allowed where it may. Only targets that enforce IAM on
 * assumed-role sessions can prove anything; elsewhere the check is skipped with the reason.
 */
import { z } from 'zod';
import { defineCheck, fail, pass, skip } from '../define-check.js';
import { describeService } from '../ecs/task-definitions.js';

const target = z.object({ cluster: z.string(), service: z.string() }).strict();

export default defineCheck({
  id: 'iam-proof-by-attempt',
  title: 'Acting as the role: denied on prod, allowed on dev',
  severity: 'high',
  service: 'iam',
  controls: [],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html'],
  remediation: 'Fix the role\'s policy until an UpdateService as the role is denied on the prod service and allowed on the dev one.',
  params: z.object({ role: z.string(), denied: target, allowed: target }).strict(),
  async run(ctx, p) {
    if (!ctx.enforcesIam) {
      return skip(`This target (${ctx.target.kind}) does not enforce IAM on assumed-role sessions, so an attempt proves nothing; the policy evaluation steps stand.`);
    }
    const sts = await ctx.aws.sts();
    const roleArn = `arn:aws:iam::${ctx.account}:role/${p.role}`;
    const creds = (await sts.assumeRole({ RoleArn: roleArn, RoleSessionName: 'ecs-lab-proof', DurationSeconds: 900 })).Credentials;
    if (!creds?.AccessKeyId || !creds.SecretAccessKey) return fail(`Assuming ${p.role} returned no credentials.`, [roleArn]);
    const asRole = await ctx.aws.withCredentials({ accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken });
    const attempt = async (t: z.infer<typeof target>): Promise<{ ok: boolean; code?: string }> => {
      const svc = await describeService(ctx, t.cluster, t.service);
      try {
        await (await asRole.ecs()).updateService({ cluster: t.cluster, service: t.service, desiredCount: svc?.desiredCount ?? 1 });
        return { ok: true };
      } catch (err) {
        const code = String((err as { code?: string }).code ?? (err as Error).name);
        if (/AccessDenied|Unauthorized/.test(code)) return { ok: false, code };
        throw err;
      }
    };
    const denied = await attempt(p.denied);
    const allowed = await attempt(p.allowed);
    const problems: string[] = [];
    if (denied.ok) problems.push(`UpdateService on ${p.denied.cluster}/${p.denied.service} succeeded`);
    if (!allowed.ok) problems.push(`UpdateService on ${p.allowed.cluster}/${p.allowed.service} was denied (${allowed.code})`);
    if (problems.length) return fail(`Acting as ${p.role}: ${problems.join('; ')}.`, [roleArn]);
    return pass(`Acting as ${p.role}: UpdateService on ${p.denied.cluster}/${p.denied.service} was denied (${denied.code}) and on ${p.allowed.cluster}/${p.allowed.service} allowed.`, [roleArn]);
  },
});
