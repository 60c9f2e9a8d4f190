/** What the two bundles (the terminal UI, `ecs-lab sandbox`) build alike: ES modules for Node 20. */
import type { BuildOptions } from 'esbuild';

export const NODE_BUNDLE: BuildOptions = {
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: process.env.ECS_LAB_BUILD_DEBUG !== '1',
  sourcemap: 'linked',
  legalComments: 'linked',
  // CommonJS dependencies call require(); give every ES module output one.
  banner: { js: "import { createRequire as __ecsLabCreateRequire } from 'node:module'; const require = __ecsLabCreateRequire(import.meta.url);" },
  logLevel: 'warning',
};
