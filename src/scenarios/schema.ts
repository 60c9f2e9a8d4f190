/**
 * The scenarios.yaml schema, built from the check registry and the resource-kind registry: a
 * typo in a check id, a check parameter or a resource field fails at load, with its place in the
 * file, before any AWS call. The same schema is written out as JSON Schema (`npm run schema`) for
 * editor completion.
 */
import { z } from 'zod';
import { CHECKS } from '../checks/index.js';
import type { CheckDefinition } from '../checks/types.js';
import { RESOURCE_KINDS } from '../resources/index.js';
import type { BaseSpec, ResourceKind } from '../resources/types.js';

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use kebab-case: lowercase letters, digits and single hyphens');
const sentence = z.string().trim().min(1);
const url = z.string().url();

export const LAUNCH_TYPES = ['FARGATE', 'EC2', 'EXTERNAL'] as const;

/** One use of a check in a step; `params` are validated by the check's own schema. */
function checkEntrySchema(def: CheckDefinition) {
  return z
    .object({
      check: z.literal(def.id),
      id: kebab.optional().describe('id of this check in reports; defaults to the check kind id'),
      params: def.params,
      controls: z.array(z.string()).optional().describe('controls this use maps to, beyond the check kind\'s own'),
      docs: z.array(url).optional(),
    })
    .strict();
}

function resourceSchemas(kinds: readonly ResourceKind<BaseSpec>[]) {
  return kinds.map((k) => k.schema as unknown as z.ZodObject<{ type: z.ZodLiteral<string> }>);
}

/** Builds the whole-file schema from the given registries (tests build it with fakes). */
export function buildScenariosSchema(checks: readonly CheckDefinition[] = CHECKS, kinds: readonly ResourceKind<BaseSpec>[] = RESOURCE_KINDS) {
  const checkEntries = checks.map(checkEntrySchema);
  const checkEntry =
    checkEntries.length === 1
      ? checkEntries[0]!
      : z.discriminatedUnion('check', checkEntries as unknown as [ReturnType<typeof checkEntrySchema>, ...ReturnType<typeof checkEntrySchema>[]]);
  const resourceSchemasList = resourceSchemas(kinds);
  const resource =
    resourceSchemasList.length === 1
      ? resourceSchemasList[0]!
      : z.discriminatedUnion('type', resourceSchemasList as unknown as [z.ZodObject<{ type: z.ZodLiteral<string> }>, ...z.ZodObject<{ type: z.ZodLiteral<string> }>[]]);

  const hints = z.tuple([sentence, sentence, sentence]).describe('three levels: a nudge; the API field or command to look at; the full solution');
  const common = {
    id: kebab,
    title: sentence,
    why: sentence.describe('why it matters, in 2-4 sentences'),
    hints,
    controls: z.array(z.string()).default([]).describe('Security Hub ECS.x, Prowler and Checkov ids'),
    docs: z.array(url).default([]),
  };
  const checkStep = z
    .object({
      kind: z.literal('check'),
      ...common,
      checks: z.array(checkEntry).min(1),
      solution: z
        .object({
          text: sentence,
          cli: z.array(z.string()).default([]).describe('the AWS CLI commands a learner would type'),
        })
        .strict(),
    })
    .strict();
  const quizStep = z
    .object({
      kind: z.literal('quiz'),
      ...common,
      question: sentence,
      choices: z
        .array(z.object({ id: z.string().regex(/^[a-z0-9]+$/, 'a short id such as a, b, c'), text: sentence }).strict())
        .min(2),
      answer: z.string(),
      explanation: sentence,
    })
    .strict();
  const step = z.discriminatedUnion('kind', [checkStep, quizStep]);

  const scenario = z
    .object({
      id: kebab,
      case: z.number().int().min(1),
      title: sentence,
      question: sentence.describe('the case question the scenario answers'),
      briefing: sentence,
      launchTypes: z.array(z.enum(LAUNCH_TYPES)).min(1),
      resources: z.array(resource).default([]),
      steps: z.array(step).min(1),
    })
    .strict()
    .superRefine((s, ctx) => {
      const seen = new Set<string>();
      s.steps.forEach((st, i) => {
        if (seen.has(st.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id "${st.id}"` });
        seen.add(st.id);
        if (st.kind === 'quiz' && !st.choices.some((c) => c.id === st.answer)) {
          ctx.addIssue({
            code: 'custom',
            path: ['steps', i, 'answer'],
            message: `answer "${st.answer}" is not one of the choices (valid: ${st.choices.map((c) => c.id).join(', ')})`,
          });
        }
        if (st.kind === 'check') {
          const ids = new Set<string>();
          st.checks.forEach((c, j) => {
            const id = (c as { id?: string }).id ?? (c as { check: string }).check;
            if (ids.has(id)) {
              ctx.addIssue({ code: 'custom', path: ['steps', i, 'checks', j], message: `two checks in step "${st.id}" would both be reported as "${id}": give one an id` });
            }
            ids.add(id);
          });
        }
      });
      const names = new Set<string>();
      s.resources.forEach((r, i) => {
        const key = `${(r as BaseSpec).type}/${(r as BaseSpec).name}`;
        if (names.has(key)) ctx.addIssue({ code: 'custom', path: ['resources', i, 'name'], message: `duplicate resource ${key}` });
        names.add(key);
      });
    });

  return z
    .object({
      $schema: z.string().optional(),
      version: z.literal(1),
      shared: z.object({ resources: z.array(resource).default([]) }).strict().default({ resources: [] }),
      scenarios: z.array(scenario).min(1),
    })
    .strict()
    .superRefine((f, ctx) => {
      const ids = new Set<string>();
      f.scenarios.forEach((s, i) => {
        if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'id'], message: `duplicate scenario id "${s.id}"` });
        ids.add(s.id);
      });
    });
}

export const scenariosFileSchema = buildScenariosSchema();

/** Types come from the schema, with the registry-dependent parts widened. */
type Raw = z.infer<typeof scenariosFileSchema>;
export type ScenarioFile = Raw;
export type Scenario = Raw['scenarios'][number];
export type Step = Scenario['steps'][number];
export type CheckStep = Extract<Step, { kind: 'check' }>;
export type QuizStep = Extract<Step, { kind: 'quiz' }>;
export interface CheckEntry {
  check: string;
  id?: string;
  params: unknown;
  controls?: string[];
  docs?: string[];
}
export type ResourceSpec = BaseSpec & Record<string, unknown>;

/** JSON Schema of scenarios.yaml, for editors. */
export function scenariosJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenariosFileSchema, { io: 'input', unrepresentable: 'any', reused: 'ref' }) as Record<string, unknown>;
}
