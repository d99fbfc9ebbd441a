/**
 * `bytes` random bytes as hex: short ids made in the browser (scenario, agenda step, tab).
 * `crypto.getRandomValues` works on plain http too (a venue's LAN), unlike `randomUUID`.
 */
export function randomHex(bytes: number): string {
  const values = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(values);
  return Array.from(values, (b) => b.toString(16).padStart(2, '0')).join('');
}
