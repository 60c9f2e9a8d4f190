/** A counter that advances every `ms` while `active` (spinners, countdowns); frozen otherwise. */
import { useEffect, useState } from 'react';

export function useTick(active: boolean, ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [active, ms]);
  return tick;
}
