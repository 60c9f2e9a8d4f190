/**
 * Bundles `ecs-lab sandbox` for a fast start (bench/sandbox-vs-moto.ts measures it):
 *
 * - dist/sandbox-bundle/main.cjs: src/cli/sandbox.ts, the sandbox and the parts of the AWS SDK
 *   it runs, in one minified CommonJS file (loading them as a hundred small ES modules took most
 *   of the start-up);
 * - dist/sandbox-bundle/schemas/<client>.cjs: each SDK client's operation schemas, which the first
 *   request to that service loads (services/lazy-sdk.ts);
 * - dist/sandbox-bundle/boot.cjs (src/cli/sandbox-boot.ts) and main.cjs.cache: V8's code cache of
 *   main.cjs, written after a warm-up run of the bundle answered the lab's first requests;
 * - dist/cli/sandbox.js, replacing the module tsc wrote there: loads the bundle through boot.cjs;
 * - dist/bin.cjs (src/bin.ts), the installed `ecs-lab`: `ecs-lab sandbox` runs the bundle without
 *   the ES module CLI, every other command imports dist/cli.js.
 *
 * Only that command uses this bundle: the CLI and the terminal UI start the sandbox in-process
 * from the unbundled modules.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, type Plugin, build } from 'esbuild';
import { NODE_BUNDLE } from './bundle-options.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'sandbox-bundle');

/** The SDK client packages the sandbox imports (for their schemas), found while bundling. */
const clients = new Set<string>();

/**
 * The sandbox loads an SDK client package for its operation schemas alone (services/lazy-sdk.ts).
 * Each package ships them as one ES module, `dist-es/schemas/schemas_0.js`, which exports the
 * same `<Op>$` tuples as the package: the bundle requires a CommonJS build of that module
 * (schemas/<client>.cjs) instead of the whole client (commands, endpoint rules, credential
 * providers, HTTP handler). Node itself cannot load that file unbundled (ES syntax in a CommonJS
 * package), so the source keeps importing the package.
 */
const schemasOnly: Plugin = {
  name: 'sdk-schemas-only',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@aws-sdk\/client-[a-z0-9-]+$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      clients.add(args.path);
      return { path: args.path, namespace: 'sdk-schemas' };
    });
    // `import()` hands over the schemas object itself as the default export (lazy-sdk.ts takes
    // it): no per-name copy of 3,000+ getters, as esbuild's CommonJS interop would make.
    pluginBuild.onLoad({ filter: /.*/, namespace: 'sdk-schemas' }, (args) => ({
      // Through the boot loader (src/cli/sandbox-boot.ts), for the code cache the warm-up writes.
      contents: `export default require('./boot.cjs').loadCommonJs(require('node:path').join(__dirname, 'schemas', ${JSON.stringify(`${args.path.slice('@aws-sdk/'.length)}.cjs`)})).exports;`,
      loader: 'js',
    }));
    pluginBuild.onResolve({ filter: /^\.\/boot\.cjs$/, namespace: 'sdk-schemas' }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * node:crypto, loaded on first use: requiring it costs every start ~5 ms, and a fresh sandbox
 * answers its first calls (sts:GetCallerIdentity, ecs:ListClusters) without it (request and event
 * ids come from services/ids.ts `uuid()`). Every import of it in the bundle - the sandbox's own
 * modules, and @smithy/core's serde module, which imports it as it loads - gets the functions it
 * names as wrappers that load the module on their first call. Importing any other name fails the
 * build ("No matching export"): add it to the list.
 */
const LAZY_CRYPTO_FUNCTIONS = ['createHash', 'createHmac', 'getRandomValues', 'randomBytes', 'randomInt', 'timingSafeEqual'];
const lazyCrypto: Plugin = {
  name: 'lazy-node-crypto',
  setup(pluginBuild) {
    // The wrappers' own require() is the real module.
    pluginBuild.onResolve({ filter: /^(node:)?crypto$/ }, (args) => (args.namespace === 'lazy-crypto' ? undefined : { path: 'node:crypto', namespace: 'lazy-crypto' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-crypto' }, () => ({
      contents: [
        'let loaded;',
        "const load = () => (loaded ??= require('node:crypto'));",
        ...LAZY_CRYPTO_FUNCTIONS.map((name) => `export function ${name}(...args) { return load().${name}(...args); }`),
      ].join('\n'),
      loader: 'js',
    }));
  },
};

function schemasFile(client: string): string {
  const file = path.join(root, 'node_modules', client, 'dist-es', 'schemas', 'schemas_0.js');
  if (!existsSync(file)) throw new Error(`build:sandbox: ${client} has no dist-es/schemas/schemas_0.js (SDK layout changed?)`);
  return file;
}

/**
 * One client's schemas as CommonJS whose exports are a plain object. esbuild's usual CommonJS
 * export (a getter function per name) cost EC2's 3,405 schemas ~12 MB of resident memory.
 */
async function buildSchemas(client: string): Promise<void> {
  const file = schemasFile(client);
  const probe = await build({ ...COMMONJS, entryPoints: [file], format: 'esm', write: false, metafile: true, outdir: outDir, minify: false });
  const names = Object.entries(probe.metafile!.outputs).find(([out]) => out.endsWith('.js'))?.[1].exports ?? [];
  if (names.length === 0) throw new Error(`build:sandbox: ${client}'s schemas module exports nothing (SDK layout changed?)`);
  await build({
    ...COMMONJS,
    stdin: { contents: `import { ${names.join(', ')} } from ${JSON.stringify(file)};\nmodule.exports = { ${names.join(', ')} };\n`, resolveDir: root, sourcefile: `${client}-schemas.js` },
    outdir: undefined,
    outfile: path.join(outDir, 'schemas', `${client.slice('@aws-sdk/'.length)}.cjs`),
  });
}

const COMMONJS: BuildOptions = {
  ...NODE_BUNDLE,
  format: 'cjs',
  splitting: false,
  banner: {},
  // import() becomes require(): the bundle runs as a vm.Script, which has no module loader.
  supported: { 'dynamic-import': false },
  absWorkingDir: root,
  // The ES module builds of the SDK's dependencies: esbuild drops what the sandbox never calls.
  mainFields: ['module', 'main'],
};

rmSync(outDir, { recursive: true, force: true });
rmSync(path.join(root, 'dist', 'sandbox-chunks'), { recursive: true, force: true });
await build({
  ...COMMONJS,
  entryPoints: ['src/cli/sandbox.ts'],
  outdir: undefined,
  outfile: path.join(outDir, 'main.cjs'),
  external: ['better-sqlite3', 'pino'],
  plugins: [schemasOnly, lazyCrypto],
  // The global Web Crypto object loads node:crypto when first touched, and @smithy/core's UUID
  // helper touches it as it loads; without it, that helper uses the wrapped getRandomValues.
  define: { crypto: 'undefined' },
});
for (const client of clients) await buildSchemas(client);
await build({ ...COMMONJS, entryPoints: ['src/cli/sandbox-boot.ts'], outdir: undefined, outfile: path.join(outDir, 'boot.cjs') });
// The installed `ecs-lab` (src/bin.ts): CommonJS; it requires boot.cjs (one loader, one set of
// caches, with the bundle's own calls), and its import() of the ES module CLI stays an import().
await build({
  ...NODE_BUNDLE,
  format: 'cjs',
  splitting: false,
  absWorkingDir: root,
  entryPoints: ['src/bin.ts'],
  outdir: undefined,
  outfile: path.join(root, 'dist', 'bin.cjs'),
  external: ['./cli.js', './sandbox-bundle/boot.cjs'],
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(path.join(root, 'dist', 'bin.cjs'), 0o755);

writeFileSync(
  path.join(root, 'dist', 'cli', 'sandbox.js'),
  `// Written by scripts/build-sandbox.ts: \`ecs-lab sandbox\` runs the bundle in ../sandbox-bundle.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
const boot = createRequire(import.meta.url)('../sandbox-bundle/boot.cjs');
const dir = fileURLToPath(new URL('../sandbox-bundle/', import.meta.url));
export async function runSandboxCommand(args, io) {
  return boot.sandboxBundleFor(dir, io).runSandboxCommand(args, io);
}
`,
);

/**
 * The warm-up: a plain \`node\` (no flags, so V8 accepts the cache in the same runs later) starts
 * the bundle, answers the lab's first requests (the start-up probe, an ECS read and write) and
 * writes the code cache of every function that ran.
 */
const warmUp = `
const http = require('node:http');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const boot = require(${JSON.stringify(path.join(outDir, 'boot.cjs'))});
boot.retainForCodeCache();
const { bundle } = boot.loadSandboxBundle(${JSON.stringify(outDir)});
function call(port, service, body, headers) {
  return new Promise((resolve, reject) => {
    const auth = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/' + service + '/aws4_request, SignedHeaders=host, Signature=0';
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { authorization: auth, 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(service + ' warm-up call answered ' + res.statusCode))));
    });
    req.on('error', reject);
    req.end(body);
  });
}
(async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-warm-up-'));
  // The bin's path into the bundle: argument parsing and --version (no server).
  const quiet = { write() { return true; } };
  await bundle.runSandboxCli(['sandbox', '--version'], { stdout: quiet, stderr: quiet, stdin: process.stdin, env: {} }, () => '0');
  const { startSandbox } = await bundle.loadServer();
  const sandbox = await startSandbox({ port: 0, dataDir: data });
  try {
    const port = new URL(sandbox.url).port;
    const query = { 'content-type': 'application/x-www-form-urlencoded' };
    const ecs = (op) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.' + op });
    for (let round = 0; round < 2; round++) {
      await call(port, 'sts', 'Action=GetCallerIdentity&Version=2011-06-15', query);
      await call(port, 'ecs', '{}', ecs('ListClusters'));
      await call(port, 'ecs', '{"clusterName":"warm-up"}', ecs('CreateCluster'));
      await call(port, 'ecs', '{"clusters":["warm-up"]}', ecs('DescribeClusters'));
    }
  } finally {
    await sandbox.close();
    rmSync(data, { recursive: true, force: true });
  }
  console.log(boot.writeCodeCache(${JSON.stringify(outDir)}));
})().catch((error) => { console.error(error); process.exit(1); });
`;
const env = { ...process.env };
delete env.NODE_OPTIONS; // tsx's loader, and any V8 flags, would make the cache unusable later
const warm = spawnSync(process.execPath, ['-e', warmUp], { env, encoding: 'utf8' });
if (warm.status !== 0) throw new Error(`build:sandbox: the code-cache warm-up failed: ${warm.stderr || warm.stdout}`);

const kB = (file: string) => `${Math.round(statSync(path.join(outDir, file)).size / 1024)} kB`;
console.log(`build:sandbox: dist/sandbox-bundle/main.cjs ${kB('main.cjs')} (code cache ${kB('main.cjs.cache')}), schemas of ${clients.size} SDK clients loaded on demand`);
