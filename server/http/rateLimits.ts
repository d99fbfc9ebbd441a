/**
 * Request budgets of the HTTP API, per client address and overall (rate-limiter-flexible): in
 * memory for one instance, in Redis when REDIS_URL is set, so every instance spends the same
 * budget. Numbers are documented in the README ("Limits") and exported for the tests.
 *
 * Joining by code counts only FAILED guesses. A venue puts hundreds of people behind one address,
 * and a correct code is not a guess; a wrong one is. Failures count per address, per code tried and
 * overall. Once a budget is spent, joins are refused without saying whether the code was right
 * (else the refusal itself would answer the guess), except for a board someone at the same address
 * has already joined: the people in the room keep getting in while someone there types nonsense.
 */
import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterAbstract,
  type RateLimiterRes,
} from 'rate-limiter-flexible';

/** A budget of `points` per `seconds`. */
export interface Budget {
  points: number;
  seconds: number;
}

export const JOIN_BUDGETS = {
  /** Wrong codes from one address: a room's typos fit, a script gets 30 guesses per 10 minutes. */
  failuresPerAddress: { points: 30, seconds: 600 },
  /** Failures of one code, from anywhere: a stale code on a slide, or one code hammered. */
  failuresPerCode: { points: 10, seconds: 600 },
  /**
   * Wrong codes from everyone together. 25^6 codes: with 1,000 live boards, 120 guesses a minute
   * find one about every 1.4 days, and a rotation (new code) is one click. A flood of guesses from
   * many addresses then stops first joins everywhere for up to a minute; joins to a board already
   * joined from the same address keep working.
   */
  failuresOverall: { points: 120, seconds: 60 },
  /** How long a board counts as "joined from this address" (refreshed on every join). */
  joinedMemorySeconds: 4 * 3600,
} as const;

/**
 * Personal participant credentials per address, by default (PARTICIPANTS_PER_ADDRESS_PER_MINUTE):
 * a plenary of 1,000 behind one venue address gets theirs within a minute with room for reloads
 * and second devices. A script behind one address can mint as many identities; minting is not
 * what it needs to stuff a poll, though: each vote needs a live connection, which shows in the
 * count of people present that the moderator sees beside the answers.
 */
export const PARTICIPANT_ISSUE_BUDGET: Budget = { points: 1500, seconds: 60 };

/** A request over its budget: HTTP 429 with `Retry-After: retryAfterSeconds` and this message. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** One budget keyed by client address. */
export interface AddressLimiter {
  /** Spend one unit for `address`; rejects with RateLimitedError once the budget is spent. */
  consume(address: string): Promise<void>;
}

export interface JoinLimiter {
  /** Why a join from `address` with `code` is refused right now (a spent budget), or null. */
  refusal(address: string, code: string): Promise<RateLimitedError | null>;
  /** A code that matched no board: counts against the address, the code and the overall budget. */
  recordFailure(address: string, code: string): Promise<void>;
  /** Someone at `address` joined `boardId`. */
  recordJoin(address: string, boardId: string): Promise<void>;
  /** Whether someone at `address` joined `boardId` in the last JOIN_BUDGETS.joinedMemorySeconds. */
  hasJoined(address: string, boardId: string): Promise<boolean>;
}

export interface RateLimits {
  /** The client's address: the socket's, or from X-Forwarded-For behind TRUST_PROXY proxies. */
  clientAddress(req: IncomingMessage): string;
  join: JoinLimiter;
  /** `POST /api/boards`. */
  boardCreate: AddressLimiter;
  /** Issuing a personal participant credential (PARTICIPANT_ISSUE_BUDGET). */
  participantIssue: AddressLimiter;
}

export interface RateLimitOptions {
  /** Number of reverse proxies in front of the server (TRUST_PROXY); 0 = use the socket address. */
  trustedProxies: number;
  /** Boards one address may create per hour (BOARDS_PER_HOUR). */
  boardsPerHour: number;
  /** Participant credentials per address per minute (default PARTICIPANT_ISSUE_BUDGET.points). */
  participantsPerMinute?: number;
  /** Share the budgets through Redis (a client that is not in subscriber mode). */
  redis?: Redis;
  /** Prefix of the Redis keys; tests use their own so that runs do not share budgets. */
  keyPrefix?: string;
}

export function createRateLimits(options: RateLimitOptions): RateLimits {
  const prefix = options.keyPrefix ?? 'sb:rl';
  const limiter = (name: string, budget: Budget): RateLimiterAbstract => {
    const opts = {
      keyPrefix: `${prefix}:${name}`,
      points: budget.points,
      duration: budget.seconds,
    };
    if (!options.redis) return new RateLimiterMemory(opts);
    // If Redis fails, each instance falls back to its own memory budget rather than letting
    // everything through or refusing everyone.
    return new RateLimiterRedis({
      ...opts,
      storeClient: options.redis,
      insuranceLimiter: new RateLimiterMemory(opts),
    });
  };

  const failuresPerAddress = limiter('join-fail-addr', JOIN_BUDGETS.failuresPerAddress);
  const failuresPerCode = limiter('join-fail-code', JOIN_BUDGETS.failuresPerCode);
  const failuresOverall = limiter('join-fail-all', JOIN_BUDGETS.failuresOverall);
  // Used as a set with expiry: a key with points means "joined from here".
  const joined = limiter('joined', { points: 1, seconds: JOIN_BUDGETS.joinedMemorySeconds });

  const join: JoinLimiter = {
    async refusal(address, code) {
      const key = addressKey(address);
      const [byAddress, byCode, overall] = await Promise.all([
        spent(failuresPerAddress, key),
        spent(failuresPerCode, code),
        spent(failuresOverall, 'all'),
      ]);
      if (byAddress)
        return new RateLimitedError(
          `Too many wrong codes were tried from your network. Check the code on the screen and try again in ${wait(byAddress)}.`,
          seconds(byAddress),
        );
      if (byCode)
        return new RateLimitedError(
          `The code ${code} has been tried too often without matching a board. Check the code on the screen and try again in ${wait(byCode)}.`,
          seconds(byCode),
        );
      if (overall)
        return new RateLimitedError(
          `Too many wrong codes are being tried right now. Try again in ${wait(overall)}.`,
          seconds(overall),
        );
      return null;
    },
    async recordFailure(address, code) {
      // penalty() adds without refusing: a failure past the budget still counts (refusal() then says so).
      await Promise.all([
        failuresPerAddress.penalty(addressKey(address)),
        failuresPerCode.penalty(code),
        failuresOverall.penalty('all'),
      ]);
    },
    async recordJoin(address, boardId) {
      await joined.set(`${addressKey(address)}|${boardId}`, 1, JOIN_BUDGETS.joinedMemorySeconds);
    },
    async hasJoined(address, boardId) {
      const res = await joined.get(`${addressKey(address)}|${boardId}`);
      return (res?.consumedPoints ?? 0) > 0;
    },
  };

  return {
    clientAddress: (req) => clientAddress(req, options.trustedProxies),
    join,
    boardCreate: addressLimiter(
      limiter('board-create', { points: options.boardsPerHour, seconds: 3600 }),
      (after) => `Too many boards were created from your network. Try again in ${after}.`,
    ),
    participantIssue: addressLimiter(
      limiter('participant-issue', {
        points: options.participantsPerMinute ?? PARTICIPANT_ISSUE_BUDGET.points,
        seconds: 60,
      }),
      (after) => `Too many people joined from your network at once. Try again in ${after}.`,
    ),
  };
}

function addressLimiter(
  limiter: RateLimiterAbstract,
  message: (after: string) => string,
): AddressLimiter {
  return {
    async consume(address) {
      try {
        await limiter.consume(addressKey(address));
      } catch (rejection) {
        if (rejection instanceof Error) throw rejection; // the store failed (no insurance left)
        const res = rejection as RateLimiterRes;
        throw new RateLimitedError(message(wait(res)), seconds(res));
      }
    },
  };
}

/** The limiter's state for `key` if its budget is spent, else null. */
async function spent(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes | null> {
  const res = await limiter.get(key);
  return res && res.consumedPoints >= limiter.points ? res : null;
}

const seconds = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));
const wait = (res: RateLimiterRes) => {
  const s = seconds(res);
  return s < 90 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`;
};

/**
 * The client's address. Without trusted proxies, the socket's peer (X-Forwarded-For is ignored:
 * anyone can send it). With `trustedProxies` = n, the n-th address from the right of
 * "X-Forwarded-For, socket address": the hop the outermost trusted proxy saw (as Express's
 * `trust proxy = n`); entries further left were written by the client and are never used.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const address =
    trustedProxies > 0
      ? proxyAddr(req, (_addr, hop) => hop < trustedProxies)
      : req.socket.remoteAddress;
  if (!address) return 'unknown';
  // "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) is 10.0.0.1.
  return ipaddr.isValid(address) ? ipaddr.process(address).toString() : address.slice(0, 64);
}

/**
 * The key an address is budgeted under. One IPv6 host usually holds a whole /64, so IPv6 addresses
 * share their /64's budget; IPv4 addresses are their own.
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address.slice(0, 64);
  const ip = ipaddr.process(address);
  if (ip.kind() === 'ipv4') return ip.toString();
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}
