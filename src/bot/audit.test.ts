import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createAuditLog, createBoltLogger, scrub, type AuditEntry } from './audit.js';

function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('audit log', () => {
  it('writes one JSON line per entry with team, user, channel, command, outcome and duration', () => {
    const { lines, stream } = sink();
    createAuditLog(stream).record({ team: 'T1', user: 'UA', channel: 'C1', command: 'check', scenario: 'secrets', outcome: 'ok', status: 'fail', durationMs: 42 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', log: 'ecs-lab-audit', team: 'T1', user: 'UA', channel: 'C1', command: 'check', scenario: 'secrets', outcome: 'ok', status: 'fail', durationMs: 42 });
  });

  it('redacts secret-named fields even if a caller passes them', () => {
    const { lines, stream } = sink();
    const entry = {
      team: 'T1',
      user: 'UA',
      command: 'creds',
      outcome: 'ok',
      durationMs: 1,
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG',
      token: 'xoxb-123',
      credentials: { accessKeyId: 'AKIAX', secretAccessKey: 'nested-secret' },
      details: { signingSecret: 'abc', password: 'Pl4nted' },
    } as unknown as AuditEntry;
    createAuditLog(stream).record(entry);
    const line = lines[0]!;
    for (const secret of ['wJalrXUtnFEMI', 'xoxb-123', 'AKIAX', 'nested-secret', '"abc"', 'Pl4nted']) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({ secretAccessKey: '[redacted]', token: '[redacted]', credentials: '[redacted]', details: { signingSecret: '[redacted]', password: '[redacted]' } });
  });
});

describe("Bolt's log", () => {
  it('scrubs Slack tokens and secret-looking assignments', () => {
    expect(scrub('token xoxb-1234-abcd failed')).toBe('token [redacted] failed');
    expect(scrub('app xapp-1-A0-123 bad')).toBe('app [redacted] bad');
    expect(scrub('{"secretAccessKey":"abc/def"}')).toBe('{"secretAccessKey":[redacted]}');
    expect(scrub('password=hunter2 ok')).toBe('password=[redacted] ok');
  });

  it('honours its level and scrubs every message', () => {
    const { lines, stream } = sink();
    const log = createBoltLogger(LogLevel.WARN, stream);
    log.info('not shown');
    log.warn('bad token xoxb-9-9');
    log.setLevel(LogLevel.DEBUG);
    log.debug({ token: 'xoxp-1' });
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/xox[bp]-/);
  });
});
