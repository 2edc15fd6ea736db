#!/usr/bin/env bash
# `make publish` (and `make release-check`, into a temporary repository): deploys
# io.mutagent:mutagent-java:$VERSION to $PUBLISH_REPO_URL, and only there.
#
#   1. refuses a version already released here (openapi/released/$VERSION.yaml) or already in the
#      target repository, or one that is not newer than the last published version ($BASELINE);
#   2. one Maven build: every test, the jar, sources and Javadoc, the flattened pom, signatures when
#      a key is configured, then the API gate (tools/api-diff: the spec and the jar against
#      $BASELINE, whose jar is rebuilt from git when no repository has it), which fails the build
#      before deploy on a breaking change without the bump it needs (the minor while the major is
#      0, the major from 1.0 on), or when the jar could not be checked;
#   3. deploy (Maven writes .md5 and .sha1 beside each file). The build has its own local repository
#      (PUBLISH_LOCAL_REPO, default target/publish-m2, seeded from ~/.m2 by scripts/m2-cache-settings.xml)
#      and skips the install phase, so ~/.m2 gets no io/mutagent entry, not even cached metadata;
#   4. keeps what a record of the release needs in target/published/$VERSION/ (the spec it was built
#      from, the API part of the changelog, the date, the repository), and changes no tracked file.
#      Recording the release in the repository (openapi/released/$VERSION.yaml, the CHANGELOG.md
#      section) is a step of its own, for a real release: RECORD=1 here, or
#      `make record-release VERSION=...` afterwards (scripts/record-release.sh).
#
# Environment (the Makefile sets the first five):
#   VERSION, BASELINE, PUBLISH_REPO_URL, PUBLISH_REPO_ID, API_BASELINE_REPOS, MVN
#   GPG_KEYNAME   sign with this key (passphrase, if any, in MAVEN_GPG_PASSPHRASE); unset: no signatures
#   CENTRAL=1     publish through the Central Portal (profile central) instead of PUBLISH_REPO_URL
#   RECORD=1      record the release after the deploy (default 0: a dry run changes no tracked file)
#   SKIP_TESTS=1  skip the tests (release-check)
#   PUBLISH_RECORD_DIR  where step 4 keeps its files (default target/published; release-check's own)
#   API_GATE      enforce (default) or report
set -euo pipefail
cd "$(dirname "$0")/.."

MVN="${MVN:-mvn -B -ntp}"
: "${VERSION:?VERSION is not set (make publish sets it from pom.xml, or VERSION=x.y.z)}"
: "${BASELINE:?no openapi/released/<version>.yaml: nothing to check the API against}"
: "${PUBLISH_REPO_URL:?PUBLISH_REPO_URL is not set}"
PUBLISH_REPO_ID="${PUBLISH_REPO_ID:-mutagent-publish}"
API_BASELINE_REPOS="${API_BASELINE_REPOS:-$PUBLISH_REPO_URL}"
RECORD="${RECORD:-0}"
record_dir="${PUBLISH_RECORD_DIR:-target/published}/$VERSION"
API_GATE="${API_GATE:-enforce}"
CENTRAL="${CENTRAL:-0}"

refuse() { echo "publish: REFUSED: $*" >&2; exit 1; }
# git status now, to show at the end that a publish without RECORD=1 changed no file git sees.
status_before=$(git status --porcelain 2>/dev/null || true)

if ! [[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  refuse "version '$VERSION' is not MAJOR.MINOR.PATCH (a release has no -SNAPSHOT)"
fi
if [ "$API_GATE" = enforce ] && [ -e "openapi/released/$VERSION.yaml" ]; then
  refuse "$VERSION was already released (openapi/released/$VERSION.yaml); choose a newer version: make publish VERSION=x.y.z"
fi

# The version must not exist where we deploy. A file repository is looked at directly; an HTTP one
# is asked for the pom (anonymously; a 401/403 means we cannot tell, and the repository itself
# will refuse a redeploy). The Central Portal refuses an existing version itself.
artifact_path="io/mutagent/mutagent-java/$VERSION/mutagent-java-$VERSION.pom"
if [ "$CENTRAL" = 1 ]; then
  target="the Central Portal"
else
  target="$PUBLISH_REPO_URL"
  case "$PUBLISH_REPO_URL" in
    file://*)
      if [ -e "${PUBLISH_REPO_URL#file://}/$artifact_path" ]; then
        refuse "io.mutagent:mutagent-java:$VERSION already exists in $PUBLISH_REPO_URL"
      fi ;;
    http://*|https://*)
      code=$(curl -s -o /dev/null -w '%{http_code}' -I "${PUBLISH_REPO_URL%/}/$artifact_path" || true)
      if [ "$code" = 200 ]; then
        refuse "io.mutagent:mutagent-java:$VERSION already exists in $PUBLISH_REPO_URL"
      fi ;;
    *) refuse "PUBLISH_REPO_URL must be a file://, http:// or https:// URL, not $PUBLISH_REPO_URL" ;;
  esac
fi

echo "publish: io.mutagent:mutagent-java:$VERSION to $target; API checked against $BASELINE"

local_repo="${PUBLISH_LOCAL_REPO:-$PWD/target/publish-m2}"
args=(-gs scripts/m2-cache-settings.xml "-Dmaven.repo.local=$local_repo"
      -Prelease,api-gate "-Drevision=$VERSION" "-Dmutagent.baseline=$BASELINE"
      "-Dmutagent.baselineRepos=$API_BASELINE_REPOS" "-Dmutagent.apiGate=$API_GATE")
if [ -n "${GPG_KEYNAME:-}" ]; then
  echo "publish: signatures: signing every file with GPG key $GPG_KEYNAME"
  args+=(-Dgpg.skip=false "-Dgpg.keyname=$GPG_KEYNAME")
else
  [ "$CENTRAL" = 1 ] && refuse "Maven Central needs signatures: set GPG_KEYNAME to your key's id"
  echo "publish: signatures: SKIPPED (no GPG key configured; set GPG_KEYNAME=<key id> to sign)"
fi
if [ "${SKIP_TESTS:-0}" = 1 ]; then
  echo "publish: tests: skipped here (SKIP_TESTS=1; make test runs them)"
  args+=(-DskipTests)
fi
if [ "$CENTRAL" = 1 ]; then
  args+=(-Pcentral)
else
  args+=("-DaltDeploymentRepository=$PUBLISH_REPO_ID::$PUBLISH_REPO_URL")
fi

# Deploy only (the release profile skips the install phase), with the local repository above.
mkdir -p target
marker=$(mktemp target/publish-started.XXXXXX)
$MVN "${args[@]}" deploy
echo  # Maven ends its output without a newline
written=$(find "$HOME/.m2/repository/io/mutagent" -newer "$marker" 2>/dev/null || true)
rm -f "$marker"
if [ -n "$written" ]; then
  echo "publish: FAILED: the build wrote into ~/.m2/repository/io/mutagent:"; echo "$written"; exit 1
fi
echo "publish: ~/.m2: no io/mutagent entry written"

if [ "$CENTRAL" != 1 ] && [[ "$PUBLISH_REPO_URL" == file://* ]]; then
  dir="${PUBLISH_REPO_URL#file://}/io/mutagent/mutagent-java/$VERSION"
  echo "publish: staged in $dir:"
  (cd "$dir" && ls -1 | sed 's/^/  /')
fi

# What a record of this release needs, kept outside the tracked files.
rm -rf "$record_dir"
mkdir -p "$record_dir"
cp openapi/mutagent.yaml "$record_dir/mutagent.yaml"
cp target/api-diff/api-changes.md "$record_dir/api-changes.md"
date -u +%Y-%m-%d > "$record_dir/date"
echo "$target" > "$record_dir/repository"
if commit=$(git rev-parse HEAD 2>/dev/null); then
  [ -n "$status_before" ] && commit="$commit (with uncommitted changes)"
  echo "$commit" > "$record_dir/commit"
else
  echo "(not a git checkout)" > "$record_dir/commit"
fi
echo "publish: published io.mutagent:mutagent-java:$VERSION to $target"

if [ "$RECORD" = 1 ]; then
  scripts/record-release.sh
else
  if [ "$(git status --porcelain 2>/dev/null || true)" != "$status_before" ]; then
    echo "publish: FAILED: git status changed during the publish:"; git status --short; exit 1
  fi
  echo "publish: git status as before: no file changed outside target/ (nothing recorded)"
  echo "publish: after a real release, record it: make record-release VERSION=$VERSION, then commit (see docs/releasing.md)"
fi
