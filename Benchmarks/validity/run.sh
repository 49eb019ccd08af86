#!/usr/bin/env bash
# The validity harness (docs/validity.md): real metron sessions of a known-truth workload with known
# shifts, verdicts counted against the truth. Parameters by environment (TRIALS, RUNS, SHIFTS,
# EXPERIMENTS, SEED, OUT, METRON, …) or flags; `run.sh --help` lists them.
#   Benchmarks/validity/run.sh                          # everything, 200 trials, default binary
#   TRIALS=5 RUNS=10 EXPERIMENTS=stored,single,gate Benchmarks/validity/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 Benchmarks/validity/run.py "$@"
