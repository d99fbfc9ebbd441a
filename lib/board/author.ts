import { z } from 'zod';
import { AUTHOR_NAME_MAX, COLOR_MAX, KEY_MAX } from './limits';

/**
 * Who made a change, as shown in the decision log and on comments: the server-issued participant
 * id and the name bound to it when the change was made. Records from before participant ids have
 * none.
 */
export const authorSchema = z.strictObject({
  id: z.string().max(KEY_MAX).optional(),
  name: z.string().max(AUTHOR_NAME_MAX),
  color: z.string().max(COLOR_MAX),
});
export type Author = z.infer<typeof authorSchema>;
