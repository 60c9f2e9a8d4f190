/**
 * The sandbox panel: where the lab acts (target, endpoint, account, region, learner) and the lines
 * to paste so the AWS CLI in another terminal reaches the same place. Credentials appear only
 * when asked for (v), and never the learner's own secrets.
 */
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { useState } from 'react';
import type { CredentialSource } from '../../aws/credentials.js';
import { Footer } from '../components/Footer.js';
import { Lines, line, type Line } from '../components/Lines.js';
import { useUi } from '../hooks/use-ui.js';
import type { ConnectionView } from '../session.js';
import { wrap, type KeyHint } from '../text.js';

export interface SandboxScreenProps {
  connection: ConnectionView;
  learner: string;
  region: string;
  credentials: CredentialSource;
  active: boolean;
  onBack(): void;
  onRetry(): void;
}

const MASK = '••••••••';

/** The export lines for the AWS CLI; `reveal` shows emulator keys instead of a mask. */
export function cliSetup(c: ConnectionView, region: string, creds: CredentialSource, reveal: boolean): Line[] {
  const out: Line[] = [];
  const endpoint = c.target?.endpoint;
  if (endpoint) out.push(line(`export AWS_ENDPOINT_URL=${endpoint}`));
  if (creds.kind === 'emulator') {
    out.push([{ text: 'export AWS_ACCESS_KEY_ID=' }, { text: reveal ? creds.accessKeyId : MASK, tone: reveal ? undefined : 'dim' }]);
    out.push([{ text: 'export AWS_SECRET_ACCESS_KEY=' }, { text: reveal ? creds.secretAccessKey : MASK, tone: reveal ? undefined : 'dim' }]);
  } else if (creds.kind === 'profile') out.push(line(`export AWS_PROFILE=${creds.profile}`));
  out.push(line(`export AWS_REGION=${region}`));
  if (creds.kind === 'environment') out.push(line('# credentials: the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY already in your environment', 'dim'));
  if (creds.kind === 'chain') out.push(line('# credentials: your usual AWS credential chain (SSO, profile, instance role)', 'dim'));
  if (creds.roleArn) out.push(line(`# the lab acts through the role ${creds.roleArn}`, 'dim'));
  if (endpoint) {
    out.push(line('# AWS CLI older than 2.13 (v2) or 1.29 (v1) ignores AWS_ENDPOINT_URL;', 'dim'));
    out.push(line(`# with it, add --endpoint-url ${endpoint} to each command.`, 'dim'));
  }
  return out;
}

export function SandboxScreen({ connection, learner, region, credentials, active, onBack, onRetry }: SandboxScreenProps) {
  const ui = useUi();
  const [reveal, setReveal] = useState(false);
  useKeys(
    (input, key) => {
      if (key.escape) onBack();
      else if (input === 'v' && credentials.kind === 'emulator') setReveal((r) => !r);
      else if (key.return && connection.state === 'error') onRetry();
    },
    { isActive: active },
  );
  const w = ui.columns - 4;
  const t = connection.target;
  const rows: Line[] = [];
  const field = (name: string, value: string, tone?: Line[number]['tone']) =>
    wrap(value, w - 12).forEach((v, i) => rows.push([{ text: (i === 0 ? name : '').padEnd(10), tone: 'dim' }, { text: v, tone }]));
  if (connection.state === 'ready' && t) {
    const kind =
      t.kind === 'local'
        ? `local: the embedded sandbox${connection.startedSandbox ? ', started by this terminal UI (it stops when you quit; its state is kept)' : ', already running'}`
        : t.kind === 'endpoint'
          ? 'endpoint: an AWS-compatible emulator'
          : 'aws: a real AWS account';
    field('target', kind);
    if (t.endpoint) field('endpoint', t.endpoint);
    field('account', connection.account ?? '?');
    field('region', t.region);
    field('principal', connection.principal ?? '?', 'dim');
  } else if (connection.state === 'error') {
    rows.push(...wrap(`✖ The target could not be reached: ${connection.error ?? 'unknown error'}`, w).map((l) => line(l, 'bad', true)));
    rows.push(line('Press enter to try again.', 'dim'));
  } else rows.push(line('Connecting to the target… (a local sandbox is started when none answers)', 'dim'));
  field('learner', learner);

  const setup = connection.state === 'ready' ? cliSetup(connection, region, credentials, reveal) : [];
  const keys: KeyHint[] = [
    ...(credentials.kind === 'emulator' && setup.length ? [{ key: 'v', label: reveal ? 'hide credentials' : 'show credentials' }] : []),
    ...(connection.state === 'error' ? [{ key: 'enter', label: 'retry' }] : []),
    { key: 'esc', label: 'back' },
    { key: '?', label: 'help' },
    { key: 'q', label: 'quit' },
  ];
  return (
    <Box flexDirection="column" flexGrow={1}>
      <Box flexDirection="column" flexGrow={1} paddingX={1} overflowY="hidden">
        <Text bold>Sandbox</Text>
        <Box flexDirection="column" paddingLeft={2}>
          <Lines lines={rows} />
        </Box>
        {setup.length ? (
          <>
            <Text> </Text>
            <Text bold>For the AWS CLI in another terminal</Text>
            <Box flexDirection="column" paddingLeft={2}>
              {setup.map((l, i) => (
                <Lines key={i} lines={wrapLine(l, w)} />
              ))}
            </Box>
            {credentials.kind === 'emulator' && !reveal ? <Text dimColor>Credentials are hidden: press v to show them.</Text> : null}
          </>
        ) : null}
      </Box>
      <Footer keys={keys} />
    </Box>
  );
}

/** Wraps a one-segment comment line; export lines stay whole so they paste. */
function wrapLine(l: Line, width: number): Line[] {
  if (l.length !== 1 || !l[0]!.text.startsWith('#')) return [l];
  return wrap(l[0]!.text, width).map((t, i) => line(i === 0 ? t : `# ${t}`, l[0]!.tone));
}
