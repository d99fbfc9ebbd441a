/**
 * What grew between two V8 heap snapshots, by constructor: `npm run bench:heapdiff -- <before>
 * <after> [participants]`. Used with `npm run bench:scale -- --heap-snapshots <dir>` (the server
 * writes a snapshot before and after everyone joined) to see what a participant's server memory
 * is made of. Self sizes only (no retained-size dominator tree): enough to name the big owners.
 */
import fs from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Total self size and count per "type:name" (names of strings and code folded into their type). */
function sizesByConstructor(file: string): Map<string, { size: number; count: number }> {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const out = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += stride) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const foldName =
      type === 'string' ||
      type === 'concatenated string' ||
      type === 'sliced string' ||
      type === 'code' ||
      type === 'number';
    const key = foldName ? type : `${type}:${snap.strings[snap.nodes[i + nameAt]!]!.slice(0, 60)}`;
    const entry = out.get(key) ?? { size: 0, count: 0 };
    entry.size += snap.nodes[i + sizeAt]!;
    entry.count += 1;
    out.set(key, entry);
  }
  return out;
}

const [beforeFile, afterFile, participantsArg] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  console.error('usage: heapDiff.ts <before.heapsnapshot> <after.heapsnapshot> [participants]');
  process.exit(2);
}
const participants = Number(participantsArg ?? 1);
const before = sizesByConstructor(beforeFile);
const after = sizesByConstructor(afterFile);
const rows = [...after].map(([key, a]) => {
  const b = before.get(key) ?? { size: 0, count: 0 };
  return { key, size: a.size - b.size, count: a.count - b.count };
});
rows.sort((x, y) => y.size - x.size);
const total = rows.reduce((sum, r) => sum + r.size, 0);
console.log(
  `heap growth ${(total / 1024).toFixed(0)} KB; per participant ${(total / participants / 1024).toFixed(1)} KB (${participants} participants)`,
);
console.log('bytes/participant  objects/participant  type:constructor');
for (const r of rows.slice(0, 40)) {
  console.log(
    `${(r.size / participants).toFixed(0).padStart(17)}  ${(r.count / participants).toFixed(1).padStart(19)}  ${r.key}`,
  );
}
