#!/usr/bin/env bash
# Fails when a Surefire report lists a skipped test (@Disabled, a failed assumption, ...). Surefire
# fails the build only on failures and errors; here a skipped test is a defect too. `make test` runs
# this after `mvn verify` (and clears the reports first, so a stale report cannot fail or pass it).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-target/surefire-reports}"
shopt -s nullglob
reports=("$dir"/TEST-*.xml)
if [ "${#reports[@]}" -eq 0 ]; then
  echo "tests: no Surefire reports in $dir, so nothing shows the tests ran" >&2
  exit 1
fi
# Each <skipped> element sits inside the <testcase name="..." classname="..."> it belongs to.
skipped="$(awk '
  function attr(line, key) {
    if (match(line, key "=\"[^\"]*\"")) return substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 3)
    return ""
  }
  /<testcase / { test = attr($0, "classname") "." attr($0, "name") }
  /<skipped/   { why = attr($0, "message"); print "  " test (why == "" ? "" : ": " why) }
' "${reports[@]}")"
if [ -n "$skipped" ]; then
  echo "tests: skipped tests are defects; fix or delete them:" >&2
  echo "$skipped" >&2
  exit 1
fi
echo "tests: none skipped (${#reports[@]} test classes)"
