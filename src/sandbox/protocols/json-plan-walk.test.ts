/**
 * The compiled writers where code cannot be generated (node --disallow-code-generation-from-strings):
 * the same differential check on the key-walking path. A file of its own, since writers are
 * cached per shape for the life of the module.
 */
import { describe, it } from 'vitest';
import { useGeneratedWriters } from './json-plan.js';
import { compareWithSdk } from '../test-fixtures/json-compare.js';

describe('compiled awsJson output writer without generated code', () => {
  it('writes what the SDK JsonCodec writes for every output shape of the JSON services', () => {
    useGeneratedWriters(false);
    try {
      compareWithSdk();
    } finally {
      useGeneratedWriters(true);
    }
  });
});
