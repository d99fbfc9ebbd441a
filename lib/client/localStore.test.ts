import { afterEach, describe, expect, it } from 'vitest';
import { createLocalStore } from './localStore';

/** A stand-in for the browser's localStorage; `blocked` makes every access throw, as Safari does. */
function installStorage(blocked: boolean) {
  const data = new Map<string, string>();
  const fail = () => {
    throw new Error('SecurityError: storage is disabled');
  };
  const storage = {
    getItem: (k: string) => (blocked ? fail() : (data.get(k) ?? null)),
    setItem: (k: string, v: string) => (blocked ? fail() : void data.set(k, v)),
  };
  Object.assign(globalThis, {
    window: { localStorage: storage, addEventListener() {}, removeEventListener() {} },
  });
}

afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

const parseName = (raw: unknown) => (typeof raw === 'string' ? raw : null);

describe('createLocalStore', () => {
  it('keeps a value in localStorage and notifies subscribers', () => {
    installStorage(false);
    const store = createLocalStore('name', parseName, 'nobody');
    let calls = 0;
    store.subscribe(() => calls++);
    expect(store.get()).toBe('nobody');
    store.set('Ayesha');
    expect(store.get()).toBe('Ayesha');
    expect(calls).toBe(1);
  });

  it('keeps the value for this page view when storage is blocked', () => {
    installStorage(true);
    const store = createLocalStore('name', parseName, 'nobody');
    store.set('Bilal');
    expect(store.get()).toBe('Bilal');
    expect(store.get()).toBe(store.get());
  });
});
