/**
 * The frame's fixed lines as pure functions (header, footer) and the painter that turns lines into
 * terminal text. Ink draws the same lines; `paint` lets the first frame appear before Ink has even
 * loaded (first-frame.ts).
 */
import type { ConnectionView } from './session.js';
import { fitKeys, truncate, type KeyHint, type Line, type ToneName } from './text.js';

export function connectionLabel(c: ConnectionView): { text: string; tone: ToneName } {
  if (c.state === 'ready' && c.target) {
    const where = c.target.endpoint ? ` ${c.target.endpoint.replace(/^https?:\/\//, '')}` : ` ${c.target.region}`;
    const what = c.target.kind === 'local' ? 'local sandbox' : c.target.kind === 'endpoint' ? 'endpoint' : 'AWS';
    return { text: `● ${what}${where} · account ${c.account ?? '?'}`, tone: 'good' };
  }
  if (c.state === 'error') return { text: '✖ target error (e for details)', tone: 'bad' };
  return { text: '◌ connecting…', tone: 'dim' };
}

/** The top line, `width` columns: the app and learner on the left, the target on the right. */
export function headerLine(c: ConnectionView, learner: string, width: number): Line {
  const status = connectionLabel(c);
  const left = `ecs-lab · ${learner}`;
  const room = Math.max(0, width - left.length - 2);
  const right = status.text.length <= room ? status.text : room > 1 ? `…${status.text.slice(status.text.length - room + 1)}` : '';
  const gap = Math.max(1, width - left.length - right.length);
  return [
    { text: 'ecs-lab', tone: 'accent', bold: true },
    { text: truncate(` · ${learner}`, Math.max(0, width - 7)), tone: 'dim' },
    { text: ' '.repeat(gap) },
    { text: right, tone: status.tone },
  ];
}

export function footerLine(keys: readonly KeyHint[], width: number): Line {
  return [{ text: fitKeys(keys, width), tone: 'dim' }];
}

/** Colours by meaning: they only ever add to a symbol and a word. */
const SGR: Partial<Record<ToneName, [number, number]>> = { good: [32, 39], bad: [31, 39], warn: [33, 39], info: [36, 39], accent: [36, 39], dim: [2, 22] };

/** A line's segments as terminal text: SGR colours (as chalk writes them) when `color`. */
export function styleLine(l: Line, color: boolean): string {
  let out = '';
  for (const s of l) {
    if (!s.text) continue;
    const codes = color ? [s.tone ? SGR[s.tone] : undefined, s.bold ? ([1, 22] as [number, number]) : undefined].filter((c): c is [number, number] => Boolean(c)) : [];
    out += `${codes.map(([on]) => `\u001b[${on}m`).join('')}${s.text}${codes.map(([, off]) => `\u001b[${off}m`).reverse().join('')}`;
  }
  return out;
}

/** A line as terminal text, cut to `width` columns, one column of padding on the left. */
export function paintLine(l: Line, width: number, color: boolean): string {
  let used = 1;
  const cut: Line = [];
  for (const s of l) {
    const text = truncate(s.text, Math.max(0, width - used));
    used += text.length;
    cut.push({ ...s, text });
  }
  return ` ${styleLine(cut, color)}`.trimEnd();
}
