import { describe, expect, it } from 'vitest';
import { QA_ANSWERS_PER_PARTICIPANT } from '../../lib/protocol';
import { QaBoard } from './qa';

const me = { name: 'Ayesha', color: '#2563eb' };

describe('QaBoard', () => {
  it('batches only what changed, top answers first, and never keeps a name when anonymous', () => {
    const qa = new QaBoard();
    qa.open('q1', { question: 'What first?', anonymous: true }, 1000);
    expect(qa.answer('q1', 'a1', 'p1', me, 'Broadband', 1001)).toBeNull();
    expect(qa.answer('q1', 'a2', 'p2', me, 'Training', 1002)).toBeNull();
    expect(qa.takeChanges()?.upserts.map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(qa.takeChanges()).toBeUndefined();

    expect(qa.upvote('q1', 'a2', 'p1', true)).toBeNull();
    expect(qa.upvote('q1', 'a2', 'p1', true)).toBeNull(); // a second tab: no change
    const batch = qa.takeChanges()!;
    expect(batch.upserts).toEqual([
      { id: 'a2', text: 'Training', author: null, votes: 1, at: 1002 },
    ]);
    expect(batch.answered).toBe(2);
    expect(qa.state()!.answers.map((a) => a.id)).toEqual(['a2', 'a1']);
    expect(JSON.stringify(qa.state())).not.toContain('Ayesha');
    expect(JSON.stringify(qa.state())).not.toContain('p1');
  });

  it('caps answers per person, refuses self-upvotes, and a hidden answer takes its upvotes with it', () => {
    const qa = new QaBoard();
    qa.open('q1', { question: 'What first?' }, 0);
    for (let i = 0; i < QA_ANSWERS_PER_PARTICIPANT; i++)
      expect(qa.answer('q1', `a${i}`, 'p1', me, `Idea ${i}`, i)).toBeNull();
    expect(qa.answer('q1', 'ax', 'p1', me, 'More', 9)).toBe('answersUsedUp');
    expect(qa.state()!.answers[0]!.author).toEqual(me);
    expect(qa.upvote('q1', 'a0', 'p1', true)).toBe('ownAnswer');
    expect(qa.upvote('q1', 'a0', 'p2', true)).toBeNull();
    expect(qa.upvotedBy('p2')).toEqual(['a0']);
    qa.takeChanges();
    expect(qa.hide('q1', 'a0')).toBeNull();
    expect(qa.takeChanges()).toEqual({ qaId: 'q1', answered: 1, upserts: [], hidden: ['a0'] });
    expect(qa.upvotedBy('p2')).toEqual([]);
    expect(qa.upvote('q1', 'a0', 'p2', false)).toBe('answerGone');
    expect(qa.close('q1')).toBe(true);
    expect(qa.state()).toBeNull();
  });
});
