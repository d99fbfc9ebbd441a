/**
 * Runs the Analysis tab's Monte Carlo without blocking the page: in a Web Worker
 * (analysis.worker.ts), or, where workers are unavailable, on the main thread in an idle callback.
 *
 * Requests are coalesced: while one runs, only the newest waiting request is kept (a fast slider
 * produces many), and an answer is delivered only if it belongs to the newest request (`seq`).
 */
import { monteCarlo, type MonteCarloResult } from '../model';
import { specsOfVersion, type MonteCarloRequest, type MonteCarloResponse } from './analysis';

export type RunnerListener = (
  answer:
    { seq: number; ok: true; result: MonteCarloResult } | { seq: number; ok: false; error: string },
) => void;

type IdleWindow = Window & {
  requestIdleCallback?: (cb: () => void, options?: { timeout: number }) => number;
};

export class MonteCarloRunner {
  private worker: Worker | null = null;
  private busy = false;
  private pending: MonteCarloRequest | null = null;
  private latestSeq = 0;
  private disposed = false;
  /** 'worker' once a worker started; 'main-thread' if it could not (or failed). */
  mode: 'worker' | 'main-thread' = 'main-thread';

  constructor(private readonly listener: RunnerListener) {
    if (typeof Worker === 'undefined') return;
    try {
      this.worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), {
        type: 'module',
      });
      this.mode = 'worker';
      this.worker.onmessage = (event: MessageEvent<MonteCarloResponse>) => this.answer(event.data);
      this.worker.onerror = (event) => {
        // A worker that cannot load (e.g. blocked by policy): fall back and retry on this thread.
        event.preventDefault();
        this.worker?.terminate();
        this.worker = null;
        this.mode = 'main-thread';
        this.busy = false;
        this.pending ??= this.lastSent;
        this.pump();
      };
    } catch {
      this.worker = null;
    }
  }

  private lastSent: MonteCarloRequest | null = null;

  /** Ask for a run; answers to earlier requests that arrive later are dropped. */
  request(req: Omit<MonteCarloRequest, 'seq'>): number {
    const seq = ++this.latestSeq;
    this.pending = { ...req, seq };
    this.pump();
    return seq;
  }

  dispose(): void {
    this.disposed = true;
    this.worker?.terminate();
    this.worker = null;
    this.pending = null;
  }

  private pump(): void {
    if (this.busy || this.disposed || !this.pending) return;
    const req = this.pending;
    this.pending = null;
    this.busy = true;
    this.lastSent = req;
    if (this.worker) {
      this.worker.postMessage(req);
      return;
    }
    const run = () => {
      if (this.disposed) return;
      // A newer request arrived while waiting for idle time: skip this one.
      if (this.pending && this.pending.seq > req.seq) {
        this.busy = false;
        this.pump();
        return;
      }
      try {
        const result = monteCarlo(req.values, {
          seed: req.seed,
          samples: req.samples,
          bands: req.bands,
          specs: specsOfVersion(req.modelVersion),
          actuals: req.actuals,
        });
        this.answer({ seq: req.seq, ok: true, result });
      } catch (err) {
        this.answer({
          seq: req.seq,
          ok: false,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    };
    const w = typeof window === 'undefined' ? undefined : (window as IdleWindow);
    if (w?.requestIdleCallback) w.requestIdleCallback(run, { timeout: 500 });
    else setTimeout(run, 16);
  }

  private answer(res: MonteCarloResponse): void {
    this.busy = false;
    if (this.disposed) return;
    if (res.seq === this.latestSeq) this.listener(res);
    this.pump();
  }
}
