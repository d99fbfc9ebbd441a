import { describe, expect, it } from 'vitest';
import { withTimeout } from './withTimeout';

describe('withTimeout', () => {
  it('passes a value or an error through, and rejects what takes too long', async () => {
    await expect(withTimeout(Promise.resolve(7), 50)).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('no')), 50)).rejects.toThrow('no');
    const never = new Promise<number>(() => {});
    await expect(withTimeout(never, 20)).rejects.toThrow('no answer within 20 ms');
  });
});
