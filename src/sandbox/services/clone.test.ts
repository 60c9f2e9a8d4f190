import { describe, expect, it } from 'vitest';
import { ChangeTracker, isTrackingView } from '../changes.js';
import { outputOf } from './clone.js';

describe('outputOf', () => {
  it('copies a tracking view deeply, so no view reaches a response and later changes do not either', () => {
    const state = { services: { web: { status: 'ACTIVE', deployments: [{ status: 'PRIMARY' }] } } };
    const tracker = new ChangeTracker();
    const view = tracker.view('000000000001', 'us-east-1', 'ecs', state, false, true);
    const service = view.services.web;
    expect(isTrackingView(service)).toBe(true);
    const out = outputOf({ readOnly: false }, service);
    expect(isTrackingView(out)).toBe(false);
    expect(isTrackingView(out.deployments)).toBe(false);
    service.deployments[0]!.status = 'INACTIVE';
    expect(out.deployments[0]!.status).toBe('PRIMARY');
  });

  it('copies a record the handler made, or any record of a read-only request, at its top level only', () => {
    const record = { status: 'ACTIVE', tags: [{ key: 'a', value: 'b' }] };
    for (const readOnly of [true, false]) {
      const out = outputOf({ readOnly }, record);
      expect(out).not.toBe(record);
      expect(out).toEqual(record);
      expect(out.tags).toBe(record.tags);
      delete (out as Partial<typeof out>).tags;
      expect(record.tags).toHaveLength(1);
    }
  });
});
