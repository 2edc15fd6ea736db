#!/usr/bin/env bash
# Fails when the build printed a warning: `make test` tees its `mvn verify` output to the file named
# here (default target/build-output.txt) and runs this after it. Every Maven [WARNING] line counts,
# the compiler's (javac -Xlint, with no cap on their number) and the generator's alike: a warning
# about the user's own change is the only kind a build should print, and this keeps it so.
set -euo pipefail
cd "$(dirname "$0")/.."
log="${1:-target/build-output.txt}"
if [ ! -s "$log" ]; then
  echo "build: no output in $log, so nothing shows the build was quiet" >&2
  exit 1
fi
warnings="$(grep -E '^\[WARNING\]' "$log" || true)"
if [ -n "$warnings" ]; then
  echo "build: $(printf '%s\n' "$warnings" | wc -l) warning(s); the build must print none:" >&2
  printf '%s\n' "$warnings" | head -20 >&2
  exit 1
fi
echo "build: 0 warnings"
