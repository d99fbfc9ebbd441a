/**
 * The Analysis tab's Web Worker: runs the seeded Monte Carlo off the main thread so sliders never
 * wait for it. One request at a time; every answer carries the request's `seq` so the page can
 * drop answers for values that have since changed.
 */
import { monteCarlo } from '../model';
import { specsOfVersion, type MonteCarloRequest, type MonteCarloResponse } from './analysis';

interface WorkerScope {
  onmessage: ((event: MessageEvent<MonteCarloRequest>) => void) | null;
  postMessage(message: MonteCarloResponse): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const { seq, values, bands, seed, samples, modelVersion, actuals } = event.data;
  try {
    const result = monteCarlo(values, {
      seed,
      samples,
      bands,
      specs: specsOfVersion(modelVersion),
      actuals,
    });
    scope.postMessage({ seq, ok: true, result });
  } catch (err) {
    scope.postMessage({ seq, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
