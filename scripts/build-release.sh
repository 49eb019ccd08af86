#!/usr/bin/env bash
# Builds metron and metron-spawner (release) and any extra products named as arguments; prints the
# folder that holds the binaries. Build output goes to stderr. Copy both when installing: every
# command metron measures is started and measured by metron-spawner beside it.
#
# metron links the Swift runtime and Foundation statically (--static-swift-stdlib) and is
# stripped (-Xlinker -s: no symbol tables to map at start-up): the dynamic
# loader then binds no Swift libraries at start-up, which halves what every `metron` invocation
# costs before it does any work (docs/performance.md). metron-spawner, the fork server commands
# are started from, stays dynamically linked: it drops the pages of the shared Swift libraries it
# never calls, which it cannot do for a runtime linked into itself, and a measured command's peak
# memory starts from the spawner's (1.5 MiB for `true` this way, 2.7 MiB linked statically).
set -euo pipefail
cd "$(dirname "$0")/.."
for product in metron "$@"; do
  swift build -c release --static-swift-stdlib -Xlinker -s --product "$product" >&2
done
swift build -c release --product metron-spawner >&2
bin="$(swift build -c release --show-bin-path)"
# metron-spawner is C and calls nothing of the Swift runtime SwiftPM links into it (main.c defines
# the two symbols swiftrt.o refers to), so it can start without loading it (0.9 ms instead of 2.4).
if command -v patchelf >/dev/null; then
  for library in $(patchelf --print-needed "$bin/metron-spawner"); do
    case "$library" in
      libc.so.*) ;;
      *) patchelf --remove-needed "$library" "$bin/metron-spawner" ;;
    esac
  done
  "$bin/metron-spawner" </dev/null 3</dev/null 4>/dev/null || { echo "metron-spawner does not start without the Swift runtime" >&2; exit 1; }
else
  echo "note: patchelf not found (apt-get install patchelf): metron-spawner keeps loading the Swift runtime it never calls" >&2
fi
echo "$bin"
