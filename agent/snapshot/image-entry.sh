#!/bin/sh
# /usr/local/bin/vault-injector in the agent image (Dockerfile.agent), which the webhook injects
# as `vault-injector agent`. `agent` starts the agent from its startup snapshot with the image's
# node; everything else goes to the CLI bundle (which also carries the webhook, of no use to an
# agent in every pod).
#
# Not through agent.sh: the image build checks that this node built agent.blob and starts it once,
# so agent.sh's check of the binary (a `stat` process) and its shell would be ~2.5 ms of every pod
# start spent for nothing. With NODE_OPTIONS set (V8 flags a snapshot refuses) agent.sh starts
# agent.js instead. A derived image that replaces node should run /app/dist/agent.sh.
if [ "$1" = "agent" ]; then
  shift
  if [ -z "${NODE_OPTIONS:-}" ]; then
    # `--` ends node's options: the agent's own flags follow.
    exec node --snapshot-blob /app/dist/agent.blob -- "$@"
  fi
  exec /app/dist/agent.sh "$@"
fi
exec node /app/dist/cli.js "$@"
