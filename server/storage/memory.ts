import type {
  BoardRecord,
  BoardStorage,
  StoredDocument,
  StoredLiveSession,
  VersionChange,
  VersionRecord,
} from './types';
import { StorageError, archivedVersion, renamedVersion } from './types';
import type { Role } from '../../lib/protocol';

/** A record callers may change without changing the stored one. */
const copy = (b: BoardRecord): BoardRecord => ({ ...b, linkEpochs: { ...b.linkEpochs } });

/** In-memory storage: for tests and for trying the server without a disk. Same contract as SQLite. */
export class MemoryStorage implements BoardStorage {
  private boards = new Map<string, BoardRecord>();
  private updates = new Map<string, { seq: number; data: Uint8Array }[]>();
  private seq = 0;
  private versions = new Map<string, { record: VersionRecord; state: Uint8Array }[]>();
  private liveSessions = new Map<string, StoredLiveSession>();

  createBoard(record: BoardRecord, initialState: Uint8Array): Promise<void> {
    if (this.boards.has(record.id)) {
      return Promise.reject(new StorageError(`board ${record.id} already exists`));
    }
    if ([...this.boards.values()].some((b) => b.joinCode === record.joinCode)) {
      return Promise.reject(new StorageError(`join code ${record.joinCode} is taken`));
    }
    this.boards.set(record.id, copy(record));
    this.updates.set(record.id, [{ seq: ++this.seq, data: initialState.slice() }]);
    return Promise.resolve();
  }

  getBoard(id: string): Promise<BoardRecord | null> {
    const b = this.boards.get(id);
    return Promise.resolve(b ? copy(b) : null);
  }

  listBoards(limit: number): Promise<BoardRecord[]> {
    return Promise.resolve(
      [...this.boards.values()]
        .sort((a, b) => b.updatedAt - a.updatedAt)
        .slice(0, limit)
        .map(copy),
    );
  }

  updateBoard(
    id: string,
    fields: Partial<Pick<BoardRecord, 'title' | 'updatedAt'>>,
  ): Promise<void> {
    const b = this.boards.get(id);
    if (b) Object.assign(b, fields);
    return Promise.resolve();
  }

  findBoardByJoinCode(code: string): Promise<BoardRecord | null> {
    const b = [...this.boards.values()].find((x) => x.joinCode === code);
    return Promise.resolve(b ? copy(b) : null);
  }

  rotateLinks(id: string, roles: readonly Role[], joinCode?: string): Promise<BoardRecord | null> {
    const b = this.boards.get(id);
    if (!b) return Promise.resolve(null);
    if (
      joinCode !== undefined &&
      [...this.boards.values()].some((x) => x.joinCode === joinCode && x.id !== id)
    ) {
      return Promise.reject(new StorageError(`join code ${joinCode} is taken`));
    }
    for (const role of new Set(roles)) b.linkEpochs[role] += 1;
    if (joinCode !== undefined) b.joinCode = joinCode;
    return Promise.resolve(copy(b));
  }

  loadDocument(id: string): Promise<StoredDocument | null> {
    const rows = this.updates.get(id);
    if (!rows) return Promise.resolve(null);
    return Promise.resolve({
      updates: rows.map((r) => r.data.slice()),
      lastSeq: rows.at(-1)?.seq ?? 0,
    });
  }

  appendUpdate(id: string, update: Uint8Array): Promise<number> {
    const rows = this.updates.get(id);
    if (!rows) return Promise.reject(new StorageError(`no board ${id}`));
    const seq = ++this.seq;
    rows.push({ seq, data: update.slice() });
    return Promise.resolve(seq);
  }

  compact(id: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    const rows = this.updates.get(id);
    if (!rows) return Promise.reject(new StorageError(`no board ${id}`));
    const later = rows.filter((r) => r.seq > throughSeq);
    this.updates.set(id, [{ seq: throughSeq, data: snapshot.slice() }, ...later]);
    return Promise.resolve();
  }

  saveVersion(version: VersionRecord, state: Uint8Array): Promise<void> {
    if (!this.boards.has(version.boardId))
      return Promise.reject(new StorageError(`no board ${version.boardId}`));
    const list = this.versions.get(version.boardId) ?? [];
    list.push({ record: copyVersion(version), state: state.slice() });
    this.versions.set(version.boardId, list);
    return Promise.resolve();
  }

  listVersions(boardId: string): Promise<VersionRecord[]> {
    const list = this.versions.get(boardId) ?? [];
    return Promise.resolve(
      list
        .map((v) => copyVersion(v.record))
        .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id)),
    );
  }

  getVersion(
    boardId: string,
    versionId: string,
  ): Promise<{ record: VersionRecord; state: Uint8Array } | null> {
    const v = (this.versions.get(boardId) ?? []).find((x) => x.record.id === versionId);
    return Promise.resolve(v ? { record: copyVersion(v.record), state: v.state.slice() } : null);
  }

  renameVersion(
    boardId: string,
    versionId: string,
    name: string,
    change: VersionChange,
  ): Promise<VersionRecord | null> {
    const v = (this.versions.get(boardId) ?? []).find((x) => x.record.id === versionId);
    if (!v) return Promise.resolve(null);
    v.record = renamedVersion(v.record, name, change);
    return Promise.resolve(copyVersion(v.record));
  }

  setVersionArchived(
    boardId: string,
    versionId: string,
    archived: boolean,
    change: VersionChange,
  ): Promise<VersionRecord | null> {
    const v = (this.versions.get(boardId) ?? []).find((x) => x.record.id === versionId);
    if (!v) return Promise.resolve(null);
    v.record = archivedVersion(v.record, archived, change);
    return Promise.resolve(copyVersion(v.record));
  }

  loadLiveSession(boardId: string): Promise<StoredLiveSession | null> {
    const stored = this.liveSessions.get(boardId);
    return Promise.resolve(stored ? { ...stored } : null);
  }

  saveLiveSession(boardId: string, state: string | null, at: number): Promise<void> {
    if (state === null) this.liveSessions.delete(boardId);
    else if (this.boards.has(boardId)) this.liveSessions.set(boardId, { state, savedAt: at });
    else return Promise.reject(new StorageError(`board ${boardId} does not exist`));
    return Promise.resolve();
  }

  countUpdates(id: string): Promise<number> {
    return Promise.resolve(this.updates.get(id)?.length ?? 0);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const copyVersion = (v: VersionRecord): VersionRecord => ({
  ...v,
  events: v.events.map((e) => ({ ...e })),
});
