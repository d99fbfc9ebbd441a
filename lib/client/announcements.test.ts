import { describe, expect, it } from 'vitest';
import type { LogEntry } from '@/lib/board/decisionLog';
import { announcementFor, describeChange } from './announcements';

const entry = (over: Partial<LogEntry>): LogEntry => ({
  id: 'e1',
  by: { id: 'p-ayesha', name: 'Ayesha', color: '#2563eb' },
  at: 1,
  scenarioId: 's1',
  assumptionId: 'conversionRate',
  from: 1.3,
  to: 5,
  ...over,
});

describe('announcements of other people’s changes', () => {
  it('one change reads as a sentence with the lever’s label and its formatted value', () => {
    expect(describeChange(entry({}))).toBe('Ayesha set freelancer conversion rate to 5%');
    expect(describeChange(entry({ revertOf: 'e0' }))).toBe(
      'Ayesha put back freelancer conversion rate to 5%',
    );
    expect(describeChange(entry({ assumptionId: 'notALever' }))).toBeNull();
  });

  it('a drag (one entry updated many times) is told once, at its latest value', () => {
    const drag = [1, 2, 3, 4].map((to, i) => entry({ to, at: i }));
    expect(announcementFor(drag, 'p-me')).toBe('Ayesha set freelancer conversion rate to 4%');
  });

  it('several changes become the newest plus a count; one’s own changes are not told', () => {
    const changes = [
      entry({ id: 'a', at: 1 }),
      entry({ id: 'b', at: 2, by: { id: 'p-me', name: 'Me', color: '#000000' } }),
      entry({ id: 'c', at: 3, by: { id: 'p-bilal', name: 'Bilal', color: '#000000' }, to: 2 }),
      entry({ id: 'd', at: 4, by: { id: 'p-bilal', name: 'Bilal', color: '#000000' }, to: 3 }),
    ];
    expect(announcementFor(changes, 'p-me')).toBe(
      'Bilal set freelancer conversion rate to 3%, and 2 other changes',
    );
    expect(announcementFor(changes.slice(1, 2), 'p-me')).toBeNull();
    expect(announcementFor([], null)).toBeNull();
  });
});
