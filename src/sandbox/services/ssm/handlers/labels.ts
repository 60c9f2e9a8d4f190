/**
 * Parameter labels: LabelParameterVersion and UnlabelParameterVersion. Labels show in
 * GetParameterHistory and select a version as `name:label` (GetParameter(s), state.ts).
 *
 * AWS's rules (Parameter Store user guide, "Working with parameter labels"): at most 10 labels per
 * version; a label is on one version of a parameter at a time, so labelling another version moves
 * it; a label may hold letters, digits, `.`, `-` and `_`, must not begin with a digit, `aws` or
 * `ssm` (any case), and is at most 100 characters. Labels breaking the naming rules are not an
 * error: they come back in InvalidLabels.
 */
import type { SSM } from '@aws-sdk/client-ssm';
import type { HandlerMap, RequestContext } from '../../types.js';
import { SsmErrors } from '../errors.js';
import type { ParameterRecord, ParameterVersion } from '../state.js';
import { ssmState } from '../state.js';

/** Labels one version may carry. */
export const MAX_LABELS = 10;

function validLabel(label: string): boolean {
  return /^[a-zA-Z0-9_.-]+$/.test(label) && !/^([0-9]|aws|ssm)/i.test(label);
}

/** The labels list as the model bounds it (1 to 10 labels of 1 to 100 characters). */
function checkLabels(labels: readonly string[] | undefined): readonly string[] {
  const list = labels ?? [];
  if (list.length < 1 || list.length > MAX_LABELS) {
    throw SsmErrors.validation('1 validation error detected: Value at \'labels\' failed to satisfy constraint: Member must have length less than or equal to 10, Member must have length greater than or equal to 1');
  }
  const long = list.find((l) => l.length < 1 || l.length > 100);
  if (long !== undefined) {
    throw SsmErrors.validation(
      `1 validation error detected: Value '[${long}]' at 'labels' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 100, Member must have length greater than or equal to 1]`,
    );
  }
  return list;
}

/** The account's own parameter (by name, not ARN, as these operations take it) and the version named. */
function target(ctx: RequestContext, name: string | undefined, version: number | undefined): { record: ParameterRecord; version: ParameterVersion } {
  const record = ssmState(ctx).parameters[name ?? ''];
  if (!record) throw SsmErrors.notFound(name ?? '');
  const found = version === undefined ? record.versions.at(-1)! : record.versions.find((v) => v.version === version);
  if (!found) throw SsmErrors.versionNotFound(record.name, String(version));
  return { record, version: found };
}

/** Label operations. */
export const labelHandlers: HandlerMap<SSM> = {
  LabelParameterVersion(input, ctx) {
    const labels = checkLabels(input.Labels);
    const { record, version } = target(ctx, input.Name, input.ParameterVersion);
    const valid = [...new Set(labels.filter(validLabel))];
    const added = valid.filter((l) => !version.labels.includes(l));
    if (version.labels.length + added.length > MAX_LABELS) {
      throw SsmErrors.labelLimit();
    }
    for (const other of record.versions) {
      if (other !== version && other.labels.some((l) => added.includes(l))) other.labels = other.labels.filter((l) => !added.includes(l));
    }
    version.labels = [...version.labels, ...added];
    return { InvalidLabels: labels.filter((l) => !validLabel(l)), ParameterVersion: version.version };
  },

  UnlabelParameterVersion(input, ctx) {
    const labels = checkLabels(input.Labels);
    if (input.ParameterVersion === undefined) {
      throw SsmErrors.validation('1 validation error detected: Value \'null\' at \'parameterVersion\' failed to satisfy constraint: Member must not be null');
    }
    const { version } = target(ctx, input.Name, input.ParameterVersion);
    const removed = labels.filter((l) => version.labels.includes(l));
    version.labels = version.labels.filter((l) => !removed.includes(l));
    return { RemovedLabels: removed, InvalidLabels: labels.filter((l) => !removed.includes(l)) };
  },
};
