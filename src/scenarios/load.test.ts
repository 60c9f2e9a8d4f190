import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { loadScenarios, parseScenarios } from './load.js';
import { CHECKS_BY_ID } from '../checks/index.js';

const mini = readFileSync(new URL('../../test/fixtures/mini-scenarios.yaml', import.meta.url), 'utf8');

/** Each mistake: a replacement in the valid file, and what the one-line error must say. */
const MISTAKES: Array<{ name: string; from: string; to: string; expect: RegExp }> = [
  { name: 'YAML syntax error', from: 'title: Demo scenario', to: 'title: [Demo scenario', expect: /^s\.yaml:\d+:\d+: YAML syntax error/ },
  { name: 'unknown check id, listing the valid ones', from: 'check: resource-tags', to: 'check: resource-tagz', expect: /^s\.yaml:59:13: .*checks\[0\]\.check: unknown check "resource-tagz" \(valid: aws-read, resource-tags, ecs-no-privileged/ },
  { name: 'bad enum value, listing the valid ones', from: 'launchTypes: [FARGATE]', to: 'launchTypes: [LAMBDA]', expect: /^s\.yaml:13:19: scenarios\[0\]\.launchTypes\[0\]: invalid value \(valid: FARGATE, EC2, EXTERNAL\)/ },
  { name: 'unknown field', from: '        why: Tag-based', to: '        wyh: typo\n        why: Tag-based', expect: /^s\.yaml:\d+:\d+: scenarios\[0\]\.steps\[1\]\.wyh: unknown field "wyh"/ },
  { name: 'missing required field', from: '    question: Is the group closed?\n', to: '', expect: /^s\.yaml:\d+:\d+: scenarios\[0\]\.question: required field is missing/ },
  { name: 'wrong hint count', from: 'hints: [h1, h2, h3]', to: 'hints: [h1, h2]', expect: /^s\.yaml:\d+:\d+: scenarios\[0\]\.steps\[2\]\.hints/ },
  { name: 'quiz answer not among choices', from: 'answer: a', to: 'answer: c', expect: /answer "c" is not one of the choices \(valid: a, b\)/ },
  { name: 'bad check parameter', from: 'op: eq, value: 0.0.0.0/0', to: 'op: notequal, value: 0.0.0.0/0', expect: /params\.expect\.op: invalid value \(valid: eq, ne/ },
  { name: 'unknown resource type', from: 'type: ec2-security-group', to: 'type: ec2-sg', expect: /resources\[0\]\.type: unknown type "ec2-sg" \(valid: .*ec2-security-group/ },
  { name: 'duplicate step id', from: 'id: tagged', to: 'id: closed', expect: /steps\[1\]\.id: duplicate step id "closed"/ },
  { name: 'text with ": " that YAML reads as a mapping', from: 'explanation: Because a is right.', to: 'explanation: { Because: a is right }', expect: /^s\.yaml:\d+:\d+: scenarios\[0\]\.steps\[2\]\.explanation: expected string, got a mapping/ },
];

describe('scenarios.yaml loading', () => {
  it('accepts the fixture', () => {
    const s = parseScenarios(mini, 's.yaml');
    expect(s.scenarios[0]!.steps.map((x) => x.id)).toEqual(['closed', 'tagged', 'quiz']);
  });

  for (const m of MISTAKES) {
    it(`reports ${m.name} with file:line:column`, () => {
      const text = mini.replace(m.from, m.to);
      expect(text).not.toBe(mini);
      expect(() => parseScenarios(text, 's.yaml')).toThrow(m.expect);
    });
  }

  it('loads the shipped scenarios.yaml: six scenarios in case order, every check registered', () => {
    const s = loadScenarios();
    expect(s.scenarios.map((x) => x.id)).toEqual(['patching', 'task-roles', 'network-isolation', 'secrets', 'capabilities', 'tag-access']);
    expect(s.scenarios.map((x) => x.case)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const sc of s.scenarios) for (const st of sc.steps) if (st.kind === 'check') for (const c of st.checks) expect(CHECKS_BY_ID.has(c.check)).toBe(true);
  });

  it('the CLI exits 2 with a one-line file:line message for each mistake, before any AWS call', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-yaml-'));
    for (const m of MISTAKES.slice(0, 6)) {
      const file = path.join(dir, 's.yaml');
      writeFileSync(file, mini.replace(m.from, m.to));
      let err = '';
      const io = {
        stdout: { write: () => true } as unknown as NodeJS.WritableStream,
        stderr: { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream,
        stdin: process.stdin,
        // an endpoint nobody listens on: a load error must come first
        env: { ECS_LAB_SCENARIOS: file, ECS_LAB_HOME: dir, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
      };
      const code = await main(['check', 'demo'], io);
      expect(code).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(/^ecs-lab: .*s\.yaml:\d+:\d+: /);
    }
  });
});
