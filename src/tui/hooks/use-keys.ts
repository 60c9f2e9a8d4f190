/**
 * useInput, one key at a time. Ink hands over a burst of plain keys that arrive in one read
 * ("jj\r" when keys repeat or the event loop was busy) as a single string; a keyboard-driven UI
 * must see each of them.
 */
import { useInput, type Key } from 'ink';

const NONE: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** The keys of a burst of plain input, one by one. */
export function splitKeys(input: string): Array<[string, Key]> {
  return [...input].map((ch): [string, Key] => {
    if (ch === '\r' || ch === '\n') return ['', { ...NONE, return: true }];
    if (ch === '\t') return ['', { ...NONE, tab: true }];
    if (ch === '\u007f' || ch === '\b') return ['', { ...NONE, backspace: true }];
    return [ch, { ...NONE, shift: /[A-Z]/.test(ch) }];
  });
}

export function useKeys(handler: (input: string, key: Key) => void, options: { isActive?: boolean } = {}): void {
  useInput((input, key) => {
    if (input.length > 1 && !key.ctrl && !key.meta && !input.includes('\u001b')) {
      for (const [ch, k] of splitKeys(input)) handler(ch, k);
    } else handler(input, key);
  }, options);
}
