/**
 * The terminal UI's root: a stack of screens (list → scenario → sandbox or progress), the header,
 * the help and confirmation overlays, and the global keys (q quit, ? help, Ctrl+C). Screens below
 * the top of the stack stay mounted but hidden, so going back finds them as they were.
 */
import { Box, useApp } from 'ink';
import { useKeys } from './hooks/use-keys.js';
import { useEffect, useMemo, useState } from 'react';
import type { CredentialSource } from '../aws/credentials.js';
import type { Engine } from '../scenarios/engine.js';
import { Header } from './components/Header.js';
import { ConfirmOverlay, HelpOverlay, type ConfirmRequest } from './components/Overlays.js';
import { useSession } from './hooks/use-session.js';
import { UiProvider, useTerminal } from './hooks/use-ui.js';
import { ListScreen } from './screens/ListScreen.js';
import { ProgressScreen } from './screens/ProgressScreen.js';
import { SandboxScreen } from './screens/SandboxScreen.js';
import { ScenarioScreen } from './screens/ScenarioScreen.js';
import { LabSession } from './session.js';

export type Route = { name: 'list' } | { name: 'scenario'; id: string } | { name: 'sandbox' } | { name: 'progress' };
type Modal = { kind: 'help' } | { kind: 'confirm'; request: ConfirmRequest };

export interface AppProps {
  engine: Engine;
  /** Created from the engine when not given. */
  session?: LabSession;
  region: string;
  credentials: CredentialSource;
  /** Fixed terminal size and animation (tests, benchmarks); measured from stdout otherwise. */
  columns?: number;
  rows?: number;
  animate?: boolean;
  /** Open the target as soon as the first frame is drawn (default true). */
  autoConnect?: boolean;
  watchIntervalMs?: number;
  /** Called when the learner quits, before Ink exits. */
  onQuit?: () => void;
}

export function App(props: AppProps) {
  const { engine } = props;
  const ui = useTerminal({ columns: props.columns, rows: props.rows, animate: props.animate });
  const [session] = useState(() => props.session ?? new LabSession(engine, { watchIntervalMs: props.watchIntervalMs }));
  const snap = useSession(session);
  const [stack, setStack] = useState<Route[]>([{ name: 'list' }]);
  const [listCursor, setListCursor] = useState(0);
  const [stepCursor, setStepCursor] = useState<Record<string, number>>({});
  const [modal, setModal] = useState<Modal | null>(null);
  const { exit } = useApp();

  useEffect(() => {
    if (props.autoConnect === false) return;
    // after the first frame is on screen: the local target may start a sandbox in-process
    const t = setTimeout(() => void session.connect(), 0);
    return () => clearTimeout(t);
  }, [session, props.autoConnect]);

  const quit = () => {
    props.onQuit?.();
    session.dispose();
    exit();
  };
  const push = (r: Route) => setStack((s) => [...s, r]);
  const back = () =>
    setStack((s) => {
      const top = s[s.length - 1];
      if (top?.name === 'scenario') session.stopWatch(top.id);
      return s.length > 1 ? s.slice(0, -1) : s;
    });
  const confirm = (request: ConfirmRequest) => setModal({ kind: 'confirm', request });

  useKeys((input, key) => {
    if (key.ctrl && input === 'c') quit();
    else if (modal?.kind === 'confirm') return;
    else if (input === 'q') quit();
    else if (input === '?' && !modal) setModal({ kind: 'help' });
  });

  const top = stack[stack.length - 1]!;
  // progress is read from the store again only while the list is what the learner sees
  const listVersion = top.name === 'list' ? snap.version : -1;
  const list = useMemo(() => engine.list(), [engine, listVersion]);

  const screen = (route: Route, active: boolean) => {
    switch (route.name) {
      case 'list':
        return (
          <ListScreen
            rows={list}
            cursor={listCursor}
            active={active}
            onCursor={setListCursor}
            onOpen={(id) => push({ name: 'scenario', id })}
            onSandbox={() => push({ name: 'sandbox' })}
            onProgress={() => push({ name: 'progress' })}
          />
        );
      case 'scenario':
        return (
          <ScenarioScreen
            id={route.id}
            session={session}
            snapshot={snap}
            cursor={stepCursor[route.id] ?? 0}
            active={active}
            onCursor={(f) => setStepCursor((c) => ({ ...c, [route.id]: f(c[route.id] ?? 0) }))}
            onBack={back}
            onSandbox={() => push({ name: 'sandbox' })}
            onProgress={() => push({ name: 'progress' })}
            confirm={confirm}
          />
        );
      case 'sandbox':
        return (
          <SandboxScreen
            connection={snap.connection}
            learner={engine.learner}
            region={props.region}
            credentials={props.credentials}
            active={active}
            onBack={back}
            onRetry={() => void session.connect()}
          />
        );
      case 'progress':
        return <ProgressScreen rows={engine.progress()} learner={engine.learner} active={active} onBack={back} />;
    }
  };

  return (
    <UiProvider value={ui}>
      <Box flexDirection="column" width={ui.screenReader ? undefined : ui.columns} height={ui.screenReader ? undefined : ui.rows - 1}>
        <Header connection={snap.connection} learner={engine.learner} />
        {stack.map((route, i) => {
          const visible = i === stack.length - 1 && !modal;
          return (
            <Box key={`${i}:${route.name}:${route.name === 'scenario' ? route.id : ''}`} display={visible ? 'flex' : 'none'} flexDirection="column" flexGrow={1}>
              {screen(route, visible)}
            </Box>
          );
        })}
        {modal?.kind === 'help' ? <HelpOverlay onClose={() => setModal(null)} /> : null}
        {modal?.kind === 'confirm' ? <ConfirmOverlay request={modal.request} onDone={() => setModal(null)} /> : null}
      </Box>
    </UiProvider>
  );
}
