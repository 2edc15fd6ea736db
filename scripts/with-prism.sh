#!/usr/bin/env bash
# Runs a command with a Prism mock of openapi/mutagent.yaml on 127.0.0.1:$PRISM_PORT (default 3003).
# Reuses a server already listening there; otherwise starts Prism (from node_modules, installed by
# `npm ci`) and stops it when the command ends, whether it succeeded or not.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PRISM_PORT:-3003}"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

prism_pid=""
cleanup() {
  if [ -n "$prism_pid" ]; then
    kill "$prism_pid" 2>/dev/null || true
    wait "$prism_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

if listening; then
  echo "with-prism: using the server already listening on port $port"
else
  mkdir -p target
  node_modules/.bin/prism mock --errors -h 127.0.0.1 -p "$port" openapi/mutagent.yaml \
    >target/prism-demo.log 2>&1 &
  prism_pid=$!
  for _ in $(seq 1 120); do
    listening && break
    if ! kill -0 "$prism_pid" 2>/dev/null; then
      echo "with-prism: Prism exited; its log:" >&2
      cat target/prism-demo.log >&2
      exit 1
    fi
    sleep 0.5
  done
  listening || { echo "with-prism: Prism did not listen on port $port within 60 s" >&2; exit 1; }
  echo "with-prism: started Prism on http://localhost:$port (log: target/prism-demo.log)"
fi

"$@"
