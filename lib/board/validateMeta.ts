/** The write rule for one meta field (validate.ts), from its declaration in meta.ts. */
import * as v from 'valibot';
import { META_FIELDS } from './meta';
import { actualsProblem } from './actuals';
import { ABSENT, type Judge, type Refusal } from './refusal';

export function checkMeta(key: string, before: unknown, after: unknown, j: Judge): Refusal | null {
  const rule = Object.hasOwn(META_FIELDS, key) ? META_FIELDS[key] : undefined;
  if (!rule) return j.invalid('unknown field');
  const what = rule.what ?? key;
  // The server stamps the creation time once, when it creates the board.
  if (key === 'createdAt') return j.serverOnly(what);
  const denied =
    rule.writer === 'server'
      ? j.serverOnly(what)
      : rule.writer === 'moderator'
        ? j.moderatorOnly(what)
        : null;
  if (denied) return denied;
  if (after === ABSENT)
    return rule.optional || before === ABSENT ? null : j.invalid('cannot be removed');
  if (key === 'actuals') {
    const problem = actualsProblem(after);
    return problem ? j.invalid(problem) : null;
  }
  return v.safeParse(rule.schema, after).success ? null : j.invalid(rule.message);
}
