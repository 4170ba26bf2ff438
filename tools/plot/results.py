"""Reading an experiment folder written by `wijksim experiment` (or a run folder of `wijksim
run`, which holds the same store), `compare` and `sensitivity`.

Only the self-describing outputs are read: DIR/results.sqlite (tables manifest, runs,
outcomes), comparison.json, sensitivity.json and report_context.json (written by
`wijksim report`). No matplotlib here, so notebooks and tests can use the numbers alone.

Pairing follows the engine: replicate r of every variant and design point ran with the same
random numbers, so a difference is taken per (design point, replicate) key.
"""

import csv
import json
import math
import os
import sqlite3
import subprocess
from dataclasses import dataclass, field

import numpy as np

import catalogue

STORE_FILE = "results.sqlite"
DIFFERENCES_FILE = "differences.csv"  # written by `wijksim compare`
BANDS_FILE = "bands.csv"              # written by `wijksim compare`
AREA_FILE = "area_outcomes.csv"       # written by `wijksim compare`: the programme area per run
COSTS_FILE = "costs.csv"              # written by `wijksim compare`: cost per extra active resident
RANKINGS_FILE = "rankings.csv"        # written by `wijksim compare`: each variant's chance of being best
AREA_LEVEL, AREA_UNIT = "area", "programme"  # the programme area in compare's outputs
POOLED = -2                           # compare's design_point of a design's points pooled
WEEKS_PER_YEAR = 52

# The three questions strategists ask, each answered by the first outcome the experiment has.
HEADLINE_CHOICES = {
    "active": ["active_share", "active_residents", "initiators"],
    "safety": ["unsafe_share"],
    "trust": ["mean_trust", "trust_share", "mean_social_trust"],
}


# Without a declared smallest effect, a difference in a share counts from half a percentage
# point: a tipping point is not claimed for a difference too small to notice.
DEFAULT_SMALLEST_EFFECT = 0.005


class ResultsError(Exception):
    """Missing or malformed input the user can fix (exit status 2)."""


def direction(metric):
    """'higher', 'lower' or 'none', from the engine's metric catalogue."""
    return catalogue.direction(metric)


def stale(path, store):
    """True when `path` is missing or older than the store it was derived from."""
    return not os.path.isfile(path) or os.path.getmtime(path) < os.path.getmtime(store)


def refresh_compare(directory, needed=BANDS_FILE):
    """Runs `wijksim compare DIR` when `needed`, a file compare writes beside the store, is
    missing or older than the store: the tools draw the engine's numbers, never their own copy
    of them. True when it ran."""
    store = os.path.join(directory, STORE_FILE)
    if not stale(os.path.join(directory, needed), store):
        return False
    engine = catalogue.engine_path()
    done = subprocess.run([engine, "compare", directory, "--quiet"], capture_output=True, text=True)
    if done.returncode != 0:
        raise ResultsError(f"{directory}: `wijksim compare` failed: {done.stderr.strip()}")
    return True


def number(text):
    """A number of the engine's CSV files; an empty cell is NaN."""
    return float(text) if text != "" else math.nan


def engine_rows(directory, name, what, take):
    """[take(row) for each row of `name`, a CSV file `wijksim compare` wrote beside the store]
    (brought up to date first; rows `take` returns None for are left out). A missing file,
    column or bad number is a ResultsError naming the file and `what` it holds."""
    refresh_compare(directory, name)
    path = os.path.join(directory, name)
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return [x for x in map(take, csv.DictReader(f)) if x is not None]
    except (OSError, KeyError, ValueError) as exc:
        raise ResultsError(f"{path}: cannot read the engine's {what}: {exc}") from exc


def engine_bands(directory, outcomes, level, unit=None):
    """Median, 50% and 90% bands per week as the engine computed them (bands.csv, brought up to
    date first): {(variant, design_point, outcome, unit): {"weeks", "n", "median", "p25",
    "p75", "p5", "p95"}} for `outcomes` at `level` (one `unit`, or every unit), plus the set of
    units bands.csv holds at that level. Streamed: only the rows asked for are kept."""
    wanted = set(outcomes)
    cols = ("n", "median", "p25", "p75", "p5", "p95")
    rows, units = {}, set()

    def take(row):
        if row["level"] != level:
            return None
        units.add(row["unit"])
        if row["outcome"] not in wanted or (unit is not None and row["unit"] != unit):
            return None
        key = (row["variant"], int(row["design_point"]), row["outcome"], row["unit"])
        rows.setdefault(key, []).append((int(row["week"]),) + tuple(float(row[c]) for c in cols))
        return None  # kept in rows as it streams by

    engine_rows(directory, BANDS_FILE, "bands", take)
    out = {}
    for key, values in rows.items():
        a = np.array(sorted(values), dtype=float)
        out[key] = {"weeks": a[:, 0].astype(int), **{c: a[:, i + 1] for i, c in enumerate(cols)}}
    return out, units


def read_json(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as exc:
        raise ResultsError(f"{path}: cannot read {what}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path}: not valid JSON ({what}): {exc}") from exc


@dataclass
class Series:
    """One outcome of one variant: values[k, j] for key k = (design point, replicate), week j.
    `source` is (experiment, metric, level, unit) for a series read from the store, so its
    differences can be taken from the engine's differences.csv; None for derived series."""
    weeks: np.ndarray
    keys: list
    values: np.ndarray
    source: tuple = None
    variant: str = None

    def bands(self):
        """Median, 50% and 90% bands per week as the engine computed them (bands.csv): of the one
        design point a store without a design has, or of the pooled design points of a design
        (design_point POOLED)."""
        if self.source is None or self.variant is None:
            raise ResultsError("bands of a series not read from a store: the engine writes them (bands.csv)")
        exp, metric, level, unit = self.source
        points = {k[0] for k in self.keys}
        point = POOLED if exp.has_design() else (min(points) if len(points) == 1 else None)
        engine = exp.engine_bands(metric, level, unit).get((self.variant, point, metric, unit)) \
            if point is not None else None
        if engine is None or not np.array_equal(engine["weeks"], self.weeks):
            raise ResultsError(f"{os.path.join(exp.dir, BANDS_FILE)}: no bands of '{metric}' at "
                               f"{level} {unit} for '{self.variant}' matching the store; run "
                               f"'wijksim compare {exp.dir}' again")
        return {k: engine[k] for k in ("p5", "p25", "median", "p75", "p95")}


@dataclass
class Experiment:
    dir: str
    manifest: dict
    variants: list
    baseline: str
    outcomes: list
    ok_runs: int
    failed_runs: int
    runs_per_variant: dict
    context: dict = field(default_factory=dict)
    comparison: dict = None
    _db: object = None
    _units: dict = field(default_factory=dict)
    _series: dict = field(default_factory=dict)
    _differences: dict = None

    # ---- what the store holds -------------------------------------------------------------

    def levels(self):
        return self.manifest.get("levels") or ["city"]

    def units(self, level):
        # One scan of the outcomes table per level; cached, since every series asks.
        if level not in self._units:
            cur = self._db.execute("SELECT DISTINCT unit FROM outcomes WHERE level = ? ORDER BY unit",
                                   (level,))
            self._units[level] = [r[0] for r in cur]
        return self._units[level]

    def has_design(self):
        design = self.manifest.get("design")
        return isinstance(design, dict) and bool(design.get("method"))

    def description(self):
        return (self.manifest.get("experiment") or {}).get("description", "")

    def variant_info(self):
        """[(name, description, {path: value})] in experiment order."""
        doc = {v.get("name"): v for v in (self.manifest.get("experiment") or {}).get("variants", [])}
        return [(name, doc.get(name, {}).get("description", ""), doc.get(name, {}).get("set", {}))
                for name in self.variants]

    def headline(self):
        """{'active': metric, 'safety': ..., 'trust': ...} for the outcomes this store has."""
        chosen = {}
        for role, candidates in HEADLINE_CHOICES.items():
            for m in candidates:
                if m in self.outcomes:
                    chosen[role] = m
                    break
        return chosen

    # ---- reading outcomes -----------------------------------------------------------------

    def series(self, metric, level="city", unit=None):
        """{variant: Series} of one outcome at one unit (the only unit at `level` if None)."""
        if unit is None:
            units = self.units(level)
            if not units:
                raise ResultsError(f"{self.path()}: no outcomes at level '{level}'")
            unit = units[0]
        # Kept: a report asks for the same outcome from several sections.
        if (metric, level, unit) not in self._series:
            self._series[(metric, level, unit)] = self._read_series(metric, level, unit)
        return self._series[(metric, level, unit)]

    def _read_series(self, metric, level, unit):
        cur = self._db.execute(
            "SELECT r.variant, r.design_point, r.replicate, o.week, o.value "
            "FROM outcomes o JOIN runs r ON r.id = o.run_id "
            "WHERE r.status = 'ok' AND o.metric = ? AND o.level = ? AND o.unit = ?",
            (metric, level, unit))
        rows = cur.fetchall()
        if not rows:
            raise ResultsError(f"{self.path()}: no values of '{metric}' at {level} {unit}; "
                               f"outcomes recorded: {', '.join(self.outcomes)}")
        data = np.array([(r[1], r[2], r[3], r[4]) for r in rows], dtype=float)
        names = np.array([r[0] for r in rows])
        out = {}
        for variant in self.variants:
            sel = data[names == variant]
            if not len(sel):
                continue
            weeks = np.unique(sel[:, 2])
            keys, key_index = np.unique(sel[:, 0:2], axis=0, return_inverse=True)
            values = np.full((len(keys), len(weeks)), np.nan)
            values[key_index.ravel(), np.searchsorted(weeks, sel[:, 2])] = sel[:, 3]
            out[variant] = Series(weeks=weeks.astype(int),
                                  keys=[(int(a), int(b)) for a, b in keys], values=values,
                                  source=(self, metric, level, unit), variant=variant)
        return out

    def engine_differences(self):
        """{(variant, against, outcome, level, unit): {week: (n, mean, low, high)}} from the
        differences.csv `wijksim compare` wrote beside the store (paired differences with their
        95% t-intervals per week; brought up to date first). For a store with a design, the rows
        of its design points pooled (design_point POOLED)."""
        if self._differences is not None:
            return self._differences
        pooled = self.has_design()
        differences = {}

        def take(row):
            if pooled == (int(row["design_point"]) == POOLED):
                key = (row["variant"], row["against"], row["outcome"], row["level"], row["unit"])
                differences.setdefault(key, {})[int(row["week"])] = (
                    int(row["n_pairs"]), float(row["mean_difference"]),
                    number(row["ci_t_low"]), number(row["ci_t_high"]))

        engine_rows(self.dir, DIFFERENCES_FILE, "differences", take)
        self._differences = differences
        return self._differences

    def engine_rankings(self, metric, level, unit):
        """{variant: (week, n_replicates, p_best)} of one outcome at one unit from the rankings.csv
        `wijksim compare` wrote (brought up to date first): the share of replicates in which each
        variant is best in the outcome's better direction, ties shared (NaN for an outcome not
        judged). Of the one design point a store without a design has, or of a design's points
        pooled (design_point POOLED)."""
        key = ("rankings", metric, level, unit)
        if key in self._series:
            return self._series[key]
        rows = {}

        def take(row):
            if (row["outcome"], row["level"], row["unit"]) == (metric, level, unit):
                rows.setdefault(int(row["design_point"]), {})[row["variant"]] = (
                    int(row["week"]), int(row["n_replicates"]), number(row["p_best"]))

        engine_rows(self.dir, RANKINGS_FILE, "rankings", take)
        if self.has_design():
            out = rows.get(POOLED, {})
        else:
            points = [p for p in rows if p != POOLED]
            out = rows[points[0]] if len(points) == 1 else {}
        self._series[key] = out
        return out

    def engine_bands(self, metric, level, unit):
        """{(variant, design_point, metric, unit): bands} of one outcome at one unit from the
        bands.csv `wijksim compare` wrote (brought up to date first; see engine_bands)."""
        key = ("bands", metric, level, unit)
        if key not in self._series:
            self._series[key] = engine_bands(self.dir, [metric], level, unit)[0]
        return self._series[key]

    def programme_area(self):
        """Codes of the wijken the programme covers, in scenario order, as `wijksim compare` found
        them (comparison.json "programme_area", from the store's scenario; brought up to date
        first); [] when it covers the whole city (then the city figures are the programme's) or
        the store has no wijk level."""
        if refresh_compare(self.dir, AREA_FILE) or self.comparison is None:
            self.comparison = read_json(os.path.join(self.dir, "comparison.json"), "comparison")
        return list((self.comparison.get("programme_area") or {}).get("wijken") or [])

    def area_series(self, metric):
        """{variant: Series} of one outcome over the programme area as one unit, as `wijksim
        compare` aggregated it (area_outcomes.csv: counts, hours and euros summed over the wijken,
        shares and means weighted by their adults)."""
        key = (metric, AREA_LEVEL, AREA_UNIT)
        if key in self._series:
            return self._series[key]
        rows = {}

        def take(row):
            if row["outcome"] == metric:
                rows.setdefault(row["variant"], []).append(
                    (int(row["design_point"]), int(row["replicate"]), int(row["week"]), number(row["value"])))

        engine_rows(self.dir, AREA_FILE, "programme-area values", take)
        if not rows:
            path = os.path.join(self.dir, AREA_FILE)
            raise ResultsError(f"{path}: no programme-area values of '{metric}'; run 'wijksim compare {self.dir}' again")
        out = {}
        for variant in self.variants:
            if variant not in rows:
                continue
            sel = np.array(rows[variant], dtype=float)
            weeks = np.unique(sel[:, 2])
            keys, key_index = np.unique(sel[:, 0:2], axis=0, return_inverse=True)
            values = np.full((len(keys), len(weeks)), np.nan)
            values[key_index.ravel(), np.searchsorted(weeks, sel[:, 2])] = sel[:, 3]
            out[variant] = Series(weeks=weeks.astype(int), keys=[(int(a), int(b)) for a, b in keys],
                                  values=values, source=(self, metric, AREA_LEVEL, AREA_UNIT), variant=variant)
        self._series[key] = out
        return out

    def scoped_series(self, metric, scope):
        """City series ('city') or the programme area's ('area')."""
        return self.series(metric) if scope == "city" else self.area_series(metric)

    def contrasts(self):
        """[{'name', 'a', 'b'}] declared in the experiment file (validated by the engine)."""
        return [c for c in (self.manifest.get("experiment") or {}).get("contrasts") or []
                if c.get("a") in self.variants and c.get("b") in self.variants]

    def smallest_effect(self, metric):
        """The smallest difference that matters for an outcome: from the experiment file, else
        DEFAULT_SMALLEST_EFFECT for shares (None for other outcomes)."""
        declared = (self.manifest.get("experiment") or {}).get("smallest_effect") or {}
        if metric in declared:
            return float(declared[metric]), True
        if catalogue.unit(metric) == "share":
            return DEFAULT_SMALLEST_EFFECT, False
        return None, False

    def path(self):
        return os.path.join(self.dir, STORE_FILE)

    def close(self):
        if self._db is not None:
            self._db.close()
            self._db = None


def open_experiment(directory):
    """Opens DIR/results.sqlite read-only with its manifest and the JSON files beside it. A
    `wijksim run` folder holds the same store, of an experiment of one variant."""
    if not os.path.isdir(directory):
        raise ResultsError(f"{directory}: folder not found (expected the --out folder of "
                           f"'wijksim experiment' or 'wijksim run')")
    path = os.path.join(directory, STORE_FILE)
    if not os.path.isfile(path):
        raise ResultsError(f"{directory}: holds no {STORE_FILE} (expected the --out folder of "
                           f"'wijksim experiment' or 'wijksim run')")
    try:
        db = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True)
        manifest = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM manifest")}
        counts = dict(db.execute("SELECT status, COUNT(*) FROM runs GROUP BY status").fetchall())
        per_variant = dict(db.execute(
            "SELECT variant, COUNT(*) FROM runs WHERE status = 'ok' GROUP BY variant").fetchall())
    except (sqlite3.Error, json.JSONDecodeError) as exc:
        raise ResultsError(f"{path}: not a readable wijksim results store: {exc}") from exc
    if "experiment_hash" not in manifest:
        db.close()
        raise ResultsError(f"{path}: not a wijksim results store (no manifest)")
    if not counts.get("ok"):
        db.close()
        raise ResultsError(f"{path}: no finished runs (status 'ok'); run 'wijksim experiment' "
                           f"again to complete it")
    exp = Experiment(dir=directory, manifest=manifest, variants=list(manifest.get("variants", [])),
                     baseline=manifest.get("baseline"), outcomes=list(manifest.get("outcomes", [])),
                     ok_runs=counts.get("ok", 0), failed_runs=counts.get("failed", 0),
                     runs_per_variant=per_variant, _db=db)
    ctx = os.path.join(directory, "report_context.json")
    if os.path.isfile(ctx):
        exp.context = read_json(ctx, "report context")
    comp = os.path.join(directory, "comparison.json")
    if os.path.isfile(comp):
        exp.comparison = read_json(comp, "comparison")
    return exp


# ---- derived numbers ------------------------------------------------------------------------

@dataclass
class Difference:
    """Paired difference variant - baseline per week, with its 95% t-interval."""
    variant: str
    weeks: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: np.ndarray
    final: np.ndarray  # per pair, at the final common week

    def first_week_significant(self, smallest=0.0):
        """First week from which the interval lies beyond +smallest or below -smallest (by
        default: excludes zero) through the final week, on the side of the final difference."""
        if not len(self.weeks):
            return None
        up = self.mean[-1] > 0
        first = None
        for j in range(len(self.weeks) - 1, -1, -1):
            beyond = self.low[j] > smallest if up else self.high[j] < -smallest
            if self.n[j] >= 2 and beyond:
                first = int(self.weeks[j])
            else:
                break
        return first


def paired(series, variant, baseline):
    """(weeks, pair values of variant, of baseline) aligned on common keys and weeks."""
    v, b = series[variant], series[baseline]
    common = sorted(set(v.keys) & set(b.keys))
    weeks = np.intersect1d(v.weeks, b.weeks)
    vi = [v.keys.index(k) for k in common] if len(common) < 50 else _index(v.keys, common)
    bi = [b.keys.index(k) for k in common] if len(common) < 50 else _index(b.keys, common)
    vv = v.values[np.ix_(vi, np.searchsorted(v.weeks, weeks))]
    bb = b.values[np.ix_(bi, np.searchsorted(b.weeks, weeks))]
    return weeks, vv, bb


def _index(keys, wanted):
    pos = {k: i for i, k in enumerate(keys)}
    return [pos[k] for k in wanted]


def engine_interval(series, variant, baseline, weeks, d):
    """(mean, low, high, n) per week of the paired difference as the engine computed it
    (differences.csv), or None when its rows are not of these pairs (or there are none of pairs the
    store has)."""
    source = series[variant].source
    if source is None:
        return None
    exp, metric, level, unit = source
    # No rows at all is right only for weeks without pairs (e.g. one shard of a store).
    rows = exp.engine_differences().get((variant, baseline, metric, level, unit), {})
    n = np.sum(~np.isnan(d), axis=0)
    picked = [rows.get(int(w)) for w in weeks]
    # The same pairs or nothing: a count that differs means the rows are of another store state.
    if any((r is None) != (k == 0) or (r is not None and r[0] != k) for r, k in zip(picked, n)):
        return None
    cols = np.array([r[1:] if r else (math.nan,) * 3 for r in picked], dtype=float).reshape(len(weeks), 3)
    return cols[:, 0], cols[:, 1], cols[:, 2], n


def difference(series, variant, baseline):
    """Paired difference per week with its 95% t-interval, as the engine computed it
    (differences.csv, brought up to date first; for a store with a design, of its points pooled)."""
    weeks, vv, bb = paired(series, variant, baseline)
    d = vv - bb
    engine = engine_interval(series, variant, baseline, weeks, d)
    if engine is None:
        raise ResultsError(_not_the_engines(series[variant], DIFFERENCES_FILE, f"'{variant}' against '{baseline}'"))
    mean, low, high, n = engine
    final = d[:, -1] if d.shape[1] else np.array([])
    return Difference(variant, weeks, mean, low, high, n, final[~np.isnan(final)])


def _not_the_engines(series, name, what):
    if series.source is None:
        return f"no engine numbers of {what} for a series not read from a store"
    exp, metric, level, unit = series.source
    return (f"{os.path.join(exp.dir, name)}: no rows of '{metric}' at {level} {unit} for {what} matching "
            f"the store; run 'wijksim compare {exp.dir}' again")


def ranking(series, baseline, metric):
    """Variants by their final-week paired difference with the baseline (the engine's interval,
    differences.csv, over the pairs each has with the baseline), best first, with the share of
    replicates in which each is the best of all, ties shared (the engine's, rankings.csv)."""
    variants = list(series)
    keys = set.intersection(*(set(series[v].keys) for v in variants))
    common = sorted(keys)
    final = {}
    for v in variants:
        s = series[v]
        idx = _index(s.keys, common)
        final[v] = s.values[idx, -1]
    source = series[baseline].source
    best = source[0].engine_rankings(*source[1:]) if source is not None and common else {}
    week = series[baseline].weeks[-1] if len(series[baseline].weeks) else None
    if common and any(best.get(v, (None, None))[:2] != (week, len(common)) for v in variants):
        raise ResultsError(_not_the_engines(series[baseline], RANKINGS_FILE, "the variants' chance of being best"))
    sign = -1.0 if direction(metric) == "lower" else 1.0
    rows = []
    for v in variants:
        d = final[v] - final[baseline]
        if v == baseline:  # against itself: zero, its interval zero wide once there are two pairs
            n = int(np.sum(~np.isnan(d)))
            mean = 0.0 if n else math.nan
            low = high = 0.0 if n >= 2 else math.nan
        else:  # the engine's interval at the final week, over the pairs of v and the baseline
            weeks, vv, bb = paired(series, v, baseline)
            engine = engine_interval(series, v, baseline, weeks[-1:], (vv - bb)[:, -1:]) if len(weeks) else None
            if engine is None:
                raise ResultsError(_not_the_engines(series[v], DIFFERENCES_FILE, f"'{v}' against '{baseline}'"))
            mean, low, high = (float(x[0]) for x in engine[:3])
            n = int(engine[3][0])
        rows.append({"variant": v, "mean": float(mean), "low": float(low), "high": float(high), "n": int(n),
                     "p_best": float(best[v][2]) if common else math.nan,
                     "level": float(np.nanmean(final[v])) if np.isfinite(final[v]).any() else math.nan})
    rows.sort(key=lambda r: -sign * r["mean"] if not math.isnan(r["mean"]) else math.inf)
    return rows


def cost_per_active(exp, variant, against=None, scope="city"):
    """Extra euros per additional active resident, `variant` against `against` (the baseline),
    as `wijksim compare` computed it (costs.csv, brought up to date first).

    Euros: the cumulative euros_spent plus staff_euros (when recorded), city level; active
    residents: the final-week count in `scope` ('city' or the programme 'area'), paired by
    replicate; the cost's 95% interval is a percentile bootstrap. Returns a dict with 'status':
    'ok', 'no_gain', 'uncertain_gain' or 'not_recorded', and 'included': the euro metrics counted.
    """
    against = against or exp.baseline
    path = os.path.join(exp.dir, COSTS_FILE)
    found = engine_rows(exp.dir, COSTS_FILE, "costs",
                        lambda r: r if (r["variant"], r["against"], r["scope"]) == (variant, against, scope) else None)
    row = found[0] if found else None
    if row is None:
        raise ResultsError(f"{path}: no cost of '{variant}' against '{against}' in the {scope}; "
                           f"run 'wijksim compare {exp.dir}' again")
    split = lambda text: [m for m in text.split(";") if m]  # noqa: E731
    out = {"status": row["status"], "included": split(row["included"])}
    if row["status"] == "not_recorded":
        out["missing"] = split(row["missing"])
        return out
    try:
        out.update({"extra_euros": number(row["extra_euros"]),
                    "extra_euros_ci": (number(row["extra_euros_ci_low"]), number(row["extra_euros_ci_high"])),
                    "extra_active": number(row["extra_active"]),
                    "extra_active_ci": (number(row["extra_active_ci_low"]), number(row["extra_active_ci_high"])),
                    "n": int(row["n_pairs"])})
        if row["status"] in ("ok", "uncertain_gain"):
            out["cost"] = number(row["cost"])
            out["cost_ci"] = (number(row["cost_ci_low"]), number(row["cost_ci_high"]))
        elif row["reverse_cost"] != "":
            out["reverse_cost"] = number(row["reverse_cost"])
            out["reverse_cost_ci"] = (number(row["reverse_cost_ci_low"]), number(row["reverse_cost_ci_high"]))
            out["reverse_certain"] = row["reverse_certain"] == "true"
    except (KeyError, ValueError) as exc:
        raise ResultsError(f"{path}: malformed cost row of '{variant}' against '{against}': {exc}") from exc
    return out


def contrast_verdict(low, high, smallest, better):
    """How a difference a - b reads against the smallest effect that matters:
    'better_large' / 'worse_large' (the whole interval beyond it), 'better' / 'worse' (interval
    excludes zero but reaches below it), 'negligible' (interval inside +-smallest) or 'unclear'.
    `better` is the outcome's direction ('higher', 'lower' or 'none')."""
    if any(map(lambda v: v is None or math.isnan(v), (low, high))):
        return "unclear"
    s = smallest or 0.0
    sign = -1.0 if better == "lower" else 1.0
    lo, hi = sorted((sign * low, sign * high))
    if s > 0 and -s < lo and hi < s:
        return "negligible"
    if lo > 0:
        return "better_large" if s > 0 and lo > s else "better"
    if hi < 0:
        return "worse_large" if s > 0 and hi < -s else "worse"
    return "unclear"


def load_sensitivity(directory):
    """sensitivity.json of DIR, or None if there is none."""
    path = os.path.join(directory, "sensitivity.json")
    if not os.path.isfile(path):
        return None
    doc = read_json(path, "sensitivity")
    if doc.get("method") not in ("sobol", "morris") or not isinstance(doc.get("results"), list):
        raise ResultsError(f"{path}: expected 'method' sobol or morris and a 'results' list")
    return doc


def load_comparison_rows(exp, level="city"):
    """comparison.json rows at `level` keyed by (variant, outcome): for a store with a design,
    the engine's rows of its design points pooled (design_point POOLED)."""
    pooled = exp.has_design()
    rows = {}
    for r in (exp.comparison or {}).get("comparisons", []):
        if r.get("level") == level and pooled == (r.get("design_point", -1) == POOLED):
            rows[(r.get("variant"), r.get("outcome"))] = r
    return rows


def unit_year_means(exp, metric, level="buurt", variant=None, minus=None):
    """{unit: {year: mean}} of one outcome per unit and year (week 0 is year 0; weeks 1..52
    year 1), over the ok runs of `variant`; with `minus`, that variant's means subtracted
    (with complete pairs this equals the mean paired difference)."""
    def means(v):
        cur = exp._db.execute(
            "SELECT o.unit, o.week, AVG(o.value) FROM outcomes o JOIN runs r ON r.id = o.run_id "
            "WHERE r.status = 'ok' AND r.variant = ? AND o.metric = ? AND o.level = ? "
            "GROUP BY o.unit, o.week", (v, metric, level))
        sums = {}
        for unit, week, value in cur:
            year = (int(week) + WEEKS_PER_YEAR - 1) // WEEKS_PER_YEAR
            s = sums.setdefault(unit, {}).setdefault(year, [0.0, 0])
            s[0] += value
            s[1] += 1
        return {u: {y: s / c for y, (s, c) in ys.items()} for u, ys in sums.items()}
    grid = means(variant or exp.baseline)
    if minus:
        base = means(minus)
        grid = {u: {y: v - base[u][y] for y, v in ys.items() if y in base.get(u, {})}
                for u, ys in grid.items() if u in base}
    return grid
