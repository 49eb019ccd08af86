#!/usr/bin/env bash
# Installs what the test suite needs, builds everything (failing on any compiler warning in
# Metron's own code) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
[ -f /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
# The fork server is checked started without the Swift runtime, as release builds ship it.
command -v patchelf >/dev/null 2>&1 || need+=(patchelf)
# The HTML report is checked in a real headless browser.
[ -x /usr/bin/chromium ] || need+=(chromium)
# hyperfine's analysis scripts are run on Metron's hyperfine-schema export.
python3 -c "import numpy, scipy" >/dev/null 2>&1 || need+=(python3-numpy python3-scipy)
# GET /metrics is linted by Prometheus's own promtool.
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
# Deterministic counts (--valgrind) are checked under the real Valgrind.
command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
# metron profile samples with the real perf.
command -v perf >/dev/null 2>&1 || need+=(linux-perf)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Fresh pytest-benchmark output is imported by the tests (skipped, and said so, without it);
# GET /metrics is read back with prometheus_client's parser.
for module in pytest_benchmark:pytest-benchmark prometheus_client:prometheus-client; do
  if ! python3 -c "import ${module%%:*}" >/dev/null 2>&1; then
    echo "==> installing ${module#*:}"
    python3 -m pip install -q "${module#*:}" 2>/dev/null || python3 -m pip install -q --break-system-packages "${module#*:}" \
      || echo "warning: ${module#*:} could not be installed; the tests that need it fail or are skipped"
  fi
done

echo "==> swift build --build-tests"
mkdir -p .build
swift build --build-tests 2>&1 | tee .build/metron-build.log
# Swift 6 strict concurrency, no warnings: any warning in our own sources fails the build.
if grep -E "^$(pwd)/(Sources|Tests|Examples|Plugins)/.*: warning:" .build/metron-build.log; then
  echo "error: compiler warnings in Metron's sources (above)" >&2
  exit 1
fi

echo "==> starting a PostgreSQL server for the store tests"
# (assigned apart from `export`, so a failure to start stops the script here)
postgres_url="$(./scripts/postgres-test-server.sh start)"
export METRON_TEST_POSTGRES_URL="$postgres_url"
trap './scripts/postgres-test-server.sh stop' EXIT

echo "==> swift test"
# Serial: the measurement tests assert tolerances of 2 % and must not share the two cores.
swift test --skip-build --no-parallel "$@"

# A bounded fuzzing run of the parsers that read untrusted input (scripts/fuzz.sh); the whole
# suite only, not a filtered run.
if [ $# -eq 0 ]; then
  ./scripts/fuzz.sh "${METRON_FUZZ_SECONDS:-30}"
fi

