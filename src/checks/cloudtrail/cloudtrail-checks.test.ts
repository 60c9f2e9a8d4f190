import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type GetEventSelectorsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../../../test/helpers/check-context.js';
import multiRegion from './cloudtrail-multi-region-logging.js';

const ct = mockClient(CloudTrailClient);
afterEach(() => ct.reset());

const TRAIL = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/lab-trail';
async function withSelectors(selectors: Partial<GetEventSelectorsCommandOutput>) {
  ct.on(DescribeTrailsCommand).resolves({ trailList: [{ Name: 'lab-trail', TrailARN: TRAIL, IsMultiRegionTrail: true, HomeRegion: 'us-east-1', S3BucketName: 'lab-trail-logs' }] });
  ct.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  ct.on(GetEventSelectorsCommand).resolves({ TrailARN: TRAIL, ...selectors });
  return multiRegion.run(testContext(), multiRegion.params.parse({}));
}
const mgmt = (extra: Array<{ Field: string; Equals?: string[]; NotEquals?: string[] }> = []) => ({ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, ...extra] });

describe('cloudtrail-multi-region-logging: event selectors', () => {
  it('passes the default selector, one ReadOnly plus one WriteOnly selector, and the advanced equivalents', async () => {
    expect((await withSelectors({})).status).toBe('pass');
    expect((await withSelectors({ EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }, { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] })).status).toBe('pass');
    expect((await withSelectors({ AdvancedEventSelectors: [mgmt()] })).status).toBe('pass');
    expect((await withSelectors({ AdvancedEventSelectors: [mgmt([{ Field: 'readOnly', Equals: ['true'] }]), mgmt([{ Field: 'readOnly', Equals: ['false'] }])] })).status).toBe('pass');
  });

  it('fails a selector that excludes event sources, in either form, and one kind of event alone', async () => {
    const basic = await withSelectors({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] }] });
    expect(basic).toMatchObject({ status: 'fail', message: expect.stringContaining('its event selector excludes kms.amazonaws.com management events; no selector records every read or write management event') });
    const advanced = await withSelectors({ AdvancedEventSelectors: [mgmt([{ Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }])] });
    expect(advanced).toMatchObject({ status: 'fail', message: expect.stringContaining('filters management events on eventSource') });
    const readOnly = await withSelectors({ EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] });
    expect(readOnly).toMatchObject({ status: 'fail', message: expect.stringContaining('no selector records every write management event') });
    expect((await withSelectors({ AdvancedEventSelectors: [mgmt([{ Field: 'readOnly', Equals: ['false'] }])] })).message).toContain('no selector records every read management event');
    expect((await withSelectors({ AdvancedEventSelectors: [mgmt([{ Field: 'readOnly', NotEquals: ['true'] }])] })).message).toContain('no selector records every read management event');
    expect((await withSelectors({ AdvancedEventSelectors: [mgmt([{ Field: 'readOnly', NotEquals: ['true', 'false'] }])] })).message).toContain('filters readOnly in a way no management event matches');
    expect((await withSelectors({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false }] })).message).toContain('its event selectors exclude management events');
  });
});
