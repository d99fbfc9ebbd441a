import { TARGET_YEAR } from '@/lib/model/kpis';

/** The default question of a value poll on one assumption. */
export function valuePollQuestion(label: string): string {
  const text = `What ${label.charAt(0).toLowerCase()}${label.slice(1)} do you believe by ${TARGET_YEAR}?`;
  return text.length <= 200 ? text : text.slice(0, 199) + '…';
}

export const CHOICE_POLL_QUESTION = 'Which scenario do we recommend?';
export const QA_QUESTION = 'What would you change first?';
