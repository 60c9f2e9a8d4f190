/**
 * Rewrites the constructs on which the evaluator intentionally differs from the oracle into forms
 * both read the same way, without changing what AWS documents them to mean where possible. After
 * this rewrite the two must agree on every case: that proves each disagreement comes from the
 * listed construct and nothing else.
 */
import type { CorpusCase, CorpusPolicy } from './corpus.js';
import { variableBeforeType } from './corpus.js';

type Json = unknown;

const ISO_KEYS = new Set(['aws:currenttime', 'aws:tokenissuetime']);
const EPOCH_KEYS = new Set(['aws:epochtime']);

function toIso(epochSeconds: string): string {
  return new Date(Number(epochSeconds) * 1000).toISOString().replace('.000Z', 'Z');
}

function toEpoch(iso: string): string {
  return String(Math.floor(Date.parse(iso) / 1000));
}

function mapValues(value: Json, fn: (v: string) => string): Json {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? fn(v) : v));
  return typeof value === 'string' ? fn(value) : value;
}

function rewriteCondition(condition: Record<string, Record<string, Json>>): Record<string, Record<string, Json>> {
  const out: Record<string, Record<string, Json>> = {};
  for (const [operator, block] of Object.entries(condition)) {
    // ForAnyValue:...IfExists -> ForAnyValue:... (the oracle ignores IfExists under ForAnyValue).
    const op = /^foranyvalue:/i.test(operator) ? operator.replace(/IfExists$/i, '') : operator;
    const base = operator.replace(/^for(any|all)values?:/i, '').replace(/ifexists$/i, '').toLowerCase();
    const target = (out[op] ??= {});
    for (const [key, value] of Object.entries(block)) {
      const lower = key.toLowerCase();
      let v = value;
      if (ISO_KEYS.has(lower)) v = mapValues(v, (s) => (/^\d+$/.test(s) ? toIso(s) : s));
      if (EPOCH_KEYS.has(lower)) v = mapValues(v, (s) => (/^\d+$/.test(s) ? s : toEpoch(s)));
      if (lower === 'aws:sourceip') v = mapValues(v, (s) => (s === '0.0.0.0/0' ? '0.0.0.0/32' : s.includes('/') ? s : `${s}/${s.includes(':') ? 128 : 32}`));
      // ${*} ${?} ${$} are the characters themselves in StringEquals too; the oracle expands them only in StringLike.
      if (/^stringn?o?t?equals(ignorecase)?$/.test(base)) v = mapValues(v, (x) => x.replace(/\$\{\*\}/g, '*').replace(/\$\{\?\}/g, '?').replace(/\$\{\$\}/g, '$'));
      // A variable in an ARN field before the resource (the account, say) becomes '*': the oracle splits the ARN at the colon inside '${aws:'.
      if (base.startsWith('arn')) v = mapValues(v, (x) => x.replace(/^(arn:[^:]*:[^:]*:[^:]*:)\$\{[^}]*\}/, '$1*'));
      // Give variables in negated ARN operators a default, so neither reader meets an unresolvable one.
      if (base.startsWith('arnnot')) v = mapValues(v, (x) => x.replace(/\$\{([^}*?$][^},]*)\}/g, "${$1, 'none'}"));
      target[key] = v;
    }
  }
  return out;
}

function chainOf(caller: string): string[] {
  const m = /^arn:aws:(iam|sts)::(\d{12}):(user|role|assumed-role)\/([^/]+)/.exec(caller);
  if (!m) return [caller];
  const root = `arn:aws:iam::${m[2]}:root`;
  return m[3] === 'assumed-role' ? [caller, `arn:aws:iam::${m[2]}:role/${m[4]}`, root] : [caller, root];
}

/**
 * A resource pattern with a variable before its resource type is read differently (the oracle takes
 * the colon of '${aws:' as the type separator); both read a plain name that matches nothing alike.
 */
function rewriteResource(pattern: string): string {
  const fields = pattern.split(':');
  if (fields.length < 6 || !variableBeforeType(fields.slice(5).join(':'))) return pattern;
  return `${fields.slice(0, 5).join(':')}:rewritten-matches-nothing`;
}

function rewriteStatement(statement: Record<string, Json>, c: CorpusCase): Record<string, Json> {
  const s = { ...statement };
  for (const element of ['Resource', 'NotResource']) {
    if (s[element] !== undefined) s[element] = mapValues(s[element], rewriteResource);
  }
  if (s.Condition) s.Condition = rewriteCondition(s.Condition as Record<string, Record<string, Json>>);
  if (s.NotPrincipal && typeof s.NotPrincipal === 'object') {
    // List the caller's whole chain once any of it is listed, so both readings spare it.
    const np = { ...(s.NotPrincipal as Record<string, Json>) };
    const aws = np.AWS === undefined ? [] : ([] as string[]).concat(np.AWS as string[]);
    const chain = chainOf(c.request.principal);
    const account = chain[chain.length - 1]?.split(':')[4];
    if (aws.some((e) => chain.includes(e) || e === account)) np.AWS = [...new Set([...aws, ...chain])];
    s.NotPrincipal = np;
  }
  if (c.request.principal.includes(':oidc-provider/')) {
    // A web identity is named only by Principal.Federated; the oracle also reads the provider ARN's
    // account as the caller's, so account-level AWS entries are moved to an account neither matches.
    for (const element of ['Principal', 'NotPrincipal']) {
      const p = s[element] as Record<string, Json> | string | undefined;
      if (p && typeof p === 'object' && p.AWS !== undefined) {
        s[element] = { ...p, AWS: mapValues(p.AWS, (e) => (/^\d{12}$/.test(e) || e.endsWith(':root') ? 'arn:aws:iam::999999999999:root' : e)) };
      }
    }
  }
  if (s.Principal && c.session && typeof s.Principal === 'object') {
    // A session ARN in a resource policy becomes its role ARN (the oracle caps both by the session policy).
    const text = JSON.stringify(s.Principal).replace(/arn:aws:sts::(\d{12}):assumed-role\/([^/"]+)\/[^"]+/g, 'arn:aws:iam::$1:role/$2');
    s.Principal = JSON.parse(text) as Json;
  }
  return s;
}

function rewritePolicy(p: CorpusPolicy | undefined, c: CorpusCase): CorpusPolicy | undefined {
  if (!p) return undefined;
  const statements = Array.isArray(p.doc.Statement) ? p.doc.Statement : [p.doc.Statement];
  const doc = {
    // Policy variables are literal text without Version 2012-10-17; the oracle always substitutes.
    Version: '2012-10-17',
    Statement: (statements as Record<string, Json>[]).map((s) => rewriteStatement(s, c)),
  };
  return { ...p, doc };
}

/** The case with every intentionally different construct rewritten. */
export function normalizeCase(c: CorpusCase): CorpusCase {
  const context: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(c.request.context)) {
    // [''] is an empty data set for AWS; [] says the same to both evaluators.
    context[key] = Array.isArray(value) ? value.filter((v) => v !== '') : value;
  }
  return {
    ...c,
    request: { ...c.request, context },
    identity: c.identity.map((p) => rewritePolicy(p, c) as CorpusPolicy),
    boundary: rewritePolicy(c.boundary, c),
    session: rewritePolicy(c.session, c),
    resource: rewritePolicy(c.resource, c),
  };
}
