/** Reading state without a tracking view. */
import type { RequestContext } from './types.js';

/**
 * A regional service's state in the request's account and Region as stored: not through the
 * tracking view of a changing request (so reading it marks nothing for the journal), and never
 * created. Undefined when the service holds no state there yet.
 */
export function storedState<T>(ctx: Pick<RequestContext, 'everyRegion' | 'region'>, name: string): T | undefined {
  return ctx.everyRegion<T>(name).find((r) => r.region === ctx.region)?.state;
}
