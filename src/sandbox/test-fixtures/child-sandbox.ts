/** Runs a sandbox in a child process for crash tests: prints its URL, then serves until killed. */
import { startSandbox } from '../index.js';

const sandbox = await startSandbox({ port: 0, dataDir: process.argv[2] });
process.stdout.write(`${sandbox.url}\n`);
