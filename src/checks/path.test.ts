import { describe, expect, it } from 'vitest';
import { compare, describeExpectation, parsePath, selectPath } from './path.js';

const services = {
  services: [
    { serviceName: 'a', deployments: [{ status: 'PRIMARY', platformVersion: '1.4.0' }, { status: 'ACTIVE', platformVersion: '1.3.0' }], tags: [{ key: 'env', value: 'prod' }] },
    { serviceName: 'b', deployments: [{ status: 'PRIMARY', platformVersion: 'LATEST' }] },
  ],
};

describe('selectPath', () => {
  it('follows keys and indexes', () => {
    expect(selectPath(services, 'services[0].serviceName')).toEqual(['a']);
    expect(selectPath(services, 'services[1].deployments[0].platformVersion')).toEqual(['LATEST']);
  });

  it('projects over [*] and flattens', () => {
    expect(selectPath(services, 'services[*].serviceName')).toEqual(['a', 'b']);
    expect(selectPath(services, 'services[*].deployments[*].platformVersion')).toEqual(['1.4.0', '1.3.0', 'LATEST']);
  });

  it('filters with [?field==value] and [?field!=value]', () => {
    expect(selectPath(services, 'services[*].deployments[?status==PRIMARY].platformVersion')).toEqual(['1.4.0', 'LATEST']);
    expect(selectPath(services, "services[0].deployments[?status!='PRIMARY'].platformVersion")).toEqual(['1.3.0']);
  });

  it('yields nothing for missing keys and out-of-range indexes', () => {
    expect(selectPath(services, 'services[5].serviceName')).toEqual([]);
    expect(selectPath(services, 'services[0].nope')).toEqual([]);
  });

  it('rejects malformed paths with the position', () => {
    expect(() => parsePath('services[0')).toThrow(/character 9/);
    expect(() => parsePath('a..b')).toThrow(/invalid path/);
  });
});

describe('compare', () => {
  it('passes when values match and fails when they do not', () => {
    expect(compare('1.4.0', { op: 'eq', value: '1.4.0' })).toBe(true);
    expect(compare('1.3.0', { op: 'eq', value: '1.4.0' })).toBe(false);
    expect(compare(2, { op: 'gte', value: 2 })).toBe(true);
    expect(compare(1, { op: 'gte', value: 2 })).toBe(false);
    expect(compare('LATEST', { op: 'in', value: ['LATEST', '1.4.0'] })).toBe(true);
    expect(compare('1.3.0', { op: 'in', value: ['LATEST', '1.4.0'] })).toBe(false);
    expect(compare(['ALL'], { op: 'contains', value: 'ALL' })).toBe(true);
    expect(compare(['NET_ADMIN'], { op: 'contains', value: 'ALL' })).toBe(false);
    expect(compare('arn:aws:iam::1:role/x', { op: 'regex', value: ':role/x$' })).toBe(true);
    expect(compare([], { op: 'empty' })).toBe(true);
    expect(compare(['x'], { op: 'empty' })).toBe(false);
  });

  it('words expectations for messages', () => {
    expect(describeExpectation({ op: 'gte', value: 2 })).toBe('at least 2');
    expect(describeExpectation({ op: 'eq', value: 'LATEST' })).toBe('equal to "LATEST"');
  });
});
