/*
 * Known-truth CPU-bound workload for the validity harness (Benchmarks/validity/run.py).
 *
 *   work ITERATIONS
 *
 * Runs one xorshift64 step per iteration, each step depending on the previous one (a serial
 * data-dependency chain, so the compiler cannot vectorise, unroll into independent lanes or
 * skip it), exactly ITERATIONS times, stores the final state in a volatile, and exits 0.
 * The work is proportional to ITERATIONS: +5 % iterations is +5 % work. No memory traffic beyond
 * registers, no system calls in the loop, no allocation.
 *
 * Build: cc -O2 -o work work.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>

volatile uint64_t sink;

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s ITERATIONS\n", argv[0]);
        return 2;
    }
    errno = 0;
    char *end = NULL;
    unsigned long long n = strtoull(argv[1], &end, 10);
    if (errno != 0 || end == argv[1] || *end != '\0') {
        fprintf(stderr, "work: not a non-negative integer: %s\n", argv[1]);
        return 2;
    }
    /* The seed depends on the argument so the chain cannot be folded at compile time. */
    uint64_t x = 0x9E3779B97F4A7C15ull ^ (uint64_t)n;
    for (unsigned long long i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    sink = x;
    return 0;
}
