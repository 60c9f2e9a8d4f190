import { describe, expect, it } from 'vitest';
import { digits, ec2Id, hex, stableEc2Id, uuid } from './ids.js';

describe('ids', () => {
  it('uuid() gives distinct version 4 UUIDs with the RFC 4122 variant', () => {
    const seen = new Set<string>();
    const variants = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = uuid();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
      variants.add(id[19]!);
    }
    expect(seen.size).toBe(10_000);
    expect([...variants].sort()).toEqual(['8', '9', 'a', 'b']);
  });

  it('uses every hex digit in every random position', () => {
    const ids = Array.from({ length: 2_000 }, () => uuid());
    for (let pos = 0; pos < 36; pos++) {
      if ([8, 13, 14, 18, 19, 23].includes(pos)) continue; // dashes, the version and the variant
      expect(new Set(ids.map((id) => id[pos])).size, `position ${pos}`).toBe(16);
    }
  });

  it('stableEc2Id gives the same EC2-shaped id for the same seed only', () => {
    expect(stableEc2Id('rtb', 'vpc-1/rtb')).toMatch(/^rtb-0[0-9a-f]{16}$/);
    expect(stableEc2Id('rtb', 'vpc-1/rtb')).toBe(stableEc2Id('rtb', 'vpc-1/rtb'));
    expect(stableEc2Id('rtb', 'vpc-2/rtb')).not.toBe(stableEc2Id('rtb', 'vpc-1/rtb'));
  });

  it('hex, ec2Id and digits keep their shapes', () => {
    expect(hex(17)).toMatch(/^[0-9a-f]{17}$/);
    expect(ec2Id('vpc')).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(digits(12)).toMatch(/^[1-9][0-9]{11}$/);
  });
});
