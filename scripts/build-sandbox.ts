/**
 * Bundles `ecs-lab sandbox` (src/cli/sandbox.ts, the sandbox and the parts of the AWS SDK it uses
 * for its operation schemas) into dist/cli/sandbox.js, replacing the module tsc wrote there.
 * Loading the sandbox as a hundred small modules plus each SDK client's dozens of CommonJS files
 * took most of its start-up; one minified file, with each SDK client's schemas in a chunk of
 * their own that the first request to that service loads (services/lazy-sdk.ts), answers the
 * first request within a Node start-up or two (bench/sandbox-vs-moto.ts). Only that command uses this bundle:
 * the CLI and the terminal UI start the sandbox in-process from the unbundled modules.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Plugin, build } from 'esbuild';
import { NODE_BUNDLE } from './bundle-options.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The sandbox loads an SDK client package for its operation schemas alone (services/lazy-sdk.ts).
 * Each package ships them as one ES module, `dist-es/schemas/schemas_0.js`, which exports the
 * same `<Op>$` tuples as the package: the bundle takes that module instead of the whole client
 * (commands, endpoint rules, credential providers, HTTP handler), which the first request to a
 * service then no longer has to load. Node itself cannot load that file unbundled (ES syntax in
 * a CommonJS package), so the source keeps importing the package.
 */
const schemasOnly: Plugin = {
  name: 'sdk-schemas-only',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@aws-sdk\/client-[a-z0-9-]+$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const file = path.join(root, 'node_modules', args.path, 'dist-es', 'schemas', 'schemas_0.js');
      if (!existsSync(file)) throw new Error(`build:sandbox: ${args.path} has no dist-es/schemas/schemas_0.js (SDK layout changed?)`);
      return { path: file };
    });
  },
};

rmSync(path.join(root, 'dist/sandbox-chunks'), { recursive: true, force: true });
const result = await build({
  ...NODE_BUNDLE,
  metafile: true,
  absWorkingDir: root,
  entryPoints: { 'cli/sandbox': 'src/cli/sandbox.ts' },
  entryNames: '[dir]/[name]',
  chunkNames: 'sandbox-chunks/[name]-[hash]',
  external: ['better-sqlite3', 'pino'],
  plugins: [schemasOnly],
  // The ES module builds of the SDK's dependencies: esbuild drops what the sandbox never calls.
  mainFields: ['module', 'main'],
});

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const size = (file: string) => `${Math.round(result.metafile.outputs[file]!.bytes / 1024)} kB`;
console.log(`build:sandbox: dist/cli/sandbox.js ${size('dist/cli/sandbox.js')}, ${outputs.length - 1} chunk(s) loaded on demand`);
