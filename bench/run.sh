#!/usr/bin/env bash
# make bench: builds the SDK jar and the benchmark project, runs every measurement and prints the
# table of docs/benchmarks.md. Not part of `make test`. Nothing is installed into ~/.m2.
#
#   JAVA        the JDK 17 java (default: java on PATH)
#   JDK25_HOME  a JDK 21+ for the second async run (default: /usr/lib/jvm/temurin-25-jdk-amd64;
#               skipped with a warning when absent)
#   JMH_ARGS    extra JMH arguments, e.g. "-wi 1 -i 1" for a quick look (not for published figures)
#   BLOCKING_ROUNDS  how many rounds of the blocking benchmarks (default 3; the table takes medians)
#   ASYNC_PAIRS how many ours/raw pairs of async runs per JDK (default 3; the table takes medians)
#   COLD_ROUNDS how many fresh JVMs per client in the cold-start step (default 9; medians)
#   BENCH_ONLY  "cold-start": build, then run only the cold-start step and print its table (about
#               a minute instead of about 12); "bulk-upload": only the bulk upload against a
#               scaled-down rate-limit window (about 70 s); "production": build, then run only the
#               prompt cache and trace batcher rows (ProductionBench, TraceThroughput; about 3 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."

MVN=${MVN:-mvn -B -ntp}
JAVA=${JAVA:-java}
JDK25_HOME=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JMH_ARGS=${JMH_ARGS:-}
BLOCKING_ROUNDS=${BLOCKING_ROUNDS:-3}
ASYNC_PAIRS=${ASYNC_PAIRS:-3}
COLD_ROUNDS=${COLD_ROUNDS:-9}
BENCH_ONLY=${BENCH_ONLY:-}
OUT=$PWD/bench/target/results
started=$(date +%s)

step() { echo; echo "== $* ($(( $(date +%s) - started )) s)"; }

step "1/5 the SDK jar: mvn package -DskipTests"
$MVN -q package -DskipTests
# The version is ${revision} in the pom (a property, set in <properties>).
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
if [ "$version" = '${revision}' ]; then
  version=$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' pom.xml | head -1)
fi
SDK_JAR=$PWD/target/mutagent-java-$version.jar
test -f "$SDK_JAR" || { echo "no $SDK_JAR after the build" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"

step "2/5 footprint: the SDK's runtime classpath (dependency:build-classpath)"
$MVN -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -DincludeScope=runtime -Dmdep.outputFile="$OUT/sdk-runtime-classpath.txt"

step "3/5 the benchmark project (stock retrofit2 client generated into bench/target)"
$MVN -q -f bench/pom.xml package -Dsdk.jar="$SDK_JAR"
CP="$PWD/bench/target/classes:$(cat bench/target/run-classpath.txt)"

# Cold start (issue 21): a fresh JVM per run builds a client and makes one getPrompt; the SDK, raw
# OkHttp + Gson and a minimal Retrofit client take turns, COLD_ROUNDS runs each (ColdStart).
cold_start() {
  step "cold start: $COLD_ROUNDS fresh JVMs per client, taking turns"
  "$JAVA" -cp "$CP" io.mutagent.bench.ColdStart "$OUT/cold-start.json" "$COLD_ROUNDS" | tee "$OUT/cold-start.log"
}
# Bulk upload (issue 22): 20,000 dataset items in chunks of 100 against a loopback server allowing
# 10 requests per 1 s window (real time), with the rate limiter and without (BulkUploadBench).
bulk_upload() {
  step "bulk upload: 200 chunks against a 10-requests-per-second window, with and without the limiter"
  "$JAVA" -cp "$CP" io.mutagent.bench.BulkUploadBench "$OUT/bulk-upload.md" | tee "$OUT/bulk-upload.log"
}

# In production (issue 24): a prompt-cache hit and a batcher's add on the caller's thread (JMH with
# the GC profiler), then traces per second through the batcher against one ingestTraces a trace.
production() {
  step "production: PromptCache.get and TraceBatcher.add (JMH, -prof gc), then TraceThroughput"
  echo "load average at start $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/production-load.txt"
  # shellcheck disable=SC2086
  "$JAVA" -cp "$CP" org.openjdk.jmh.Main 'io.mutagent.bench.ProductionBench' \
    -prof gc -rf json -rff "$OUT/jmh-production.json" $JMH_ARGS | tee "$OUT/production.log"
  "$JAVA" -Xms1g -Xmx1g -cp "$CP" io.mutagent.bench.TraceThroughput "$OUT/trace-throughput.json" \
    | tee -a "$OUT/production.log"
  echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/production-load.txt"
}
if [ "$BENCH_ONLY" = cold-start ]; then
  cold_start
  echo
  "$JAVA" -cp "$CP" io.mutagent.bench.Report --cold-start "$OUT" | tee "$OUT/cold-start.md"
  exit 0
elif [ "$BENCH_ONLY" = bulk-upload ]; then
  bulk_upload
  exit 0
elif [ "$BENCH_ONLY" = production ]; then
  production
  echo
  "$JAVA" -cp "$CP" io.mutagent.bench.Report --production "$OUT" | tee "$OUT/production.md"
  exit 0
elif [ -n "$BENCH_ONLY" ]; then
  echo "BENCH_ONLY=$BENCH_ONLY: only 'cold-start', 'bulk-upload' and 'production' are known" >&2
  exit 2
fi

jdks=("$JAVA")
if [ -x "$JDK25_HOME/bin/java" ]; then
  jdks+=("$JDK25_HOME/bin/java")
else
  echo "WARNING: no JDK at $JDK25_HOME (set JDK25_HOME); the Java 21+ async rows will be missing" >&2
fi
{
  echo "$(nproc) cores"
  echo "memory $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
  echo "load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
  for java in "${jdks[@]}"; do
    echo "$("$java" -version 2>&1 | head -1)"
  done
  echo "$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src generator-templates openapi pom.xml || echo ' plus uncommitted changes')"
} > "$OUT/machine.txt"

step "4/5 JMH on $("$JAVA" -version 2>&1 | head -1): blocking calls, client lifecycle; then the blocking calls in one JVM"
# shellcheck disable=SC2086
"$JAVA" -cp "$CP" org.openjdk.jmh.Main 'io.mutagent.bench.(LifecycleBench|RateLimiterBench)' \
  -rf json -rff "$OUT/jmh.json" $JMH_ARGS | tee "$OUT/jmh.log"
# The blocking calls in BLOCKING_ROUNDS rounds, each a JMH run of all three clients: the table takes
# each round's ratios and their median, so a machine that slows down for a minute moves one round,
# not the figure.
for round in $(seq 1 "$BLOCKING_ROUNDS"); do
  "$JAVA" -cp "$CP" org.openjdk.jmh.Main 'io.mutagent.bench.BlockingBench' \
    -prof gc -rf json -rff "$OUT/jmh-blocking-$round.json" $JMH_ARGS | tee -a "$OUT/jmh.log"
done

# The same two operations with the SDK and the raw client taking turns in one JVM: a second view
# of the blocking ratios that the load of a shared machine moves less (CpuProbe).
"$JAVA" -cp "$CP" io.mutagent.bench.CpuProbe "$OUT/interleaved.json" | tee -a "$OUT/jmh.log"

step "5/5 async (10,000 calls, 256 in flight; $ASYNC_PAIRS pairs per JDK) and thread probes, a fresh JVM each"
for java in "${jdks[@]}"; do
  major=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  "$java" -cp "$CP" io.mutagent.bench.ThreadProbe "$OUT/threads-$major.json"
  # The two clients of a pair run back to back, first one then the other in turn, so that the
  # machine's load (other work on a shared machine) weighs on both alike; the table takes the
  # median of the pairs' ratios.
  for pair in $(seq 1 "$ASYNC_PAIRS"); do
    order="ours raw"
    [ $((pair % 2)) -eq 0 ] && order="raw ours"
    for variant in $order; do
      echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
      "$java" -cp "$CP" io.mutagent.bench.AsyncRun "$variant" "$OUT/async-$variant-$major-$pair.json"
    done
  done
done

cold_start
bulk_upload
production

step "done; the table (also in bench/target/results/table.md)"
echo
"$JAVA" -cp "$CP" io.mutagent.bench.Report "$OUT" "$SDK_JAR"
echo
cat "$OUT/bulk-upload.md"
echo
echo "make bench took $(( $(date +%s) - started )) s"
