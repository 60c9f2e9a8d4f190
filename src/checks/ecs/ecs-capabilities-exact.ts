/** Capabilities: drop ALL, add exactly what the workload needs (and no privileged override). */
import { z } from 'zod';
import { defineTaskDefCheck } from './define-task-def-check.js';
import { containersOf } from './task-definitions.js';

const KERNEL_CAPABILITIES = [
  'ALL', 'AUDIT_CONTROL', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'IPC_LOCK',
  'IPC_OWNER', 'KILL', 'LEASE', 'LINUX_IMMUTABLE', 'MAC_ADMIN', 'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE', 'NET_BROADCAST',
  'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE', 'SYS_PACCT',
  'SYS_PTRACE', 'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'SYSLOG', 'WAKE_ALARM',
] as const;

const list = (l: readonly string[] | undefined) => (l && l.length ? `[${l.join(', ')}]` : 'nothing');

export default defineTaskDefCheck({
  id: 'ecs-capabilities-exact',
  title: 'Containers drop all Linux capabilities and add back exactly the ones they need',
  severity: 'high',
  service: 'ecs',
  controls: ['ECS.4'],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_KernelCapabilities.html'],
  remediation: 'Set linuxParameters.capabilities to {"drop": ["ALL"], "add": [the needed capabilities]} and remove privileged.',
  extraParams: { add: z.array(z.enum(KERNEL_CAPABILITIES)).describe('exactly these must be added') },
  inspect(td, p) {
    const want: string[] = [...p.add].sort();
    const problems: string[] = [];
    const containers = containersOf(td, p.container);
    // Without a named container, the workload's container is the one that adds the capabilities:
    // a sidecar beside it (a log router, say) is as hardened when it drops ALL and adds less.
    const exact = p.container !== undefined || containers.length === 1;
    let workload = false;
    for (const c of containers) {
      const caps = c.linuxParameters?.capabilities;
      const add = [...(caps?.add ?? [])].sort();
      const drop = caps?.drop ?? [];
      if (c.privileged) problems.push(`container ${c.name} is privileged, so its capability settings are ignored`);
      if (!drop.includes('ALL')) problems.push(`container ${c.name} drops ${list(drop)} instead of ALL`);
      if (add.join() === want.join()) workload = true;
      else if (exact) problems.push(`container ${c.name} adds ${list(add)}, expected exactly ${list(want)}`);
      else if (add.some((a) => !want.includes(a))) problems.push(`container ${c.name} adds ${list(add)}, more than ${list(want)}`);
    }
    if (!exact && !workload) problems.push(`no container adds exactly ${list(want)}`);
    return { problems, observed: exact ? `drops ALL and adds exactly ${list(want)}` : `every container drops ALL, and one adds exactly ${list(want)} (the others no more)` };
  },
});
