#!/usr/bin/env bash
# Coverage-guided fuzzing of what reads untrusted input: the suite-file parser (`suite`), every
# importer (`import`) and the run-report decoder that `metron import` and the server's uploads
# use (`report`). Builds Sources/metron-fuzz with libFuzzer and AddressSanitizer in .build-fuzz,
# then runs each target for SECONDS (default 60) from the committed seed corpus and regressions.
# Exit 1 when an input crashes, hangs (10 s) or breaks a target's promise; the input is kept in
# .build-fuzz/findings/TARGET/ — add it to Tests/Fuzz/regressions/TARGET/ with the fix.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(suite import report)

# SwiftPM passes each --sanitize to swiftc as its own -sanitize= flag and swiftc keeps only the
# last one, so Swift code would get AddressSanitizer without coverage (C targets get both): the
# combined -sanitize=fuzzer,address comes last. The --sanitize flags still link both runtimes.
build=(swift build --product metron-fuzz --sanitize fuzzer --sanitize address --scratch-path .build-fuzz
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DMETRON_FUZZER)
mkdir -p .build-fuzz
echo "==> ${build[*]}"
"${build[@]}" > .build-fuzz/build.log 2>&1 || { tail -n 30 .build-fuzz/build.log; exit 1; }
fuzzer=$("${build[@]}" --show-bin-path)/metron-fuzz
# Fuzzing without coverage of Metron's own code is blind; refuse to call such a run clean.
for object in MetronSuite.build/SuiteParser.swift.o MetronImport.build/PeerFormat.swift.o; do
  if [ "$(nm "$(dirname "$fuzzer")/$object" 2>/dev/null | grep -c __sancov)" = 0 ]; then
    echo "error: $object has no coverage instrumentation (see the flags above)" >&2
    exit 1
  fi
done

failed=0
for target in "${targets[@]}"; do
  work=.build-fuzz/work/$target findings=.build-fuzz/findings/$target
  rm -rf "$work"; mkdir -p "$work" "$findings"
  cp Tests/Fuzz/corpus/"$target"/* "$work"/
  [ -d Tests/Fuzz/regressions/"$target" ] && cp Tests/Fuzz/regressions/"$target"/* "$work"/ 2>/dev/null || true
  # A run report worth decoding is longer than a suite file or most peer files.
  max_len=8192; [ "$target" = report ] && max_len=65536
  echo "==> fuzzing $target for $seconds s"
  if METRON_FUZZ_TARGET=$target "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=$max_len \
       -artifact_prefix="$findings/" -print_final_stats=1 "$work" > ".build-fuzz/$target.log" 2>&1; then
    grep -E "^stat::number_of_executed_units|^Done" ".build-fuzz/$target.log" | tail -n 1
    # A build without coverage instrumentation fuzzes blind; that must not pass for a clean run.
    if grep -q "no interesting inputs were found" ".build-fuzz/$target.log"; then
      failed=1
      echo "fuzzing $target saw no coverage: the target rejected every input or the build is not instrumented" >&2
    fi
  else
    failed=1
    echo "fuzzing $target found an input that breaks it (kept in $findings/):" >&2
    grep -E "Fatal error|ERROR: |SUMMARY|Test unit written" ".build-fuzz/$target.log" | head -n 8 >&2
  fi
done
exit $failed
