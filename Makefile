# mutagent-java: every task a user of this repository needs is one command here.
# Needs: JDK 17 + Maven 3.8 (the SDK itself runs on Java 11+), Node 20 + npm (Prism, Spectral).

SHELL := /bin/bash
MVN   ?= mvn -B -ntp
SPEC  := openapi/mutagent.yaml
NODE_TOOLS := node_modules/.package-lock.json

.PHONY: help generate build lint test contract-test mock demo api-diff publish release-check regen-check record-release clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

# npm ci installs exactly the lock file's Prism and Spectral; it reruns only when the lock changes.
# No install scripts: none is needed, and the one in the tree (@scarf/scarf) only sends analytics.
$(NODE_TOOLS): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --no-update-notifier

generate: ## regenerate the Java client from openapi/ into target/ (never committed)
	$(MVN) generate-sources

build: ## compile and package the SDK jar (no tests)
	$(MVN) package -DskipTests

lint: $(NODE_TOOLS) ## lint the OpenAPI document with Spectral (examples must match schemas)
	node_modules/.bin/spectral lint --fail-severity=warn $(SPEC)

test: $(NODE_TOOLS) lint ## everything: Spectral, spec rules, unit tests, Prism contract tests, a warning-free build
	rm -rf target/surefire-reports
	@mkdir -p target
	set -o pipefail; $(MVN) verify 2>&1 | tee target/build-output.txt
	@scripts/check-no-skipped-tests.sh
	@scripts/check-build-warnings.sh target/build-output.txt
	@cat target/reliability-summary.txt
	@cat target/lifecycle-summary.txt
	@cat target/contract-summary.txt

contract-test: $(NODE_TOOLS) ## only the contract tests: every operation x both clients against Prism
	@$(MVN) test -Dgroups=contract; status=$$?; \
	  cat target/contract-summary.txt 2>/dev/null || echo "contract: no summary (the run stopped before the coverage check)"; \
	  exit $$status

mock: $(NODE_TOOLS) ## serve the Prism mock of openapi/ on http://localhost:3003 (Ctrl-C stops it)
	node_modules/.bin/prism mock --errors -h 127.0.0.1 -p 3003 $(SPEC)

demo: $(NODE_TOOLS) ## run the SDK demo against a Prism mock on http://localhost:3003 (started if none is running)
	$(MVN) -q test-compile
	MUTAGENT_SERVER_URL=http://localhost:3003 scripts/with-prism.sh $(MVN) -q exec:java

# A separate Maven project under bench/ (JMH, plus the stock generator's client for comparison);
# never part of `make test`. Its own .PHONY line: without it the bench/ folder would count as built.
.PHONY: bench
bench: ## benchmarks: per-call cost, async threads and footprint vs raw OkHttp and the stock client (docs/benchmarks.md)
	MVN="$(MVN)" bench/run.sh

# --- Releases ---------------------------------------------------------------------------------
# VERSION: what `make publish` publishes; by default the pom's <revision> without -SNAPSHOT.
# BASELINE: the last published version, i.e. the newest openapi/released/<version>.yaml; every
# change is checked against it.
VERSION  ?= $(shell sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' pom.xml | sed 's/-SNAPSHOT$$//')
BASELINE := $(shell ls openapi/released/*.yaml 2>/dev/null | sed 's:.*/::; s:\.yaml$$::' | sort -V | tail -1)

# Where `make publish` deploys: any Maven repository URL (credentials for PUBLISH_REPO_ID go in
# ~/.m2/settings.xml). The default is a local repository folder, so a dry run needs no account.
# CENTRAL=1 publishes through the Central Portal instead (profile central in pom.xml).
PUBLISH_REPO_ID  ?= mutagent-publish
PUBLISH_REPO_URL ?= file://$(CURDIR)/target/publish-repo
# Where the API gate looks for the jar of BASELINE (comma-separated repository URLs).
API_BASELINE_REPOS ?= $(PUBLISH_REPO_URL)
# RECORD=1: `make publish` also records the release (openapi/released/, CHANGELOG.md); see record-release.
RECORD ?= 0
export MVN VERSION BASELINE PUBLISH_REPO_ID PUBLISH_REPO_URL API_BASELINE_REPOS RECORD

# The API-diff tool (openapi-diff + japicmp) and the regeneration check, built once; java reads
# the class path and main class from an @argfile.
API_DIFF_TOOL := tools/api-diff/target/api-diff.args
REGEN_TOOL    := tools/api-diff/target/regen-check.args
$(API_DIFF_TOOL): tools/api-diff/pom.xml $(wildcard tools/api-diff/src/io/mutagent/tools/*.java)
	@$(MVN) -q -f tools/api-diff/pom.xml package
	@printf -- '-cp\n"%s"\nio.mutagent.tools.ApiDiff\n' \
	  "$(CURDIR)/tools/api-diff/target/classes:$$(cat tools/api-diff/target/classpath.txt)" > $@
	@printf -- '-cp\n"%s"\nio.mutagent.tools.RegenCheck\n' \
	  "$(CURDIR)/tools/api-diff/target/classes:$$(cat tools/api-diff/target/classpath.txt)" > $(REGEN_TOOL)

api-diff: $(API_DIFF_TOOL) ## what changed in the API since BASELINE (spec and jar), and whether it is breaking
	@$(MVN) -q -Papi-gate package -DskipTests -Drevision=$(VERSION)
	@java @$(API_DIFF_TOOL) --old-version $(BASELINE) --old-spec openapi/released/$(BASELINE).yaml \
	  --new-version $(VERSION) --new-spec $(SPEC) --new-jar target/mutagent-java-$(VERSION).jar \
	  --classpath-file target/runtime-classpath.txt --jar-repos "$(API_BASELINE_REPOS)" \
	  --rebuild-dir target/api-baseline --work target/api-diff --report target/api-diff/api-changes.md --gate report
	@echo "api-diff: the changelog's API part is in target/api-diff/api-changes.md"

publish: $(NODE_TOOLS) lint $(API_DIFF_TOOL) ## test, API gate, then deploy jar, sources, javadoc, flattened pom (+ signatures) to PUBLISH_REPO_URL; changes no tracked file unless RECORD=1
	scripts/publish.sh

record-release: $(API_DIFF_TOOL) ## after a real release: openapi/released/VERSION.yaml and the CHANGELOG.md section, from what make publish kept; then commit them
	scripts/record-release.sh

release-check: $(NODE_TOOLS) $(API_DIFF_TOOL) ## publish to a temporary repository, build and run both example consumers from it against Prism, and check the gate's Java half against it
	scripts/release-check.sh

regen-check: $(API_DIFF_TOOL) ## regenerate from changed copies of the spec (in target/regen): additive changes remove no public member, breaking ones are reported
	@java @$(REGEN_TOOL) --spec $(SPEC) --project . --work target/regen

clean: ## remove build output (node_modules stays; delete it by hand to reinstall)
	$(MVN) clean
	$(MVN) -q -f tools/api-diff/pom.xml clean
