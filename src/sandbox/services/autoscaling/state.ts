/**
 * Auto Scaling state for one account and Region: groups (SDK-shaped, without the parts that are
 * derived on output), their instances, tags and instance refreshes, and the groups' scaling
 * activities (activities.ts).
 */
import type { Activity, AutoScalingGroup, Instance, LaunchTemplateSpecification, TagDescription } from '@aws-sdk/client-auto-scaling';
import type { LaunchTemplateVersion } from '@aws-sdk/client-ec2';
import { isAwsError } from '../../errors.js';
import { asDictionaries, own, withMaps } from '../dictionary.js';
import { findLaunchTemplate, findVersion } from '../ec2/handlers/launch-templates.js';
import type { LaunchTemplateRecord } from '../ec2/state.js';
import { ec2State } from '../ec2/state.js';
import { paginate } from '../paging.js';
import type { RequestContext } from '../types.js';
import { AsgErrors } from './errors.js';
import type { RefreshRecord } from './refresh.js';

/** One group and what belongs to it. */
export interface GroupRecord {
  group: Omit<AutoScalingGroup, 'Instances' | 'Tags'>;
  instances: Instance[];
  tags: TagDescription[];
  /** Newest last. */
  refreshes: RefreshRecord[];
}

/** Auto Scaling state of one account and Region. */
export interface AsgState {
  /** By group name. */
  groups: Record<string, GroupRecord>;
  /**
   * Scaling activities by group ARN, oldest first. Beside the groups rather than in them: they
   * outlive a deleted group, and a group created again under its name gets a new ARN.
   */
  activities: Record<string, Activity[]>;
}

/** The request's Auto Scaling state. */
export function asgState(ctx: RequestContext): AsgState {
  const raw = ctx.state<AsgState>('autoscaling', () => ({ groups: {}, activities: {} }));
  return asDictionaries(withMaps(ctx, raw, ['activities']), ['groups', 'activities']);
}

/** A group, or the ValidationError AWS returns for an unknown name. */
export function getGroup(state: AsgState, name: string): GroupRecord {
  const record = own(state.groups, name);
  if (!record) throw AsgErrors.groupNotFound(name);
  return record;
}

/** A launch template and the version a specification resolves to now. */
export interface ResolvedTemplate {
  record: LaunchTemplateRecord;
  version: LaunchTemplateVersion;
}

/**
 * Resolves a stored `{LaunchTemplateId, LaunchTemplateName, Version ($Latest, $Default or a
 * number)}` (by id when it has one). EC2's not-found errors become Auto Scaling's ValidationError.
 */
export function resolveTemplate(ctx: RequestContext, spec: LaunchTemplateSpecification): ResolvedTemplate {
  if (!spec.LaunchTemplateId && !spec.LaunchTemplateName) {
    throw AsgErrors.validation('Valid requests must contain either launchTemplateId or LaunchTemplateName');
  }
  try {
    const record = findLaunchTemplate(ec2State(ctx), spec.LaunchTemplateId, spec.LaunchTemplateName);
    return { record, version: findVersion(record, spec.Version ?? '$Default') };
  } catch (e) {
    if (isAwsError(e)) throw AsgErrors.validation(`You must use a valid fully-formed launch template. ${e.message}`);
    throw e;
  }
}

/** Resolves a specification from a request, which must name the template by id or by name, not both. */
export function requestedTemplate(ctx: RequestContext, spec: LaunchTemplateSpecification): ResolvedTemplate {
  if (Boolean(spec.LaunchTemplateId) === Boolean(spec.LaunchTemplateName)) {
    throw AsgErrors.validation('Valid requests must contain either launchTemplateId or LaunchTemplateName');
  }
  return resolveTemplate(ctx, spec);
}

/** The group's launch template specification as stored (Version defaults to `$Default`). */
export function templateSpec(resolved: ResolvedTemplate, version: string | undefined): LaunchTemplateSpecification {
  return {
    LaunchTemplateId: resolved.record.template.LaunchTemplateId,
    LaunchTemplateName: resolved.record.template.LaunchTemplateName,
    Version: version ?? '$Default',
  };
}

/** `MaxRecords`/`NextToken` paging with Auto Scaling's limits (most operations return 50 records by default). */
export function pageOf<T>(items: readonly T[], token: string | undefined, max: number | undefined, limit = 100, defaultMax = 50): { items: T[]; NextToken: string | undefined } {
  if (max !== undefined && (max < 1 || max > limit)) throw AsgErrors.validation(`MaxRecords must be between 1 and ${limit}.`);
  const page = paginate(items, token, max, defaultMax, AsgErrors.invalidNextToken);
  return { items: page.items, NextToken: page.nextToken };
}
