import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dev).toBe(false);
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.maxMessageBytes).toBe(1024 * 1024);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.maxBufferedBytesPerConnection).toBe(4 * 1024 * 1024);
    expect(c.maxBufferedBytesTotal).toBe(64 * 1024 * 1024);
    // A plenary of 1,000 behind one venue address, two connections each, twice over while a
    // Wi-Fi drop leaves the old ones half-open, and room for the moderators' beside them.
    expect(c.maxConnectionsPerAddress).toBeGreaterThanOrEqual(2 * 2 * 1000 + 100);
  });

  it('reads and coerces the environment', () => {
    const c = loadConfig({
      PORT: '8080',
      DATA_DIR: '/tmp/x',
      NODE_ENV: 'development',
      MAX_MESSAGE_BYTES: '2048',
    });
    expect(c).toMatchObject({ port: 8080, dataDir: '/tmp/x', dev: true, maxMessageBytes: 2048 });
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '' }).port).toBe(3000);
  });

  it('trusts no proxy unless TRUST_PROXY names how many there are', () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY is the number of proxies/,
    );
    expect(() => loadConfig({ TRUST_PROXY: '1.5' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({}).boardsPerHour).toBe(60);
  });

  it('reads the metrics switch, the metrics token and the shutdown bounds', () => {
    const defaults = loadConfig({});
    expect(defaults.metrics).toEqual({ enabled: true, token: undefined });
    expect(defaults.shutdown).toEqual({ drainMs: 0, timeoutMs: 10_000 });
    const set = loadConfig({
      METRICS: 'off',
      METRICS_TOKEN: 'sixteen-chars-ok',
      SHUTDOWN_DRAIN_MS: '5000',
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
    expect(set.metrics).toEqual({ enabled: false, token: 'sixteen-chars-ok' });
    expect(set.shutdown).toEqual({ drainMs: 5000, timeoutMs: 20_000 });
    expect(() => loadConfig({ METRICS: 'maybe' })).toThrow(/METRICS is on or off/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least/);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '0' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', MAX_MESSAGE_BYTES: '-1' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', MAX_MESSAGE_BYTES: '-1' });
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT/);
      expect((err as Error).message).toMatch(/MAX_MESSAGE_BYTES/);
    }
  });
});
