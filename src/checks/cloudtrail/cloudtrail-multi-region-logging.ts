/** CloudTrail.1: a multi-Region trail is logging read and write management events. */
import type { CloudTrail } from '@aws-sdk/client-cloudtrail';
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';

type Kind = 'read' | 'write';

/**
 * What a trail's selectors leave out of management events, or undefined when they record every
 * read and write one. A trail records an event that any one selector matches, so read and write
 * events may come from different selectors; a selector that excludes event sources (basic) or
 * filters on anything beyond the category and readOnly (advanced) records only part of them.
 */
async function managementCoverage(ct: CloudTrail, trailArn: string): Promise<string | undefined> {
  const sel = await ct.getEventSelectors({ TrailName: trailArn });
  const covered = new Set<Kind>();
  const partial: string[] = [];
  if (sel.AdvancedEventSelectors?.length) {
    for (const a of sel.AdvancedEventSelectors) {
      const fields = a.FieldSelectors ?? [];
      if (!fields.some((f) => f.Field === 'eventCategory' && (f.Equals ?? []).includes('Management'))) continue;
      const others = fields.filter((f) => f.Field !== 'eventCategory' && f.Field !== 'readOnly');
      if (others.length) {
        partial.push(`its advanced event selector${a.Name ? ` ${a.Name}` : ''} filters management events on ${others.map((f) => f.Field).join(', ')}`);
        continue;
      }
      const ro = fields.find((f) => f.Field === 'readOnly');
      const kinds = (['read', 'write'] as const).filter((k) => {
        const value = k === 'read' ? 'true' : 'false';
        return !ro || ((!ro.Equals?.length || ro.Equals.includes(value)) && !(ro.NotEquals ?? []).includes(value));
      });
      if (kinds.length === 0) partial.push(`its advanced event selector filters readOnly in a way no management event matches`);
      for (const k of kinds) covered.add(k);
    }
    if (covered.size === 0 && partial.length === 0) return 'its advanced event selectors capture no management events';
  } else {
    const selectors = sel.EventSelectors ?? [{ ReadWriteType: 'All', IncludeManagementEvents: true }];
    for (const s of selectors) {
      if (s.IncludeManagementEvents === false) continue;
      if (s.ExcludeManagementEventSources?.length) {
        partial.push(`its event selector excludes ${s.ExcludeManagementEventSources.join(', ')} management events`);
        continue;
      }
      const rw = s.ReadWriteType ?? 'All';
      if (rw !== 'WriteOnly') covered.add('read');
      if (rw !== 'ReadOnly') covered.add('write');
    }
    if (covered.size === 0 && partial.length === 0) return 'its event selectors exclude management events';
  }
  if (covered.has('read') && covered.has('write')) return undefined;
  const missing = (['read', 'write'] as const).filter((k) => !covered.has(k));
  return [...partial, `no selector records every ${missing.join(' or ')} management event`].join('; ');
}

export default defineCheck({
  id: 'cloudtrail-multi-region-logging',
  title: 'A multi-Region trail is logging read and write management events',
  severity: 'high',
  service: 'cloudtrail',
  controls: ['CloudTrail.1', 'cloudtrail_multi_region_enabled'],
  docs: ['https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-1'],
  remediation: 'aws cloudtrail create-trail --name lab-trail --s3-bucket-name BUCKET --is-multi-region-trail, then aws cloudtrail start-logging --name lab-trail (the bucket policy must let cloudtrail.amazonaws.com write).',
  params: z.object({}).strict(),
  async run(ctx) {
    const ct = await ctx.aws.cloudTrail();
    const trails = (await ct.describeTrails({ includeShadowTrails: true })).trailList ?? [];
    if (trails.length === 0) return fail('No CloudTrail trail exists in this account and Region, so no API call is recorded beyond the 90-day event history.');
    const reasons: string[] = [];
    for (const t of trails) {
      const name = t.Name ?? t.TrailARN ?? 'trail';
      if (!t.IsMultiRegionTrail) {
        reasons.push(`trail ${name} covers only ${t.HomeRegion}`);
        continue;
      }
      const status = await ct.getTrailStatus({ Name: t.TrailARN ?? name });
      if (!status.IsLogging) {
        reasons.push(`trail ${name} is not logging`);
        continue;
      }
      const gap = await managementCoverage(ct, t.TrailARN ?? name);
      if (gap) {
        reasons.push(`trail ${name}: ${gap}`);
        continue;
      }
      return pass(`Trail ${name} is multi-Region, logging, and records read and write management events to s3://${t.S3BucketName}.`, [t.TrailARN ?? name]);
    }
    return fail(`No trail records all management events in every Region: ${reasons.join('; ')}.`, trails.map((t) => t.TrailARN ?? ''));
  },
});
