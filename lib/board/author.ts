import * as z from 'zod/mini';
import { AUTHOR_NAME_MAX, COLOR_MAX, KEY_MAX } from './limits';

/**
 * Who made a change, as shown in the decision log and on comments: the server-issued participant
 * id and the name bound to it when the change was made. Records from before participant ids have
 * none.
 */
export const authorSchema = z.strictObject({
  id: z.optional(z.string().check(z.maxLength(KEY_MAX))),
  name: z.string().check(z.maxLength(AUTHOR_NAME_MAX)),
  color: z.string().check(z.maxLength(COLOR_MAX)),
});
export type Author = z.infer<typeof authorSchema>;
