#!/bin/sh
# Writes a deterministic ~6 MB text corpus to $1 for the command-benchmark example.
set -eu
out=${1:?usage: make-corpus.sh OUTPUT}
[ -s "$out" ] && exit 0
seq 1 200000 | awk '{ printf "%08d %s %d lorem ipsum dolor sit amet %x\n", $1, ($1 * 7919) % 1000, $1 % 97, $1 * 31 }' > "$out"
