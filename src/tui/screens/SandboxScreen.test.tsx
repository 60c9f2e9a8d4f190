import { afterEach, describe, expect, it } from 'vitest';
import { KEY, renderTui, row, scriptedEngine, type Tui } from '../../../test/helpers/tui.js';
import { miniScenarios } from '../../../test/helpers/mini.js';

const mini = miniScenarios();

let tui: Tui | undefined;
afterEach(() => tui?.unmount());

describe('sandbox panel', () => {
  it('shows target, endpoint, account and the AWS CLI export lines, with the credentials hidden until asked for', async () => {
    const { engine } = scriptedEngine(mini);
    tui = await renderTui(engine);
    await tui.waitFor('account 000000000000');
    await tui.press('e');
    const f = await tui.waitFor('For the AWS CLI in another terminal');
    expect(row(f, 'target')).toContain('local: the embedded sandbox, started by this terminal UI');
    expect(row(f, 'endpoint')).toContain('http://127.0.0.1:4566');
    expect(row(f, 'account')).toContain('000000000000');
    expect(row(f, 'region')).toContain('us-east-1');
    expect(row(f, 'learner')).toContain('alice');
    expect(f).toContain('export AWS_ENDPOINT_URL=http://127.0.0.1:4566');
    expect(f).toContain('export AWS_REGION=us-east-1');
    expect(f).toContain('--endpoint-url http://127.0.0.1:4566');
    expect(row(f, 'AWS_ACCESS_KEY_ID')).toBe('   export AWS_ACCESS_KEY_ID=••••••••');
    expect(row(f, 'AWS_SECRET_ACCESS_KEY')).toBe('   export AWS_SECRET_ACCESS_KEY=••••••••');
    expect(f).toContain('press v to show them');
    await tui.press('v');
    const shown = await tui.waitFor('export AWS_ACCESS_KEY_ID=test');
    expect(shown).toContain('export AWS_SECRET_ACCESS_KEY=test');
    await tui.press('v');
    await tui.waitFor('export AWS_ACCESS_KEY_ID=••••••••');
    await tui.press(KEY.esc);
    await tui.waitFor('Overall');
  });

  it('never shows the learner\'s own credentials, only where they come from', async () => {
    const { engine } = scriptedEngine(mini);
    tui = await renderTui(engine, { credentials: { kind: 'environment' } });
    await tui.press('e');
    const f = await tui.waitFor('For the AWS CLI');
    expect(f).toContain('# credentials: the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY already in your environment');
    expect(f).not.toContain('export AWS_ACCESS_KEY_ID');
    expect(f).not.toContain('v show');
    await tui.press('v');
    expect(tui.frame()).not.toContain('export AWS_ACCESS_KEY_ID');
  });

  it('explains a target that cannot be reached and retries on enter', async () => {
    const { engine, script } = scriptedEngine(mini);
    script.fail = { connect: 'Cannot reach the endpoint http://127.0.0.1:9 (ECONNREFUSED).' };
    tui = await renderTui(engine);
    await tui.waitFor('✖ target error');
    await tui.press('e');
    const f = await tui.waitFor('The target could not be reached');
    expect(f).toContain('ECONNREFUSED');
    expect(f).toContain('enter retry');
    script.fail = {};
    await tui.press(KEY.enter);
    await tui.waitFor('export AWS_ENDPOINT_URL=http://127.0.0.1:4566');
  });

  it('is reachable from a scenario and returns there', async () => {
    const { engine } = scriptedEngine(mini);
    tui = await renderTui(engine);
    await tui.press(KEY.enter);
    await tui.waitFor('Case 1 · demo');
    await tui.press('e');
    await tui.waitFor('Sandbox');
    await tui.press(KEY.esc);
    await tui.waitFor('Case 1 · demo');
  });
});
