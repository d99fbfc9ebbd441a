import { TARGET_YEAR } from '@/lib/model/kpis';
import { POLL_QUESTION_MAX } from '@/lib/board/limits';

/** The default question of a value poll on one assumption. */
export function valuePollQuestion(label: string): string {
  const text = `What ${label.charAt(0).toLowerCase()}${label.slice(1)} do you believe by ${TARGET_YEAR}?`;
  return text.length <= POLL_QUESTION_MAX ? text : text.slice(0, POLL_QUESTION_MAX - 1) + '…';
}

export const CHOICE_POLL_QUESTION = 'Which scenario do we recommend?';
export const QA_QUESTION = 'What would you change first?';
