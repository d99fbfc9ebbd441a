import { TARGET_YEAR } from '@/lib/model/kpis';
import { POLL_QUESTION_MAX } from '@/lib/board/limits';

/** The default questions, in the moderator's language (`t` is the "pollDialog" namespace). */
type PollTextT = (
  key: 'defaultChoice' | 'defaultQa' | 'defaultValue',
  values?: { label: string; year: number },
) => string;

/** The default question of a value poll on one assumption (`label` in the page's language). */
export function valuePollQuestion(t: PollTextT, label: string, locale: string): string {
  // English puts the label mid-sentence ("What freelancer conversion rate…"); Urdu has no case.
  const inSentence = locale === 'en' ? `${label.charAt(0).toLowerCase()}${label.slice(1)}` : label;
  const text = t('defaultValue', { label: inSentence, year: TARGET_YEAR });
  return text.length <= POLL_QUESTION_MAX ? text : text.slice(0, POLL_QUESTION_MAX - 1) + '…';
}

export const choicePollQuestion = (t: PollTextT) => t('defaultChoice');
export const qaQuestion = (t: PollTextT) => t('defaultQa');
