/**
 * `npm run bench`: prints figures (never asserts). See bench/README.md for what each measures.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { benchModel } from './model';
import { benchAnalysis } from './analysis';
import { benchSync } from './sync';
import { benchTrust } from './trust';

console.log(
  `Scenario Board benchmarks: node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`,
);
benchModel();
benchAnalysis();
await benchSync();
// Edit latency with its clients in worker processes (bench/scale.ts, Yjs connections only).
spawnSync(process.execPath, ['--import', 'tsx', 'bench/scale.ts', '--scenario', 'sync'], {
  stdio: 'inherit',
});
await benchTrust();
process.exit(0);
