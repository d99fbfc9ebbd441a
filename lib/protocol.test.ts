import { describe, expect, it } from 'vitest';
import { LINK_REPLACED_MESSAGE, codedCloseReason, readCloseReason } from './protocol';

describe('close reasons that name an access refusal', () => {
  it('carry the code before the sentence and give both back', () => {
    const reason = codedCloseReason('linkReplaced', LINK_REPLACED_MESSAGE);
    expect(reason).toBe(`linkReplaced: ${LINK_REPLACED_MESSAGE}`);
    expect(readCloseReason(reason)).toEqual({
      code: 'linkReplaced',
      message: LINK_REPLACED_MESSAGE,
    });
  });

  it('fit a WebSocket close frame (123 bytes) whatever the sentence', () => {
    expect(Buffer.byteLength(codedCloseReason('credentialInvalid', 'x'.repeat(500)))).toBe(123);
  });

  it('leave any other reason whole, with no code', () => {
    for (const reason of ['', 'refused: too many updates', 'timeout: 5 s', 'server error'])
      expect(readCloseReason(reason)).toEqual({ code: null, message: reason });
  });
});
