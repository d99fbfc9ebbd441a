import { describe, expect, it } from 'vitest';
import {
  PARTICIPANT_ISSUE_BUDGET,
  RateLimitedError,
  addressKey,
  createRateLimits,
} from './rateLimits';

describe('rate limits', () => {
  it('budgets IPv4 addresses one by one and IPv6 addresses by /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb::9')).toBe(addressKey('2001:db8:1:2:aaaa::1'));
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey('not an address')).toBe('not an address');
  });

  it('participant credentials: 1,500 a minute per address by default, then 429 with a wait', async () => {
    const limits = createRateLimits({ trustedProxies: 0, boardsPerHour: 60 });
    const started = Date.now();
    await Promise.all(
      Array.from({ length: PARTICIPANT_ISSUE_BUDGET.points }, () =>
        limits.participantIssue.consume('198.51.100.1'),
      ),
    );
    const refused = await limits.participantIssue.consume('198.51.100.1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    const { retryAfterSeconds, message } = refused as RateLimitedError;
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(message).toMatch(/Try again in \d+ seconds/);
    // Another address has its own budget.
    await expect(limits.participantIssue.consume('198.51.100.2')).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('the participant budget is configurable (PARTICIPANTS_PER_ADDRESS_PER_MINUTE)', async () => {
    const limits = createRateLimits({
      trustedProxies: 0,
      boardsPerHour: 60,
      participantsPerMinute: 3,
    });
    for (let i = 0; i < 3; i++) await limits.participantIssue.consume('198.51.100.9');
    await expect(limits.participantIssue.consume('198.51.100.9')).rejects.toBeInstanceOf(
      RateLimitedError,
    );
  });
});
