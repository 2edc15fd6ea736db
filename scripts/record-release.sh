#!/usr/bin/env bash
# `make record-release VERSION=x.y.z` (or `make publish RECORD=1`, right after its deploy): records a
# published release in the repository, for a real release only (not the dry run):
#   - openapi/released/$VERSION.yaml: the spec the release was built from, the next API baseline;
#   - CHANGELOG.md: the "Unreleased" notes become the section of $VERSION, with the API part of the
#     publish's diff, and a fresh "Unreleased" section goes on top.
# It takes both from what `make publish` kept in target/published/$VERSION/, so it records what was
# published even if openapi/ changed since. Commit the two files afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${VERSION:?VERSION is not set (make record-release VERSION=x.y.z)}"
record_dir="${PUBLISH_RECORD_DIR:-target/published}/$VERSION"
refuse() { echo "record-release: REFUSED: $*" >&2; exit 1; }

for file in mutagent.yaml api-changes.md date repository commit; do
  [ -s "$record_dir/$file" ] \
    || refuse "no publish of $VERSION in this checkout ($record_dir/$file is missing): run make publish VERSION=$VERSION first"
done
[ -e "openapi/released/$VERSION.yaml" ] && refuse "$VERSION is already recorded (openapi/released/$VERSION.yaml)"

repository=$(cat "$record_dir/repository")
echo "record-release: $VERSION, published on $(cat "$record_dir/date") to $repository from commit $(cat "$record_dir/commit")"
# A later gate rebuilds this version's jar from the commit that adds openapi/released/$VERSION.yaml
# when no repository has the jar: that commit must hold the sources that were published.
published_commit=$(cat "$record_dir/commit")
if [ "$published_commit" != "$(git rev-parse HEAD 2>/dev/null || true)" ]; then
  echo "record-release: note: HEAD is not the commit published ($published_commit); commit the record on top of that commit, with nothing else"
fi
case "$repository" in
  "file://$PWD/target/"*)
    echo "record-release: note: that is a folder under target/ (a dry run); record only a release users can get" ;;
esac
cp "$record_dir/mutagent.yaml" "openapi/released/$VERSION.yaml"
java "@tools/api-diff/target/api-diff.args" --changelog CHANGELOG.md --new-version "$VERSION" \
  --release-date "$(cat "$record_dir/date")" --section-file "$record_dir/api-changes.md"
echo "record-release: recorded openapi/released/$VERSION.yaml (the next API baseline) and the CHANGELOG.md section of $VERSION"
echo "record-release: now commit both (git add openapi/released/$VERSION.yaml CHANGELOG.md), and raise <revision> in pom.xml to the next -SNAPSHOT"
