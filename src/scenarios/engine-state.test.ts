import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProgressStore } from '../store/store.js';
import { createEngine, type Engine } from './engine.js';
import { miniScenarios } from '../../test/helpers/mini.js';

const scenarios = miniScenarios();

let store: ProgressStore;
let engine: Engine;
beforeEach(() => {
  store = new ProgressStore(':memory:');
  engine = createEngine({
    scenarios,
    store,
    learner: 'alice',
    connect: () => Promise.reject(new Error('no AWS in these tests')),
  });
});
afterEach(() => store.close());

describe('engine.state', () => {
  it('knows nothing of a scenario never touched', () => {
    expect(engine.state('demo')).toEqual({ id: 'demo', started: false, steps: {}, hintLevels: {} });
  });

  it('reports the last check run per step, right quiz answers as pass, and hint levels per step', () => {
    store.recordCheck({
      learner: 'alice',
      scenario: 'demo',
      status: 'fail',
      passed: 1,
      total: 3,
      durationMs: 5,
      apiCalls: 2,
      target: 'local',
      steps: [
        { id: 'closed', status: 'pass' },
        { id: 'tagged', status: 'fail' },
        { id: 'quiz', status: 'fail' },
      ],
    });
    engine.answer('demo', 'quiz', 'a');
    engine.hint('demo', 'tagged');
    engine.hint('demo', 'tagged');
    expect(engine.state('demo')).toMatchObject({ steps: { closed: 'pass', tagged: 'fail', quiz: 'pass' }, hintLevels: { tagged: 2 } });
    // another learner's progress is not this one's
    store.recordHint('bob', 'demo', 'closed', 3);
    expect(engine.state('demo').hintLevels).toEqual({ tagged: 2 });
  });

  it('is started after a start and not after a later reset', () => {
    store.recordEvent('alice', 'demo', 'start');
    expect(engine.state('demo').started).toBe(true);
    store.recordEvent('alice', 'demo', 'reset');
    expect(engine.state('demo').started).toBe(false);
    store.recordEvent('alice', 'demo', 'start');
    expect(engine.state('demo').started).toBe(true);
  });

  it('names the valid scenarios for an unknown id', () => {
    expect(() => engine.state('nope')).toThrow(/valid: demo/);
  });
});
