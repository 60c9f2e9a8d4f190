/** Colours by meaning. They only ever add to a symbol and a word; NO_COLOR removes them. */
import type { Tone } from './session.js';

export type ToneName = Tone | 'dim' | 'accent';

export function toneColor(tone: ToneName | undefined): string | undefined {
  switch (tone) {
    case 'good':
      return 'green';
    case 'bad':
      return 'red';
    case 'warn':
      return 'yellow';
    case 'info':
    case 'accent':
      return 'cyan';
    default:
      return undefined;
  }
}
