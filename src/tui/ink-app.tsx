/**
 * The interactive part of the terminal UI: Ink and React, loaded after the first frame is on
 * screen (a separate chunk of the bundle).
 */
import { render } from 'ink';
import type { CredentialSource } from '../aws/credentials.js';
import { App } from './App.js';
import type { LabSession } from './session.js';

// for bench/tui, which measures the built code the app runs
export { render } from 'ink';
export { createElement } from 'react';
export { App } from './App.js';
export { LabSession } from './session.js';

export interface InkAppOptions {
  session: LabSession;
  region: string;
  credentials: CredentialSource;
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
  /** Written just before Ink's first frame (clears a first frame painted without Ink). */
  before?: string;
}

/**
 * How Ink renders: the app handles Ctrl+C itself (to stop the sandbox cleanly), keeps the console
 * out of the frame, and may draw up to 120 frames a second, so a key never waits long for the
 * throttle (results streaming in are drawn at most every 40 ms by the session anyway).
 */
export const INK_OPTIONS = { exitOnCtrlC: false, patchConsole: false, maxFps: 120 } as const;

/** Renders the App until the learner quits; rejects when Ink fails. */
export async function runInkApp(o: InkAppOptions): Promise<void> {
  if (o.before) o.stdout.write(o.before);
  const instance = render(<App engine={o.session.engine} session={o.session} region={o.region} credentials={o.credentials} />, {
    stdout: o.stdout,
    stdin: o.stdin,
    stderr: o.stderr,
    ...INK_OPTIONS,
  });
  const onSignal = () => instance.unmount();
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  try {
    await instance.waitUntilExit();
  } finally {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGHUP', onSignal);
  }
}
