#!/usr/bin/env bash
# The whole test suite: static checks, unit tests on the recorded reference data,
# then the integration suites with real parts (perf, sshd, dpdk-testpmd, Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
npx tsc -p . --noEmit
npx tsc -p webview --noEmit
npx eslint .
files=$(find test/unit test/integration -name '*.test.ts' 2>/dev/null | sort)
node --import tsx --test --test-concurrency=1 --test-reporter=spec $files
