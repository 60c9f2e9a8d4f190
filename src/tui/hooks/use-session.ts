/** Subscribes a component to the session's snapshots. */
import { useSyncExternalStore } from 'react';
import type { LabSession, Snapshot } from '../session.js';

export function useSession(session: LabSession): Snapshot {
  return useSyncExternalStore(session.subscribe, session.snapshot, session.snapshot);
}
