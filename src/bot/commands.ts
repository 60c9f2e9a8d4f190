/**
 * `/ecslab` text -> a typed command (CONTRACT §7). Pure: validation against the catalog happens
 * where the command runs; here only the shape is checked.
 */

export type LabCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'progress' }
  | { kind: 'whoami' }
  | { kind: 'creds'; rotate: boolean }
  | { kind: 'start' | 'check'; scenario: string }
  | { kind: 'hint' | 'solution'; scenario: string; step?: string }
  | { kind: 'answer'; scenario: string; step: string; choice: string }
  | { kind: 'reset'; scenario: string | null }
  | { kind: 'cohort'; action: 'start' | 'join'; name: string }
  | { kind: 'cohort'; action: 'board' | 'report' | 'end' };

export type ParsedCommand =
  | { ok: true; command: LabCommand }
  /** `unknown` is a word that is no subcommand (help follows); `usage` a subcommand used wrongly. */
  | { ok: false; reason: 'unknown' | 'usage'; message: string };

/** The subcommand names, for audit lines (never the raw text a user typed). */
export const SUBCOMMANDS = ['help', 'list', 'start', 'check', 'hint', 'solution', 'answer', 'progress', 'reset', 'creds', 'whoami', 'cohort'] as const;

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const COHORT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

const usage = (message: string): ParsedCommand => ({ ok: false, reason: 'usage', message });
const ok = (command: LabCommand): ParsedCommand => ({ ok: true, command });

function id(word: string | undefined, what: string, example: string): string | ParsedCommand {
  if (!word) return usage(`${what} is missing: ${example}`);
  const lower = word.toLowerCase();
  if (!ID.test(lower)) return usage(`"${word.slice(0, 40)}" is not a valid ${what}: ${example}`);
  return lower;
}

/** Parses the text after `/ecslab`. */
export function parseCommand(text: string): ParsedCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  // `--step S` is accepted as in the CLI.
  const stepFlag = words.indexOf('--step');
  let flagStep: string | undefined;
  if (stepFlag >= 0) {
    flagStep = words[stepFlag + 1];
    words.splice(stepFlag, 2);
    if (!flagStep) return usage('--step needs a step id: `/ecslab hint secrets --step no-plaintext`');
  }
  const [first, ...rest] = words;
  const sub = (first ?? 'help').toLowerCase();
  switch (sub) {
    case 'help':
    case 'list':
    case 'progress':
    case 'whoami':
      return ok({ kind: sub });
    case 'creds':
      if (rest.length === 0) return ok({ kind: 'creds', rotate: false });
      if (rest.length === 1 && rest[0]!.toLowerCase() === 'rotate') return ok({ kind: 'creds', rotate: true });
      return usage('Usage: `/ecslab creds` or `/ecslab creds rotate`');
    case 'start':
    case 'check': {
      const s = id(rest[0], 'scenario id', `\`/ecslab ${sub} secrets\``);
      return typeof s === 'string' ? ok({ kind: sub, scenario: s }) : s;
    }
    case 'hint':
    case 'solution': {
      const s = id(rest[0], 'scenario id', `\`/ecslab ${sub} secrets [step]\``);
      if (typeof s !== 'string') return s;
      const stepWord = flagStep ?? rest[1];
      if (stepWord === undefined) return ok({ kind: sub, scenario: s });
      const step = id(stepWord, 'step id', `\`/ecslab ${sub} secrets no-plaintext\``);
      return typeof step === 'string' ? ok({ kind: sub, scenario: s, step }) : step;
    }
    case 'answer': {
      const s = id(rest[0], 'scenario id', '`/ecslab answer secrets rotation b`');
      if (typeof s !== 'string') return s;
      const step = id(flagStep ?? rest[1], 'step id', '`/ecslab answer secrets rotation b`');
      if (typeof step !== 'string') return step;
      const choice = id(flagStep ? rest[1] : rest[2], 'choice', '`/ecslab answer secrets rotation b`');
      return typeof choice === 'string' ? ok({ kind: 'answer', scenario: s, step, choice }) : choice;
    }
    case 'reset': {
      if (rest[0]?.toLowerCase() === 'all' || rest[0] === '--all') return ok({ kind: 'reset', scenario: null });
      const s = id(rest[0], 'scenario id', '`/ecslab reset secrets` (or `all`)');
      return typeof s === 'string' ? ok({ kind: 'reset', scenario: s }) : s;
    }
    case 'cohort': {
      const action = rest[0]?.toLowerCase();
      if (action === 'start' || action === 'join') {
        const name = rest[1];
        if (!name || !COHORT_NAME.test(name)) return usage(`Usage: \`/ecslab cohort ${action} <name>\` (1-40 letters, digits, . _ -)`);
        return ok({ kind: 'cohort', action, name });
      }
      if (action === 'board' || action === 'report' || action === 'end') return ok({ kind: 'cohort', action });
      return usage('Usage: `/ecslab cohort start|join <name>` or `/ecslab cohort board|report|end`');
    }
    default:
      return { ok: false, reason: 'unknown', message: `"${sub.slice(0, 40)}" is not an /ecslab command.` };
  }
}

/** A short audit label: `check`, `cohort start`, … (never free text). */
export function commandLabel(c: LabCommand): string {
  return c.kind === 'cohort' ? `cohort ${c.action}` : c.kind;
}
