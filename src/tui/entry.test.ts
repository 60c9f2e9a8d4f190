import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bridgeNoColor, main } from '../cli.js';

describe('bridgeNoColor', () => {
  it('turns NO_COLOR, --no-color and TERM=dumb into FORCE_COLOR=0, which Ink honours', () => {
    const cases: Array<[Record<string, string | undefined>, boolean, string | undefined]> = [
      [{ NO_COLOR: '1' }, false, '0'],
      [{ NO_COLOR: '1', FORCE_COLOR: '3' }, false, '0'],
      [{}, true, '0'],
      [{ TERM: 'dumb' }, false, '0'],
      [{ TERM: 'xterm-256color' }, false, undefined],
      [{ FORCE_COLOR: '1' }, false, '1'],
    ];
    for (const [env, flag, expected] of cases) {
      const e = { ...env };
      bridgeNoColor(e, flag);
      expect(e.FORCE_COLOR, JSON.stringify([env, flag])).toBe(expected);
    }
  });
});

describe('bare ecs-lab without a terminal', () => {
  const run = async (stdoutTTY: boolean, stdinTTY: boolean) => {
    let out = '';
    const stdout = Object.assign(new PassThrough(), { isTTY: stdoutTTY });
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const stdin = Object.assign(new PassThrough(), { isTTY: stdinTTY });
    const env = { ECS_LAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-bare-')), ECS_LAB_LEARNER: 'alice' };
    const code = await main([], { stdout, stderr: new PassThrough(), stdin, env });
    return { code, out };
  };

  it('prints the scenario list as text when stdout or stdin is not a TTY (CONTRACT §3)', async () => {
    for (const [o, i] of [
      [false, false],
      [true, false],
      [false, true],
    ] as const) {
      const { code, out } = await run(o, i);
      expect(code).toBe(0);
      expect(out).toMatch(/^ 1\. patching +\[\.+\] 0\/7/m);
      expect(out).not.toContain('Overall');
    }
  });
});
