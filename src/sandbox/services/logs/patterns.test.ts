import { describe, expect, it } from 'vitest';
import { compilePattern, messageFields } from './patterns.js';

const FLOW = '[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action, flowlogstatus]';
const accept = '2 123456789012 eni-0a1 10.0.1.5 10.0.2.7 40112 8080 6 12 4040 1764550000 1764550060 ACCEPT OK';
const reject = '2 123456789012 eni-0a1 203.0.113.9 10.0.2.7 51000 22 6 2 120 1764550000 1764550060 REJECT OK';
const noData = '2 123456789012 eni-0a1 - - - - - - - 1764550000 1764550060 - NODATA';

function matches(pattern: string, messages: readonly string[]): string[] {
  const m = compilePattern(pattern, 'filter');
  return messages.filter((x) => m(x));
}

describe('space-delimited patterns', () => {
  it('matches flow log records by field, as AWS documents for VPC flow logs', () => {
    const all = [accept, reject, noData];
    expect(matches(FLOW, all)).toEqual(all);
    expect(matches(FLOW.replace('action,', 'action="REJECT",'), all)).toEqual([reject]);
    expect(matches(FLOW.replace('action,', 'action=REJECT,'), all)).toEqual([reject]);
    expect(matches(FLOW.replace('destport,', 'destport="8080",').replace('action,', 'action="REJECT",'), all)).toEqual([]);
    expect(matches(FLOW.replace('destport,', 'destport=8080,'), all)).toEqual([accept]);
    expect(matches(FLOW.replace('destport,', 'destport!=8080,'), all)).toEqual([reject]);
    expect(matches(FLOW.replace('action,', 'action!=ACCEPT,'), all)).toEqual([reject, noData]);
  });

  it('compares numbers, matches * wildcards and joins tests with && and ||', () => {
    const all = [accept, reject, noData];
    expect(matches(FLOW.replace('bytes,', 'bytes>1000,'), all)).toEqual([accept]);
    expect(matches(FLOW.replace('bytes,', 'bytes<=120,'), all)).toEqual([reject]);
    expect(matches(FLOW.replace('packets,', 'packets>=2 && packets<12,'), all)).toEqual([reject]);
    expect(matches(FLOW.replace('destport,', 'destport=22 || destport=8080,'), all)).toEqual([accept, reject]);
    expect(matches(FLOW.replace('source,', 'source="203.0.113.*",'), all)).toEqual([reject]);
    expect(matches(FLOW.replace('source,', 'source=10.*,'), all)).toEqual([accept]);
    expect(matches(FLOW.replace('source,', 'source!=10.*,'), all)).toEqual([reject, noData]);
  });

  it('needs as many fields as the message has, unless ... stands for the rest', () => {
    expect(matches('[version, account, eni]', [accept])).toEqual([]);
    expect(matches('[version, account, eni, ...]', [accept])).toEqual([accept]);
    expect(matches('[..., action=REJECT, status]', [accept, reject])).toEqual([reject]);
    expect(matches('[v, ..., destport=22, ..., status=OK]', [accept, reject])).toEqual([reject]);
  });

  it('reads quoted and bracketed fields as one', () => {
    const line = '10.0.0.1 - alice [10/Oct/2000:13:55:36 -0700] "GET /index.html HTTP/1.0" 404 2326';
    expect(messageFields(line)).toEqual(['10.0.0.1', '-', 'alice', '10/Oct/2000:13:55:36 -0700', 'GET /index.html HTTP/1.0', '404', '2326']);
    expect(matches('[ip, id, user, timestamp, request="GET *", status_code=4*, bytes]', [line])).toEqual([line]);
    expect(matches('[ip, id, user, timestamp, request, status_code=5* || status_code=2*, bytes]', [line])).toEqual([]);
  });

  it('refuses malformed patterns', () => {
    for (const p of ['[a, b', '[]', '[a, b > x]', '[a, b = ]', '[a, b = 1 &&]', '[a, "b]', '[a, b = 1 c = 2]']) {
      expect(() => compilePattern(p, 'filter'), p).toThrowError(/Invalid filter pattern/);
    }
  });

  it('keeps plain term patterns working', () => {
    expect(matches('REJECT', [accept, reject, noData])).toEqual([reject]);
    expect(matches('NODATA', [accept, reject, noData])).toEqual([noData]);
  });
});
