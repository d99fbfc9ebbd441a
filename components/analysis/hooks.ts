'use client';

import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { ROOT } from '@/lib/board/layout';
import { readBands, type Band } from '@/lib/board/bands';
import type { Actual, AssumptionId, Assumptions, Bands, MonteCarloResult } from '@/lib/model';
import { useSharedBoard } from '@/components/board/BoardContext';

/** The board's bands as stored (with where each came from); a model `Bands` too. */
export type DocBands = Partial<Record<AssumptionId, Band>>;
import { ANALYSIS_SAMPLES, bandsKey } from '@/lib/client/analysis';
import { MonteCarloRunner } from '@/lib/client/analysisRunner';

interface BandStore {
  subscribe: (onChange: () => void) => () => void;
  getSnapshot: () => DocBands;
}

const bandStores = new WeakMap<Y.Doc, BandStore>();

function bandStore(doc: Y.Doc): BandStore {
  let store = bandStores.get(doc);
  if (store) return store;
  // The key includes each band's origin: a poll's band re-set by hand loses its label.
  const keyOf = (b: DocBands) =>
    `${bandsKey(b)}|${Object.entries(b)
      .filter(([, v]) => v?.origin)
      .map(([k]) => k)
      .sort()
      .join(',')}`;
  let snapshot: DocBands = readBands(doc);
  let key = keyOf(snapshot);
  const refresh = () => {
    const next = readBands(doc);
    const nextKey = keyOf(next);
    if (nextKey !== key) {
      snapshot = next;
      key = nextKey;
    }
  };
  store = {
    subscribe(onChange) {
      const map = doc.getMap<unknown>(ROOT.bands);
      const handler = () => {
        refresh();
        onChange();
      };
      map.observe(handler);
      refresh();
      return () => map.unobserve(handler);
    },
    getSnapshot: () => snapshot,
  };
  bandStores.set(doc, store);
  return store;
}

/** The moderator-set uncertainty bands of the board, live (stable object while unchanged). */
export function useDocBands(doc: Y.Doc): DocBands {
  const store = bandStore(doc);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

export interface MonteCarloState {
  /** The newest result received (possibly for earlier values while `pending`). */
  result: MonteCarloResult | null;
  /** True while a run for the current values is outstanding. */
  pending: boolean;
  error: string | null;
  mode: 'worker' | 'main-thread' | null;
}

/**
 * The seeded Monte Carlo for these values and bands, computed off the main thread. Results for
 * values that have since changed are never shown as current.
 */
export function useMonteCarlo(
  values: Assumptions,
  bands: Bands,
  seed: number,
  modelVersion: number,
  actuals: readonly Actual[] = [],
): MonteCarloState {
  const key = JSON.stringify([values, bandsKey(bands), seed, modelVersion, actuals]);
  const [answer, setAnswer] = useState<{
    key: string;
    result: MonteCarloResult | null;
    error: string | null;
  }>({ key: '', result: null, error: null });
  const [mode, setMode] = useState<MonteCarloState['mode']>(null);
  const runner = useRef<MonteCarloRunner | null>(null);
  const keyBySeq = useRef(new Map<number, string>());

  useEffect(() => {
    const seqKeys = keyBySeq.current;
    const r = new MonteCarloRunner((res) => {
      const k = seqKeys.get(res.seq) ?? '';
      seqKeys.clear();
      setAnswer((prev) =>
        res.ok
          ? { key: k, result: res.result, error: null }
          : { key: k, result: prev.result, error: res.error },
      );
      setMode(r.mode);
    });
    runner.current = r;
    return () => {
      r.dispose();
      runner.current = null;
    };
  }, []);

  useEffect(() => {
    const r = runner.current;
    if (!r) return;
    const seq = r.request({
      values,
      bands,
      seed,
      samples: ANALYSIS_SAMPLES,
      modelVersion,
      actuals: [...actuals],
    });
    keyBySeq.current.set(seq, key);
    // `key` captures values, bands and seed by content: objects re-created by unrelated
    // document changes do not start a new run.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return {
    result: answer.result,
    pending: answer.key !== key,
    error: answer.key === key ? answer.error : null,
    mode,
  };
}

/**
 * The board's reported actuals (R22), the same array while their content is the same: every
 * analysis keeps reported years fixed, and memos do not rerun on unrelated document changes.
 */
export function useActuals(): readonly Actual[] {
  const board = useSharedBoard();
  const key = JSON.stringify(board.actuals);
  return useMemo(() => JSON.parse(key) as Actual[], [key]);
}
