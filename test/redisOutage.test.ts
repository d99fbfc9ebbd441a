/**
 * Redis down for 10 s under two instances on PostgreSQL (real processes, a redis-server of the
 * test's own, killed and restarted): participants on each instance keep working with each other
 * meanwhile; the instances say so (/readyz degraded, sb_redis_bus_connected 0); when Redis is
 * back every loaded board catches up from storage (pub/sub lost what was published meanwhile),
 * so no board stays split. The catch-up time is printed.
 */
import type * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { readBoard } from '../lib/board/boardState';
import { setAssumption } from '../lib/board/scenarios';
import { connectClient, createBoard, waitFor, type TestClient } from './helpers';
import { Instance, PrivateRedis, TestSchema, freePort, sharedEnv } from './cluster';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const OUTAGE_MS = 10_000;

/** One value of the model's /metrics text (the sum over label sets). */
async function metric(instance: Instance, name: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${instance.port}/metrics`).then((r) => r.text());
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

/** A participant writing increasing values to one assumption of the baseline. */
class Writer {
  written = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(
    readonly client: TestClient,
    readonly key: 'trainingOutput' | 'organicSignups',
  ) {}

  start(): void {
    const scenarioId = readBoard(this.client.doc).scenarios[0]!.id;
    this.timer = setInterval(() => {
      this.written += 1;
      setAssumption(this.client.doc, scenarioId, this.key, this.written);
    }, 100);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** What `doc` holds of this writer's assumption. */
  seenIn(doc: Y.Doc): number {
    return readBoard(doc).scenarios[0]!.values[this.key];
  }
}

describe('Redis outage', () => {
  it('instances keep serving their own participants, then catch up from storage: no board stays split', async () => {
    const schema = new TestSchema();
    await schema.create();
    cleanups.push(() => schema.drop());
    const redis = await PrivateRedis.start();
    cleanups.push(() => redis.stop());
    const env = sharedEnv(schema, redis);
    const one = new Instance('one', await freePort(), env);
    const two = new Instance('two', await freePort(), env);
    cleanups.push(async () => {
      for (const i of [one, two]) if (i.running) await i.kill9();
    });
    await one.start();
    await two.start();
    // Both writers count from 0.
    const board = await createBoard(`http://127.0.0.1:${one.port}`, {
      title: 'Redis outage',
      assumptions: { trainingOutput: 0, organicSignups: 0 },
    });
    const on = (i: Instance) => {
      const client = connectClient(`ws://127.0.0.1:${i.port}/yjs`, board.id, board.tokens.editor);
      cleanups.push(() => client.destroy());
      return client;
    };
    const [a, aWatcher, b, bWatcher] = [on(one), on(one), on(two), on(two)];
    await Promise.all([a, aWatcher, b, bWatcher].map((c) => c.synced));
    const writerA = new Writer(a, 'trainingOutput');
    const writerB = new Writer(b, 'organicSignups');
    cleanups.push(() => writerA.stop());
    cleanups.push(() => writerB.stop());
    writerA.start();
    writerB.start();
    // The bus works: each side sees the other's edits.
    await waitFor(
      () => writerA.seenIn(bWatcher.doc) >= 5 && writerB.seenIn(aWatcher.doc) >= 5,
      'edits to cross instances',
      15_000,
    );

    await redis.stop();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    // Meanwhile each instance served its own participants...
    await waitFor(
      () =>
        writerA.seenIn(aWatcher.doc) === writerA.written &&
        writerB.seenIn(bWatcher.doc) === writerB.written,
      'participants on the same instance to see each other',
      15_000,
    );
    // ...and the board was split: the other instance's edits did not arrive.
    expect(writerB.seenIn(aWatcher.doc)).toBeLessThan(writerB.written - 50);
    expect(writerA.seenIn(bWatcher.doc)).toBeLessThan(writerA.written - 50);
    // The instances knew: still ready (storage answers), degraded, bus disconnected.
    for (const instance of [one, two]) {
      const ready = await fetch(`http://127.0.0.1:${instance.port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, degraded: 'redis unreachable' });
      expect(await metric(instance, 'sb_redis_bus_connected')).toBe(0);
    }

    writerA.stop();
    writerB.stop();
    await redis.start();
    const restartedAt = Date.now();
    const converged = (doc: Y.Doc) =>
      writerA.seenIn(doc) === writerA.written && writerB.seenIn(doc) === writerB.written;
    await waitFor(
      () => [a, aWatcher, b, bWatcher].every((c) => converged(c.doc)),
      'every participant to hold both writers’ last edits',
      15_000,
    );
    const catchUpMs = Date.now() - restartedAt;

    for (const instance of [one, two]) {
      expect(await metric(instance, 'sb_redis_bus_reconnects_total')).toBeGreaterThan(0);
      expect(await metric(instance, 'sb_catchup_updates_total')).toBeGreaterThan(0);
      expect(await metric(instance, 'sb_redis_bus_connected')).toBe(1);
      expect(
        (await fetch(`http://127.0.0.1:${instance.port}/readyz`).then((r) => r.json())) as unknown,
      ).toEqual({
        ready: true,
      });
    }
    // The bus carries edits again, without another catch-up.
    const scenarioId = readBoard(a.doc).scenarios[0]!.id;
    setAssumption(a.doc, scenarioId, 'trainingOutput', 250_000);
    await waitFor(
      () => writerA.seenIn(bWatcher.doc) === 250_000,
      'a new edit to cross over the bus',
    );
    // And a newcomer on each instance gets the whole board.
    for (const instance of [one, two]) {
      const newcomer = on(instance);
      await newcomer.synced;
      expect(writerB.seenIn(newcomer.doc)).toBe(writerB.written);
      expect(writerA.seenIn(newcomer.doc)).toBe(250_000);
    }
    console.log(
      `Redis down ${OUTAGE_MS / 1000} s: ${writerA.written + writerB.written} edits on two ` +
        `instances; every participant held every edit ${catchUpMs} ms after redis-server ` +
        `restarted (ioredis reconnect backoff + catch-up from storage)`,
    );
  }, 60_000);
});
