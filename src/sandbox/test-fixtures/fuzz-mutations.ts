/**
 * Test support for the sandbox fuzz test: a seeded PRNG and mutations of captured, valid AWS
 * requests (JSON, form and REST bodies, headers, targets, actions, paths). Deterministic for a
 * given seed and template list.
 */

/** A raw HTTP request as captured from an SDK v3 client. */
export interface RawRequest {
  readonly method: string;
  /** Path and query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values that break naive code: prototype keys, huge and odd numbers, odd strings. */
const NASTY_STRINGS = [
  '', ' ', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype', 'valueOf',
  'a'.repeat(5000), '\u0000', '\uFFFD\uD800', '../../etc/passwd', '<x>&amp;</x>', '%00%ff', 'null', 'true', '-1',
  'arn:aws:iam::222222222222:role/constructor', '${aws:username}', '*', '?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*x',
  'sg-00000000000000000', 'vpc-ffffffffffffffffff', 'default', 'FARGATE', '1e400', 'NaN', 'Infinity',
];
const NASTY_NUMBERS = [0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER, 5001, 100000];
const NASTY_LITERALS = ['1e400', '-1e400', '1e-400', '123456789012345678901234567890', '-0', '0.0000001'];
const CONTENT_TYPES = [
  'application/x-amz-json-1.1',
  'application/x-amz-json-1.0',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/json',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  '',
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Mutation kinds, with their weights. */
const KINDS = [
  ['valid', 5],
  ['byte-flip', 14],
  ['truncate', 8],
  ['delete-field', 12],
  ['type-swap', 14],
  ['nasty-value', 8],
  ['drop-header', 7],
  ['random-operation', 10],
  ['content-type', 5],
  ['garbage', 4],
  ['deep-nesting', 4],
  ['huge-number', 4],
  ['extra-fields', 3],
  ['path-method', 2],
] as const;

/** One mutation kind's name. */
export type MutationKind = (typeof KINDS)[number][0];

/** Produces mutated requests from templates. */
export class Mutator {
  private readonly total = KINDS.reduce((n, [, w]) => n + w, 0);

  /**
   * @param random the PRNG
   * @param operations operation names of every service (valid ones to swap in)
   */
  constructor(
    private readonly random: () => number,
    private readonly operations: readonly string[],
  ) {}

  private int(max: number): number {
    return Math.floor(this.random() * max);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  private kind(): MutationKind {
    let r = this.random() * this.total;
    for (const [kind, weight] of KINDS) {
      r -= weight;
      if (r < 0) return kind;
    }
    return 'valid';
  }

  /** One mutated request from one template. */
  mutate(template: RawRequest): { kind: MutationKind; request: RawRequest } {
    const kind = this.kind();
    const headers = { ...template.headers };
    let { method, path, body } = template;
    const type = (headers['content-type'] ?? '').toLowerCase();
    const json = type.includes('json');
    const form = type.includes('form-urlencoded');
    switch (kind) {
      case 'valid':
        break;
      case 'byte-flip': {
        const bytes = Buffer.from(body);
        for (let i = 0, n = 1 + this.int(4); i < n && bytes.length > 0; i++) bytes[this.int(bytes.length)] = this.int(256);
        body = bytes;
        break;
      }
      case 'truncate':
        body = body.subarray(0, this.int(body.length + 1));
        break;
      case 'delete-field':
        body = this.editBody(body, json, form, (value) => this.deleteSomething(value), (entries) => entries.filter(() => this.random() > 0.3));
        break;
      case 'type-swap':
        body = this.editBody(body, json, form, (value) => this.replaceSomething(value, () => this.randomJson(2)), (entries) =>
          entries.map(([k, v]) => (this.random() < 0.3 ? [k, this.pick(['abc', 'true', '-5', '1.5', '', '[]', '{}'])] : [k, v])),
        );
        break;
      case 'nasty-value':
        body = this.editBody(body, json, form, (value) => this.replaceSomething(value, () => this.pick(NASTY_STRINGS)), (entries) =>
          entries.map(([k, v]) => (k !== 'Action' && k !== 'Version' && this.random() < 0.4 ? [k, this.pick(NASTY_STRINGS)] : [k, v])),
        );
        break;
      case 'drop-header': {
        const names = Object.keys(headers).filter((h) => ['content-type', 'x-amz-target', 'authorization', 'x-amz-date', 'x-amz-content-sha256'].includes(h.toLowerCase()));
        for (const name of names) if (this.random() < 0.5) delete headers[name];
        break;
      }
      case 'random-operation': {
        const op = this.random() < 0.8 ? this.pick(this.operations) : this.pick(['', '.', 'DescribeEverything', '__proto__', 'constructor', 'x'.repeat(300), 'describeVpcs']);
        const target = Object.keys(headers).find((h) => h.toLowerCase() === 'x-amz-target');
        if (target) {
          const prefix = headers[target]!.slice(0, headers[target]!.lastIndexOf('.') + 1);
          headers[target] = this.random() < 0.2 ? `${this.pick(['AmazonSSM.', 'secretsmanager.', 'Logs_20140328.', 'CloudTrail_20131101.', 'Nope.'])}${op}` : `${prefix}${op}`;
        } else if (form) {
          body = this.editBody(body, false, true, (v) => v, (entries) => {
            const out = entries.map(([k, v]): [string, string] => [k, k === 'Action' ? op : v]);
            if (this.random() < 0.3) return out.map(([k, v]): [string, string] => [k, k === 'Version' ? this.pick(['2010-05-08', '2011-06-15', '2016-11-15', '2011-01-01', '1999-01-01']) : v]);
            return out;
          });
        } else {
          path = `/${this.pick(['', 'x', '..%2F..', 'bucket?acl', '%00', this.pick(NASTY_STRINGS)])}${this.random() < 0.5 ? `?${op}` : ''}`;
        }
        break;
      }
      case 'content-type':
        headers['content-type'] = this.pick(CONTENT_TYPES);
        break;
      case 'garbage': {
        const bytes = Buffer.alloc(this.int(2048));
        for (let i = 0; i < bytes.length; i++) bytes[i] = this.int(256);
        body = bytes;
        break;
      }
      case 'deep-nesting': {
        const depth = 50 + this.int(5000);
        if (json) {
          // Spliced in as text: JSON.stringify itself recurses, and would overflow on deep values.
          const marker = '\u0000nest\u0000';
          const text = this.editBody(body, true, false, (value) => this.replaceSomething(value, () => marker), (e) => e).toString('utf8');
          const [open, close] = this.random() < 0.5 ? ['[', ']'] : ['{"a":', '}'];
          body = Buffer.from(text.replace(JSON.stringify(marker), `${open.repeat(depth)}"x"${close.repeat(depth)}`));
        } else if (form) {
          body = Buffer.concat([body, Buffer.from(`&${'A.'.repeat(depth)}member.1=x`)]);
        } else {
          path = `${path.split('?')[0]}/${'a/'.repeat(depth)}`;
        }
        break;
      }
      case 'huge-number':
        if (json) {
          // Literal-level: numbers JSON.stringify cannot write (1e400 overflows a double).
          const text = body.toString('utf8').replace(/(:\s*)(-?[0-9]+(\.[0-9]+)?)/, (_m, sep: string) => `${sep}${this.pick(NASTY_LITERALS)}`);
          body = Buffer.from(text === body.toString('utf8') ? this.editBody(body, true, false, (v) => this.replaceSomething(v, () => this.pick(NASTY_NUMBERS)), (e) => e) : text);
        } else {
          body = this.editBody(body, false, form, (v) => v, (entries) =>
            entries.map(([k, v]): [string, string] => (/^[0-9]+$/.test(v) || this.random() < 0.2 ? [k, this.pick(NASTY_LITERALS)] : [k, v])),
          );
        }
        break;
      case 'extra-fields':
        body = this.editBody(body, json, form, (value) => {
          if (value && typeof value === 'object' && !Array.isArray(value)) {
            for (let i = 0; i < 3; i++) value[this.pick(NASTY_STRINGS)] = this.randomJson(2);
          }
          return value;
        }, (entries) => [...entries, [this.pick(['Filter.1.Name', 'Tags.member.1.Key', 'MaxResults', 'NextToken', 'Marker', 'DryRun']), this.pick(NASTY_STRINGS)]]);
        break;
      case 'path-method':
        method = this.pick(['GET', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS', 'POST']);
        if (this.random() < 0.5) path = `${path}${path.includes('?') ? '&' : '?'}${this.pick(['tagging', 'policy', 'list-type=2', 'delete', 'location', 'Action=DescribeVpcs'])}`;
        break;
    }
    if (method === 'GET' || method === 'HEAD') body = Buffer.alloc(0);
    return { kind, request: { method, path, headers, body } };
  }

  private editBody(
    body: Buffer,
    json: boolean,
    form: boolean,
    editJson: (value: Json) => Json,
    editForm: (entries: [string, string][]) => [string, string][],
  ): Buffer {
    const text = body.toString('utf8');
    if (json) {
      let value: Json;
      try {
        value = text === '' ? {} : (JSON.parse(text) as Json);
      } catch {
        return body;
      }
      return Buffer.from(JSON.stringify(editJson(value)) ?? '');
    }
    if (form) {
      const entries = [...new URLSearchParams(text)];
      return Buffer.from(new URLSearchParams(editForm(entries)).toString());
    }
    return body;
  }

  /** Paths to every value inside a JSON value. */
  private paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    if (prefix.length > 0) out.push(prefix);
    if (Array.isArray(value)) value.forEach((v, i) => this.paths(v, [...prefix, i], out));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) this.paths(v, [...prefix, k], out);
    return out;
  }

  private replaceSomething(value: Json, make: () => Json): Json {
    const all = this.paths(value);
    if (all.length === 0) return make();
    const path = this.pick(all);
    return setIn(value, path, make());
  }

  private deleteSomething(value: Json): Json {
    const all = this.paths(value);
    if (all.length === 0) return value;
    const path = this.pick(all);
    return setIn(value, path, undefined);
  }

  private randomJson(depth: number): Json {
    const r = this.int(depth > 0 ? 8 : 5);
    switch (r) {
      case 0: return null;
      case 1: return this.random() < 0.5;
      case 2: return this.pick(NASTY_NUMBERS);
      case 3: return this.pick(NASTY_STRINGS);
      case 4: return this.int(100);
      case 5: return [this.randomJson(depth - 1), this.randomJson(depth - 1)];
      default: return { [this.pick(NASTY_STRINGS)]: this.randomJson(depth - 1), key: this.randomJson(depth - 1) };
    }
  }
}

/** A copy of `root` with the value at `path` replaced (or deleted when `value` is undefined). */
function setIn(root: Json, path: readonly (string | number)[], value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(root)) {
    const copy = [...root];
    if (rest.length === 0 && value === undefined) copy.splice(Number(head), 1);
    else copy[Number(head)] = setIn(copy[Number(head)] ?? null, rest, value);
    return copy;
  }
  if (root && typeof root === 'object') {
    const copy: { [key: string]: Json } = { ...root };
    if (rest.length === 0 && value === undefined) delete copy[head];
    else copy[head] = setIn(copy[head] ?? null, rest, value);
    return copy;
  }
  return root;
}
