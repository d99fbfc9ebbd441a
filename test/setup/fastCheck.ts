/**
 * Property tests (fast-check): on CI they run on a fixed seed, so a CI result can be reproduced
 * exactly (FC_SEED overrides it); locally every run explores new cases. A failure prints its seed
 * and counterexample, and every seed that ever failed is kept as a named regression test.
 */
import fc from 'fast-check';

if (process.env.CI) fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261128) });
