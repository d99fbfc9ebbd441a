/**
 * Every size and count a board document may reach, in one place. The server refuses an update
 * that would go past one of them (each refusal names the limit), and the UI reads the same
 * constants to stop people before they hit one.
 */

/** Text lengths, in UTF-16 code units (what `String.length` counts). */
export const TITLE_MAX = 120;
export const SCENARIO_NAME_MAX = 60;
export const NOTES_MAX = 4000;
export const COMMENT_MAX = 2000;
/** A participant's display name (the author of edits, comments, locks and versions). */
export const AUTHOR_NAME_MAX = 40;
/** A lock's reason, as the moderator types it. */
export const LOCK_REASON_MAX = 200;
/** A poll's question and one choice option (live polls and the results saved on the board). */
export const POLL_QUESTION_MAX = 200;
export const POLL_OPTION_MAX = 80;
/** A presenter focus's tab name, and a colour as records hold it ("#2563eb"). */
export const PRESENTER_TAB_MAX = 32;
export const COLOR_MAX = 16;
/** A named version's name (the versions panel and `POST .../versions`). */
export const VERSION_NAME_MAX = 80;

/** Counts. A workshop uses a handful of scenarios and a few hundred comments. */
export const SCENARIOS_MAX = 30;
export const COMMENTS_MAX = 2000;
/** Entries in the decision log; past this, edits are refused until a moderator starts afresh. */
export const LOG_ENTRIES_MAX = 20_000;
/** Saved poll results and moderator locks/bands are bounded by polls held and assumptions. */
export const CLOSED_POLLS_MAX = 200;
/** One saved poll: its options and its value answers. */
export const CLOSED_POLL_OPTIONS_MAX = 12;
export const CLOSED_POLL_VALUES_MAX = 1000;

/** Keys of the board's maps (scenario, comment, poll and log ids). */
export const KEY_MAX = 80;
/** Ids records refer to (a scenario, an assumption, a model, a participant, a poll). */
export const ID_MAX = 64;
/** Scenario ids as `newScenarioId()` makes them (older boards' ids fit too). */
export const SCENARIO_ID_PATTERN = /^[a-z0-9]{6,32}$/;
/** Comment and log entry ids: lower-case letters, digits and dashes. */
export const RECORD_ID_PATTERN = /^[a-z0-9-]{1,80}$/;

/** Deepest nesting of a plain value stored in the document (a closed poll is the deepest: 3). */
export const VALUE_DEPTH_MAX = 6;
