/** CloudTrail.1: a multi-Region trail is logging read and write management events. */
import type { CloudTrail } from '@aws-sdk/client-cloudtrail';
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';

/** Whether a trail's selectors capture both read and write management events. */
async function managementCoverage(ct: CloudTrail, trailArn: string): Promise<string | undefined> {
  const sel = await ct.getEventSelectors({ TrailName: trailArn });
  if (sel.AdvancedEventSelectors?.length) {
    const mgmt = sel.AdvancedEventSelectors.find((a) =>
      (a.FieldSelectors ?? []).some((f) => f.Field === 'eventCategory' && (f.Equals ?? []).includes('Management')),
    );
    if (!mgmt) return 'its advanced event selectors capture no management events';
    const ro = (mgmt.FieldSelectors ?? []).find((f) => f.Field === 'readOnly');
    if (ro) return `its advanced event selector keeps only readOnly=${(ro.Equals ?? []).join(',')} events`;
    return undefined;
  }
  const selectors = sel.EventSelectors ?? [{ ReadWriteType: 'All', IncludeManagementEvents: true }];
  if (selectors.some((s) => s.IncludeManagementEvents !== false && (s.ReadWriteType ?? 'All') === 'All')) return undefined;
  const kinds = selectors.filter((s) => s.IncludeManagementEvents !== false).map((s) => s.ReadWriteType);
  return kinds.length ? `its event selectors capture only ${kinds.join(' and ')} management events` : 'its event selectors exclude management events';
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
