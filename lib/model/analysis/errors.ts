/**
 * The one error the analyses throw: an argument the caller (the UI) should not have sent, such as
 * a year outside 2023-2040 or the horizon as a goal-seek lever. Results that are merely bad news
 * ("the target is not reachable") are values, never errors.
 */
export class AnalysisInputError extends RangeError {
  override name = 'AnalysisInputError';
  constructor(
    /** The option at fault, e.g. "year" or "lever". */
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}
