/**
 * Plain-text layout for the terminal UI: word wrap, truncation and the words and symbols that
 * carry each status (colour only ever adds to them). Layout is computed here, line by line, so a
 * screen knows exactly how many rows it uses at 80x24.
 */
import type { ShownStatus, Tone } from './session.js';

/** What a piece of text means; frame.ts maps it to a colour (dropped with NO_COLOR). */
export type ToneName = Tone | 'dim' | 'accent';

/** A piece of a line with one style. */
export interface Seg {
  text: string;
  tone?: ToneName;
  bold?: boolean;
}
/** One terminal row, pre-laid-out: screens know their height exactly. */
export type Line = Seg[];

/** One line of one segment. */
export function line(text: string, tone?: ToneName, bold?: boolean): Line {
  return [{ text, tone, bold }];
}

/** The plain text of a line. */
export function lineText(l: Line): string {
  return l.map((s) => s.text).join('');
}

/** Wraps text to `width` columns; paragraphs (blank lines) are kept, single newlines reflowed. */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(8, width);
  const out: string[] = [];
  const paragraphs = text.trim().split(/\n\s*\n/);
  paragraphs.forEach((para, i) => {
    if (i > 0) out.push('');
    let line = '';
    for (let word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length <= w) {
        line += ` ${word}`;
        continue;
      }
      if (line) out.push(line);
      line = '';
      // ARNs and URLs can be longer than a line: break them hard
      while (word.length > w) {
        out.push(word.slice(0, w));
        word = word.slice(w);
      }
      line = word;
    }
    if (line) out.push(line);
  });
  return out;
}

/** Cuts text to `width` columns, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

/** Pads or cuts to exactly `width` columns. */
export function fit(text: string, width: number): string {
  return truncate(text, width).padEnd(width);
}

/** The symbol and word of each status: the meaning never rests on colour. */
export const STATUS: Record<ShownStatus, { symbol: string; word: string; tone: Tone | 'dim' }> = {
  pass: { symbol: '✔', word: 'pass', tone: 'good' },
  fail: { symbol: '✖', word: 'fail', tone: 'bad' },
  error: { symbol: '!', word: 'error', tone: 'warn' },
  skip: { symbol: '-', word: 'skipped', tone: 'dim' },
  unknown: { symbol: '•', word: 'not checked', tone: 'dim' },
};

/** A text progress bar that reads without colour: filled and empty cells differ in shape. */
export function bar(done: number, total: number, width: number): string {
  const cells = Math.max(1, width);
  const filled = total > 0 ? Math.round((done / total) * cells) : 0;
  return `${'█'.repeat(filled)}${'░'.repeat(cells - filled)}`;
}

export interface KeyHint {
  key: string;
  label: string;
}

/** Keys that stay in the footer whatever the width: the way back, the full list and the way out. */
const ESSENTIAL = new Set(['esc', '?', 'q']);

/**
 * The footer line: as many key hints as fit in `width`, in priority order, always keeping the
 * essential ones (esc back, ? help, q quit).
 */
export function fitKeys(keys: readonly KeyHint[], width: number): string {
  const render = (ks: readonly KeyHint[]) => ks.map((k) => `${k.key} ${k.label}`).join('  ');
  const optional = keys.filter((k) => !ESSENTIAL.has(k.key));
  for (let n = optional.length; n >= 0; n--) {
    const keep = new Set(optional.slice(0, n));
    const line = render(keys.filter((k) => ESSENTIAL.has(k.key) || keep.has(k)));
    if (line.length <= width) return line;
  }
  return truncate(render(keys.filter((k) => ESSENTIAL.has(k.key))), width);
}

/** "12:03:04" for a timestamp, in local time. */
export function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
