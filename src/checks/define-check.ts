/** Typed constructors for checks and their outcomes. */
import type { z } from 'zod';
import type { CheckDefinition, CheckOutcome } from './types.js';

/** Declares a check; the type of `params` flows into `run`. */
export function defineCheck<P extends z.ZodType>(def: CheckDefinition<P>): CheckDefinition<P> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(def.id)) throw new Error(`check id "${def.id}" must be kebab-case`);
  return def;
}

export const pass = (message: string, resources: string[] = []): CheckOutcome => ({ status: 'pass', message, resources });
export const fail = (message: string, resources: string[] = []): CheckOutcome => ({ status: 'fail', message, resources });
export const skip = (message: string, resources: string[] = []): CheckOutcome => ({ status: 'skip', message, resources });
export const errorOutcome = (message: string, resources: string[] = []): CheckOutcome => ({ status: 'error', message, resources });
