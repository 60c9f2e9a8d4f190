import { describe, expect, it } from 'vitest';
import { credentialSource } from './credentials.js';
import { resolveTargetSpec } from './target.js';

const keys = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };

describe('credentialSource', () => {
  it('uses the emulator keys on the local target, whatever the environment holds', () => {
    expect(credentialSource(resolveTargetSpec({}, keys), keys)).toEqual({ kind: 'emulator', accessKeyId: 'test', secretAccessKey: 'test' });
  });

  it('uses the emulator keys on an endpoint unless credentials are configured', () => {
    const spec = resolveTargetSpec({ endpoint: 'http://127.0.0.1:5000' }, {});
    expect(credentialSource(spec, {}).kind).toBe('emulator');
    expect(credentialSource(spec, keys)).toEqual({ kind: 'environment' });
    expect(credentialSource(spec, { ...keys, AWS_PROFILE: 'lab' })).toEqual({ kind: 'profile', profile: 'lab' });
  });

  it('never uses emulator keys on real AWS, and names the role to assume', () => {
    const spec = resolveTargetSpec({ target: 'aws', roleArn: 'arn:aws:iam::111122223333:role/lab' }, {});
    expect(credentialSource(spec, {})).toEqual({ kind: 'chain', roleArn: 'arn:aws:iam::111122223333:role/lab' });
    expect(credentialSource(resolveTargetSpec({ target: 'aws', profile: 'sandbox' }, {}), keys)).toEqual({ kind: 'profile', profile: 'sandbox' });
    expect(JSON.stringify(credentialSource(resolveTargetSpec({ target: 'aws' }, {}), keys))).not.toContain('secret');
  });
});
