// Summarise a profile written by bench/serverProbe.mjs (PROBE_CPU or PROBE_ALLOC), or by
// `node --cpu-prof`: the top functions by their own share (CPU samples or sampled bytes), and
// by the nearest function of our own code up the stack (what in the server asked for it).
// Usage: node bench/profileTop.mjs <file.cpuprofile | file.heapprofile> [rows]
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profileTop.mjs <profile> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const label = (f) =>
  `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
// Our code: the bundled server (dist/...) or its sources, not a dependency.
const isOurs = (f) => /\/(server|lib|dist|bench)\//.test(f.url) && !f.url.includes('node_modules');

/** Each leaf's weight with its stack (root first). */
function* weightedStacks() {
  if (profile.head) {
    // Sampling heap profile: a tree with self sizes.
    const walk = function* (node, stack) {
      const here = [...stack, node.callFrame];
      if (node.selfSize > 0) yield [node.selfSize, here];
      for (const child of node.children) yield* walk(child, here);
    };
    yield* walk(profile.head, []);
    return;
  }
  // CPU profile: nodes with parent links implied by children, and samples naming nodes.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  for (const [id, count] of hits) {
    const stack = [];
    for (let at = id; at !== undefined; at = parent.get(at)) stack.unshift(byId.get(at).callFrame);
    yield [count, stack];
  }
}

const self = new Map();
const own = new Map();
let total = 0;
for (const [weight, stack] of weightedStacks()) {
  total += weight;
  const leaf = label(stack.at(-1));
  self.set(leaf, (self.get(leaf) ?? 0) + weight);
  const mine = stack.findLast(isOurs);
  const key = mine ? label(mine) : '(no frame of ours)';
  own.set(key, (own.get(key) ?? 0) + weight);
}
const unit = profile.head
  ? `${(total / 2 ** 20).toFixed(1)} MB sampled`
  : `${total} samples over ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`;
for (const [title, table] of [
  ['by function', self],
  ['by nearest function of ours', own],
]) {
  console.log(`\n${title} (${unit})`);
  for (const [key, weight] of [...table].sort((a, b) => b[1] - a[1]).slice(0, rows))
    console.log(`${((100 * weight) / total).toFixed(1).padStart(5)}%  ${key}`);
}
