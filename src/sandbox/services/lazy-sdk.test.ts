import { describe, expect, it } from 'vitest';
import { ensureSdk, lazySdk } from './lazy-sdk.js';

describe('lazySdk', () => {
  it('loads once on ensureSdk, serves the CommonJS exports, and refuses use before loading', async () => {
    let loads = 0;
    const sdk = lazySdk('@example/client', () => {
      loads++;
      return Promise.resolve({ default: { Op$: [9, 'ns', 'Op'] }, Op$: 'named export (ignored)' });
    });
    expect(() => (sdk as Record<string, unknown>).Op$).toThrow(/@example\/client is not loaded yet/);
    await Promise.all([ensureSdk(sdk), ensureSdk(sdk)]);
    expect(loads).toBe(1);
    expect(ensureSdk(sdk)).toBeUndefined();
    expect((sdk as Record<string, unknown>).Op$).toEqual([9, 'ns', 'Op']);
    expect('Op$' in sdk).toBe(true);
  });

  it('retries a load that failed', async () => {
    let attempt = 0;
    const sdk = lazySdk('@example/flaky', () => (++attempt === 1 ? Promise.reject(new Error('EMFILE')) : Promise.resolve({ default: { ok: 1 } })));
    await expect(ensureSdk(sdk)).rejects.toThrow('EMFILE');
    await ensureSdk(sdk);
    expect((sdk as Record<string, unknown>).ok).toBe(1);
  });
});
