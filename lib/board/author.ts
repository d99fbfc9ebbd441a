import * as v from 'valibot';
import { AUTHOR_NAME_MAX, COLOR_MAX, KEY_MAX } from './limits';

/**
 * Who made a change, as shown in the decision log and on comments: the server-issued participant
 * id and the name bound to it when the change was made. Records from before participant ids have
 * none.
 */
export const authorSchema = v.strictObject({
  id: v.optional(v.pipe(v.string(), v.maxLength(KEY_MAX))),
  name: v.pipe(v.string(), v.maxLength(AUTHOR_NAME_MAX)),
  color: v.pipe(v.string(), v.maxLength(COLOR_MAX)),
});
export type Author = v.InferOutput<typeof authorSchema>;
