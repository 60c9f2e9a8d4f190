/**
 * The terminal the UI draws on: its size (following resizes), whether animation is allowed
 * (a TTY and no screen reader) and whether the linear screen-reader layout is wanted.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import { useIsScreenReaderEnabled, useStdout } from 'ink';

export interface Ui {
  columns: number;
  rows: number;
  /** Rows between the header and the footer. */
  bodyRows: number;
  animate: boolean;
  screenReader: boolean;
  /** Colours in the text (as Ink's chalk decides: off for FORCE_COLOR=0, which NO_COLOR, --no-color and TERM=dumb set). */
  color: boolean;
}

export interface UiOverrides {
  columns?: number;
  rows?: number;
  animate?: boolean;
}

const UiContext = createContext<Ui>({ columns: 80, rows: 24, bodyRows: 21, animate: false, screenReader: false, color: false });

/** The colour decision of Ink's chalk (supports-color), for text coloured before Ink sees it. */
export function colorFor(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): boolean {
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false' || env.NO_COLOR !== undefined || env.TERM === 'dumb') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return true;
  return Boolean(stream.isTTY);
}

export const UiProvider = UiContext.Provider;

export function useUi(): Ui {
  return useContext(UiContext);
}

/** Measures the terminal, following resize events; `overrides` fix the size (tests, benchmarks). */
export function useTerminal(overrides: UiOverrides = {}): Ui {
  const { stdout } = useStdout();
  const screenReader = useIsScreenReaderEnabled();
  const read = () => ({ columns: overrides.columns ?? (stdout.columns || 80), rows: overrides.rows ?? (stdout.rows || 24) });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (overrides.columns !== undefined && overrides.rows !== undefined) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, overrides.columns, overrides.rows]);
  const columns = Math.max(40, size.columns);
  const rows = Math.max(12, size.rows);
  return {
    columns,
    rows,
    bodyRows: rows - 3,
    animate: (overrides.animate ?? Boolean(stdout.isTTY)) && !screenReader,
    screenReader,
    color: colorFor(stdout),
  };
}
