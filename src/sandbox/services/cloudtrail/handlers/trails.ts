/** CloudTrail trails: create, update, delete, describe, status, start/stop logging, list. */
import type { CloudTrail, CreateTrailRequest, Trail, UpdateTrailRequest } from '@aws-sdk/client-cloudtrail';
import type { HandlerMap, RequestContext } from '../../types.js';
import { AwsError } from '../../../errors.js';
import { paginate } from '../../paging.js';
import { checkTrailBucket } from '../buckets.js';
import { CloudTrailErrors } from '../errors.js';
import type { EventSummary } from '../recorder.js';
import { EVENT_LOG } from '../recorder.js';
import type { CloudTrailState, TrailRecord } from '../state.js';
import {
  MAX_TRAILS_PER_REGION,
  checkTags,
  checkTrailName,
  findTrail,
  requireHomeRegion,
  trailArn,
  trailState,
  visibleIn,
} from '../state.js';

type TrailSettings = Pick<CreateTrailRequest & UpdateTrailRequest, 'S3KeyPrefix' | 'SnsTopicName' | 'IncludeGlobalServiceEvents' | 'IsMultiRegionTrail' | 'EnableLogFileValidation' | 'CloudWatchLogsLogGroupArn' | 'CloudWatchLogsRoleArn' | 'KmsKeyId' | 'IsOrganizationTrail'>;

/** Applies settings to a trail after validating them. */
function applySettings(ctx: RequestContext, trail: Trail, input: TrailSettings): void {
  if (input.S3KeyPrefix !== undefined) {
    if (input.S3KeyPrefix.length > 200) throw CloudTrailErrors.invalidPrefix();
    trail.S3KeyPrefix = input.S3KeyPrefix || undefined;
  }
  if (input.SnsTopicName !== undefined) {
    trail.SnsTopicName = input.SnsTopicName || undefined;
    trail.SnsTopicARN = input.SnsTopicName ? (input.SnsTopicName.startsWith('arn:') ? input.SnsTopicName : `arn:aws:sns:${ctx.region}:${ctx.account}:${input.SnsTopicName}`) : undefined;
  }
  if (input.IncludeGlobalServiceEvents !== undefined) trail.IncludeGlobalServiceEvents = input.IncludeGlobalServiceEvents;
  if (input.IsMultiRegionTrail !== undefined) trail.IsMultiRegionTrail = input.IsMultiRegionTrail;
  if (input.EnableLogFileValidation !== undefined) trail.LogFileValidationEnabled = input.EnableLogFileValidation;
  if (input.KmsKeyId !== undefined) {
    trail.KmsKeyId = !input.KmsKeyId ? undefined : input.KmsKeyId.startsWith('arn:') ? input.KmsKeyId : `arn:aws:kms:${ctx.region}:${ctx.account}:${input.KmsKeyId.startsWith('alias/') ? input.KmsKeyId : `key/${input.KmsKeyId}`}`;
  }
  if (input.CloudWatchLogsLogGroupArn !== undefined || input.CloudWatchLogsRoleArn !== undefined) {
    if (Boolean(input.CloudWatchLogsLogGroupArn) !== Boolean(input.CloudWatchLogsRoleArn)) throw CloudTrailErrors.cloudWatchLogs();
    trail.CloudWatchLogsLogGroupArn = input.CloudWatchLogsLogGroupArn || undefined;
    trail.CloudWatchLogsRoleArn = input.CloudWatchLogsRoleArn || undefined;
  }
  if (input.IsOrganizationTrail) {
    throw new AwsError('OrganizationsNotInUseException', 'This account is not a member of an organization.');
  }
  if (trail.IsMultiRegionTrail && trail.IncludeGlobalServiceEvents === false) {
    throw CloudTrailErrors.combination('Multi-Region trail must include global service events.');
  }
}

/** The trail as DescribeTrails/GetTrail return it. */
export function presentTrail(record: TrailRecord): Trail {
  return {
    ...structuredClone(record.trail),
    HasCustomEventSelectors: record.trail.HasCustomEventSelectors ?? false,
    HasInsightSelectors: (record.insightSelectors?.length ?? 0) > 0,
    IsOrganizationTrail: false,
  };
}

/** CreateTrail/UpdateTrail output: the trail's settings without the describe-only members. */
function settingsOutput(record: TrailRecord) {
  const t = record.trail;
  return {
    Name: t.Name,
    S3BucketName: t.S3BucketName,
    S3KeyPrefix: t.S3KeyPrefix,
    SnsTopicName: t.SnsTopicName,
    SnsTopicARN: t.SnsTopicARN,
    IncludeGlobalServiceEvents: t.IncludeGlobalServiceEvents,
    IsMultiRegionTrail: t.IsMultiRegionTrail,
    TrailARN: t.TrailARN,
    LogFileValidationEnabled: t.LogFileValidationEnabled,
    CloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn,
    CloudWatchLogsRoleArn: t.CloudWatchLogsRoleArn,
    KmsKeyId: t.KmsKeyId,
    IsOrganizationTrail: false,
  };
}

function nameTaken(state: CloudTrailState, region: string, name: string): boolean {
  return Object.values(state.trails).some((r) => r.trail.Name === name && visibleIn(r, region));
}

/** The time of the newest recorded event the trail covers since logging started (its "delivery"). */
function latestDelivery(ctx: RequestContext, record: TrailRecord): Date | undefined {
  if (!record.isLogging || !record.startLoggingTime) return undefined;
  const since = record.startLoggingTime.getTime();
  const events = ctx.log<EventSummary>(EVENT_LOG);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.time < since) break;
    if (record.trail.IsMultiRegionTrail || e.region === record.trail.HomeRegion) return new Date(e.time);
  }
  return record.startLoggingTime;
}

function iso(date: Date | undefined): string | undefined {
  return date ? `${date.toISOString().slice(0, 19)}Z` : undefined;
}

/** Trail operations. */
export const trailHandlers: HandlerMap<CloudTrail> = {
  CreateTrail(input, ctx) {
    const state = trailState(ctx);
    const name = input.Name!;
    checkTrailName(name);
    if (Object.values(state.trails).filter((r) => r.trail.HomeRegion === ctx.region).length >= MAX_TRAILS_PER_REGION) {
      throw CloudTrailErrors.tooManyTrails(ctx.account, ctx.region);
    }
    if (nameTaken(state, ctx.region, name)) throw CloudTrailErrors.trailExists(name, ctx.account);
    const arn = trailArn(ctx.region, ctx.account, name);
    const trail: Trail = {
      Name: name,
      S3BucketName: input.S3BucketName,
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: false,
      HomeRegion: ctx.region,
      TrailARN: arn,
      LogFileValidationEnabled: false,
      HasCustomEventSelectors: false,
    };
    applySettings(ctx, trail, input);
    if (trail.IsMultiRegionTrail && Object.values(state.trails).some((r) => r.trail.Name === name)) {
      throw CloudTrailErrors.trailExists(name, ctx.account);
    }
    const tags = checkTags(input.TagsList);
    checkTrailBucket(ctx, input.S3BucketName!, trail.S3KeyPrefix, arn);
    const record: TrailRecord = {
      trail,
      isLogging: false,
      eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
      tags,
    };
    state.trails[arn] = record;
    return settingsOutput(record);
  },

  UpdateTrail(input, ctx) {
    const record = findTrail(ctx, trailState(ctx), input.Name!);
    requireHomeRegion(ctx, record);
    const trail = structuredClone(record.trail);
    if (input.S3BucketName !== undefined) trail.S3BucketName = input.S3BucketName;
    applySettings(ctx, trail, input);
    if (trail.IsMultiRegionTrail && !record.trail.IsMultiRegionTrail) {
      const clash = Object.values(trailState(ctx).trails).some((r) => r !== record && r.trail.Name === trail.Name);
      if (clash) throw CloudTrailErrors.trailExists(trail.Name!, ctx.account);
    }
    if (trail.S3BucketName !== record.trail.S3BucketName || trail.S3KeyPrefix !== record.trail.S3KeyPrefix) {
      checkTrailBucket(ctx, trail.S3BucketName!, trail.S3KeyPrefix, trail.TrailARN!);
    }
    record.trail = trail;
    return settingsOutput(record);
  },

  DeleteTrail(input, ctx) {
    const state = trailState(ctx);
    const record = findTrail(ctx, state, input.Name!);
    requireHomeRegion(ctx, record);
    delete state.trails[record.trail.TrailARN!];
    return {};
  },

  DescribeTrails(input, ctx) {
    const state = trailState(ctx);
    const includeShadows = input.includeShadowTrails ?? true;
    const all = Object.values(state.trails);
    let records: TrailRecord[];
    if (input.trailNameList?.length) {
      records = all.filter((r) =>
        input.trailNameList!.some((id) =>
          id.startsWith('arn:') ? r.trail.TrailARN === id : r.trail.Name === id && (r.trail.HomeRegion === ctx.region || (includeShadows && visibleIn(r, ctx.region))),
        ),
      );
    } else {
      records = all.filter((r) => r.trail.HomeRegion === ctx.region || (includeShadows && visibleIn(r, ctx.region)));
    }
    return { trailList: records.map(presentTrail) };
  },

  GetTrail(input, ctx) {
    return { Trail: presentTrail(findTrail(ctx, trailState(ctx), input.Name!)) };
  },

  GetTrailStatus(input, ctx) {
    const record = findTrail(ctx, trailState(ctx), input.Name!);
    const delivered = latestDelivery(ctx, record);
    return {
      IsLogging: record.isLogging,
      StartLoggingTime: record.startLoggingTime,
      StopLoggingTime: record.stopLoggingTime,
      LatestDeliveryTime: delivered,
      TimeLoggingStarted: iso(record.startLoggingTime),
      TimeLoggingStopped: iso(record.stopLoggingTime),
      LatestDeliveryAttemptTime: iso(delivered) ?? '',
      LatestDeliveryAttemptSucceeded: iso(delivered) ?? '',
      LatestNotificationAttemptTime: '',
      LatestNotificationAttemptSucceeded: '',
    };
  },

  StartLogging(input, ctx) {
    const record = findTrail(ctx, trailState(ctx), input.Name!);
    requireHomeRegion(ctx, record);
    if (!record.isLogging) {
      record.isLogging = true;
      record.startLoggingTime = ctx.now;
    }
    return {};
  },

  StopLogging(input, ctx) {
    const record = findTrail(ctx, trailState(ctx), input.Name!);
    requireHomeRegion(ctx, record);
    if (record.isLogging) {
      record.isLogging = false;
      record.stopLoggingTime = ctx.now;
    }
    return {};
  },

  ListTrails(input, ctx) {
    const trails = Object.values(trailState(ctx).trails).map((r) => ({ TrailARN: r.trail.TrailARN, Name: r.trail.Name, HomeRegion: r.trail.HomeRegion }));
    const page = paginate(trails, input.NextToken, undefined, 50, CloudTrailErrors.nextToken);
    return { Trails: page.items, NextToken: page.nextToken };
  },
};

