/**
 * One scenario: the case question, the steps checklist and the focused step's details. A
 * scenario not started offers to start (enter) and shows its resources as they are created; `c`
 * checks with results streaming in, `w` watches, `h`/`s` hint and solution, quiz steps are
 * answered in place, `r` resets. Wide terminals get the checklist and the details side by side.
 */
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { useEffect, useRef, useState } from 'react';
import { Footer } from '../components/Footer.js';
import { LineText, Lines, line, type Line } from '../components/Lines.js';
import type { ConfirmRequest } from '../components/Overlays.js';
import { useTick } from '../hooks/use-tick.js';
import { useUi } from '../hooks/use-ui.js';
import type { ConnectionView, LabSession, Snapshot } from '../session.js';
import { truncate, wrap, type KeyHint } from '../text.js';
import { briefingLines, provisioningLines, runLine, startOffer, stepDetail, stepRow } from './scenario-lines.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface ScenarioScreenProps {
  id: string;
  session: LabSession;
  snapshot: Snapshot;
  cursor: number;
  active: boolean;
  onCursor(update: (current: number) => number): void;
  onBack(): void;
  onSandbox(): void;
  onProgress(): void;
  confirm(request: ConfirmRequest): void;
}

/** Where `start` and `reset` act, in words. */
export function targetWords(c: ConnectionView): string {
  if (c.state !== 'ready' || !c.target) return 'your sandbox';
  if (c.target.kind === 'local') return `the local sandbox (${c.target.endpoint ?? ''})`;
  if (c.target.kind === 'endpoint') return `the endpoint ${c.target.endpoint ?? ''}`;
  return `AWS account ${c.account ?? '?'}`;
}

export function ScenarioScreen(props: ScenarioScreenProps) {
  const { id, session, snapshot, cursor, active, onCursor, onBack, confirm } = props;
  const ui = useUi();
  const scenario = session.engine.get(id);
  const view = snapshot.scenarios[id] ?? session.view(id);
  const [mode, setMode] = useState<'steps' | 'choices'>('steps');
  const [choice, setChoice] = useState(0);
  const [panel, setPanel] = useState<'detail' | 'briefing'>('detail');
  const [zoom, setZoom] = useState(false);
  const [scroll, setScroll] = useState(0);

  useEffect(() => session.open(id), [session, id]);
  // keys of one burst ("jjh") are handled before React re-renders: track the focus here
  const focus = useRef(cursor);
  focus.current = cursor;
  const move = (to: number) => {
    focus.current = Math.max(0, Math.min(scenario.steps.length - 1, to));
    const i = focus.current;
    onCursor(() => i);
  };
  const step = scenario.steps[cursor] ?? scenario.steps[0]!;
  const stepView = view.steps[cursor] ?? view.steps[0]!;
  const hintCount = (view.hints[step.id] ?? []).length;
  const solved = Boolean(view.solutions[step.id]);
  // new details start from the top, where hints and the solution are
  useEffect(() => setScroll(0), [cursor, hintCount, solved, panel]);

  const busy = view.phase !== 'idle';
  const running = busy || view.steps.some((s) => s.running);
  const tick = useTick(ui.animate && (running || view.watching), running ? 120 : 1000);
  const spin = ui.animate ? SPINNER[tick % SPINNER.length]! : '…';
  const showStart = !view.started && view.phase === 'idle';
  const isAws = snapshot.connection.target?.kind === 'aws';

  const start = () => {
    if (isAws) {
      confirm({
        title: `Start ${id} in AWS account ${snapshot.connection.account}?`,
        body: `This creates the scenario's deliberately insecure resources (tagged ecs-lab:managed=true) in a real AWS account.`,
        yes: 'start',
        onYes: () => void session.start(id),
      });
    } else void session.start(id);
  };

  useKeys(
    (input, key) => {
      const step = scenario.steps[focus.current] ?? scenario.steps[0]!;
      if (mode === 'choices' && step.kind === 'quiz') {
        if (key.upArrow || input === 'k') setChoice((c) => Math.max(0, c - 1));
        else if (key.downArrow || input === 'j') setChoice((c) => Math.min(step.choices.length - 1, c + 1));
        else if (key.return) {
          session.answer(id, step.id, step.choices[choice]!.id);
          if (session.snapshot().scenarios[id]?.answers[step.id]?.correct) setMode('steps');
        } else if (key.escape) setMode('steps');
        return;
      }
      if (key.escape) {
        if (zoom) setZoom(false);
        else if (panel === 'briefing') setPanel('detail');
        else onBack();
      } else if (key.upArrow || input === 'k') move(focus.current - 1);
      else if (key.downArrow || input === 'j') move(focus.current + 1);
      else if (key.return) {
        if (showStart) start();
        else if (step.kind === 'quiz') {
          setPanel('detail');
          setChoice(0);
          setMode('choices');
        } else setZoom((z) => !z);
      } else if (input === 'c') void session.check(id);
      else if (input === 'w') session.toggleWatch(id);
      else if (input === 'h') {
        setPanel('detail');
        const shown = session.snapshot().scenarios[id]?.hints[step.id] ?? [];
        if (shown.some((h) => h.final)) return; // the last level is on screen already
        if (session.nextHintIsSolution(id, step.id)) {
          confirm({
            title: `Show the full solution of step ${focus.current + 1}?`,
            body: `The last hint level of "${step.title}" is the complete solution. It is recorded in your progress as a hint used.`,
            yes: 'show it',
            onYes: () => session.hint(id, step.id),
          });
        } else session.hint(id, step.id);
      } else if (input === 's') {
        setPanel('detail');
        if (session.snapshot().scenarios[id]?.solutions[step.id]) return; // on screen already
        confirm({
          title: `Reveal the reference solution of step ${focus.current + 1}?`,
          body: `"${step.title}": the solution is recorded in your progress as revealed. A hint (h) may be enough.`,
          yes: 'reveal',
          onYes: () => session.solution(id, step.id),
        });
      } else if (input === 'r') {
        confirm({
          title: `Reset ${id}?`,
          body: `This deletes everything the lab created for ${id} (resources tagged ecs-lab:scenario=${id}) in ${targetWords(snapshot.connection)}, then verifies nothing lab-tagged is left. Anything else is never touched. Your progress is kept.`,
          yes: 'reset',
          onYes: () => void session.reset(id),
        });
      } else if (input === 'b') setPanel((p) => (p === 'briefing' ? 'detail' : 'briefing'));
      else if (input === 'e') props.onSandbox();
      else if (input === 'p') props.onProgress();
      else if (key.pageDown || input === ' ' || (key.ctrl && input === 'd')) setScroll((s) => s + 5);
      else if (key.pageUp || (key.ctrl && input === 'u')) setScroll((s) => Math.max(0, s - 5));
    },
    { isActive: active },
  );

  const keys: KeyHint[] =
    mode === 'choices'
      ? [
          { key: '↑↓', label: 'choice' },
          { key: 'enter', label: 'answer' },
          { key: 'esc', label: 'cancel' },
          { key: '?', label: 'help' },
          { key: 'q', label: 'quit' },
        ]
      : [
          ...(showStart ? [{ key: 'enter', label: 'start' }] : []),
          { key: 'c', label: 'check' },
          ...(step.kind === 'quiz' && !showStart ? [{ key: 'enter', label: 'answer' }] : []),
          { key: 'h', label: 'hint' },
          { key: 'w', label: view.watching ? 'stop watching' : 'watch' },
          { key: 's', label: 'solution' },
          { key: 'r', label: 'reset' },
          { key: 'e', label: 'sandbox' },
          { key: '↑↓', label: 'step' },
          { key: 'b', label: panel === 'briefing' ? 'steps' : 'briefing' },
          { key: 'esc', label: 'back' },
          { key: '?', label: 'help' },
          { key: 'q', label: 'quit' },
        ];

  const wide = ui.columns >= 120 && !ui.screenReader;
  const width = ui.columns - 2;
  const leftWidth = wide ? Math.min(70, Math.floor(width * 0.45)) : width;
  const panelWidth = wide ? width - leftWidth - 3 : width;

  // Top: title, case question, run state and any notice.
  const launch = scenario.launchTypes.join(' · ');
  const top: Line[] = [
    [
      { text: truncate(`Case ${scenario.case} · ${id} · ${scenario.title}`, width - launch.length - 2), bold: true },
      { text: `  ${launch}`, tone: 'dim' },
    ],
  ];
  const question = wrap(scenario.question, width - 3);
  const qMax = ui.screenReader ? question.length : ui.bodyRows >= 30 ? 4 : 2;
  question.slice(0, qMax).forEach((q, i) => {
    const last = i === qMax - 1 && question.length > qMax;
    top.push([{ text: i === 0 ? 'Q: ' : '   ', tone: 'dim' }, { text: last ? truncate(`${q} …`, width - 3) : q, tone: 'accent' }]);
  });
  top.push(runLine(view, spin, Date.now()));
  if (view.notice) {
    const sym = view.notice.tone === 'bad' ? '✖ ' : view.notice.tone === 'good' ? '✔ ' : '· ';
    wrap(sym + view.notice.text, width)
      .slice(0, ui.screenReader ? undefined : 2)
      .forEach((n) => top.push(line(n, view.notice!.tone, true)));
  }

  const rows: Line[] = view.steps.map((s, i) => stepRow(s, i, leftWidth, { focused: i === cursor, focusActive: mode === 'steps', spin }));

  let details: Line[];
  if (view.phase === 'starting') details = provisioningLines(view, panelWidth);
  else if (view.phase === 'resetting') details = [line(`Resetting ${id}: deleting what the lab created for it, then verifying that nothing lab-tagged is left…`, 'info')];
  else if (panel === 'briefing') details = briefingLines(scenario, panelWidth);
  else {
    const detail = stepDetail(step, stepView, view, cursor, { width: panelWidth, choiceCursor: mode === 'choices' ? choice : undefined });
    const offer = showStart ? startOffer(scenario, panelWidth, targetWords(snapshot.connection)) : [];
    // before anything happened, the offer comes with the briefing; afterwards with the step
    const fresh = view.runs === 0 && !view.hints[step.id] && !view.solutions[step.id] && stepView.status === 'unknown' && mode === 'steps';
    details = showStart ? (fresh ? offer : [offer[0]!, line(''), ...detail]) : detail;
  }

  if (ui.screenReader) {
    return (
      <Box flexDirection="column">
        <Lines lines={top} />
        <Box flexDirection="column" aria-role="list">
          {view.steps.map((s, i) => (
            <Box key={s.id} aria-role="listitem" aria-state={{ selected: i === cursor, busy: s.running }}>
              <LineText value={rows[i]!} />
            </Box>
          ))}
        </Box>
        <Lines lines={details} />
        <Footer keys={keys} />
      </Box>
    );
  }

  // Heights: the checklist gets what it needs (or a window around the focus), details the rest.
  const stepRoom = wide ? ui.bodyRows - top.length - 1 : Math.max(3, Math.min(view.steps.length, ui.bodyRows - top.length - 6));
  const shownRows = zoom && !wide ? [cursor] : windowAround(view.steps.length, cursor, stepRoom);
  const panelHeight = wide ? ui.bodyRows - top.length - 1 : ui.bodyRows - top.length - shownRows.length - 1;
  const maxScroll = Math.max(0, details.length - panelHeight);
  const offset = Math.min(scroll, maxScroll);
  let visible = details.slice(offset, offset + panelHeight);
  // provisioning: keep the summary line and show the latest resources
  if (view.phase === 'starting' && details.length > panelHeight) visible = [details[0]!, ...details.slice(details.length - panelHeight + 1)];
  else if (details.length > offset + panelHeight && panelHeight > 1) {
    visible = [...visible.slice(0, -1), line(`↓ ${details.length - offset - panelHeight + 1} more line(s): pgdn or space`, 'dim')];
  }
  const stepLines = shownRows.map((i) => rows[i]!);

  return (
    <Box flexDirection="column" flexGrow={1}>
      <Box flexDirection="column" flexGrow={1} paddingX={1} overflowY="hidden">
        <Lines lines={top} />
        {wide ? (
          <Box flexDirection="row" marginTop={1}>
            <Box flexDirection="column" width={leftWidth}>
              <Lines lines={stepLines} />
            </Box>
            <Box flexDirection="column" width={1} marginX={1}>
              <Text dimColor>{'│\n'.repeat(Math.max(1, panelHeight)).trimEnd()}</Text>
            </Box>
            <Box flexDirection="column" width={panelWidth}>
              <Lines lines={visible} />
            </Box>
          </Box>
        ) : (
          <>
            <Lines lines={stepLines} />
            <Text dimColor>{'─'.repeat(width)}</Text>
            <Lines lines={visible} />
          </>
        )}
      </Box>
      <Footer keys={keys} />
    </Box>
  );
}

/** Indices of at most `size` rows of `count`, keeping `focus` in view. */
export function windowAround(count: number, focus: number, size: number): number[] {
  const n = Math.max(1, Math.min(count, size));
  const first = Math.min(Math.max(0, focus - Math.floor(n / 2)), count - n);
  return Array.from({ length: n }, (_, i) => first + i);
}
