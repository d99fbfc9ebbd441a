/** The decision on record (signed and dated by the server) and one-click revert of a logged edit. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import {
  DecisionRequestError,
  composeDecision,
  decisionRequestSchema,
  saveDecision,
  type DecisionRecord,
} from '../../../lib/board/decision';
import { applyRevert, checkRevert, type RevertCheck } from '../../../lib/board/activity';
import { KEY_MAX } from '../../../lib/board/limits';
import type { Actor } from '../../../lib/board/refusal';
import type { Role } from '../../../lib/protocol';
import { randomId } from '../../collab/ids';
import { ApiError, parseBody, readJson, sendJson } from '../apiKit';
import { boardAccess, type ApiContext, type BoardRoute } from './context';

/** The baseline's values of the locked assumptions. */
/**
 * Who makes a change under their own name: the caller's participant identity. A bare role link
 * carries no name, so it is refused with what to do (`action`: "A decision is recorded").
 */
function signer(actor: Actor, action: string): NonNullable<Actor['participant']> {
  if (!actor.participant)
    throw new ApiError(
      403,
      'nameNeeded',
      `${action} under your name: open the board and pick a display name first.`,
    );
  return actor.participant;
}

/** Distinct participants connected to a board, each counted once under their highest role. */
function countPresent(peers: Iterable<{ role: Role; participant: { id: string } }>) {
  const rank: Record<Role, number> = { viewer: 0, editor: 1, moderator: 2 };
  const best = new Map<string, Role>();
  for (const peer of peers) {
    const had = best.get(peer.participant.id);
    if (!had || rank[peer.role] > rank[had]) best.set(peer.participant.id, peer.role);
  }
  const present = { moderators: 0, editors: 0, viewers: 0 };
  for (const role of best.values()) present[`${role}s`]++;
  return present;
}

export function decisionRoutes(ctx: ApiContext) {
  const { hub } = ctx;
  const { readLive, changeBoard } = boardAccess(ctx);

  /**
   * The decision on record: the moderator says what was agreed and why; the server signs it with
   * the caller's participant identity, dates it, snapshots the scenario and the cited polls and
   * counts who is here, then writes it as its own change (nobody else may write that part).
   */
  async function recordDecision(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    actor: Actor,
  ): Promise<void> {
    const by = signer(actor, 'A decision is recorded');
    const request = parseBody(decisionRequestSchema, await readJson(req), '');
    const present = await hub.withBoard(id, (board) => countPresent(board.peers));
    if (!present) throw new ApiError(404, 'unknownBoard', `no board ${id}`);
    let record: DecisionRecord;
    try {
      record = await readLive(id, (doc) =>
        composeDecision(doc, request, {
          id: `d-${Date.now().toString(36)}-${randomId(6)}`,
          by,
          present,
          now: Date.now(),
        }),
      );
    } catch (err) {
      if (err instanceof DecisionRequestError)
        throw new ApiError(400, 'invalidRequest', err.message, err.field);
      throw err;
    }
    await changeBoard(id, (doc) => saveDecision(doc, record));
    sendJson(res, 201, { decision: record });
  }

  /**
   * One-click revert from the activity feed: the value goes back to what it was before the
   * logged edit, as a logged change by the moderator. Checked again inside the write queue, so
   * a newer change made meanwhile is never overwritten (409).
   */
  async function revertEdit(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    actor: Actor,
  ): Promise<void> {
    const by = signer(actor, 'A revert is logged');
    const parsed = v.safeParse(
      v.strictObject({ entryId: v.pipe(v.string(), v.minLength(1), v.maxLength(KEY_MAX)) }),
      await readJson(req),
    );
    if (!parsed.success)
      throw new ApiError(400, 'invalidRequest', 'send { "entryId": "..." }', 'entryId');
    let outcome: RevertCheck | null = null;
    let key = '';
    await changeBoard(id, (doc) => {
      outcome = checkRevert(doc, parsed.output.entryId);
      if (!outcome.ok) return;
      key = `r-${Date.now().toString(36)}-${randomId(6)}`;
      applyRevert(doc, outcome.entry, by, Date.now(), key);
    });
    // changeBoard runs the change or throws (unknown board, a refused change).
    const result = outcome as RevertCheck | null;
    if (!result) throw new Error('the revert was not checked');
    if (!result.ok) {
      const status = result.reason === 'unknownLogEntry' ? 404 : 409;
      throw new ApiError(status, result.reason, result.message, 'entryId');
    }
    sendJson(res, 200, { reverted: result.entry.id, entryId: key });
  }

  const routes: BoardRoute[] = [
    {
      method: 'POST',
      path: '/decision',
      role: 'moderator',
      handle: ({ req, res, id, actor }) => recordDecision(req, res, id, actor!),
    },
    {
      method: 'POST',
      path: '/revert',
      role: 'moderator',
      handle: ({ req, res, id, actor }) => revertEdit(req, res, id, actor!),
    },
  ];
  return { routes };
}
