/**
 * The scenario view as lines: the step checklist, the focused step's details (check results with
 * message, resources and controls; hints; solution; quiz choices), the start offer and the
 * provisioning log. Pure functions of the session's view, so layout is testable without Ink.
 */
import type { Scenario, Step } from '../../scenarios/schema.js';
import type { Line } from '../components/Lines.js';
import { line } from '../components/Lines.js';
import type { ScenarioView, StepView } from '../session.js';
import { clock, STATUS, truncate, wrap } from '../text.js';

const STATUS_WIDTH = 14;

/** "✖ fail", "• not checked", or the spinner and "checking" while the step runs. */
export function statusCell(step: StepView, spin: string): Line {
  if (step.running) return [{ text: `${spin} checking`.padEnd(STATUS_WIDTH), tone: 'info' }];
  const s = STATUS[step.status];
  return [{ text: `${s.symbol} ${s.word}`.padEnd(STATUS_WIDTH), tone: s.tone, bold: step.status === 'fail' }];
}

/** One row of the checklist; `focus` marks the focused step (›), `dimFocus` a focus kept while answering. */
export function stepRow(step: StepView, index: number, width: number, opts: { focused: boolean; focusActive: boolean; spin: string }): Line {
  const marker = opts.focused ? (opts.focusActive ? '› ' : '· ') : '  ';
  const changed = step.changedFrom && !step.running ? `  ◆ changed, was ${STATUS[step.changedFrom].word}` : '';
  const title = `${index + 1}. ${step.title}${step.kind === 'quiz' ? ' (quiz)' : ''}`;
  const room = width - marker.length - STATUS_WIDTH - changed.length;
  return [
    { text: marker, tone: 'accent', bold: true },
    ...statusCell(step, opts.spin),
    { text: truncate(title, Math.max(10, room)), bold: opts.focused },
    { text: changed, tone: 'warn', bold: true },
  ];
}

/** The run state line: progress of the run in progress, or the last run's verdict, and watch mode. */
export function runLine(view: ScenarioView, spin: string, now: number): Line {
  const parts: Line = [];
  if (view.phase === 'checking') {
    const running = view.steps.findIndex((s) => s.running);
    parts.push({ text: `${spin} checking${running >= 0 ? ` step ${running + 1} of ${view.steps.length}` : ''}…`, tone: 'info' });
  } else if (view.phase === 'starting') {
    parts.push({ text: `${spin} starting: ${view.startLog.length} resource(s) so far…`, tone: 'info' });
  } else if (view.phase === 'resetting') {
    parts.push({ text: `${spin} resetting: deleting what the lab created, then verifying…`, tone: 'info' });
  } else if (view.lastRun) {
    const r = view.lastRun;
    const verdict = r.status === 'pass' ? `✔ all ${r.total} steps pass` : r.status === 'error' ? `! ${r.passed} of ${r.total} steps pass, some state could not be read` : `✖ ${r.passed} of ${r.total} steps pass`;
    parts.push({ text: verdict, tone: r.status === 'pass' ? 'good' : r.status === 'error' ? 'warn' : 'bad', bold: true });
    parts.push({ text: ` · checked ${clock(r.at)} · ${r.durationMs} ms · ${r.apiCalls} API calls`, tone: 'dim' });
  } else {
    const known = view.steps.filter((s) => s.status !== 'unknown');
    parts.push({
      text: known.length ? `${known.filter((s) => s.status === 'pass').length} of ${view.steps.length} steps passed at the last check` : 'not checked yet',
      tone: 'dim',
    });
  }
  if (view.watching) {
    const next = view.nextCheckAt && view.phase === 'idle' ? `, next check in ${Math.max(0, Math.ceil((view.nextCheckAt - now) / 1000))} s` : '';
    parts.push({ text: `  ◉ watching${next}`, tone: 'accent', bold: true });
  }
  return parts;
}

export interface DetailOptions {
  width: number;
  /** Choice cursor, when the learner is choosing an answer. */
  choiceCursor?: number;
}

function labelled(label: string, text: string, width: number, tone?: Line[number]['tone']): Line[] {
  const pad = ' '.repeat(label.length);
  return wrap(text, width - label.length).map((l, i) => [
    { text: i === 0 ? label : pad, tone: 'dim' },
    { text: l, tone },
  ]);
}

/** A URL after its label, or alone on the next line when that keeps it whole (it is copied, not read). */
function link(label: string, url: string, width: number): Line[] {
  if (label.length + url.length <= width) return [[{ text: label, tone: 'dim' }, { text: url, tone: 'dim' }]];
  const indent = ' '.repeat(Math.max(0, Math.min(label.length, width - url.length)));
  return [[{ text: label.trimEnd(), tone: 'dim' }], ...wrap(url, width - indent.length).map((u) => [{ text: indent }, { text: u, tone: 'dim' as const }])];
}

/** The details of one step: result of its checks, hints and solution shown, quiz, why it matters. */
export function stepDetail(step: Step, view: StepView, sv: ScenarioView, index: number, opts: DetailOptions): Line[] {
  const w = opts.width;
  const s = STATUS[view.status];
  const out: Line[] = [
    [
      { text: `${index + 1}. ${step.title}`, bold: true },
      { text: view.running ? '  checking…' : `  ${s.symbol} ${s.word}`, tone: view.running ? 'info' : s.tone, bold: true },
    ],
  ];

  if (step.kind === 'quiz') {
    out.push(...labelled('Question: ', step.question, w));
    step.choices.forEach((c, i) => {
      const focused = opts.choiceCursor === i;
      const prefix = `${focused ? '  › ' : '    '}${c.id}) `;
      wrap(c.text, w - prefix.length).forEach((l, j) =>
        out.push([
          { text: j === 0 ? prefix : ' '.repeat(prefix.length), tone: 'accent', bold: focused },
          { text: l, bold: focused },
        ]),
      );
    });
    const a = sv.answers[step.id];
    if (a?.correct) out.push(...labelled('✔ Right. ', a.explanation ?? '', w, 'good'));
    else if (a) out.push(...labelled('✖ Not right: ', `"${a.choice}" is not the answer. Press enter to try another.`, w, 'bad'));
    else if (opts.choiceCursor === undefined) out.push(line(view.status === 'pass' ? 'Answered right before.' : 'Press enter to answer.', 'dim'));
  }

  for (const h of sv.hints[step.id] ?? []) {
    out.push(...labelled(h.final ? `Hint ${h.level} of 3 (the solution): ` : `Hint ${h.level} of 3: `, h.text, w, 'info'));
  }
  const sol = sv.solutions[step.id];
  if (sol) {
    out.push(...labelled('Solution: ', sol.text, w, 'info'));
    for (const cmd of sol.cli) out.push(...wrap(cmd, w - 4).map((l, i) => [{ text: i === 0 ? '  $ ' : '    ', tone: 'dim' as const }, { text: l }]));
  }

  if (step.kind === 'check') {
    if (view.checks.length === 0) {
      out.push(line(view.running ? 'Checking…' : view.status === 'unknown' ? 'Not checked yet: press c to check.' : 'Press c to check again and see each check.', 'dim'));
    } else {
      const ordered = [...view.checks].sort((a, b) => Number(a.status === 'pass') - Number(b.status === 'pass'));
      for (const c of ordered) {
        const cs = STATUS[c.status];
        const head = `${cs.symbol} ${cs.word.padEnd(5)} `;
        out.push([
          { text: head, tone: cs.tone, bold: c.status !== 'pass' },
          { text: c.id, bold: c.status !== 'pass' },
        ]);
        const indent = ' '.repeat(head.length);
        const msg = wrap(c.message, w - indent.length);
        for (const m of c.status === 'pass' ? msg.slice(0, 1) : msg) out.push([{ text: indent }, { text: m, tone: c.status === 'pass' ? 'dim' : undefined }]);
        if (c.status !== 'pass') {
          for (const r of c.resources) out.push(...labelled(`${indent}resource: `, r, w, 'dim'));
          if (c.controls.length) out.push(...labelled(`${indent}controls: `, c.controls.join(', '), w));
          if (c.docs[0]) out.push(...link(`${indent}docs: `, c.docs[0], w));
        }
      }
    }
  }

  out.push(...labelled('Why it matters: ', step.why, w, 'dim'));
  if (step.controls.length) out.push(...labelled('Controls: ', step.controls.join(', '), w, 'dim'));
  const hintsLeft = 3 - (sv.hintLevels[step.id] ?? 0);
  if (view.status !== 'pass' && hintsLeft > 0 && !sol) out.push(line(`h: hint (${hintsLeft} left)  s: solution`, 'dim'));
  return out;
}

/** The offer to start a scenario not started: the key first, then the briefing. */
export function startOffer(s: Scenario, width: number, target: string): Line[] {
  const lead = '▶ Press enter to start. ';
  const rest = wrap(`This builds the scenario's insecure starting state in ${target}.`, width - lead.length);
  return [
    ...rest.map((r, i): Line => [
      { text: i === 0 ? lead : ' '.repeat(lead.length), tone: 'accent', bold: true },
      { text: r },
    ]),
    line(''),
    line('Briefing', undefined, true),
    ...wrap(s.briefing, width).map((l) => line(l)),
  ];
}

/** Resources created or found so far by the start in progress (the latest last). */
export function provisioningLines(view: ScenarioView, width: number): Line[] {
  const created = view.startLog.filter((r) => r.status === 'created').length;
  const found = view.startLog.length - created;
  return [
    line(`Building the starting state: ${view.startLog.length} resource(s) so far, ${created} created, ${found} already there.`, 'info'),
    ...view.startLog.map((r) =>
      r.status === 'created'
        ? [{ text: '  + created  ', tone: 'good' as const }, { text: truncate(`${r.type} ${r.name}`, width - 13) }]
        : [{ text: '  = found    ', tone: 'dim' as const }, { text: truncate(`${r.type} ${r.name}`, width - 13) }],
    ),
  ];
}

export function briefingLines(s: Scenario, width: number): Line[] {
  return [line('Briefing', undefined, true), ...wrap(s.briefing, width).map((l) => line(l))];
}
