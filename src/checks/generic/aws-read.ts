/**
 * `aws-read`: the generic assertion over one read-only AWS call, so that simple checks need no
 * code: call `service:operation` with `input`, select values with `path`, compare with `expect`.
 */
import { z } from 'zod';
import readOperations from '../../aws/read-operations.json' with { type: 'json' };
import { SERVICES } from '../../aws/session.js';
import { defineCheck, fail, pass } from '../define-check.js';
import { compare, describeExpectation, expectationSchema, parsePath, selectPath } from '../path.js';

const READ_OPS = readOperations as Record<string, string[]>;

const params = z
  .object({
    service: z.enum(SERVICES).describe('the service to read, by its IAM prefix'),
    operation: z.string().describe('a read-only operation of that service, e.g. DescribeClusters'),
    input: z.record(z.string(), z.unknown()).default({}).describe('the request, as the SDK v3 client takes it'),
    path: z.string().describe('which values to compare, e.g. clusters[0].settings[?name==containerInsights].value'),
    expect: expectationSchema,
    quantifier: z
      .enum(['all', 'any', 'none'])
      .default('all')
      .describe('all: every selected value matches (and there is one); any: at least one does; none: no selected value matches (nothing selected passes)'),
    resource: z.string().describe('how messages name the resource, e.g. "cluster lab-prod"'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const ops = READ_OPS[p.service] ?? [];
    if (!ops.includes(p.operation)) {
      const near = closest(p.operation, ops);
      ctx.addIssue({
        code: 'custom',
        path: ['operation'],
        message: `"${p.operation}" is not a read-only ${p.service} operation${near.length ? ` (did you mean: ${near.join(', ')})` : ''}`,
      });
    }
    if (p.input.WithDecryption === true) {
      ctx.addIssue({ code: 'custom', path: ['input', 'WithDecryption'], message: 'generic checks never read decrypted values' });
    }
    try {
      parsePath(p.path);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: (err as Error).message });
    }
  });

/** Up to three names within a small edit distance, for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string[] {
  const dist = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
        prev = tmp;
      }
    }
    return row[b.length]!;
  };
  return candidates
    .map((c) => [c, dist(word, c)] as const)
    .filter(([, d]) => d <= Math.max(2, Math.floor(word.length / 4)))
    .sort((x, y) => x[1] - y[1])
    .slice(0, 3)
    .map(([c]) => c);
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
};

export default defineCheck({
  id: 'aws-read',
  title: 'A read-only API call returns the expected values',
  severity: 'medium',
  service: 'any',
  controls: [],
  docs: [],
  remediation: 'Change the resource so the selected field has the expected value.',
  params,
  async run(ctx, p) {
    const client = (await ctx.aws.client(p.service)) as unknown as Record<string, (input: unknown) => Promise<unknown>>;
    const method = p.operation.charAt(0).toLowerCase() + p.operation.slice(1);
    const out = await ctx.memo(`${p.service}:${p.operation}:${JSON.stringify(p.input)}`, () => client[method]!.call(client, p.input));
    const values = selectPath(out, p.path);
    const wanted = describeExpectation(p.expect);
    const observed = values.length === 0 ? 'nothing' : values.map(show).join(', ');
    let ok: boolean;
    if (p.expect.op === 'exists') ok = values.length > 0 && values.every((v) => compare(v, p.expect));
    else if (p.expect.op === 'absent') ok = values.every((v) => compare(v, p.expect));
    else if (p.quantifier === 'none') ok = !values.some((v) => compare(v, p.expect));
    else if (values.length === 0) ok = false;
    else ok = p.quantifier === 'all' ? values.every((v) => compare(v, p.expect)) : values.some((v) => compare(v, p.expect));
    const lead = { all: '', any: values.length > 1 ? 'one of them ' : '', none: 'no value ' }[p.quantifier];
    const sentence = `${p.resource}: ${p.path} is ${observed}; expected ${lead}${wanted}.`;
    return ok ? pass(sentence, [p.resource]) : fail(sentence, [p.resource]);
  },
});
