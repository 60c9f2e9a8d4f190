import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the import boundary of ARCHITECTURE.md', () => {
  it('forbids adapter libraries and adapter modules in engine, checks and iam code', async () => {
    expect(await lint('src/scenarios/x.ts', "import { App } from '@slack/bolt';\nexport const a = App;\n")).not.toEqual([]);
    expect(await lint('src/checks/x.ts', "import { render } from 'ink';\nexport const a = render;\n")).not.toEqual([]);
    expect(await lint('src/iam/x.ts', "import http from 'node:http';\nexport const a = http;\n")).not.toEqual([]);
    expect(await lint('src/scenarios/x.ts', "import { main } from '../cli.js';\nexport const a = main;\n")).not.toEqual([]);
    expect(await lint('src/checks/x.ts', "import { startSandbox } from '../sandbox/index.js';\nexport const a = startSandbox;\n")).not.toEqual([]);
  });

  it('allows them in adapters', async () => {
    expect(await lint('src/cli/x.ts', "import http from 'node:http';\nexport const a = http;\n")).toEqual([]);
    expect(await lint('src/scenarios/x.ts', "import { z } from 'zod';\nexport const a = z;\n")).toEqual([]);
  });
});
