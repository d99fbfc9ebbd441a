/**
 * A tiny typed wrapper around one localStorage key that React can subscribe to with
 * useSyncExternalStore: same-tab writes notify subscribers directly, other tabs through the
 * `storage` event. Reads are cached by raw string so snapshots keep their identity between renders.
 *
 * Browser-only at call time, but safe to import anywhere (every access checks for `window`).
 */

export interface LocalStore<T> {
  /** The current value (the parsed stored JSON, or the fallback). Stable identity until it changes. */
  get: () => T;
  set: (value: T) => void;
  subscribe: (onChange: () => void) => () => void;
}

export function createLocalStore<T>(
  key: string,
  parse: (raw: unknown) => T | null,
  fallback: T,
): LocalStore<T> {
  const listeners = new Set<() => void>();
  let cachedRaw: string | null = null;
  let cachedValue: T = fallback;
  /** What was set while storage refused writes: kept for this page view instead. */
  let memoryRaw: string | null = null;

  const read = (): string | null => {
    try {
      if (typeof window === 'undefined') return null;
      return window.localStorage.getItem(key) ?? memoryRaw;
    } catch {
      return memoryRaw; // storage disabled (private mode, policy)
    }
  };

  const get = (): T => {
    const raw = read();
    if (raw === cachedRaw) return cachedValue;
    cachedRaw = raw;
    if (raw === null) {
      cachedValue = fallback;
    } else {
      try {
        cachedValue = parse(JSON.parse(raw)) ?? fallback;
      } catch {
        cachedValue = fallback;
      }
    }
    return cachedValue;
  };

  const notify = () => {
    for (const l of listeners) l();
  };

  const onStorage = (e: StorageEvent) => {
    if (e.key === key || e.key === null) notify();
  };

  return {
    get,
    set(value) {
      const raw = JSON.stringify(value);
      try {
        window.localStorage.setItem(key, raw);
        memoryRaw = null;
      } catch {
        // Quota or disabled storage: keep working for this page view.
        memoryRaw = raw;
      }
      notify();
    },
    subscribe(onChange) {
      listeners.add(onChange);
      if (listeners.size === 1) window.addEventListener('storage', onStorage);
      return () => {
        listeners.delete(onChange);
        if (listeners.size === 0) window.removeEventListener('storage', onStorage);
      };
    },
  };
}
