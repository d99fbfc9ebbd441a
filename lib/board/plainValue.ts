/**
 * Plain values in the board document, judged without trusting them. Anything a client wrote may
 * be a BigInt, a Uint8Array, an object whose prototype was swapped through a `__proto__` key, or
 * nested deep enough to overflow a recursive reader: these helpers never throw on such input and
 * never call JSON.stringify on it.
 */
import * as Y from 'yjs';
import { VALUE_DEPTH_MAX } from './limits';

/**
 * True for JSON-like data only: null, booleans, finite numbers, strings, arrays and objects
 * whose prototype is Object.prototype, nested at most `depth` levels. A prototype other than
 * Object's means a `__proto__` key: fields would be read from it, not from the value itself.
 */
export function isPlainValue(value: unknown, depth = VALUE_DEPTH_MAX): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth <= 0) return false;
  if (Array.isArray(value)) return value.every((v) => isPlainValue(v, depth - 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every((v) => isPlainValue(v, depth - 1));
}

/**
 * Structural equality of two document values (Yjs maps and arrays compared by content), safe
 * for any input: values that are not plain compare equal only when identical.
 */
export function sameValue(a: unknown, b: unknown, depth = VALUE_DEPTH_MAX + 4): boolean {
  if (Object.is(a, b)) return true;
  if (depth <= 0) return false;
  if (a instanceof Y.Map && b instanceof Y.Map) {
    if (a.size !== b.size) return false;
    for (const [key, value] of a.entries()) {
      if (!b.has(key) || !sameValue(value, b.get(key), depth - 1)) return false;
    }
    return true;
  }
  if (a instanceof Y.Array && b instanceof Y.Array) {
    return a.length === b.length && a.toArray().every((v, i) => sameValue(v, b.get(i), depth - 1));
  }
  if (!isPlainValue(a) || !isPlainValue(b) || typeof a !== 'object' || typeof b !== 'object')
    return false;
  if (a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i], depth - 1));
  }
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  const bo = b as Record<string, unknown>;
  const ao = a as Record<string, unknown>;
  return ak.every((k) => Object.hasOwn(bo, k) && sameValue(ao[k], bo[k], depth - 1));
}
