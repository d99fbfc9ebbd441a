#!/bin/sh
# The Node flags the production server runs with, one per line: server/start.sh starts it with
# them, and bench:scale starts the server under test with them, so both follow this one rule.
#
# V8's helper threads (concurrent marking, parallel scavenges and compaction) sized to the
# machine. Node starts four whatever the cores. On two cores a collection's four helpers
# outnumber the cores and take the event loop's own CPU from it mid-collection: the loop waited
# 60-150 ms for a core inside single collections (bench/README.md, rooms 300 x 10). The event
# loop keeps one core; the others help, up to Node's four. V8_POOL_SIZE overrides the count.
set -eu
# Without nproc, Node's own four.
cores=$(nproc 2>/dev/null || echo 5)
pool=$((cores - 1))
[ "$pool" -lt 1 ] && pool=1
[ "$pool" -gt 4 ] && pool=4
# Node takes any value here without a word (a typo would silently mean its default): check it.
case "${V8_POOL_SIZE:-}" in
  '') ;;
  *[!0-9]* | 0*)
    echo "V8_POOL_SIZE must be a whole number of threads, 1 or more (got \"$V8_POOL_SIZE\")." >&2
    exit 2
    ;;
esac
echo "--enable-source-maps"
echo "--v8-pool-size=${V8_POOL_SIZE:-$pool}"
