#!/usr/bin/env python3
"""Validity harness: how often Metron's verdicts are wrong on this machine.

Real `metron` processes measure a known-truth workload (work.c: ITERATIONS steps of a serial
xorshift chain) whose work is shifted by exact amounts (N_shift = round(N * (1 + s/100))), and
the verdicts Metron prints are counted against the truth:

  stored       stored-history comparisons: a baseline session with >= 5 earlier sessions of the
               unshifted command in a SQLite store, a current session of the shifted command,
               `metron compare --baseline RUN --current RUN --json`
  single       the same with exactly one stored baseline session (fresh store per trial); also
               counts how often the evidence says the session-to-session noise is not yet known
  gate         `metron check` on a stored current session against baseline 'main' (with history):
               the exit status
  interleaved  `metron exec --reference "work N" "work N_s" --runs R --export-json` (A/B in one
               session); skipped when `metron exec --help` does not list --reference

Every trial's raw verdict goes to trials.jsonl in the output directory, every measured session's
wall-time samples to sessions.jsonl, the tables to results.md. docs/validity.md describes the procedure and holds the results.

Parameters come from flags or the environment (flag wins): METRON, TRIALS, RUNS (or ROUNDS),
SHIFTS, EXPERIMENTS, SEED, OUT, TARGET_MS, ITERATIONS, POOL_WARMUP, POOL, GATE_FAIL_ON,
GATE_BANDS. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import platform
import random
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
EXPERIMENTS = ("stored", "single", "gate", "interleaved", "deterministic")
VERDICTS = ("slower", "faster", "noChange", "inconclusive")
Z95 = 1.959963984540054
NOISE_UNKNOWN = "session-to-session noise not yet known"
CALL_TIMEOUT = 600  # seconds for any one metron call


# --------------------------------------------------------------------------- statistics

def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95 % Wilson score interval of a binomial proportion k/n (Wilson 1927)."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def rate_text(k: int, n: int) -> str:
    if n == 0:
        return "– (no valid trials)"
    lo, hi = wilson(k, n)
    return f"{k}/{n} = {100 * k / n:.1f} % [{100 * lo:.1f}, {100 * hi:.1f}]"


# --------------------------------------------------------------------------- processes

class TrialError(Exception):
    pass


class Metron:
    """Runs the real metron binary with a clean environment, in a scratch working directory
    (so no metron.yml, .metron store or git state of the caller's directory applies)."""

    def __init__(self, binary: Path, cwd: Path, keep_exports: bool = False):
        self.binary = binary
        self.cwd = cwd
        self.keep_exports = keep_exports
        env = {k: v for k, v in os.environ.items()
               if not (k.startswith("METRON_") and k != "METRON_SPAWNER") and k != "GITHUB_STEP_SUMMARY"}
        env["NO_COLOR"] = "1"
        self.env = env
        self.calls = 0
        self.call_seconds = 0.0

    def run(self, args: list[str], check_rc: tuple[int, ...] | None = (0,)) -> subprocess.CompletedProcess:
        started = time.monotonic()
        try:
            proc = subprocess.run([str(self.binary), *args], cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=CALL_TIMEOUT)
        except subprocess.TimeoutExpired as error:
            raise TrialError(f"timeout after {CALL_TIMEOUT} s: metron {shlex.join(args)}") from error
        except OSError as error:
            raise TrialError(f"cannot start metron: {error}") from error
        finally:
            self.calls += 1
            self.call_seconds += time.monotonic() - started
        if check_rc is not None and proc.returncode not in check_rc:
            tail = (proc.stderr.strip() or proc.stdout.strip())[-600:]
            raise TrialError(f"metron {shlex.join(args)} exited {proc.returncode}: {tail}")
        return proc

    def session(self, command: str, runs: int, *, store: Path | None, export: Path, name: str = "bench",
                extra: tuple[str, ...] = ()) -> dict:
        """One `metron exec` session; returns the exported run report."""
        args = ["exec", "--runs", str(runs), "--name", name, "--export-json", str(export), "--color", "never", *extra]
        if store is not None:
            args += ["--save", "--store", str(store)]
        self.run(args + [command])
        report = load_report(export)
        if not self.keep_exports:
            export.unlink(missing_ok=True)
        return report


def load_report(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise TrialError(f"cannot read run report {path}: {error}") from error


def wall_samples(report: dict, name: str | None = None) -> list[float]:
    for bench in report.get("benchmarks", []):
        if name is not None and bench.get("name") != name:
            continue
        for metric in bench.get("metrics", []):
            if metric.get("id") == "wall_time":
                return list(metric.get("samples", []))
    raise TrialError("no wall_time metric in the run report")


def backup_store(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite store (WAL included) through SQLite's online backup API."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


# --------------------------------------------------------------------------- harness

class Harness:
    def __init__(self, opts: argparse.Namespace):
        self.opts = opts
        self.rng = random.Random(opts.seed)
        self.out = Path(opts.out)
        self.out.mkdir(parents=True, exist_ok=True)
        if (self.out / "trials.jsonl").exists() and (self.out / "trials.jsonl").stat().st_size > 0:
            raise SystemExit(f"{self.out} already holds trials.jsonl: choose another --out (OUT) so runs do not mix")
        self.tmp = Path(tempfile.mkdtemp(prefix="metron-validity."))
        self.metron = Metron(Path(opts.metron), self.tmp, keep_exports=opts.keep)
        self.trials_file = open(self.out / "trials.jsonl", "a", buffering=1)
        self.sessions_file = open(self.out / "sessions.jsonl", "a", buffering=1)
        self.records: dict[str, list[dict]] = {e: [] for e in EXPERIMENTS}
        self.skipped: dict[str, str] = {}
        self.trial_times: dict[str, list[float]] = {e: [] for e in EXPERIMENTS}
        self.work = self.tmp / "work"
        self.iterations = 0
        self.base_ms = 0.0
        self.fixed_ms: float | None = None
        self.overhead_s = 0.3
        self.counter = 0
        self.started = time.monotonic()

    # ---- helpers

    def log(self, text: str) -> None:
        print(text, flush=True)

    def fresh(self, stem: str, suffix: str = ".json") -> Path:
        self.counter += 1
        return self.tmp / f"{stem}-{self.counter}{suffix}"

    def command(self, iterations: int) -> str:
        return f"{shlex.quote(str(self.work))} {iterations}"

    def shifted(self, shift: float) -> int:
        return round(self.iterations * (1 + shift / 100))

    def record_session(self, experiment: str, trial: int, role: str, shift: float, iterations: int, report: dict) -> None:
        self.sessions_file.write(json.dumps({
            "experiment": experiment, "trial": trial, "role": role, "shift": shift, "iterations": iterations,
            "run": report.get("id"), "startedAt": report.get("startedAt"), "wall_time": wall_samples(report)}) + "\n")

    def record_trial(self, row: dict) -> None:
        try:
            row["load1"] = round(os.getloadavg()[0], 2)
        except OSError:
            pass
        row["time"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        self.records[row["experiment"]].append(row)
        self.trials_file.write(json.dumps(row) + "\n")

    def shift_order(self) -> list[float]:
        order = list(self.opts.shifts)
        self.rng.shuffle(order)
        return order

    # ---- set-up

    def prepare(self) -> None:
        cc = shutil.which(os.environ.get("CC", "cc"))
        if not cc:
            raise SystemExit("no C compiler (cc) found")
        subprocess.run([cc, "-O2", "-o", str(self.work), str(HERE / "work.c")], check=True)
        version = self.metron.run(["--version"]).stdout.strip()
        self.version = version
        help_text = self.metron.run(["exec", "--help"]).stdout
        self.has_reference = re.search(r"(^|\s)--reference\b", help_text) is not None
        if self.opts.iterations:
            self.iterations = self.opts.iterations
            self.base_ms = self.median_ms(self.iterations, 10)
        else:
            self.calibrate()
        # The part of a run's wall time that does not scale with ITERATIONS (exec, loading, exit):
        # `work 0`. A shift of s % in work is s·(1 − fixed/base) % in wall time.
        overhead = self.overhead_s
        self.fixed_ms = self.median_ms(0, 20)
        self.overhead_s = overhead
        self.log(f"calibrated: ITERATIONS={self.iterations}, median {self.base_ms:.2f} ms; `work 0` (fixed "
                 f"per-process cost) {self.fixed_ms:.2f} ms; metron's own cost per session ≈ {self.overhead_s:.2f} s")

    def median_ms(self, iterations: int, runs: int) -> float:
        export = self.fresh("calibration")
        started = time.monotonic()
        report = self.metron.session(self.command(iterations), runs, store=None, export=export, name="calibration")
        elapsed = time.monotonic() - started
        samples = wall_samples(report)
        # Whatever a session costs beyond its measured runs: metron's start-up, spawner, export.
        self.overhead_s = max(0.0, elapsed - sum(samples))
        return 1000 * statistics.median(samples)

    def calibrate(self) -> None:
        target = self.opts.target_ms
        n = 10_000_000
        for attempt in range(5):
            ms = self.median_ms(n, 10)
            self.log(f"calibration {attempt + 1}: {n} iterations -> median {ms:.2f} ms")
            if abs(ms / target - 1) <= 0.03:
                break
            n = max(1000, round(n * target / ms))
        self.iterations = n
        self.base_ms = self.median_ms(n, 10)

    # ---- estimate

    def estimate(self, trials: int, verbose: bool = True) -> float:
        o = self.opts
        run_s = self.base_ms / 1000
        mean_factor = sum(1 + s / 100 for s in o.shifts) / len(o.shifts)
        session = lambda factor: o.runs * run_s * factor + self.overhead_s
        call = self.overhead_s  # compare/check calls cost about a metron start-up
        k = len(o.shifts)
        total = 0.0
        per_trial: dict[str, float] = {}
        pool_per_trial = 1 if o.pool == "rolling" else o.pool_warmup + 1
        if "stored" in o.experiments:
            per_trial["stored"] = pool_per_trial * session(1) + k * (session(mean_factor) + call)
            total += o.pool_warmup * session(1) if o.pool == "rolling" else 0
        if "single" in o.experiments:
            per_trial["single"] = session(1) + k * (session(mean_factor) + call)
        if "gate" in o.experiments:
            per_trial["gate"] = pool_per_trial * session(1) + call + k * (session(mean_factor) + call * (1 + len(o.gate_fail_on)))
            total += o.pool_warmup * session(1) if o.pool == "rolling" else 0
        if "deterministic" in o.experiments:
            # One timed run and one under Valgrind (about 50× slower) a session.
            per_trial["deterministic"] = (k + 1) * (run_s * mean_factor * 51 + 2 * self.overhead_s) + k * call
        if "interleaved" in o.experiments and self.has_reference:
            per_trial["interleaved"] = k * (o.runs * run_s * (1 + mean_factor) + self.overhead_s)
        for name, seconds in per_trial.items():
            if verbose:
                self.log(f"  estimate {name}: {seconds:.1f} s per trial ({k} shifts) × {trials} = {seconds * trials / 60:.1f} min")
            total += seconds * trials
        return total

    # ---- pools (stored, gate)

    def pool_session(self, experiment: str, store: Path, trial: int) -> dict:
        report = self.metron.session(self.command(self.iterations), self.opts.runs, store=store,
                                     export=self.fresh(f"{experiment}-pool"))
        self.record_session(experiment, trial, "pool", 0.0, self.iterations, report)
        return report

    def baseline_for_trial(self, experiment: str, trial: int, state: dict) -> tuple[Path, dict]:
        """The store whose newest session is this trial's baseline, with POOL_WARMUP earlier
        sessions of the unshifted command (rolling: shared with the other trials)."""
        if self.opts.pool == "fresh" or "store" not in state:
            store = self.tmp / f"{experiment}-pool-{trial if self.opts.pool == 'fresh' else 0}.sqlite"
            state["store"] = store
            self.log(f"[{experiment}] filling the pool: {self.opts.pool_warmup} history sessions"
                     + (f" for trial {trial + 1}" if self.opts.pool == "fresh" else ""))
            for _ in range(self.opts.pool_warmup):
                self.pool_session(experiment, store, trial if self.opts.pool == "fresh" else 0)
        store = state["store"]
        baseline = self.pool_session(experiment, store, trial)
        if self.opts.pool == "fresh":
            state.pop("store")
        return store, baseline

    # ---- experiments

    def compare(self, store: Path, baseline_id: str, current_id: str, config: Path | None = None,
                metric: str = "wall_time") -> dict:
        args = ["compare", "--baseline", baseline_id, "--current", current_id, "--json", "--store", str(store)]
        if config is not None:
            args += ["--config", str(config)]
        proc = self.metron.run(args)
        try:
            data = json.loads(proc.stdout)
        except ValueError as error:
            raise TrialError(f"compare printed no JSON: {proc.stdout[:300]!r}") from error
        items = [c for c in data.get("comparisons", []) if c.get("metric") == metric]
        if len(items) != 1:
            raise TrialError(f"expected one {metric} comparison, got {len(items)} (added {data.get('added')}, "
                             f"removed {data.get('removed')})")
        return items[0]

    @staticmethod
    def verdict_fields(item: dict) -> dict:
        verdict = item.get("verdict")
        if verdict not in VERDICTS:
            raise TrialError(f"unknown verdict {verdict!r}")
        evidence = item.get("evidence")
        history = None
        if isinstance(evidence, str):
            match = re.search(r"over (\d+) stored runs", evidence) or re.search(r"\((\d+) stored runs? on this machine", evidence)
            history = int(match.group(1)) if match else None
        return {"verdict": verdict, "change": item.get("change"), "changeCI": item.get("changeCI"),
                "pValue": item.get("pValue"), "band": item.get("band"), "evidence": evidence,
                "history_sessions": history}

    def trial_stored(self, trial: int, state: dict) -> None:
        store, baseline = self.baseline_for_trial("stored", trial, state)
        for shift in self.shift_order():
            row = {"experiment": "stored", "trial": trial, "shift": shift, "baseline_run": baseline["id"]}
            started = time.monotonic()
            try:
                scratch = self.tmp / "stored-scratch.sqlite"
                backup_store(store, scratch)
                n = self.shifted(shift)
                current = self.metron.session(self.command(n), self.opts.runs, store=scratch, export=self.fresh("stored-current"))
                self.record_session("stored", trial, "current", shift, n, current)
                row.update(current_run=current["id"], iterations=n)
                row.update(self.verdict_fields(self.compare(scratch, baseline["id"], current["id"])))
            except (TrialError, sqlite3.Error) as error:
                row.update(verdict="error", error=str(error))
            row["seconds"] = round(time.monotonic() - started, 3)
            self.record_trial(row)
            self.progress(row)

    def trial_single(self, trial: int, state: dict) -> None:
        store = self.tmp / f"single-{trial}.sqlite"
        try:
            baseline = self.metron.session(self.command(self.iterations), self.opts.runs, store=store,
                                           export=self.fresh("single-baseline"))
            self.record_session("single", trial, "baseline", 0.0, self.iterations, baseline)
        except TrialError as error:
            for shift in self.opts.shifts:
                row = {"experiment": "single", "trial": trial, "shift": shift, "verdict": "error", "error": str(error)}
                self.record_trial(row)
                self.progress(row)
            return
        for shift in self.shift_order():
            row = {"experiment": "single", "trial": trial, "shift": shift, "baseline_run": baseline["id"]}
            started = time.monotonic()
            try:
                n = self.shifted(shift)
                current = self.metron.session(self.command(n), self.opts.runs, store=store, export=self.fresh("single-current"))
                self.record_session("single", trial, "current", shift, n, current)
                row.update(current_run=current["id"], iterations=n)
                row.update(self.verdict_fields(self.compare(store, baseline["id"], current["id"])))
                row["noise_unknown"] = NOISE_UNKNOWN in (row.get("evidence") or "")
            except TrialError as error:
                row.update(verdict="error", error=str(error))
            row["seconds"] = round(time.monotonic() - started, 3)
            self.record_trial(row)
            self.progress(row)
        for suffix in ("", "-wal", "-shm"):
            Path(str(store) + suffix).unlink(missing_ok=True)

    def trial_deterministic(self, trial: int, state: dict) -> None:
        """As `single`, but each session is one timed run plus one run under Valgrind (--valgrind),
        and the verdict is the one on `instructions`: deterministic counts, one run a side."""
        store = self.tmp / f"deterministic-{trial}.sqlite"
        extra = ("--valgrind",)
        try:
            baseline = self.metron.session(self.command(self.iterations), 1, store=store,
                                           export=self.fresh("deterministic-baseline"), extra=extra)
        except TrialError as error:
            for shift in self.opts.shifts:
                row = {"experiment": "deterministic", "trial": trial, "shift": shift, "verdict": "error", "error": str(error)}
                self.record_trial(row)
                self.progress(row)
            return
        for shift in self.shift_order():
            row = {"experiment": "deterministic", "trial": trial, "shift": shift, "baseline_run": baseline["id"]}
            started = time.monotonic()
            try:
                n = self.shifted(shift)
                current = self.metron.session(self.command(n), 1, store=store, export=self.fresh("deterministic-current"),
                                              extra=extra)
                row.update(current_run=current["id"], iterations=n)
                row.update(self.verdict_fields(self.compare(store, baseline["id"], current["id"], metric="instructions")))
            except TrialError as error:
                row.update(verdict="error", error=str(error))
            row["seconds"] = round(time.monotonic() - started, 3)
            self.record_trial(row)
            self.progress(row)
        for suffix in ("", "-wal", "-shm"):
            Path(str(store) + suffix).unlink(missing_ok=True)

    def gate_config(self) -> Path:
        path = self.tmp / "gate.yml"
        if not path.exists():
            a, w, c = self.opts.gate_bands
            # `metron check` needs a suite file with at least one suite; this one declares no
            # budgets that apply to the exec-saved benchmark "bench", only the regression bands.
            path.write_text(
                "# Validity harness gate: regression bands only; the suite exists because check needs one.\n"
                "version: 1\n"
                f"bands:\n  acceptable: {a:g}%\n  warning: {w:g}%\n  critical: {c:g}%\n"
                "suites:\n  validity:\n    benchmarks:\n      - name: unused\n        command: 'true'\n")
        return path

    def trial_gate(self, trial: int, state: dict) -> None:
        config = self.gate_config()
        try:
            store, baseline = self.baseline_for_trial("gate", trial, state)
            self.metron.run(["baseline", "save", "main", baseline["id"], "--store", str(store)])
        except TrialError as error:
            for shift in self.opts.shifts:
                for fail_on in self.opts.gate_fail_on:
                    row = {"experiment": "gate", "trial": trial, "shift": shift, "fail_on": fail_on,
                           "verdict": "error", "exit": None, "error": str(error)}
                    self.record_trial(row)
                    self.progress(row)
            return
        for shift in self.shift_order():
            started = time.monotonic()
            base_row = {"experiment": "gate", "trial": trial, "shift": shift, "baseline_run": baseline["id"]}
            rows = []
            try:
                scratch = self.tmp / "gate-scratch.sqlite"
                backup_store(store, scratch)
                n = self.shifted(shift)
                current = self.metron.session(self.command(n), self.opts.runs, store=scratch, export=self.fresh("gate-current"))
                self.record_session("gate", trial, "current", shift, n, current)
                base_row.update(current_run=current["id"], iterations=n)
                # The comparison the gate judges (same bands, same history), for the verdict counts.
                try:
                    base_row.update(self.verdict_fields(self.compare(scratch, "main", "latest", config)))
                except TrialError as error:
                    base_row.update(verdict="error", compare_error=str(error))
                for fail_on in self.opts.gate_fail_on:
                    row = dict(base_row, fail_on=fail_on)
                    proc = self.metron.run(["check", "--config", str(config), "--store", str(scratch),
                                            "--fail-on", fail_on], check_rc=None)
                    row["exit"] = proc.returncode
                    row["check_output"] = proc.stdout.strip().splitlines()[-12:]
                    if proc.returncode not in (0, 1):
                        row["error"] = f"check exited {proc.returncode}: {(proc.stderr.strip() or proc.stdout.strip())[-400:]}"
                    rows.append(row)
            except (TrialError, sqlite3.Error) as error:
                rows = [dict(base_row, fail_on=f, verdict="error", exit=None, error=str(error)) for f in self.opts.gate_fail_on]
            seconds = round(time.monotonic() - started, 3)
            for row in rows:
                row["seconds"] = seconds
                self.record_trial(row)
                self.progress(row)

    def trial_interleaved(self, trial: int, state: dict) -> None:
        for shift in self.shift_order():
            n = self.shifted(shift)
            seed = self.rng.randrange(2 ** 32)
            row = {"experiment": "interleaved", "trial": trial, "shift": shift, "iterations": n, "seed": seed}
            started = time.monotonic()
            try:
                export = self.fresh("interleaved")
                candidate = self.command(n)
                if shift == 0 and self.opts.distinct_aa:
                    # Same program, same work; a leading zero only makes the command line differ.
                    candidate = f"{shlex.quote(str(self.work))} 0{n}"
                self.metron.run(["exec", "--reference", self.command(self.iterations), candidate, "--runs",
                                 str(self.opts.runs), "--seed", str(seed), "--export-json", str(export), "--color", "never"])
                report = load_report(export)
                if not self.opts.keep:
                    export.unlink(missing_ok=True)
                items = [c for c in report.get("comparisons", []) if c.get("metric") == "wall_time"]
                if len(items) != 1:
                    raise TrialError(f"expected one wall_time comparison in 'comparisons', got {len(items)}")
                row.update(self.verdict_fields(items[0]), benchmark=items[0].get("benchmark"), run=report.get("id"))
                self.sessions_file.write(json.dumps({
                    "experiment": "interleaved", "trial": trial, "role": "ab", "shift": shift, "iterations": n,
                    "run": report.get("id"), "benchmarks": [{"name": b.get("name"), "wall_time": wall_samples({"benchmarks": [b]})}
                                                           for b in report.get("benchmarks", [])]}) + "\n")
            except TrialError as error:
                row.update(verdict="error", error=str(error))
            row["seconds"] = round(time.monotonic() - started, 3)
            self.record_trial(row)
            self.progress(row)

    # ---- driver

    def progress(self, row: dict) -> None:
        change = row.get("change")
        change_text = f" {100 * change:+.2f} %" if isinstance(change, (int, float)) else ""
        extra = ""
        if row["experiment"] == "gate" and row.get("exit") is not None:
            extra = f" check --fail-on {row['fail_on']} exit {row['exit']}"
        if row.get("error"):
            extra += f" ERROR: {row['error'][:200]}"
        elapsed = time.monotonic() - self.started
        self.log(f"[{row['experiment']}] trial {row['trial'] + 1}/{self.opts.trials} shift +{row['shift']:g} %: "
                 f"{row.get('verdict')}{change_text}{extra} ({row.get('seconds', 0):.1f} s; {elapsed / 60:.1f} min elapsed)")

    def run(self) -> int:
        o = self.opts
        self.prepare()
        if "interleaved" in o.experiments and not self.has_reference:
            self.skipped["interleaved"] = ("`metron exec --help` does not list --reference: this metron binary "
                                           "cannot run interleaved A/B comparisons yet")
            self.log("[interleaved] SKIPPED: " + self.skipped["interleaved"])
        active = [e for e in o.experiments if e not in self.skipped]
        total = self.estimate(o.trials)
        if o.trials != 200:
            self.log(f"  (at 200 trials: {self.estimate(200, verbose=False) / 60:.1f} min)")
        self.log(f"estimated total: {total / 60:.1f} min for {o.trials} trials × {len(o.shifts)} shifts "
                 f"of {', '.join(active) or 'nothing'} at {o.runs} runs (from the calibration's timings; a loaded "
                 f"machine takes longer)")
        states = {e: {} for e in active}
        interrupted = False
        try:
            for experiment in active:
                trial_fn = getattr(self, f"trial_{experiment}")
                experiment_started = time.monotonic()
                for trial in range(o.trials):
                    trial_started = time.monotonic()
                    try:
                        trial_fn(trial, states[experiment])
                    except Exception as error:  # a harness fault must not end the run: count it
                        done = {(r["shift"], r.get("fail_on")) for r in self.records[experiment] if r["trial"] == trial}
                        for shift in o.shifts:
                            row = {"experiment": experiment, "trial": trial, "shift": shift, "verdict": "error",
                                   "exit": None, "error": f"harness: {type(error).__name__}: {error}"}
                            for fail_on in (o.gate_fail_on if experiment == "gate" else [None]):
                                if (shift, fail_on) not in done:
                                    self.record_trial(dict(row, fail_on=fail_on) if fail_on else row)
                        self.log(f"[{experiment}] trial {trial + 1}: harness error {type(error).__name__}: {error}")
                    seconds = time.monotonic() - trial_started
                    self.trial_times[experiment].append(seconds)
                    left = (o.trials - trial - 1) * (time.monotonic() - experiment_started) / (trial + 1)
                    self.log(f"[{experiment}] trial {trial + 1}/{o.trials} done in {seconds:.1f} s; "
                             f"{experiment} left ≈ {left / 60:.1f} min")
        except KeyboardInterrupt:
            interrupted = True
            self.log("interrupted: tables of the trials so far follow")
        text = self.report(interrupted)
        (self.out / "results.md").write_text(text)
        print()
        print(text)
        self.log(f"wrote {self.out / 'results.md'}, {self.out / 'trials.jsonl'}, {self.out / 'sessions.jsonl'}")
        if o.keep:
            self.log(f"kept scratch directory {self.tmp}")
        return 130 if interrupted else 0

    # ---- report

    def machine(self) -> list[str]:
        cpu = "unknown"
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        try:
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        except OSError:
            load = "?"
        return [f"- machine: {platform.node()}, nproc {os.cpu_count()}, CPU {cpu}, kernel {platform.release()}",
                f"- metron: `{self.version}` ({self.opts.metron})",
                f"- load average at the end: {load}"]

    def report(self, interrupted: bool) -> str:
        o = self.opts
        now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        env_used = " ".join(f"{k}={shlex.quote(os.environ[k])}" for k in ENV_KEYS if k in os.environ)
        lines = ["# Metron validity harness results", "",
                 f"- date: {now} (started {self.start_text}, {(time.monotonic() - self.started) / 60:.1f} min)",
                 *self.machine(),
                 f"- command: `{(env_used + ' ') if env_used else ''}{shlex.join([sys.executable, *sys.argv])}`",
                 f"- parameters: trials {o.trials}, runs {o.runs}, shifts {', '.join(f'{s:g}' for s in o.shifts)} %, "
                 f"seed {o.seed}, pool {o.pool} (warm-up {o.pool_warmup} sessions), gate bands "
                 f"{'/'.join(f'{b:g}' for b in o.gate_bands)} %",
                 f"- workload: work.c, ITERATIONS={self.iterations} (median {self.base_ms:.2f} ms; fixed per-process cost "
                 f"≈ {self.fixed_ms:.2f} ms, so a shift of s % in work is ≈ s·{(1 - (self.fixed_ms or 0) / self.base_ms):.3f} % "
                 f"in wall time)",
                 "- rates: shift 0 → false alarm (any 'slower' or 'faster'); shift > 0 → detection ('slower'); "
                 "gate → failing exit (status 1). 95 % Wilson score intervals; errors are excluded from the denominator.",
                 ""]
        if interrupted:
            lines += ["**Interrupted: partial results.**", ""]
        for experiment in o.experiments:
            if experiment in self.skipped:
                lines += [f"## {experiment}", "", f"Skipped: {self.skipped[experiment]}.", ""]
                continue
            rows = self.records[experiment]
            if not rows:
                continue
            lines += [f"## {experiment}", "", DESCRIPTIONS[experiment].format(o=o), ""]
            lines += self.gate_table(rows) if experiment == "gate" else self.verdict_table(experiment, rows)
            times = self.trial_times[experiment]
            if times:
                lines += ["", f"Time per trial (all {len(o.shifts)} shifts, pool sessions included): mean "
                              f"{statistics.mean(times):.1f} s, max {max(times):.1f} s over {len(times)} trials"
                              + (" (the first includes the pool warm-up)" if experiment in ("stored", "gate")
                                 and o.pool == "rolling" else "") + "."]
            lines.append("")
        return "\n".join(lines)

    def verdict_table(self, experiment: str, rows: list[dict]) -> list[str]:
        head = "| shift | trials | slower | faster | no change | inconclusive | errors | rate (95 % CI) | median change |"
        sep = "|---|---|---|---|---|---|---|---|---|"
        if experiment == "single":
            head += " 'noise not yet known' |"
            sep += "---|"
        if experiment == "stored":
            head += " history sessions |"
            sep += "---|"
        out = [head, sep]
        for shift in self.opts.shifts:
            sel = [r for r in rows if r["shift"] == shift]
            counts = {v: sum(r.get("verdict") == v for r in sel) for v in VERDICTS}
            errors = sum(r.get("verdict") == "error" for r in sel)
            valid = len(sel) - errors
            hits = counts["slower"] + counts["faster"] if shift == 0 else counts["slower"]
            kind = "false alarm" if shift == 0 else "detection"
            changes = [r["change"] for r in sel if isinstance(r.get("change"), (int, float))]
            median = f"{100 * statistics.median(changes):+.2f} %" if changes else "–"
            line = (f"| +{shift:g} % | {len(sel)} | {counts['slower']} | {counts['faster']} | {counts['noChange']} | "
                    f"{counts['inconclusive']} | {errors} | {kind} {rate_text(hits, valid)} | {median} |")
            if experiment == "single":
                unknown = sum(bool(r.get("noise_unknown")) for r in sel if r.get("verdict") != "error")
                line += f" {unknown}/{valid} |"
            if experiment == "stored":
                hist = [r["history_sessions"] for r in sel if isinstance(r.get("history_sessions"), int)]
                line += f" {min(hist)}–{max(hist)} |" if hist else " – |"
            out.append(line)
        return out

    def gate_table(self, rows: list[dict]) -> list[str]:
        out = ["| shift | --fail-on | trials | exit 0 | exit 1 (fail) | errors | failing rate (95 % CI) | "
               "verdicts slower/faster/no change/inconclusive | median change |",
               "|---|---|---|---|---|---|---|---|---|"]
        for fail_on in self.opts.gate_fail_on:
            for shift in self.opts.shifts:
                sel = [r for r in rows if r["shift"] == shift and r.get("fail_on") == fail_on]
                ok = sum(r.get("exit") == 0 for r in sel)
                fail = sum(r.get("exit") == 1 for r in sel)
                errors = len(sel) - ok - fail
                verdicts = "/".join(str(sum(r.get("verdict") == v for r in sel)) for v in VERDICTS)
                compare_errors = sum(r.get("verdict") == "error" for r in sel)
                if compare_errors:
                    verdicts += f" ({compare_errors} errors)"
                changes = [r["change"] for r in sel if isinstance(r.get("change"), (int, float))]
                median = f"{100 * statistics.median(changes):+.2f} %" if changes else "–"
                out.append(f"| +{shift:g} % | {fail_on} | {len(sel)} | {ok} | {fail} | {errors} | {rate_text(fail, ok + fail)} | "
                           f"{verdicts} | {median} |")
        return out


DESCRIPTIONS = {
    "deterministic": ("Deterministic counts: per trial one stored baseline session (fresh store) and a current session "
                      "per shift, each `metron exec --valgrind --runs 1` (one timed run, one run under cachegrind); the "
                      "verdict on `instructions` from `metron compare --json`. The shift is in iterations of the loop, so "
                      "the instruction count moves by slightly less (the program's fixed start-up is counted too)."),
    "stored": ("Stored history: per trial a new baseline session of the unshifted command is stored after "
               "{o.pool_warmup} warm-up sessions ({o.pool} pool), a current session of the shifted command goes into a "
               "scratch copy of the store, and `metron compare --baseline BASE --current CUR --json` gives the verdict. "
               "{o.runs} runs a session."),
    "single": ("One stored baseline session (fresh store per trial, no history), then a current session per shift "
               "in the same store; `metron compare --baseline BASE --current CUR --json`. {o.runs} runs a session. "
               "Last column: verdicts whose evidence says the session-to-session noise is not yet known."),
    "gate": ("`metron check --fail-on LEVEL` on a stored current session (scratch copy of the store) against baseline "
             "'main' = this trial's pool session, with history as in *stored*. Failing exit = status 1. Verdicts are "
             "those of `metron compare` on the same pair with the same bands. {o.runs} runs a session."),
    "interleaved": ("`metron exec --reference \"work N\" \"work N_s\" --runs {o.runs} --seed S --export-json` "
                    "(interleaved A/B in one session); verdict from the export's `comparisons`."),
}

ENV_KEYS = ("METRON", "TRIALS", "RUNS", "ROUNDS", "SHIFTS", "EXPERIMENTS", "SEED", "OUT", "TARGET_MS", "ITERATIONS",
            "POOL_WARMUP", "POOL", "GATE_FAIL_ON", "GATE_BANDS")


def parse_args(argv: list[str]) -> argparse.Namespace:
    env = os.environ.get

    def floats(text: str) -> list[float]:
        return [float(x) for x in text.replace(" ", "").split(",") if x]

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Environment variables of the same names (upper case) set the defaults.")
    parser.add_argument("--metron", default=env("METRON", str(REPO / ".build/release/metron")),
                        help="metron binary; metron-spawner must sit next to it (env METRON)")
    parser.add_argument("--trials", type=int, default=int(env("TRIALS", "200")), help="trials per shift (default 200)")
    parser.add_argument("--runs", "--rounds", type=int, default=int(env("RUNS", env("ROUNDS", "30"))),
                        help="runs per session / rounds per interleaved session (default 30)")
    parser.add_argument("--shifts", type=floats, default=floats(env("SHIFTS", "0,2,5,10")),
                        help="shifts in percent of iterations (default 0,2,5,10)")
    parser.add_argument("--experiments", default=env("EXPERIMENTS", ",".join(EXPERIMENTS)),
                        help="comma-separated subset of " + ",".join(EXPERIMENTS))
    parser.add_argument("--seed", type=int, default=int(env("SEED", "1")), help="seed of shift orders and --seed values")
    parser.add_argument("--out", default=env("OUT"), help="output directory (default results/validity/<UTC time>)")
    parser.add_argument("--target-ms", type=float, default=float(env("TARGET_MS", "20")),
                        help="calibration target of the base command (default 20 ms)")
    parser.add_argument("--iterations", type=int, default=int(env("ITERATIONS", "0")),
                        help="skip calibration and use this base ITERATIONS")
    parser.add_argument("--pool-warmup", type=int, default=int(env("POOL_WARMUP", "9")),
                        help="history sessions stored before the first baseline (default 9: full 10-session history)")
    parser.add_argument("--pool", choices=("rolling", "fresh"), default=env("POOL", "rolling"),
                        help="rolling: one growing pool, trial i's history is the sessions before it; "
                             "fresh: a new pool per trial (independent, costlier)")
    parser.add_argument("--gate-fail-on", default=env("GATE_FAIL_ON", "error,warning"),
                        help="--fail-on levels to check each gate session with (default error,warning)")
    parser.add_argument("--gate-bands", type=floats, default=floats(env("GATE_BANDS", "5,15,30")),
                        help="acceptable,warning,critical %% of the gate's suite file (default Metron's 5,15,30)")
    parser.add_argument("--distinct-aa", action="store_true",
                        help="interleaved A/A: write the candidate's ITERATIONS with a leading zero so the two command "
                             "lines differ (same work)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (stores, exports)")
    opts = parser.parse_args(argv)
    opts.experiments = [e.strip() for e in opts.experiments.split(",") if e.strip()]
    unknown = [e for e in opts.experiments if e not in EXPERIMENTS]
    if unknown:
        parser.error(f"unknown experiments {unknown}; choose from {', '.join(EXPERIMENTS)}")
    opts.gate_fail_on = [x.strip() for x in opts.gate_fail_on.split(",") if x.strip()]
    if any(x not in ("error", "warning") for x in opts.gate_fail_on):
        parser.error("--gate-fail-on takes error and/or warning")
    if len(opts.gate_bands) != 3:
        parser.error("--gate-bands takes three percentages: acceptable,warning,critical")
    if opts.trials < 1 or opts.runs < 2 or not opts.shifts:
        parser.error("need trials >= 1, runs >= 2 and at least one shift")
    if opts.pool_warmup < 4:
        parser.error("--pool-warmup must be >= 4 (Metron needs 5 sessions, the baseline included, to estimate the spread)")
    if any(s < 0 for s in opts.shifts):
        parser.error("shifts are slowdowns in percent (>= 0)")
    opts.metron = str(Path(opts.metron).resolve())
    if not opts.out:
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        opts.out = str(REPO / "results" / "validity" / stamp)
    return opts


def main(argv: list[str]) -> int:
    opts = parse_args(argv)
    binary = Path(opts.metron)
    if not binary.is_file():
        print(f"metron binary not found: {binary} (set METRON or --metron)", file=sys.stderr)
        return 2
    if not (binary.parent / "metron-spawner").is_file() and "METRON_SPAWNER" not in os.environ:
        print(f"metron-spawner not found next to {binary}", file=sys.stderr)
        return 2
    harness = Harness(opts)
    harness.start_text = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"output: {harness.out}; scratch: {harness.tmp}", flush=True)
    try:
        return harness.run()
    finally:
        if not opts.keep:
            shutil.rmtree(harness.tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
