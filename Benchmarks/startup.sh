#!/usr/bin/env bash
# Metron's fixed cost per invocation next to hyperfine's, side by side in one hyperfine run:
# `metron --version` (loading the binary), `metron exec --runs 1 true` inside this repository
# (git facts included) and outside any repository (both through `env -C`), and `hyperfine -N --runs 1 true`. Prints
# hyperfine's Markdown table (docs/performance.md quotes it). RUNS sets the runs per command.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is required (apt-get install hyperfine)" >&2; exit 2; }
runs=${RUNS:-60}
bin="$(./scripts/build-release.sh)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repo="$(pwd)"
hyperfine -N --warmup 5 --runs "$runs" --style basic --export-markdown "$work/startup.md" \
  -n "hyperfine -N --runs 1 true" "hyperfine -N --runs 1 --style none true" \
  -n "metron --version" "$bin/metron --version" \
  -n "metron exec --runs 1 true (in a git repository)" "env -C $repo $bin/metron exec --runs 1 --color never true" \
  -n "metron exec --runs 1 true (no repository)" "env -C $work $bin/metron exec --runs 1 --color never true" \
  >&2
cat "$work/startup.md"
