/** Upgrading a board to the newest version of its model (undoable through a saved version). */
import type { ServerResponse } from 'node:http';
import { readBoard } from '../../../lib/board/boardState';
import { upgradeBoard, upgradePreview } from '../../../lib/board/upgrade';
import type { Actor } from '../../../lib/board/refusal';
import { ApiError, sendJson } from '../apiKit';
import { boardAccess, type ApiContext, type BoardRoute } from './context';
import type { versionRoutes } from './versions';

const alreadyNewest = () =>
  new ApiError(409, 'alreadyNewestModel', 'This board already uses the newest model version.');

export function upgradeRoutes(
  ctx: ApiContext,
  { snapshotVersion }: Pick<ReturnType<typeof versionRoutes>, 'snapshotVersion'>,
) {
  const { readLive, changeBoard } = boardAccess(ctx);

  /**
   * Upgrade the board to the newest version of its model, as the moderator asked: first keep
   * today's state as a version (restoring it undoes the upgrade), then change the model version
   * and add the new assumptions, judged like any of the moderator's edits.
   */
  async function upgradeModel(id: string, res: ServerResponse, actor: Actor): Promise<void> {
    const preview = await readLive(id, (doc) => upgradePreview(readBoard(doc)));
    if (!preview) throw alreadyNewest();
    const undo = await snapshotVersion(
      id,
      `Before upgrading to model v${preview.to.version}`,
      'Scenario Board',
    );
    let result: { from: number; to: number } | null = null;
    await changeBoard(id, (doc) => (result = upgradeBoard(doc)), actor);
    if (!result) throw alreadyNewest();
    sendJson(res, 200, { ...(result as { from: number; to: number }), undoVersionId: undo.id });
  }

  const routes: BoardRoute[] = [
    {
      method: 'GET',
      path: '/upgrade',
      role: 'viewer',
      handle: async ({ res, id }) =>
        sendJson(res, 200, {
          preview: await readLive(id, (doc) => upgradePreview(readBoard(doc))),
        }),
    },
    {
      method: 'POST',
      path: '/upgrade',
      role: 'moderator',
      handle: ({ res, id, actor }) => upgradeModel(id, res, actor!),
    },
  ];
  return { routes };
}
