#!/bin/sh
# `npm start` and the Docker image's command: the compiled server in production mode, with the
# Node flags of server/nodeFlags.sh (V8's helper threads sized to the machine).
set -eu
cd "$(dirname "$0")/.."
if [ ! -f dist/server/index.js ]; then
  echo "No compiled server in dist/: run npm run build first (or npm run dev)." >&2
  exit 1
fi
# A refused V8_POOL_SIZE stops here, with nodeFlags.sh's message and exit code.
flags=$(sh server/nodeFlags.sh)
# Unquoted on purpose: one flag per word, none holds a space.
# shellcheck disable=SC2086
NODE_ENV=production exec node $flags dist/server/index.js "$@"
