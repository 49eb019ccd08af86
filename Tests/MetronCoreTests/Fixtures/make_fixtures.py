#!/usr/bin/env python3
"""Reference figures for MetronCore's statistics, computed with numpy and scipy.

Writes statistics.json next to this script. Run it from anywhere:

    python3 Tests/MetronCoreTests/Fixtures/make_fixtures.py

Requires numpy >= 2 and scipy. The output is deterministic (fixed seeds); regenerating it should
produce the same file unless numpy/scipy change their results.

What is recorded, per sample set:
  - numpy: mean, median, std(ddof=1), min, max, percentile at 25/50/75/90/95/99/99.9
    (method="linear", i.e. Hyndman & Fan type 7), p75 - p25, std/mean;
  - scipy: median_abs_deviation(scale=1.0);
  - Tukey outlier counts against Q1 - 3 IQR, Q1 - 1.5 IQR, Q3 + 1.5 IQR, Q3 + 3 IQR (strict);
  - percentile-bootstrap confidence intervals of the mean and the median, re-implementing
    Metron's exact resampling (SplitMix64; two indices into the sorted sample per output z,
    floor(lo32(z) * n / 2^32) then floor(hi32(z) * n / 2^32); B resamples of n indices each,
    ceil(n/2) outputs a resample, drawn in order) and using numpy for the resample means/medians and the
    percentiles of the bootstrap distributions.
Metron's conventions where numpy has none: std is 0 (not NaN) for one sample; the coefficient of
variation is 0 when the mean is 0.

Independently of Metron's resampling, one normal sample set also gets scipy.stats.bootstrap
(method="percentile") intervals, a cross-check of the method that only agrees up to Monte Carlo
error.

Every figure numpy computes is also checked here against exact arithmetic (math.fsum and
fractions.Fraction), so the fixture holds the true value, not just numpy's.
"""

import json
import math
import os
from fractions import Fraction

import numpy as np
import scipy
import scipy.stats

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB
DEFAULT_SEED = 0x4D4554524F4E  # "METRON"
PERCENTILES = [25, 50, 75, 90, 95, 99, 99.9]
PERCENTILE_KEYS = ["p25", "p50", "p75", "p90", "p95", "p99", "p999"]


# --- SplitMix64 -----------------------------------------------------------------------------

def splitmix64_scalar(seed, count):
    """The textbook algorithm, one output at a time, on Python integers."""
    state = seed
    out = []
    for _ in range(count):
        state = (state + GOLDEN) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * MIX1) & MASK64
        z = ((z ^ (z >> 27)) * MIX2) & MASK64
        out.append(z ^ (z >> 31))
    return out


def splitmix64_vector(seed, count):
    """The same stream, vectorised: the k-th state (k = 1, 2, ...) is seed + k * GOLDEN mod 2^64."""
    k = np.arange(1, count + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + k * np.uint64(GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(MIX2)
        z = z ^ (z >> np.uint64(31))
    return z


# Published reference outputs for seed 0 (e.g. Vigna's splitmix64.c).
assert splitmix64_scalar(0, 3) == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]
for _seed in (0, DEFAULT_SEED, 42, MASK64):
    assert [int(v) for v in splitmix64_vector(_seed, 2000)] == splitmix64_scalar(_seed, 2000)


# --- Bootstrap, Metron's way ------------------------------------------------------------------

def index_pairs(z, n):
    """Metron's two indices per output, for rows of m = ceil(n/2) outputs: floor(lo * n / 2^32)
    then floor(hi * n / 2^32) for the low and high 32 bits of each, the first n of them a row."""
    nn = np.uint64(n)
    lo = ((z & np.uint64(0xFFFFFFFF)) * nn) >> np.uint64(32)
    hi = ((z >> np.uint64(32)) * nn) >> np.uint64(32)
    pairs = np.stack([lo, hi], axis=-1).reshape(z.shape[0], -1)
    return pairs[:, :n].astype(np.int64)


_pair_check = np.array([[0xE220A8397B1DCDAF, 0xFFFFFFFFFFFFFFFF]], dtype=np.uint64)
assert index_pairs(_pair_check, 3).tolist() == [[(0x7B1DCDAF * 3) >> 32, (0xE220A839 * 3) >> 32, 2]]


def metron_bootstrap(samples, resamples, level, seed):
    xs = np.sort(np.asarray(samples, dtype=np.float64))
    n = len(xs)
    means = np.empty(resamples)
    medians = np.empty(resamples)
    # The stream is consumed resample by resample, ceil(n/2) outputs each; chunk it to bound memory.
    chunk = max(1, 2_000_000 // n)
    state = seed
    for start in range(0, resamples, chunk):
        rows = min(chunk, resamples - start)
        m = (n + 1) // 2
        z = splitmix64_vector(state, rows * m).reshape(rows, m)
        state = (state + rows * m * GOLDEN) & MASK64
        idx = index_pairs(z, n)
        values = xs[idx]
        means[start:start + rows] = values.mean(axis=1)
        medians[start:start + rows] = np.median(values, axis=1)
    alpha = (1 - level) / 2
    lower_p, upper_p = 100 * alpha, 100 * (1 - alpha)
    return {
        "resamples": resamples,
        "level": level,
        "seed": f"0x{seed:016X}",
        "mean": [float(np.percentile(means, lower_p)), float(np.percentile(means, upper_p))],
        "median": [float(np.percentile(medians, lower_p)), float(np.percentile(medians, upper_p))],
    }


# --- Sample sets ------------------------------------------------------------------------------

rng = np.random.default_rng(20250611)

core = np.round(rng.normal(10.0, 1.0, 56), 3)
q1, q3 = np.percentile(core, [25, 75])
spread = q3 - q1
heavy = np.concatenate([
    core,
    # Low severe, low mild, high mild (x2), high severe (x2), placed well inside their bands.
    np.round([q1 - 6 * spread, q1 - 2.2 * spread, q3 + 2.0 * spread, q3 + 2.3 * spread,
              q3 + 8 * spread, q3 + 40 * spread], 3),
])
rng.shuffle(heavy)

SETS = {
    # Small odd and even sizes with hand-picked values (unsorted on purpose).
    "small_odd": [3.1, 1.2, 5.5, 2.0, 4.4, 2.7, 9.3],
    "small_even": [0.8, 0.25, 1.75, 0.5, 1.0, 3.5, 0.3, 1.2],
    "single": [0.042],
    "pair": [1.5, 2.5],
    # Student-t-like core plus outliers of every class.
    "heavy_tailed": [float(v) for v in heavy],
    # Nanosecond-scale timestamps: a huge offset with unit noise. A one-pass Σx² variance
    # loses every digit here.
    "large_offset": [float(v) for v in 1e9 + rng.normal(0.0, 1.0, 400)],
    # Lognormal run times around 12.3 ms.
    "lognormal": [float(v) for v in np.exp(rng.normal(math.log(0.0123), 0.25, 200))],
    # Constant: 0.1 is not representable, and a naive running sum of ten of them is not 1.
    "constant": [0.1] * 10,
    # Mean exactly 0: Metron's coefficient of variation is 0 there.
    "zero_mean": [-3.0, -1.0, 0.0, 1.0, 3.0],
    # 1000 normal run times around 250 ms.
    "normal_1000": [float(v) for v in rng.normal(0.250, 0.010, 1000)],
}

BOOTSTRAP_CONFIGS = {
    name: [dict(resamples=10_000, level=0.95, seed=DEFAULT_SEED)] for name in SETS
}
BOOTSTRAP_CONFIGS["small_odd"] += [dict(resamples=2_000, level=0.90, seed=42),
                                   dict(resamples=999, level=0.99, seed=MASK64)]
BOOTSTRAP_CONFIGS["lognormal"] += [dict(resamples=2_000, level=0.90, seed=42),
                                   dict(resamples=999, level=0.99, seed=MASK64)]
BOOTSTRAP_CONFIGS["pair"] += [dict(resamples=1, level=0.5, seed=7)]


# --- Exact cross-checks -----------------------------------------------------------------------

def assert_close(value, exact, rel=1e-12, what=""):
    exact = float(exact)
    assert abs(value - exact) <= rel * abs(exact), f"{what}: numpy {value!r} vs exact {exact!r}"


def exact_checks(name, xs, mean, std):
    n = len(xs)
    fractions = [Fraction(v) for v in xs]
    exact_mean = sum(fractions) / n
    assert_close(mean, exact_mean, what=f"{name} mean")
    assert mean == math.fsum(xs) / n or abs(mean - math.fsum(xs) / n) <= 1e-15 * abs(mean), name
    if n >= 2:
        exact_var = sum((f - exact_mean) ** 2 for f in fractions) / (n - 1)
        assert_close(std, math.sqrt(exact_var), what=f"{name} std")


# --- Figures ----------------------------------------------------------------------------------

def describe(name, samples):
    xs = np.asarray(samples, dtype=np.float64)
    n = len(xs)
    mean = float(np.mean(xs))
    std = float(np.std(xs, ddof=1)) if n >= 2 else 0.0
    exact_checks(name, samples, mean, std)
    pct = [float(v) for v in np.percentile(xs, PERCENTILES, method="linear")]
    p25, p75 = pct[0], pct[2]
    iqr = p75 - p25
    fences = (p25 - 3 * iqr, p25 - 1.5 * iqr, p75 + 1.5 * iqr, p75 + 3 * iqr)

    counts = {"lowSevere": 0, "lowMild": 0, "highMild": 0, "highSevere": 0}
    for v in xs:
        if v < fences[0]:
            counts["lowSevere"] += 1
        elif v < fences[1]:
            counts["lowMild"] += 1
        elif v > fences[3]:
            counts["highSevere"] += 1
        elif v > fences[2]:
            counts["highMild"] += 1
    # No sample may sit (nearly) on a fence, or the last bit of a quartile could flip a count.
    if iqr > 0:
        for f in fences:
            assert np.min(np.abs(xs - f)) > 1e-6 * iqr, f"{name}: a sample is on a fence"

    figures = {
        "count": n,
        "mean": mean,
        "median": float(np.median(xs)),
        "stddev": std,
        "min": float(np.min(xs)),
        "max": float(np.max(xs)),
        "percentiles": dict(zip(PERCENTILE_KEYS, pct)),
        "mad": float(scipy.stats.median_abs_deviation(xs, scale=1.0)),
        "iqr": iqr,
        "coefficientOfVariation": std / mean if mean != 0 else 0.0,
        "outliers": counts,
    }
    boot = []
    if n >= 2:
        boot = [metron_bootstrap(samples, **config) for config in BOOTSTRAP_CONFIGS[name]]
    return {"name": name, "samples": [float(v) for v in samples], "expected": figures, "bootstrap": boot}


def scipy_cross_check(name, samples):
    xs = np.asarray(samples, dtype=np.float64)
    out = {"name": name, "level": 0.95, "resamples": 100_000}
    for key, statistic in (("mean", np.mean), ("median", np.median)):
        result = scipy.stats.bootstrap(
            (xs,), lambda x, axis: statistic(x, axis=axis), vectorized=True,
            n_resamples=100_000, batch=1_000, confidence_level=0.95, method="percentile",
            rng=np.random.default_rng(12345))
        ci = result.confidence_interval
        out[key] = [float(ci.low), float(ci.high)]
    return out


def main():
    datasets = [describe(name, samples) for name, samples in SETS.items()]
    heavy_counts = next(d for d in datasets if d["name"] == "heavy_tailed")["expected"]["outliers"]
    assert all(c >= 1 for c in heavy_counts.values()), heavy_counts

    fixture = {
        "generator": "make_fixtures.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "splitmix64": [
            {"seed": f"0x{seed:016X}", "outputs": [f"0x{v:016X}" for v in splitmix64_scalar(seed, 8)]}
            for seed in (0, DEFAULT_SEED, 42, MASK64)
        ],
        "datasets": datasets,
        "scipyBootstrap": scipy_cross_check("normal_1000", SETS["normal_1000"]),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "statistics.json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")

    # Report how far Metron's intervals (exact resampling) are from scipy's, in interval widths.
    normal = next(d for d in datasets if d["name"] == "normal_1000")["bootstrap"][0]
    ref = fixture["scipyBootstrap"]
    for key in ("mean", "median"):
        width = ref[key][1] - ref[key][0]
        gaps = [abs(a - b) / width for a, b in zip(normal[key], ref[key])]
        print(f"{key}: Metron vs scipy bounds differ by {gaps[0]:.2%} / {gaps[1]:.2%} of the width")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

# --- Mann-Whitney U reference values (scipy.stats.mannwhitneyu, method="asymptotic") ---------
# Written to mannwhitney.json; regenerate with the same seed to reproduce.
def make_mannwhitney_fixture(path="mannwhitney.json"):
    import json as _json
    import numpy as _np
    import scipy.stats as _st
    rng = _np.random.default_rng(7)
    cases = {}
    a = [1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9, 10.1]
    b = [3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5]
    cases["small_ties"] = (a, b)
    cases["shifted"] = (list(_np.round(rng.normal(1.0, 0.05, 200), 6)), list(_np.round(rng.normal(1.03, 0.05, 300), 6)))
    cases["identical"] = ([1, 2, 3, 4, 5] * 4, [1, 2, 3, 4, 5] * 4)
    cases["separated"] = (list(range(20)), list(range(100, 130)))
    out = {}
    for name, (x, y) in cases.items():
        r = _st.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic")
        out[name] = {"x": [float(v) for v in x], "y": [float(v) for v in y], "u": float(r.statistic), "p": float(r.pvalue)}
    with open(path, "w") as f:
        _json.dump(out, f, indent=1)
