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
}

export interface UiOverrides {
  columns?: number;
  rows?: number;
  animate?: boolean;
}

const UiContext = createContext<Ui>({ columns: 80, rows: 24, bodyRows: 21, animate: false, screenReader: false });

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
  };
}
