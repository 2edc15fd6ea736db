#!/usr/bin/env bash
# `make release-check`: proves the artifacts work for a user before a real `make publish`.
#   1. publishes $VERSION into a temporary repository (target/release-check/repo) the way
#      `make publish` does, API gate in report mode, without recording the release and without
#      rerunning the tests (`make test` runs them; .ci/run runs both);
#   2. starts Prism on a free port and builds and runs, each against that repository only:
#      examples/consumer (class path), the same with -Pokhttp5 (the application forces OkHttp 5),
#      and examples/consumer-modular (module path, `requires io.mutagent`);
#   3. checks that ~/.m2 got no io/mutagent entry;
#   4. rebuilds the jar from scratch and checks that the sources and the jar are byte-identical to
#      the published ones (reproducible build);
#   5. the Java half of the gate against a published version: a copy of the spec without the
#      operation revokeApiKey is built (make regen-check's machinery, in target/release-check/) and
#      the API-diff tool, looking $VERSION up in the temporary repository, must name the public
#      method that is gone (ApiKeysService.revokeApiKey) as METHOD_REMOVED.
set -euo pipefail
cd "$(dirname "$0")/.."

MVN="${MVN:-mvn -B -ntp}"
: "${VERSION:?VERSION is not set (make release-check sets it)}"
work="$PWD/target/release-check"
repo="$work/repo"

rm -rf "$work"
mkdir -p "$repo"
touch "$work/started"   # anything in ~/.m2/repository/io/mutagent newer than this is ours

echo "release-check: 1/5 publish $VERSION to $repo"
PUBLISH_REPO_URL="file://$repo" PUBLISH_LOCAL_REPO="$work/m2" PUBLISH_RECORD_DIR="$work/published" \
  API_BASELINE_REPOS="${API_BASELINE_REPOS:-}" RECORD=0 SKIP_TESTS=1 \
  API_GATE=report scripts/publish.sh > "$work/publish.log" 2>&1 || {
    cat "$work/publish.log"; echo "release-check: FAILED: publish (log: $work/publish.log)"; exit 1; }
grep -E '^(publish|api-diff|api-gate|  )' "$work/publish.log" | grep -v '^  \[' || true
for file in "mutagent-java-$VERSION.jar" "mutagent-java-$VERSION-sources.jar" \
            "mutagent-java-$VERSION-javadoc.jar" "mutagent-java-$VERSION.pom"; do
  for suffix in "" .sha1 .md5; do
    [ -s "$repo/io/mutagent/mutagent-java/$VERSION/$file$suffix" ] \
      || { echo "release-check: FAILED: $file$suffix was not staged"; exit 1; }
  done
done
if grep -q '<revision>\|<build>' "$repo/io/mutagent/mutagent-java/$VERSION/mutagent-java-$VERSION.pom"; then
  echo "release-check: FAILED: the staged pom is not flattened"; exit 1
fi
echo "release-check: staged jar, sources, javadoc and the flattened pom, each with .sha1 and .md5"

free_port() {  # a port on 127.0.0.1 that nothing listens on
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
port=$(free_port)
consumer() {  # consumer <dir> <label> [maven args...]
  local dir=$1 label=$2; shift 2
  echo "release-check: $label"
  if ! MUTAGENT_SERVER_URL="http://127.0.0.1:$port" $MVN -f "$dir/pom.xml" \
      -gs scripts/m2-cache-settings.xml "-Dmaven.repo.local=$work/m2" \
      "-Dmutagent.version=$VERSION" "-Dmutagent.repo=file://$repo" "$@" clean verify \
      > "$work/$label.log" 2>&1; then
    grep -v '^\[INFO\] Download' "$work/$label.log" | tail -40
    echo "release-check: FAILED: $label (log: $work/$label.log)"
    return 1
  fi
  grep -E '^consumer' "$work/$label.log"
}
export -f consumer
export MVN VERSION work repo port
echo "release-check: 2/5 the example consumers against Prism on port $port"
PRISM_PORT=$port scripts/with-prism.sh bash -c '
  consumer examples/consumer consumer &&
  consumer examples/consumer consumer-okhttp5 -Pokhttp5 &&
  consumer examples/consumer-modular consumer-modular'

echo "release-check: 3/5 ~/.m2"
written=$(find "$HOME/.m2/repository/io/mutagent" -newer "$work/started" 2>/dev/null || true)
if [ -n "$written" ]; then
  echo "release-check: FAILED: this run wrote into ~/.m2/repository/io/mutagent:"; echo "$written"; exit 1
fi
echo "release-check: ~/.m2 has no new io/mutagent entry"

echo "release-check: 4/5 reproducible: generate and build $VERSION again"
published="$repo/io/mutagent/mutagent-java/$VERSION/mutagent-java-$VERSION.jar"
cp -r target/generated-sources/openapi "$work/generated-first"
rm -rf target/generated-sources target/classes "target/mutagent-java-$VERSION.jar"
$MVN -q package -DskipTests "-Drevision=$VERSION" > "$work/rebuild.log" 2>&1 || {
  cat "$work/rebuild.log"; echo "release-check: FAILED: the rebuild"; exit 1; }
diff -r "$work/generated-first" target/generated-sources/openapi > /dev/null \
  || { echo "release-check: FAILED: a second generate gave different sources"; exit 1; }
cmp -s "$published" "target/mutagent-java-$VERSION.jar" \
  || { echo "release-check: FAILED: the rebuilt jar differs from the published one"; exit 1; }
echo "release-check: generated sources identical; jar identical: sha256 $(sha256sum "$published" | cut -c1-16)..."

echo "release-check: 5/5 the Java half of the gate: a spec change removes a public method; checked against $VERSION from $repo"
binary="$work/binary-check"
java @tools/api-diff/target/regen-check.args --make removed-operation --spec openapi/mutagent.yaml --project . \
  --work "$binary" > "$work/binary-check-build.log" 2>&1 || {
    cat "$work/binary-check-build.log"; echo "release-check: FAILED: the spec without revokeApiKey does not build"; exit 1; }
java @tools/api-diff/target/api-diff.args --old-version "$VERSION" --old-spec openapi/mutagent.yaml \
  --new-version "$VERSION-without-revokeApiKey" --new-spec "$binary/specs/removed-operation.yaml" \
  --new-jar "$binary/jars/removed-operation.jar" --classpath-file "$binary/project/target/runtime-classpath.txt" \
  --jar-repos "file://$repo" --work "$binary/api-diff" > "$work/binary-check.log" 2>&1 || {
    cat "$work/binary-check.log"; echo "release-check: FAILED: the API diff"; exit 1; }
grep -E '^api-diff: (spec|java|BREAKING|not breaking)|^  .*(revokeApiKey|ApiKeysService)' "$work/binary-check.log"
removed='io.mutagent.services.ApiKeysService.revokeApiKey(java.lang.String): METHOD_REMOVED'
grep -q "^api-diff: java: mutagent-java .* against $VERSION ($repo/" "$work/binary-check.log" \
  || { echo "release-check: FAILED: the Java check did not use $VERSION from $repo (log: $work/binary-check.log)"; exit 1; }
grep -qF "  $removed" "$work/binary-check.log" \
  || { echo "release-check: FAILED: japicmp did not name $removed (log: $work/binary-check.log)"; exit 1; }
echo "release-check: the Java check named the removed method: $removed"
echo "release-check: OK: io.mutagent:mutagent-java:$VERSION works from a repository, on the class path (OkHttp 4 and 5) and on the module path, rebuilds byte for byte, and the gate's Java check names a method a spec change removes"
