#!/usr/bin/env bash
# The whole test suite: static checks, unit tests on the recorded reference data,
# then the integration suites with real parts (perf, sshd, dpdk-testpmd, Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-artifacts
npm run --silent build
# The end-to-end suite installs this very package into VS Code.
npm run --silent package >/dev/null
npx tsc -p . --noEmit
npx tsc -p webview --noEmit
npx eslint .
suites=()
for d in test/unit test/integration test/e2e; do [ -d "$d" ] && suites+=("$d"); done
mapfile -t files < <(find "${suites[@]}" -name '*.test.ts' | sort)
# Names in /tmp with the project's prefixes before the run: a test that leaves one behind fails the run.
tmp_names() { ls -1A "${TMPDIR:-/tmp}" | { grep -E '^(vnf-lens|vnflens|vnf-compare)' || true; } | sort; }
tmp_names > test-artifacts/tmp-before
set +e
node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}" 2>&1 | tee test-artifacts/tests.log | tail -n 400
status=${PIPESTATUS[0]}
set -e
pass=$(grep -E '^ℹ pass [0-9]+' test-artifacts/tests.log | awk '{print $3}')
fail=$(grep -E '^ℹ fail [0-9]+' test-artifacts/tests.log | awk '{print $3}')
skip=$(grep -E '^ℹ skipped [0-9]+' test-artifacts/tests.log | awk '{print $3}')
echo "tests: ${pass:-0} passed, ${fail:-0} failed, ${skip:-0} skipped"
left=$(tmp_names | comm -13 test-artifacts/tmp-before -)
if [ -n "$left" ]; then
  echo "the tests left these in ${TMPDIR:-/tmp} (each test removes what it creates):" >&2
  printf '  %s\n' $left >&2
  [ "$status" -eq 0 ] && status=1
fi
exit "$status"
