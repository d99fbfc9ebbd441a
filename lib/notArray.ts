import * as v from 'valibot';

/**
 * `schema`, refusing an array first. valibot's v.object, v.strictObject and v.record take any
 * object, arrays included: a record reads an array's indexes as its keys, and an object whose keys
 * are all optional reads `[]` as `{}`. The boards' schemas have always refused an array there
 * (so did the validator before valibot): wrap a record, or an object whose keys are all optional,
 * in this. An object with a required key needs nothing (an array lacks the key).
 */
export function notArray<const TSchema extends v.GenericSchema>(schema: TSchema) {
  return v.pipe(
    v.unknown(),
    v.check((input) => !Array.isArray(input), 'Invalid type: Expected Object but received Array'),
    schema,
  );
}
