/**
 * Grammar for the differential corpus: random but deterministic (seeded) policies and requests that
 * cover every feature of the evaluator. Each case records the features it exercises, so the test can
 * show coverage and tie any disagreement with the oracle to a listed, documented difference.
 */
import { principalContext } from '../../src/iam/context.js';
import { A, B, KEYS, OPERATORS, PRINCIPALS, TARGETS, UNRELATED_ACTIONS, UNRELATED_RESOURCES } from './corpus-pools.js';
import type { KeySpec, Target } from './corpus-pools.js';
import { Random } from './prng.js';

export type Encoding = 'object' | 'json' | 'url';

export interface CorpusPolicy {
  id: string;
  doc: Record<string, unknown>;
  encoding: Encoding;
}

export interface CorpusCase {
  id: number;
  features: string[];
  request: { principal: string; action: string; resource: string; resourceAccount: string; context: Record<string, string | string[]> };
  identity: CorpusPolicy[];
  boundary: CorpusPolicy | undefined;
  session: CorpusPolicy | undefined;
  resource: CorpusPolicy | undefined;
  /** The resource policy is a role trust policy (also checked with evaluateTrust). */
  trust: boolean;
}

type Statement = Record<string, unknown>;

class CaseBuilder {
  readonly features = new Set<string>();

  constructor(
    readonly rng: Random,
    readonly target: Target,
    readonly resource: string,
    readonly caller: string,
  ) {}

  tag(feature: string): void {
    this.features.add(feature);
  }

  /** Records a feature and passes the value through. */
  tagged<T>(feature: string, value: T): T {
    this.features.add(feature);
    return value;
  }

  randomCase(text: string): string {
    return [...text].map((ch) => (this.rng.chance(0.5) ? ch.toUpperCase() : ch.toLowerCase())).join('');
  }

  actionPattern(): string {
    const { rng, target } = this;
    const [service, name] = target.action.split(':') as [string, string];
    const roll = rng.next();
    if (roll < 0.22) return target.action;
    if (roll < 0.3) return this.tagged('action-case', this.randomCase(target.action));
    if (roll < 0.42) return this.tagged('action-service-wildcard', `${service}:*`);
    if (roll < 0.52) return this.tagged('action-prefix-wildcard', `${service}:${name.slice(0, rng.int(1, name.length - 1))}*`);
    if (roll < 0.58) return this.tagged('action-suffix-wildcard', `${service}:*${name.slice(rng.int(1, name.length - 1))}`);
    if (roll < 0.64) {
      this.tag('action-single-char-wildcard');
      const i = rng.int(0, name.length - 1);
      return `${service}:${name.slice(0, i)}?${name.slice(i + 1)}`;
    }
    if (roll < 0.68) return this.tagged('action-star', '*');
    if (roll < 0.72) return `${service}:${name}x`;
    if (roll < 0.86) return rng.pick(target.siblings);
    return rng.pick(UNRELATED_ACTIONS);
  }

  resourcePattern(variables: boolean): string {
    const { rng, resource } = this;
    if (resource === '*') return rng.chance(0.7) ? '*' : rng.pick([`arn:aws:ecs:us-east-1:${A}:cluster/*`, 'arn:aws:ec2:*:*:instance/*']);
    const fields = resource.split(':');
    const [, , service = '', region = '', account = ''] = fields;
    const rest = fields.slice(5).join(':');
    const roll = rng.next();
    if (roll < 0.16) return '*';
    if (roll < 0.32) return resource;
    if (roll < 0.42) return this.tagged('resource-wildcard', `${resource.slice(0, resource.lastIndexOf('/') + 1 || resource.length - 4)}*`);
    if (roll < 0.48) return this.tagged('resource-wildcard', `${resource.slice(0, resource.length - rng.int(1, 6))}*`);
    if (roll < 0.53) {
      this.tag('resource-single-char-wildcard');
      const i = rng.int(resource.length - rest.length + 1, resource.length - 1);
      return `${resource.slice(0, i)}?${resource.slice(i + 1)}`;
    }
    if (roll < 0.58) return this.tagged('resource-segment-wildcard', ['arn', 'aws', service, '*', rng.chance(0.5) ? '*' : account, rest].join(':'));
    if (roll < 0.61) return this.tagged('resource-short-arn', `arn:aws:${service}:*`);
    if (roll < 0.64) return this.tagged('resource-case', resource.slice(0, resource.length - rest.length) + rest.replace(/[a-z]+(?=[^a-z]*$)/, (m) => m.toUpperCase()));
    if (roll < 0.67) return this.tagged('resource-type-wildcard', `arn:aws:${service}:${region}:${account}:*${rest.slice(rest.search(/[/:]/))}`);
    if (roll < 0.84) {
      this.tag('resource-variable');
      if (!variables) this.tag('version-literal-variables');
      const base = resource.slice(0, resource.length - rest.length);
      const v = rng.pick([
        () => `${rest.startsWith('lab-audit') ? `lab-audit-${A}/AWSLogs/` : rest.slice(0, rest.search(/[/:]/) + 1)}\${aws:username}*`,
        () => `${rest.slice(0, rest.search(/[/:]/) + 1)}*\${aws:PrincipalTag/env}*`,
        () => `${rest.slice(0, rest.search(/[/:]/) + 1)}*\${aws:PrincipalTag/team, 'auth'}*`,
        () => `${rest.slice(0, rest.search(/[/:]/) + 1)}\${*}`,
        () => `${rest.slice(0, rest.search(/[/:]/) + 1)}*\${aws:PrincipalTag/nope}*`,
      ])();
      // A variable before any '/' or ':' of the resource part (AWS's sqs '${aws:username}-queue' example).
      if (variableBeforeType(v)) this.tag('variable-before-resource-type');
      return base + v;
    }
    return rng.pick(UNRELATED_RESOURCES);
  }

  conditionValue(spec: KeySpec, variables: boolean): string {
    const { rng } = this;
    if (spec.kind === 'date-iso' && rng.chance(0.06)) return this.tagged('date-epoch-vs-iso', '1704067200');
    if (spec.kind === 'date-epoch' && rng.chance(0.06)) return this.tagged('date-epoch-vs-iso', '2024-01-01T00:00:00Z');
    const value = rng.pick(spec.policy);
    if (value.includes('${')) {
      this.tag(value.includes("'") ? 'condition-variable-default' : /\$\{[*?$]\}/.test(value) ? 'variable-escape' : 'condition-variable');
      if (!variables) this.tag('version-literal-variables');
    }
    if (value === '0.0.0.0/0') this.tag('ip-slash-zero');
    return value;
  }

  condition(variables: boolean): Record<string, Record<string, unknown>> {
    const { rng } = this;
    const block: Record<string, Record<string, unknown>> = {};
    for (let n = rng.int(1, 3); n > 0; n--) {
      const spec = rng.pick(KEYS);
      let operator: string;
      let values: unknown[];
      if (rng.chance(0.12)) {
        operator = 'Null';
        values = [rng.pick(['true', 'false', true, false])];
        this.tag('op:Null');
      } else {
        operator = rng.pick(OPERATORS[spec.kind]);
        this.tag(`op:${operator}`);
        values = Array.from({ length: rng.int(1, 3) }, () => this.conditionValue(spec, variables));
        if (spec.kind === 'bool' && rng.chance(0.3)) values = [rng.pick([true, false])];
        const setChance = spec.kind === 'multi' ? 0.85 : 0.08;
        const ifExists = rng.chance(0.15);
        if (rng.chance(setChance)) {
          const set = rng.pick(['ForAnyValue', 'ForAllValues']);
          this.tag(set);
          if (ifExists && set === 'ForAnyValue') this.tag('forany-ifexists');
          operator = `${set}:${operator}`;
        }
        if (ifExists) {
          operator = `${operator}IfExists`;
          this.tag('IfExists');
        }
      }
      const base = operator.replace(/^For(Any|All)Values?:/i, '').replace(/IfExists$/, '');
      const texts = values.map(String);
      if (['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'].includes(base) && texts.some((v) => /\$\{[*?$]\}/.test(v))) this.tag('escape-outside-like');
      if (base === 'NotIpAddress' && texts.some((v) => !v.includes('/'))) this.tag('ip-without-prefix');
      if (/^Arn/.test(base) && texts.some((v) => /^arn:[^:]*:[^:]*:[^:]*:\$\{/.test(v))) this.tag('variable-in-arn-field');
      if (/^ArnNot/.test(base) && texts.some((v) => /\$\{(?![*?$]\})/.test(v))) this.tag('unresolvable-variable-negated-arn');
      let key = spec.key;
      if (rng.chance(0.12)) key = this.tagged('key-case', this.randomCase(key.slice(0, 4)) + key.slice(4).toUpperCase());
      const entry = (block[operator] ??= {});
      if (Object.keys(entry).some((k) => k.toLowerCase() === key.toLowerCase())) continue;
      entry[key] = values.length === 1 && rng.chance(0.6) ? values[0] : [...new Set(values)];
    }
    return block;
  }

  statement(kind: 'identity' | 'resource' | 'trust', sid: string | undefined, variables: boolean, allowBias: number): Statement {
    const { rng } = this;
    const s: Statement = {};
    if (sid) s.Sid = sid;
    s.Effect = rng.chance(allowBias) ? 'Allow' : 'Deny';
    const actions = kind === 'trust' ? [rng.pick(['sts:AssumeRole', 'sts:*', 'sts:AssumeRole*', 'sts:TagSession', 'sts:AssumeRoleWithWebIdentity'])] : Array.from({ length: rng.int(1, 3) }, () => this.actionPattern());
    const notAction = kind !== 'trust' && rng.chance(0.18);
    if (notAction) this.tag('NotAction');
    s[notAction ? 'NotAction' : 'Action'] = actions.length === 1 ? actions[0] : [...new Set(actions)];
    if (kind !== 'trust' && (kind === 'identity' || rng.chance(0.7))) {
      const resources = Array.from({ length: rng.int(1, 2) }, () => this.resourcePattern(variables));
      const notResource = rng.chance(0.15);
      if (notResource) this.tag('NotResource');
      s[notResource ? 'NotResource' : 'Resource'] = resources.length === 1 ? resources[0] : [...new Set(resources)];
    }
    if (kind !== 'identity') this.principalElement(s);
    if (rng.chance(0.55)) s.Condition = this.condition(variables);
    return s;
  }

  principalElement(s: Statement): void {
    const { rng } = this;
    const entries = rng.some([`arn:aws:iam::${A}:root`, A, PRINCIPALS.roleA, PRINCIPALS.sessionA, PRINCIPALS.userA, `arn:aws:iam::${B}:root`, PRINCIPALS.userB, '*'], 2);
    const roll = rng.next();
    let element: unknown;
    if (roll < 0.1) element = this.tagged('principal-star', '*');
    else if (roll < 0.25) element = this.tagged('principal-service', { Service: rng.pick([PRINCIPALS.service, 'ec2.amazonaws.com']) });
    else if (roll < 0.35) element = this.tagged('principal-federated', { Federated: rng.pick([PRINCIPALS.oidcProvider, PRINCIPALS.cognito]) });
    else element = { AWS: entries.length === 1 ? entries[0] : entries };
    const accountLevel = entries.some((e) => /^\d{12}$/.test(String(e)) || String(e).endsWith(':root'));
    if (accountLevel) this.tag('principal-account');
    if (accountLevel && typeof element === 'object' && 'AWS' in (element as object) && this.caller === PRINCIPALS.oidcProvider) this.tag('web-identity-vs-account-principal');
    const not = s.Effect === 'Deny' && rng.chance(0.25);
    if (not) {
      this.tag('NotPrincipal');
      // Listing some but not all of the caller's identities is where AWS's documented reading and
      // the oracle part ways.
      const listed = JSON.stringify(element);
      const chain = callerChain(this.caller);
      const covered = chain.filter((ids) => listed.includes('"*"') || ids.some((id) => listed.includes(`"${id}"`)));
      if (covered.length > 0 && covered.length < chain.length) this.tag('notprincipal-partial-chain');
    }
    s[not ? 'NotPrincipal' : 'Principal'] = element;
  }

  policy(id: string, kind: 'identity' | 'resource' | 'trust', allowBias: number, maxStatements = 4): CorpusPolicy {
    const { rng } = this;
    const versionRoll = rng.next();
    const version = versionRoll < 0.88 ? '2012-10-17' : versionRoll < 0.95 ? undefined : '2008-10-17';
    const sids = rng.chance(0.5);
    const statements = Array.from({ length: rng.int(1, maxStatements) }, (_, i) => this.statement(kind, sids ? `S${i}${rng.pick(['Allow', 'Deny', 'Dev'])}` : undefined, version === '2012-10-17', allowBias));
    const doc: Record<string, unknown> = version ? { Version: version } : {};
    doc.Statement = statements.length === 1 && rng.chance(0.3) ? statements[0] : statements;
    const encoding = rng.pick<Encoding>(['object', 'json', 'json', 'url']);
    this.tag(`encoding-${encoding}`);
    return { id, doc, encoding };
  }
}

/** True when a policy variable comes before any '/' or ':' of an ARN's resource part. */
export function variableBeforeType(resourcePart: string): boolean {
  const first = resourcePart.indexOf('${');
  return first >= 0 && !/[/:]/.test(resourcePart.slice(0, first));
}

/**
 * The identities AWS may check for a caller (session, role, account), each with the spellings a
 * policy may use. Written independently of src/ so the tagging does not trust the code under test.
 */
function callerChain(caller: string): string[][] {
  const m = /^arn:aws:(iam|sts)::(\d{12}):(user|role|assumed-role)\/([^/]+)/.exec(caller);
  if (!m) return [[caller]];
  const account = [`arn:aws:iam::${m[2]}:root`, m[2] as string];
  if (m[3] === 'assumed-role') return [[caller], [`arn:aws:iam::${m[2]}:role/${m[4]}`], account];
  return [[caller], account];
}

function requestContext(rng: Random, principal: string, builder: CaseBuilder): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = { ...principalContext(principal) };
  for (const spec of KEYS) {
    if (spec.request.length === 0 || !rng.chance(0.55)) continue;
    let value = rng.pick(spec.request);
    if (spec.kind === 'multi' && rng.chance(0.08)) value = builder.tagged('set-empty-string', ['']);
    const key = rng.chance(0.1) ? builder.tagged('key-case', spec.key.toUpperCase()) : spec.key;
    context[key] = value;
  }
  return context;
}

/** Generates `count` cases from `seed`; the same arguments always give the same corpus. */
export function generateCorpus(seed: number, count: number): CorpusCase[] {
  const rng = new Random(seed);
  const cases: CorpusCase[] = [];
  for (let id = 0; id < count; id++) {
    const target = rng.pick(TARGETS);
    const resource = rng.pick(target.resources);
    const withResourcePolicy = target.resourcePolicy === 'required' || target.resourcePolicy === 'trust' || (target.resourcePolicy === 'optional' && rng.chance(0.45));
    const trust = target.resourcePolicy === 'trust';
    const principals: string[] = withResourcePolicy ? [PRINCIPALS.userA, PRINCIPALS.roleA, PRINCIPALS.sessionA, PRINCIPALS.userB, PRINCIPALS.sessionB] : [PRINCIPALS.userA, PRINCIPALS.roleA, PRINCIPALS.sessionA];
    if (trust) principals.push(PRINCIPALS.service, PRINCIPALS.service);
    if (target.action === 'sts:AssumeRoleWithWebIdentity') principals.push(PRINCIPALS.oidcProvider, PRINCIPALS.oidcProvider, PRINCIPALS.cognito);
    const principal = rng.pick(principals);
    const builder = new CaseBuilder(rng, target, resource, principal);
    const isService = principal === PRINCIPALS.service || principal === PRINCIPALS.oidcProvider || principal === PRINCIPALS.cognito;
    const identity = isService ? [] : Array.from({ length: rng.int(1, 3) }, (_, i) => builder.policy(`inline:lab-developer/p${i}`, 'identity', 0.7));
    const boundary = !isService && rng.chance(0.25) ? builder.tagged('boundary', builder.policy(`arn:aws:iam::${A}:policy/boundary`, 'identity', 0.8, 2)) : undefined;
    const sessionCapable = principal.includes(':role/') || principal.includes(':assumed-role/');
    const session = sessionCapable && rng.chance(0.25) ? builder.tagged('session', builder.policy('session-policy', 'identity', 0.8, 2)) : undefined;
    const resourceKind = trust ? 'trust' : 'resource';
    const resourcePolicy = withResourcePolicy ? builder.tagged(`${resourceKind}-policy`, builder.policy(`${resourceKind}-policy`, resourceKind, 0.7, 3)) : undefined;
    if (resourcePolicy && session && JSON.stringify(resourcePolicy.doc).includes(PRINCIPALS.sessionA)) builder.tag('session-arn-in-resource-policy');
    const resourceAccount = A;
    if (principal.includes(B)) builder.tag('cross-account');
    const context = requestContext(rng, principal, builder);
    cases.push({
      id,
      features: [...builder.features].sort(),
      request: { principal, action: target.action, resource, resourceAccount, context },
      identity,
      boundary,
      session,
      resource: resourcePolicy,
      trust,
    });
  }
  return cases;
}

/** The document as the evaluator receives it (object, JSON text, or URL-encoded JSON). */
export function encodeDocument(p: CorpusPolicy): string | object {
  if (p.encoding === 'object') return p.doc;
  const json = JSON.stringify(p.doc);
  return p.encoding === 'json' ? json : encodeURIComponent(json);
}
