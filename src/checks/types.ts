/**
 * The contract between the engine and a check: what a check receives and what it returns.
 */
import type { z } from 'zod';
import type { AwsSession, TargetInfo } from '../aws/session.js';
import type { ResourceContext } from '../resources/types.js';

export type CheckStatus = 'pass' | 'fail' | 'error' | 'skip';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** What one check concluded. `message` is a full sentence naming the resource and what was observed. */
export interface CheckOutcome {
  status: CheckStatus;
  message: string;
  /** ARNs (or names where there is no ARN) of the resources the verdict is about. */
  resources: string[];
}

/** Everything a check may use. Clients come from here, never from module scope. */
export interface CheckContext {
  aws: AwsSession;
  target: TargetInfo;
  account: string;
  region: string;
  scenario: string;
  /**
   * Per-run memo: checks of one run that need the same Describe result share one call
   * (`memo('ecs:services:lab-prod', () => ...)`).
   */
  memo<T>(key: string, load: () => Promise<T>): Promise<T>;
  /**
   * Services the run's checks refer to, by cluster: lets the first DescribeServices of a cluster
   * fetch them all (ten per call) instead of one call per check.
   */
  wantedServices: ReadonlyMap<string, ReadonlySet<string>>;
  /** The secret values planted by the scenario's starting state (for "is it gone" checks; never print them). */
  plantedValues: readonly string[];
  /** Registers a value that must never appear in any message (it is replaced by `(redacted)`). */
  sensitive(value: string | undefined): void;
  /** Whether the target enforces IAM on assumed-role sessions (the local sandbox does). */
  enforcesIam: boolean;
  /** Context for resource lookups (tag checks reuse the resource kinds). */
  resources: ResourceContext;
}

/** Metadata that stands beside each check's logic; the docs and the schema are built from it. */
export interface CheckMeta {
  /** kebab-case, equal to the file name. */
  id: string;
  title: string;
  severity: Severity;
  /** IAM-style prefix of the service it reads, e.g. `ecs`. */
  service: string;
  /** Security Hub control ids, Prowler/Checkov ids. */
  controls: string[];
  docs: string[];
  /** What to do when it fails, in one or two sentences. */
  remediation: string;
}

export interface CheckDefinition<P extends z.ZodType = z.ZodType> extends CheckMeta {
  /** zod schema of the parameters a scenario step passes in `params:`. */
  params: P;
  run(ctx: CheckContext, params: z.infer<P>): Promise<CheckOutcome>;
}
