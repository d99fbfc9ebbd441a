/**
 * Open connections per client address, across both transports (a browser tab holds one Yjs and
 * one socket.io connection). The default admits a plenary of 1,000 behind one venue address,
 * the half-open connections a Wi-Fi drop leaves until heartbeats find them, and moderators,
 * projectors and second tabs beside them (config.ts); it stops one machine from holding tens of
 * thousands of sockets open.
 *
 * The address is a plain string so the caller decides what it is (the socket's remote address
 * today; the proxy-aware client address when TRUST_PROXY is set).
 */
import type { IncomingMessage } from 'node:http';

/** Gives back one connection's slot; calling it again does nothing. */
export type ReleaseConnection = () => void;

export class ConnectionLimiter {
  private readonly open = new Map<string, number>();

  constructor(readonly maxPerAddress: number) {}

  /** Take a slot for `address`, or null when it already has `maxPerAddress` open. */
  acquire(address: string): ReleaseConnection | null {
    const count = this.open.get(address) ?? 0;
    if (count >= this.maxPerAddress) return null;
    this.open.set(address, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(address) ?? 1) - 1;
      if (left <= 0) this.open.delete(address);
      else this.open.set(address, left);
    };
  }

  /** Connections open from `address` now. */
  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}

/** What a client is told when its address is over the cap. */
export const tooManyConnectionsMessage = (max: number) =>
  `Too many connections from your network (at most ${max}): close some tabs and try again.`;

/** The address a connection is counted under. */
export type AddressOf = (req: IncomingMessage) => string;

/** The peer's socket address (no proxy headers). */
export const socketAddress: AddressOf = (req) => req.socket.remoteAddress ?? 'unknown';
