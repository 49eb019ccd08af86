#!/usr/bin/env bash
# Metron's main job on the example that ships in the repo: build metron (release), run the suites
# of ./metron.yml (gzip levels on a generated corpus, start-up of common tools), store the run in
# the embedded SQLite history (.metron/metron.sqlite), then do what CI does with it: show the
# history, compare the run against the baseline "main" (the first run becomes that baseline) and
# check budgets and regressions. Run it twice to see a real comparison.
set -euo pipefail
cd "$(dirname "$0")/.."

# libsqlite3-dev: the history store is SQLite; patchelf: the release build's fork server sheds
# the Swift runtime it never calls (scripts/build-release.sh); valgrind and perf: deterministic
# counts and profiles.
missing=()
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
command -v patchelf >/dev/null || missing+=(patchelf)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v perf >/dev/null || missing+=(linux-perf)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "==> building metron (release)"
metron="$(./scripts/build-release.sh)/metron"

mkdir -p results
echo "==> metron run (metron.yml)"
"$metron" run --export-json results/run.json "$@"
if ! "$metron" baseline list | grep -q '^main '; then
  echo
  echo "==> metron baseline save main (first run: it becomes the reference)"
  "$metron" baseline save main
fi
echo
echo "==> metron history"
"$metron" history
echo
echo "==> metron compare (latest run against baseline main)"
"$metron" compare
echo
echo "==> metron check (budgets of metron.yml, regressions against main)"
status=0
"$metron" check || status=$?
# The gate's verdict is shown, not turned into the demo's failure: a slow machine may break a
# budget, and that is the gate working. Configuration errors (2) still fail.
if [ $status = 2 ]; then exit 2; fi
echo "(metron check exit status: $status — CI fails the job on 1)"
echo
echo "==> metron exec --reference (A/B in one session: gzip -6 against gzip -5, paired round by round)"
"$metron" exec --runs 15 --reference "gzip -5 -c results/corpus.txt" --reference-name "gzip -5" \
  --name "gzip -6" "gzip -6 -c results/corpus.txt"
echo
echo "==> metron exec --valgrind (deterministic counts: instructions and estimated cycles do not move between sessions)"
head -c 1000000 results/corpus.txt > results/corpus-1m.txt
"$metron" exec --valgrind --runs 5 --name "gzip -5" "gzip -5 -c results/corpus-1m.txt" --name "gzip -6" "gzip -6 -c results/corpus-1m.txt"
echo
echo "==> metron profile (CPU flame graph of gzip -9; recommend and report read it)"
"$metron" profile --benchmark "compression/gzip [level=9]"
echo
echo "==> metron recommend --limit 3"
"$metron" recommend --limit 3
echo
echo "==> metron report (HTML dashboard, one self-contained file)"
"$metron" report --output results/report.html
echo "Open results/report.html in a browser, or serve the live dashboard: $metron serve (http://127.0.0.1:8050/)"
if git rev-parse --verify -q HEAD >/dev/null 2>&1; then
  echo
  echo "==> metron run --against (A/B of two trees in one job: a worktree of HEAD, then this checkout)"
  rm -rf results/base && git worktree prune
  git worktree add --detach results/base HEAD >/dev/null
  "$metron" run --against results/base --suite startup --store results/ab.sqlite
  "$metron" compare --baseline against --store results/ab.sqlite | tail -n 4
  git worktree remove --force results/base
fi
