import { describe, expect, it } from 'vitest';
import { Redactor, REDACTED } from './redact.js';

describe('Redactor', () => {
  it('replaces every registered value, longest first', () => {
    const r = new Redactor();
    r.add('hunter2-secret');
    r.add('hunter2-secret-and-more');
    expect(r.redact('a hunter2-secret-and-more b hunter2-secret c')).toBe(`a ${REDACTED} b ${REDACTED} c`);
  });

  it('ignores values too short to be secrets', () => {
    const r = new Redactor();
    r.add('ab');
    expect(r.redact('ab cab')).toBe('ab cab');
  });

  it('catches credential-shaped text it was not told about', () => {
    const r = new Redactor();
    expect(r.redact('key AKIAABCDEFGHIJKLMNOP here')).toBe(`key ${REDACTED} here`);
    expect(r.redact('DB_PASSWORD=swordfish, next')).toBe(`DB_PASSWORD=${REDACTED}, next`);
    expect(r.redact('splunk-token: abc123')).toBe(`splunk-token: ${REDACTED}`);
  });

  it('leaves IAM actions and ARNs readable, and still redacts a pair written after one', () => {
    const r = new Redactor();
    const text =
      "Action 'secretsmanager:GetSecretValue' covers secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:123456789012:secret:lab/db-password-AbCdEf; sts:GetSessionToken is not needed.";
    expect(r.redact(text)).toBe(text);
    expect(r.redact('arn:aws:ssm:us-east-1:123456789012:parameter/db, password=swordfish')).toBe(`arn:aws:ssm:us-east-1:123456789012:parameter/db, password=${REDACTED}`);
  });

  it('leaves ordinary sentences alone', () => {
    const r = new Redactor();
    const text = 'Task definition order-service:3, container app: environment variable DB_HOST is set.';
    expect(r.redact(text)).toBe(text);
  });
});
