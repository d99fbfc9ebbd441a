/**
 * Who to show as present: one avatar per person (their tabs collapse: one participant id), from
 * the live-session roster, or from Yjs awareness while the live session is not connected. In a
 * large room the roster names only a few (`ROSTER_LISTED_MAX`); the rest are the "+N".
 */
import type { Participant, Role, RosterEntry } from '../protocol';
import type { PeerPresence } from './boardSession';

export interface PresentPerson extends Participant {
  key: string;
  isSelf: boolean;
  role: Role | null;
  /** Open tabs (connections) of this person. */
  tabs: number;
}

interface Seen extends Participant {
  /** Participant id (server-issued), when known. */
  id: string | null;
  role: Role | null;
}

const keyOf = (p: Seen) => p.id ?? `${p.name}\u0000${p.color.toLowerCase()}`;

/**
 * One entry per participant, you first (also when a large room's roster does not list you),
 * then the moderators (who runs the session matters most in a crowd), then in order of arrival.
 * The newest tab's name wins if a person renamed themselves in one tab only.
 */
export function presentPeople(
  roster: readonly RosterEntry[] | null,
  peers: readonly PeerPresence[],
  self: (Participant & { id: string | null }) | null,
): PresentPerson[] {
  const people = new Map<string, PresentPerson>();
  const add = (p: Seen) => {
    const key = keyOf(p);
    const existing = people.get(key);
    if (existing) {
      existing.tabs++;
      existing.name = p.name;
      existing.color = p.color;
    } else {
      people.set(key, { key, name: p.name, color: p.color, role: p.role, isSelf: false, tabs: 1 });
    }
  };
  if (roster) {
    for (const entry of roster) add(entry);
    if (self?.id && !people.has(self.id)) add({ ...self, role: null });
  } else {
    if (self) add({ ...self, role: null });
    for (const peer of peers) add({ ...peer.user, id: peer.participantId, role: null });
  }
  const list = [...people.values()];
  if (self) {
    const selfKey = keyOf({ ...self, role: null });
    for (const p of list) p.isSelf = p.key === selfKey;
    // This tab's own name is always current, even before the server echoes a rename.
    const me = list.find((p) => p.isSelf);
    if (me) {
      me.name = self.name;
      me.color = self.color;
    }
  }
  const rank = (p: PresentPerson) => (p.isSelf ? 0 : p.role === 'moderator' ? 1 : 2);
  return list.sort((a, b) => rank(a) - rank(b));
}

/** How many people to say are here: everyone the room counts, at least everyone shown. */
export const presentCount = (shown: readonly PresentPerson[], roomPeople: number): number =>
  Math.max(shown.length, roomPeople);

const NOBODY: readonly Participant[] = Object.freeze([]);

/** People editing one assumption of one scenario right now (other tabs only), one per person. */
export function editorsOf(
  peers: readonly PeerPresence[],
  scenarioId: string,
  assumptionId: string,
): readonly Participant[] {
  if (
    !peers.some(
      (p) => p.editing?.scenarioId === scenarioId && p.editing.assumptionId === assumptionId,
    )
  )
    return NOBODY;
  const seen = new Set<string>();
  const out: Participant[] = [];
  for (const peer of peers) {
    const e = peer.editing;
    if (!e || e.scenarioId !== scenarioId || e.assumptionId !== assumptionId) continue;
    const key = keyOf({ ...peer.user, id: peer.participantId, role: null });
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(peer.user);
  }
  return out;
}
