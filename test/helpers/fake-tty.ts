/**
 * A terminal for Ink without a real one: the stdout and stdin streams it reads (isTTY, size,
 * raw mode, 'readable' input), for tests and the TUI benchmark that run the whole app.
 */
import { EventEmitter } from 'node:events';

/** Strips ANSI escape sequences. */
export const plain = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

export class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  /** Everything written, unless `onWrite` takes it instead. */
  out = '';
  onWrite: ((s: string) => void) | undefined;
  write = (s: string) => {
    if (this.onWrite) this.onWrite(s);
    else this.out += s;
    return true;
  };
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  constructor() {
    super();
    // As a real stream does: input that arrived before anyone listened is announced to the first
    // reader (here, Ink subscribing after its first render).
    this.on('newListener', (event: string) => {
      if (event === 'readable' && this.data !== null) setImmediate(() => this.emit('readable'));
    });
  }
  press(s: string) {
    this.data = s;
    this.emit('readable');
  }
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setRawMode() {}
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}
