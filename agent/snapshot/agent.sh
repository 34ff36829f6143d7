#!/bin/sh
# Starts the agent: `agent.sh [--config FILE] [--root-dir DIR]` (what `vault-injector agent` runs
# in the image). From the V8 startup snapshot agent.blob when the `node` on the PATH is the very
# binary that built it, else from the plain bundle agent.js (same agent, slower start).
#
# A blob only works with the node binary that built it (another one aborts or crashes at start,
# before any agent code runs), so that is checked first: agent.blob.id holds the size and mtime
# of the building binary as `stat -L -c '%s %Y'` prints them (scripts/build.ts writes it).
case $0 in
  */*) dir=${0%/*} ;;
  *) dir=. ;;
esac
node=$(command -v node) || {
  echo 'vault-injector agent: node is not on the PATH' >&2
  exit 127
}
#
# A blob also refuses to start (exit 14) under V8 flags other than those it was built with, e.g.
# NODE_OPTIONS=--max-old-space-size=64, so with NODE_OPTIONS set the plain bundle starts instead.
if [ -f "$dir/agent.blob" ]; then
  built=
  [ -r "$dir/agent.blob.id" ] && read -r built < "$dir/agent.blob.id"
  if [ -n "${NODE_OPTIONS:-}" ]; then
    echo "vault-injector agent: NODE_OPTIONS is set; starting from $dir/agent.js instead of the snapshot (slower start)" >&2
  elif [ -n "$built" ] && [ "$(stat -L -c '%s %Y' -- "$node" 2>/dev/null)" = "$built" ]; then
    # `--` ends node's options: the agent's own flags follow (process.argv = [node, ...flags]).
    exec "$node" --snapshot-blob "$dir/agent.blob" -- "$@"
  else
    echo "vault-injector agent: $dir/agent.blob was not built by $node; starting from $dir/agent.js instead (slower start)" >&2
  fi
fi
exec "$node" "$dir/agent.js" "$@"
