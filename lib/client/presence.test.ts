import { describe, expect, it } from 'vitest';
import type { RosterEntry } from '../protocol';
import type { PeerPresence } from './boardSession';
import { editorsOf, presentCount, presentPeople } from './presence';

const entry = (connectionId: string, id: string, name: string, joinedAt: number): RosterEntry => ({
  id,
  connectionId,
  name,
  color: '#2563eb',
  role: 'editor',
  joinedAt,
});

const peer = (
  awarenessId: number,
  participantId: string | null,
  name: string,
  editing: PeerPresence['editing'],
): PeerPresence => ({
  awarenessId,
  participantId,
  user: { name, color: '#c2410c' },
  editing,
  scenarioId: null,
});

describe('presentPeople', () => {
  it('shows you first in a large room whose listed roster does not name you, then the moderator; counts the room', () => {
    const roster = [
      entry('s1', 'bbbbbbbb', 'Bilal', 1),
      entry('s2', 'cccccccc', 'Cyra', 2),
      { ...entry('s3', 'dddddddd', 'Dina', 3), role: 'moderator' as const },
    ];
    const people = presentPeople(roster, [], { name: 'Amina', color: '#0e7490', id: 'aaaaaaaa' });
    expect(people.map((p) => [p.name, p.isSelf])).toEqual([
      ['Amina', true],
      ['Dina', false],
      ['Bilal', false],
      ['Cyra', false],
    ]);
    expect(presentCount(people, 950)).toBe(950);
    // Before the counts arrive (or when they lag the roster), never fewer than shown.
    expect(presentCount(people, 0)).toBe(4);
  });

  it('shows one avatar per participant, you first, with your current name', () => {
    const roster = [
      entry('s1', 'bbbbbbbb', 'Bilal', 1),
      entry('s2', 'aaaaaaaa', 'Old name', 2),
      entry('s3', 'aaaaaaaa', 'Old name', 3),
    ];
    const people = presentPeople(roster, [], {
      name: 'Amina',
      color: '#0e7490',
      id: 'aaaaaaaa',
    });
    expect(people.map((p) => [p.name, p.isSelf, p.tabs])).toEqual([
      ['Amina', true, 2],
      ['Bilal', false, 1],
    ]);
  });

  it('falls back to awareness while the live session is not connected', () => {
    const people = presentPeople(
      null,
      [peer(7, 'bbbbbbbb', 'Bilal', null), peer(8, 'bbbbbbbb', 'Bilal', null)],
      {
        name: 'Amina',
        color: '#0e7490',
        id: 'aaaaaaaa',
      },
    );
    expect(people.map((p) => p.name)).toEqual(['Amina', 'Bilal']);
  });
});

describe('editorsOf', () => {
  it('lists each person editing that assumption of that scenario once', () => {
    const peers = [
      peer(1, 'bbbbbbbb', 'Bilal', { scenarioId: 's', assumptionId: 'conversionRate' }),
      peer(2, 'bbbbbbbb', 'Bilal', { scenarioId: 's', assumptionId: 'conversionRate' }),
      peer(3, 'cccccccc', 'Sara', { scenarioId: 'other', assumptionId: 'conversionRate' }),
      peer(4, 'dddddddd', 'Omar', null),
    ];
    expect(editorsOf(peers, 's', 'conversionRate').map((p) => p.name)).toEqual(['Bilal']);
    expect(editorsOf(peers, 's', 'trainingOutput')).toHaveLength(0);
  });
});
