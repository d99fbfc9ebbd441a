/** Downloads of a board: the projection as CSV, scenarios with projections as JSON. */
import type { ServerResponse } from 'node:http';
import { readBoard } from '../../../lib/board/boardState';
import { boardJson, projectionCsv } from '../../../lib/board/exchange';
import { currentDecision } from '../../../lib/board/decision';
import { fileName, sendFile } from '../apiKit';
import { boardAccess, type ApiContext, type BoardRoute } from './context';

export function exportRoutes(ctx: ApiContext) {
  const { readLive } = boardAccess(ctx);

  async function exportCsv(res: ServerResponse, id: string): Promise<void> {
    const [board, decision] = await readLive(
      id,
      (doc) => [readBoard(doc), currentDecision(doc)] as const,
    );
    sendFile(
      res,
      projectionCsv(board, decision),
      'text/csv; charset=utf-8',
      `${fileName(board.meta.title)}-projection.csv`,
    );
  }

  async function exportJson(res: ServerResponse, id: string): Promise<void> {
    const [board, decision] = await readLive(
      id,
      (doc) => [readBoard(doc), currentDecision(doc)] as const,
    );
    sendFile(
      res,
      JSON.stringify(boardJson(id, board, new Date(), decision), null, 2),
      'application/json; charset=utf-8',
      `${fileName(board.meta.title)}-scenarios.json`,
    );
  }

  const routes: BoardRoute[] = [
    {
      method: 'GET',
      path: '/export.csv',
      role: 'viewer',
      download: true,
      handle: ({ res, id }) => exportCsv(res, id),
    },
    {
      method: 'GET',
      path: '/export.json',
      role: 'viewer',
      download: true,
      handle: ({ res, id }) => exportJson(res, id),
    },
  ];
  return { routes };
}
