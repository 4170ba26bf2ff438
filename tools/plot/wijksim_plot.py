#!/usr/bin/python3
"""Plots for wijksim run folders and benchmark results.

Usage (always with Debian's /usr/bin/python3, which has matplotlib):

    wijksim_plot.py fan RUN_DIR --out FILE [--metrics M ...] [--level L]
                    [--unit CODE] [--lang nl|en]
    wijksim_plot.py heatgrid RUN_DIR --metric M --out FILE [--level buurt]
                    [--lang nl|en]
    wijksim_plot.py bench BENCHMARK.json --out FILE [--lang nl|en]
    wijksim_plot.py variants EXPERIMENT_DIR --metric M --out FILE [--lang nl|en]
    wijksim_plot.py diff EXPERIMENT_DIR --metric M --out FILE [--lang nl|en]
    wijksim_plot.py ranking EXPERIMENT_DIR [--metrics M ...] --out FILE [--lang nl|en]
    wijksim_plot.py sensitivity EXPERIMENT_DIR [--variant V] --out FILE [--lang nl|en]
    wijksim_plot.py heatgrid EXPERIMENT_DIR --metric M [--variant V] [--minus BASE] --out FILE

The output format follows the extension of --out (.png or .svg).
Exit status: 0 on success, 2 on a usage error or missing/invalid input.
"""

import argparse
import csv
import json
import math
import os
import re
import statistics
import sys
import textwrap
from dataclasses import dataclass, field

try:
    import matplotlib
except ImportError:  # e.g. a pyenv python3 first on PATH instead of Debian's
    print("wijksim_plot: error: matplotlib is missing; run with Debian's /usr/bin/python3 "
          "and apt-get install python3-matplotlib", file=sys.stderr)
    sys.exit(3)

matplotlib.use("Agg")  # headless: never try to open a display

import matplotlib.pyplot as plt  # noqa: E402  (must follow matplotlib.use)
import numpy as np  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import Formatter, MaxNLocator  # noqa: E402

import catalogue  # noqa: E402
import labels  # noqa: E402
import results  # noqa: E402
from results import direction  # noqa: E402
from labels import metric_label, text  # noqa: E402

CSV_HEADER = ["replicate", "week", "level", "unit", "metric", "value"]
LEVELS = ("city", "wijk", "buurt")
WEEKS_PER_YEAR = 52
DEFAULT_FAN_METRICS = ["active_share", "unsafe_share", "mean_trust"]
OUTPUT_FORMATS = (".png", ".svg")

# Greyscale-safe styling: every series differs in line style, marker or
# hatch as well as in colour, so a black-and-white print stays readable.
LINE_STYLES = ["-", "--", "-.", ":"]
MARKERS = ["o", "s", "^", "D", "v", "x", "P", "*"]
# Okabe-Ito colour-blind-safe palette, darkest first.
LINE_COLOURS = ["#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7",
                "#E69F00", "#56B4E9"]
PHASE_HATCHES = ["//", "\\\\", "..", "xx", "++", "oo", "--", "||"]
PHASE_COLOURS = ["#f4d7a8", "#c9e3c1", "#c7d6ee", "#efc6d3",
                 "#e0d4ee", "#d9e8e6", "#f0e6b4", "#dddddd"]
BAND_COLOUR = "#1f4e79"

# Deterministic SVG ids, so re-plotting the same run gives identical files.
matplotlib.rcParams["svg.hashsalt"] = "wijksim"


class PlotError(Exception):
    """Bad input the user can fix: reported on stderr, exit status 2."""


# --------------------------------------------------------------------------
# Reading run folders
# --------------------------------------------------------------------------

def require_run_dir(run_dir):
    if not os.path.isdir(run_dir):
        raise PlotError(f"run folder not found: {run_dir} (expected the "
                        f"--out folder of 'wijksim run')")


def is_run_folder(directory):
    """Whether DIR is the --out folder of `wijksim run` (its manifest says so)."""
    try:
        with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as f:
            return "wijksim_run" in json.load(f)
    except (OSError, ValueError, TypeError):
        return False


def load_manifest(run_dir):
    """The run's manifest.json as a dict."""
    require_run_dir(run_dir)
    path = os.path.join(run_dir, "manifest.json")
    if not os.path.isfile(path):
        raise PlotError(f"{path}: file not found (every run folder should "
                        f"contain manifest.json)")
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, json.JSONDecodeError) as exc:
        raise PlotError(f"{path}: cannot read JSON: {exc}") from exc
    if not isinstance(manifest, dict):
        raise PlotError(f"{path}: expected a JSON object at top level")
    return manifest


def timeseries_rows(run_dir):
    """Yield (line_number, row) for each data row of timeseries.csv.

    Streams the file: run folders with many replicates and buurten can be
    far larger than memory would comfortably hold.
    """
    require_run_dir(run_dir)
    path = os.path.join(run_dir, "timeseries.csv")
    if not os.path.isfile(path):
        raise PlotError(f"{path}: file not found (expected the run's tidy "
                        f"time series with header {','.join(CSV_HEADER)})")
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader, [])]
        if header != CSV_HEADER:
            raise PlotError(f"{path}: header is {','.join(header) or '(empty)'}"
                            f"; expected {','.join(CSV_HEADER)}")
        for row in reader:
            if len(row) == len(CSV_HEADER):
                yield reader.line_num, row
            elif row:  # blank lines are harmless; short rows are not
                raise PlotError(f"{path}:{reader.line_num}: expected "
                                f"{len(CSV_HEADER)} fields, got {len(row)}")


def parse_numbers(run_dir, line, row):
    """(replicate, week, value) of a CSV row, with a located error."""
    try:
        return int(row[0]), int(row[1]), float(row[5])
    except ValueError as exc:
        path = os.path.join(run_dir, "timeseries.csv")
        raise PlotError(f"{path}:{line}: bad number: {exc}") from exc


def infer_level(unit):
    """Level of a CBS code (BU.. buurt, WK.. wijk); city otherwise."""
    if unit and unit.upper().startswith("BU"):
        return "buurt"
    if unit and unit.upper().startswith("WK"):
        return "wijk"
    return "city"


def missing_metric_error(run_dir, metric, where, available):
    path = os.path.join(run_dir, "timeseries.csv")
    listed = ", ".join(sorted(available)) or "(none)"
    return PlotError(f"{path}: metric '{metric}' not found for {where}; "
                     f"metrics present there: {listed}")


# --------------------------------------------------------------------------
# Fan chart
# --------------------------------------------------------------------------

@dataclass
class Bands:
    """Per-week quantiles over replicates of one metric."""
    weeks: np.ndarray
    median: np.ndarray
    p05: np.ndarray
    p25: np.ndarray
    p75: np.ndarray
    p95: np.ndarray
    replicates: int  # most replicates seen in any week


@dataclass
class FanData:
    level: str
    unit: str
    bands: dict                                  # metric -> Bands
    phases: dict = field(default_factory=dict)   # week -> phase index (rep 0)


def fan_data(run_dir, metrics, level="city", unit=None):
    """Bands for each metric of one level/unit, plus the programme phases.

    The quantiles are the engine's: bands.csv, which `wijksim compare` writes from the run's
    store (run first when bands.csv is missing or older than the store); the phases are those
    of replicate 0 in the store. This is what `fan` draws; exposed so tests (and notebooks) can
    check the numbers behind the picture.
    """
    require_run_dir(run_dir)
    store = os.path.join(run_dir, results.STORE_FILE)
    if not os.path.isfile(store):
        raise PlotError(f"{run_dir}: holds no {results.STORE_FILE} (a run folder written by "
                        f"'wijksim run' holds one; run the scenario again with this build)")
    bands, units = results.engine_bands(run_dir, metrics, level, unit)
    path = os.path.join(run_dir, results.BANDS_FILE)
    if unit is None and len(units) > 1:
        raise PlotError(f"{path}: level '{level}' holds several units "
                        f"({', '.join(sorted(units)[:10])}{', ...' if len(units) > 10 else ''}); "
                        f"choose one with --unit")
    if unit is None and units:
        unit = next(iter(units))
    if unit not in units:
        found = ", ".join(sorted(units)[:20]) or "(none)"
        raise PlotError(f"{path}: no rows for level '{level}'"
                        + (f" unit '{unit}'" if unit else "")
                        + f"; units at that level: {found}")
    # A run is an experiment of one variant: its rows are that variant's, without design points.
    by_metric = {key[2]: b for key, b in bands.items() if key[3] == unit}
    exp = results.open_experiment(run_dir)
    try:
        for metric in metrics:
            if metric not in by_metric:
                raise PlotError(f"{path}: metric '{metric}' not found for level '{level}' unit "
                                f"'{unit}'; metrics present there: {', '.join(sorted(exp.outcomes)) or '(none)'}")
        phases = run_phases(exp, level, unit)
    finally:
        exp.close()
    out = {m: Bands(weeks=by_metric[m]["weeks"].astype(float), median=by_metric[m]["median"],
                    p05=by_metric[m]["p5"], p25=by_metric[m]["p25"], p75=by_metric[m]["p75"],
                    p95=by_metric[m]["p95"], replicates=int(by_metric[m]["n"].max()))
           for m in metrics}
    return FanData(level=level, unit=unit, bands=out, phases=phases)


def run_phases(exp, level, unit):
    """{week: phase index} of replicate 0 at one unit ({} when the store has no 'phase' there)."""
    if "phase" not in exp.outcomes:
        return {}
    try:
        series = next(iter(exp.series("phase", level, unit).values()))
    except results.ResultsError:  # recorded, but not at this unit
        return {}
    row = next(i for i, (_, replicate) in enumerate(series.keys) if replicate == 0)
    return {int(w): int(round(v)) for w, v in zip(series.weeks, series.values[row]) if not np.isnan(v)}


def phase_runs(phases):
    """Contiguous (first_week, last_week, phase) runs of non-zero phases."""
    runs = []
    for week in sorted(phases):
        phase = phases[week]
        if phase == 0:
            continue
        if runs and runs[-1][2] == phase and runs[-1][1] == week - 1:
            runs[-1][1] = week
        else:
            runs.append([week, week, phase])
    return [tuple(r) for r in runs]


def phase_name(manifest, index, lang):
    names = manifest.get("phase_names") or []
    if 0 <= index < len(names) and names[index]:
        return str(names[index]).replace("_", " ")
    return text("phase_n", lang, n=index)


def phase_style(index):
    """Fill colour and hatch of a phase; hatch keeps phases apart in grey."""
    return (PHASE_COLOURS[(index - 1) % len(PHASE_COLOURS)],
            PHASE_HATCHES[(index - 1) % len(PHASE_HATCHES)])


def draw_phases(ax, runs, last_week):
    for first, last, phase in runs:
        colour, hatch = phase_style(phase)
        # A phase value describes week w up to the next week, hence last+1.
        end = min(last + 1, last_week)
        ax.axvspan(first / WEEKS_PER_YEAR, max(end, first) / WEEKS_PER_YEAR,
                   facecolor=colour, hatch=hatch, edgecolor="0.6",
                   linewidth=0, zorder=0)


def election_weeks(manifest, last_week):
    weeks = manifest.get("elections_weeks") or []
    return [w for w in weeks if isinstance(w, (int, float)) and 0 <= w <= last_week]


def draw_elections(ax, weeks):
    for week in weeks:
        ax.axvline(week / WEEKS_PER_YEAR, color="black", linestyle="--",
                   linewidth=1.0, zorder=3)


def draw_bands(ax, bands):
    years = bands.weeks / WEEKS_PER_YEAR
    if bands.replicates > 1:
        ax.fill_between(years, bands.p05, bands.p95, color=BAND_COLOUR,
                        alpha=0.18, linewidth=0, zorder=1)
        ax.fill_between(years, bands.p25, bands.p75, color=BAND_COLOUR,
                        alpha=0.38, linewidth=0, zorder=2)
    ax.plot(years, bands.median, color="black", linewidth=1.8, zorder=4)


def is_share(metric):
    return catalogue.is_share(metric)


class NumberFormatter(Formatter):
    """Tick labels in the reader's language (decimal comma in Dutch) with just enough decimals
    that no two visible ticks read the same; shares as percentages ("6,2%") or, for
    differences, signed percentage points ("+0,5")."""

    def __init__(self, lang="nl", scale=1.0, suffix="", sign=False):
        self.lang, self.scale, self.suffix, self.sign = lang, scale, suffix, sign
        self.decimals = 0

    def set_locs(self, locs):
        super().set_locs(locs)
        lo, hi = sorted(self.axis.get_view_interval()) if self.axis is not None else (-math.inf, math.inf)
        span = (hi - lo) * 1e-9
        shown = [v for v in locs if lo - span <= v <= hi + span] or list(locs)
        self.decimals = labels.unique_decimals(shown, self.lang, self.scale)

    def __call__(self, x, pos=None):
        if abs(x * self.scale) < 1e-12:
            return "0" + self.suffix
        return labels.format_number(x * self.scale, self.decimals, self.lang,
                                    sign=self.sign and x != 0) + self.suffix


def level_formatter(metric, lang):
    # Shares are fractions; people read percentages.
    return NumberFormatter(lang, 100.0, "%") if is_share(metric) else NumberFormatter(lang)


def difference_formatter(metric, lang):
    # A difference of shares is read in percentage points: the unit goes in the axis label.
    return NumberFormatter(lang, 100.0 if is_share(metric) else 1.0, sign=True)


def difference_unit(metric, lang):
    """'procentpunt' for a difference of shares; '' otherwise."""
    return text("pp_unit", lang) if is_share(metric) else ""


def format_y_for(ax, metric, lang="nl"):
    ax.yaxis.set_major_formatter(level_formatter(metric, lang))


def fan_legend_handles(data, manifest, runs, elections, lang):
    handles = [Line2D([], [], color="black", linewidth=1.8,
                      label=text("median", lang))]
    if max(b.replicates for b in data.bands.values()) > 1:
        handles += [Patch(facecolor=BAND_COLOUR, alpha=0.38,
                          label=text("band50", lang)),
                    Patch(facecolor=BAND_COLOUR, alpha=0.18,
                          label=text("band90", lang))]
    for phase in sorted({r[2] for r in runs}):
        colour, hatch = phase_style(phase)
        handles.append(Patch(facecolor=colour, hatch=hatch, edgecolor="0.6",
                             label=phase_name(manifest, phase, lang)))
    if elections:
        handles.append(Line2D([], [], color="black", linestyle="--",
                              linewidth=1.0, label=text("election", lang)))
    return handles


def unit_title(manifest, level, unit, lang):
    name = (manifest.get("units") or {}).get(unit, unit)
    label = f"{name} ({unit})" if name != unit else unit
    return f"{text('level_' + level, lang)} {label}"


def plot_fan(run_dir, out, metrics, level, unit, lang):
    manifest = load_manifest(run_dir)
    data = fan_data(run_dir, metrics, level, unit)
    last_week = int(max(b.weeks[-1] for b in data.bands.values()))
    runs = phase_runs(data.phases)
    if not data.phases:
        print(f"wijksim_plot: note: no 'phase' metric for {level} "
              f"{data.unit}; phases not shaded", file=sys.stderr)
    elections = election_weeks(manifest, last_week)

    fig, axes = plt.subplots(len(metrics), 1, sharex=True, squeeze=False,
                             figsize=(8.0, 1.0 + 2.4 * len(metrics)))
    for ax, metric in zip(axes[:, 0], metrics):
        draw_phases(ax, runs, last_week)
        draw_elections(ax, elections)
        draw_bands(ax, data.bands[metric])
        ax.set_title(metric_label(metric, lang), loc="left", fontsize=10)
        format_y_for(ax, metric, lang)
        ax.grid(axis="y", color="0.85", linewidth=0.6)
        ax.set_xlim(0, last_week / WEEKS_PER_YEAR)
    start = manifest.get("start_date")
    axes[-1, 0].set_xlabel(text("years_since_start", lang, start=start)
                           if start else text("years", lang))
    # Outside the panels, on the right: it never hides data, and
    # bbox_inches="tight" at save time makes room for it.
    axes[0, 0].legend(handles=fan_legend_handles(data, manifest, runs,
                                                 elections, lang),
                      loc="upper left", bbox_to_anchor=(1.01, 1.0),
                      fontsize=8, frameon=False)
    replicates = max(b.replicates for b in data.bands.values())
    add_credit(fig, ((manifest.get("scenario") or {}).get("city") or {}).get("credit", ""))
    fig.suptitle(f"{manifest.get('scenario_name', os.path.basename(run_dir))}"
                 f" — {unit_title(manifest, level, data.unit, lang)}"
                 f" — {text('replicates', lang, n=replicates)}", fontsize=11)
    save_figure(fig, out)


# --------------------------------------------------------------------------
# Heat grid
# --------------------------------------------------------------------------

@dataclass
class HeatGrid:
    units: list          # unit codes, row order
    years: list          # column year indices; 0 is week 0 (initial state)
    values: np.ndarray   # len(units) x len(years), NaN where no data
    replicates: int


def year_of_week(week):
    """Week 0 is the initial state (column 0); weeks 1..52 are year 1."""
    return (week + WEEKS_PER_YEAR - 1) // WEEKS_PER_YEAR


def heatgrid_data(run_dir, metric, level="buurt"):
    """Mean of `metric` per unit and year, over weeks and replicates.

    Sums and counts are accumulated while streaming, so memory does not
    grow with the number of replicates or weeks.
    """
    sums, counts = {}, {}
    replicates = set()
    available = set()
    for line, row in timeseries_rows(run_dir):
        if row[2] != level:
            continue
        available.add(row[4])
        if row[4] != metric:
            continue
        rep, week, value = parse_numbers(run_dir, line, row)
        key = (row[3], year_of_week(week))
        sums[key] = sums.get(key, 0.0) + value
        counts[key] = counts.get(key, 0) + 1
        replicates.add(rep)
    if not sums:
        raise missing_metric_error(run_dir, metric, f"level '{level}'",
                                   available)
    units = sorted({u for u, _ in sums})
    years = list(range(max(y for _, y in sums) + 1))
    row_of = {unit: i for i, unit in enumerate(units)}
    grid = np.full((len(units), len(years)), np.nan)
    for (unit, year), total in sums.items():
        grid[row_of[unit], year] = total / counts[(unit, year)]
    return HeatGrid(units=units, years=years, values=grid,
                    replicates=len(replicates))


def cell_text(metric, value, signed=False, lang="nl"):
    if math.isnan(value):
        return ""
    if signed:  # a difference: shares in percentage points
        if is_share(metric):
            return labels.format_number(value * 100, 1, lang, sign=True)
        return labels.format_number(value, 0 if abs(value) >= 100 else 2, lang, sign=True)
    if is_share(metric):
        return labels.format_number(value * 100, 0, lang) + "%"
    return labels.format_number(value, 0 if abs(value) >= 100 else 2, lang)


def annotate_cells(ax, grid, metric, cmap, norm, signed=False, lang="nl"):
    """Write values in the cells: the grid then reads without colour."""
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            value = grid[i, j]
            if math.isnan(value):
                continue
            r, g, b, _ = cmap(norm(value))
            luminance = 0.299 * r + 0.587 * g + 0.114 * b
            ax.text(j, i, cell_text(metric, value, signed, lang), ha="center", va="center",
                    fontsize=7, color="black" if luminance > 0.5 else "white")


def plot_heatgrid(run_dir, out, metric, level, lang):
    manifest = load_manifest(run_dir)
    data = heatgrid_data(run_dir, metric, level)
    save_figure(heatgrid_figure(data, manifest.get("units") or {}, metric, level, lang), out)


def heatgrid_figure(data, names, metric, level, lang, title=None, diverging=False):
    """The unit x year grid; `diverging` for differences (centred on zero)."""
    n_rows, n_cols = data.values.shape
    fig, ax = plt.subplots(figsize=(2.5 + 0.9 * n_cols, 1.6 + 0.32 * n_rows))
    # viridis: lightness rises monotonically, so it stays readable in grey; for differences a
    # diverging map whose two ends differ in lightness too (PuOr), centred on zero.
    cmap = plt.get_cmap("PuOr_r" if diverging else "viridis")
    extra = {}
    if diverging:
        bound = float(np.nanmax(np.abs(data.values))) or 1.0
        extra = {"vmin": -bound, "vmax": bound}
    image = ax.imshow(data.values, cmap=cmap, aspect="auto",
                      interpolation="nearest", **extra)
    if n_rows * n_cols <= 600:  # beyond that the numbers become unreadable
        annotate_cells(ax, data.values, metric, cmap, image.norm, signed=diverging, lang=lang)
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels([text("start_col", lang) if y == 0
                        else text("year_col", lang, n=y) for y in data.years])
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([names.get(u, u) for u in data.units], fontsize=8)
    # Keep the colour bar a readable size next to very tall grids.
    colourbar = fig.colorbar(image, ax=ax, shrink=min(1.0, 12.0 / max(n_rows, 1)))
    unit = difference_unit(metric, lang) if diverging else ""
    colourbar.set_label((text("difference_of", lang, metric=metric_label(metric, lang))
                         if diverging else metric_label(metric, lang)) + (f" ({unit})" if unit else ""))
    colourbar.ax.yaxis.set_major_formatter(
        difference_formatter(metric, lang) if diverging else level_formatter(metric, lang))
    ax.set_title(title or text("heatgrid_title", lang, metric=metric_label(metric, lang),
                               level=text("level_" + level, lang)), fontsize=11)
    ax.set_xlabel(text("heatgrid_note", lang, n=data.replicates), fontsize=8)
    return fig


# --------------------------------------------------------------------------
# Benchmark plot
# --------------------------------------------------------------------------

# Google Benchmark name parts that configure the run rather than name an
# argument, e.g. BM_X/100/min_time:0.5/real_time.
BENCH_MODIFIERS = {"threads", "min_time", "min_warmup_time", "iterations",
                   "repeats", "real_time", "manual_time", "process_time"}
NUMBER = re.compile(r"-?\d+(\.\d+)?")


@dataclass
class BenchPoint:
    family: str
    size: float
    threads: int
    items_per_second: float


def parse_benchmark_name(name):
    """(family, numeric arguments, threads or None) of a benchmark name.

    Handles 'BM_WeeklyStep/100000/threads:2', 'BM_WeeklyStep/100000/2'
    (thread count passed as a plain argument) and named arguments 'n:100'.
    """
    family, *parts = name.split("/")
    numbers, threads = [], None
    for part in parts:
        key, _, val = part.rpartition(":")
        if key == "threads" and val.isdigit():
            threads = int(val)
        elif key in BENCH_MODIFIERS or part in BENCH_MODIFIERS:
            continue
        elif NUMBER.fullmatch(val):
            numbers.append(float(val))
    return family, numbers, threads


def select_bench_entries(entries):
    """Per-iteration entries; if only aggregates were written, the medians
    (or means), so repeated runs are not counted as separate points."""
    runs = [e for e in entries if e.get("run_type", "iteration") == "iteration"]
    if runs:
        return runs
    for aggregate in ("median", "mean"):
        chosen = [e for e in entries if e.get("aggregate_name") == aggregate]
        if chosen:
            return chosen
    return []


def bench_points(path):
    """BenchPoints of a Google Benchmark JSON file; repeats -> median."""
    if not os.path.isfile(path):
        raise PlotError(f"{path}: file not found (expected Google Benchmark "
                        f"JSON from --benchmark_out=FILE)")
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, json.JSONDecodeError) as exc:
        raise PlotError(f"{path}: cannot read JSON: {exc}") from exc
    entries = doc.get("benchmarks") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise PlotError(f"{path}: expected a top-level 'benchmarks' list")

    grouped = {}
    for entry in select_bench_entries(entries):
        name = entry.get("run_name") or entry.get("name", "")
        suffix = "_" + str(entry.get("aggregate_name", ""))
        if not entry.get("run_name") and name.endswith(suffix) and suffix != "_":
            name = name[:-len(suffix)]  # 'BM_X/10/threads:2_median'
        family, numbers, threads = parse_benchmark_name(name)
        ips = entry.get("items_per_second")
        if not numbers or not isinstance(ips, (int, float)) or ips <= 0:
            continue
        if threads is None:
            threads = int(numbers[1]) if len(numbers) > 1 else int(entry.get("threads", 1))
        grouped.setdefault((family, numbers[0], threads), []).append(ips)
    if not grouped:
        raise PlotError(f"{path}: no benchmark has both a numeric argument "
                        f"and 'items_per_second' (call "
                        f"state.SetItemsProcessed in the benchmark)")
    return [BenchPoint(family, size, threads, statistics.median(v))
            for (family, size, threads), v in sorted(grouped.items())]


def thread_label(threads, lang):
    return text("thread_one", lang) if threads == 1 else text("threads", lang, n=threads)


def plot_bench(path, out, lang):
    save_figure(bench_figure(path, lang), out)


def bench_figure(path, lang):
    points = bench_points(path)
    families = sorted({p.family for p in points})
    series = sorted({(p.family, p.threads) for p in points})

    fig, ax = plt.subplots(figsize=(7.0, 4.5))
    for i, (family, threads) in enumerate(series):
        line = [p for p in points if (p.family, p.threads) == (family, threads)]
        label = thread_label(threads, lang)
        if len(families) > 1:
            label = f"{family}, {label}"
        ax.plot([p.size for p in line], [p.items_per_second for p in line],
                linestyle=LINE_STYLES[i % len(LINE_STYLES)],
                marker=MARKERS[i % len(MARKERS)],
                color=LINE_COLOURS[i % len(LINE_COLOURS)], label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(text("bench_x", lang))
    ax.set_ylabel(text("bench_y", lang))
    ax.grid(which="both", color="0.88", linewidth=0.5)
    ax.legend(fontsize=8)
    ax.set_title(text("bench_title", lang, name=", ".join(families)), fontsize=11)
    return fig


# --------------------------------------------------------------------------
# Experiment charts (an experiment folder: results.sqlite and the JSON beside it)
# --------------------------------------------------------------------------

def panel_grid(n, ncols=3, width=3.6, height=2.6, sharey=True, sharex=True):
    ncols = max(1, min(ncols, n))
    nrows = (n + ncols - 1) // ncols
    # Constrained layout with the legend "outside": the legend never covers axis labels.
    fig, axes = plt.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=False,
                             figsize=(0.6 + width * ncols, 1.2 + height * nrows),
                             layout="constrained")
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def stored_phase_runs(weeks, phases):
    """(first_week, end_week, phase) spans of stored weeks with the same non-zero phase; a
    stored value holds until the next stored week (outcomes are kept every few weeks)."""
    runs = []
    for i, (week, phase) in enumerate(zip(weeks, phases)):
        end = weeks[i + 1] if i + 1 < len(weeks) else week
        if phase == 0:
            continue
        if runs and runs[-1][2] == phase and runs[-1][1] == week:
            runs[-1][1] = end
        else:
            runs.append([week, end, phase])
    return [tuple(r) for r in runs]


def experiment_phases(exp, variant, phase_series=None):
    """Phase spans of a variant: from its recorded 'phase' outcome (first replicate), else
    the planned programme period from report_context.json (phase 0 = 'planned')."""
    if phase_series and variant in phase_series:
        ser = phase_series[variant]
        return stored_phase_runs(list(ser.weeks), [int(round(v)) if not math.isnan(v) else 0
                                                  for v in ser.values[0]])
    planned = (exp.context.get("programme") or {})
    settings = dict(exp.variant_info()[exp.variants.index(variant)][2])
    enabled = settings.get("programme.enabled", planned.get("enabled", False))
    if not enabled or not planned.get("planned_weeks"):
        return []
    end = int(planned["planned_weeks"])
    if "building_blocks.long_breath" in settings:  # years in the file, weeks in the context
        end = int(round(float(settings["building_blocks.long_breath"]) * WEEKS_PER_YEAR))
    # A variant told to stop at its n-th election stops shading there (the plan, not the run:
    # record the "phase" outcome to shade what each run did, random stops included).
    stop = int(settings.get("programme.stop_at_election", 0) or 0)
    elections = exp.context.get("elections_weeks") or []
    if stop > 0 and len(elections) >= stop:
        end = min(end, int(elections[stop - 1]))
    return [(0, end, -1)] if end > 0 else []


def context_phase_name(exp, index, lang):
    if index < 0:
        return text("programme_planned", lang)
    return phase_name(exp.context, index, lang)


def draw_experiment_phases(ax, runs, last_week):
    # Light fill and thin hatch: the phases are context, the bands are the message.
    with plt.rc_context({"hatch.linewidth": 0.35}):
        for first, end, phase in runs:
            colour, hatch = phase_style(phase if phase > 0 else 1)
            ax.axvspan(first / WEEKS_PER_YEAR, min(end, last_week) / WEEKS_PER_YEAR,
                       facecolor=colour, alpha=0.55, hatch=hatch, edgecolor="0.75",
                       linewidth=0, zorder=0)


def series_bands(series):
    q = series.bands()
    return Bands(weeks=series.weeks.astype(float), median=q["median"], p05=q["p5"],
                 p25=q["p25"], p75=q["p75"], p95=q["p95"], replicates=len(series.keys))


def variant_title(exp, variant, lang):
    return f"{variant} ({text('baseline', lang)})" if variant == exp.baseline else variant


def add_credit(fig, credit):
    """The data credit under a chart drawn from CBS figures (CC BY 4.0 asks for it)."""
    if credit:  # a figure-level x label: the layout keeps room for it, above an outside legend
        fig.supxlabel(credit, x=0.01, ha="left", fontsize=7, color="0.3")


def where_suffix(where):
    return f" — {where}" if where else ""


def variant_fans_figure(exp, metric, lang, series=None, phase_series=None, where=None, credit=""):
    """One fan chart per variant (median, 50% and 90% bands over runs); the baseline's median
    is repeated, dashed, in every other panel so each reads as a comparison on its own."""
    series = series or exp.series(metric)
    variants = [v for v in exp.variants if v in series]
    last_week = int(max(series[v].weeks[-1] for v in variants))
    elections = election_weeks(exp.context, last_week)
    base = series_bands(series[exp.baseline]) if exp.baseline in series else None
    fig, axes = panel_grid(len(variants))
    seen_phases = set()
    for ax, v in zip(axes, variants):
        runs = experiment_phases(exp, v, phase_series)
        seen_phases |= {r[2] for r in runs}
        draw_experiment_phases(ax, runs, last_week)
        draw_elections(ax, elections)
        draw_bands(ax, series_bands(series[v]))
        if base is not None and v != exp.baseline:
            ax.plot(base.weeks / WEEKS_PER_YEAR, base.median, color="0.35", linestyle="--",
                    linewidth=1.2, zorder=5)
        ax.set_title(variant_title(exp, v, lang), loc="left", fontsize=9)
        format_y_for(ax, metric, lang)
        ax.grid(axis="y", color="0.85", linewidth=0.6)
        ax.set_xlim(0, last_week / WEEKS_PER_YEAR)
    for ax in axes[-min(3, len(axes)):]:
        ax.set_xlabel(text("years", lang), fontsize=8)
        ax.tick_params(labelbottom=True)  # the last panel of each column shows its years
    handles = [Line2D([], [], color="black", linewidth=1.8, label=text("median", lang)),
               Patch(facecolor=BAND_COLOUR, alpha=0.38, label=text("band50", lang)),
               Patch(facecolor=BAND_COLOUR, alpha=0.18, label=text("band90", lang)),
               Line2D([], [], color="0.35", linestyle="--", linewidth=1.2,
                      label=text("baseline_median", lang))]
    for phase in sorted(seen_phases):
        colour, hatch = phase_style(phase if phase > 0 else 1)
        handles.append(Patch(facecolor=colour, hatch=hatch, edgecolor="0.7",
                             label=context_phase_name(exp, phase, lang)))
    if elections:
        handles.append(Line2D([], [], color="black", linestyle="--", linewidth=1.0,
                              label=text("election", lang)))
    # Below the figure: savefig(bbox_inches="tight") takes it in, and it covers nothing.
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(5, len(handles)),
               fontsize=8, frameon=False)
    fig.suptitle(textwrap.fill(text("fan_title", lang, metric=metric_label(metric, lang)) + where_suffix(where), 100),
                 fontsize=11)
    add_credit(fig, credit)
    return fig


def format_difference_axis(axis, metric, lang="nl"):
    axis.set_major_formatter(difference_formatter(metric, lang))


def differences_figure(exp, metric, lang, diffs, where=None, credit="", smallest=None):
    """Paired difference with the baseline over time, one panel per variant, with its 95%
    interval; a dotted line marks the week from which the interval excludes zero."""
    fig, axes = panel_grid(len(diffs))
    for ax, d in zip(axes, diffs):
        years = d.weeks / WEEKS_PER_YEAR
        ax.axhline(0, color="0.3", linewidth=0.8, zorder=1)
        ax.fill_between(years, d.low, d.high, facecolor=BAND_COLOUR, alpha=0.28, linewidth=0,
                        zorder=2)
        ax.plot(years, d.mean, color="black", linewidth=1.6, zorder=3)
        if smallest:  # the band inside which a difference does not matter
            for y in (-smallest, smallest):
                ax.axhline(y, color="0.45", linewidth=0.9, linestyle=(0, (5, 3)), zorder=1)
        first = d.first_week_significant(smallest or 0.0)
        if first is not None:
            ax.axvline(first / WEEKS_PER_YEAR, color="black", linestyle=":", linewidth=1.4,
                       zorder=4)
        ax.set_title(d.variant, loc="left", fontsize=9)
        format_difference_axis(ax.yaxis, metric, lang)
        if difference_unit(metric, lang):
            ax.set_ylabel(difference_unit(metric, lang), fontsize=8)
        ax.grid(axis="y", color="0.85", linewidth=0.6)
        ax.set_xlim(0, years[-1] if len(years) else 1)
    for ax in axes[-min(3, len(axes)):]:
        ax.set_xlabel(text("years", lang), fontsize=8)
        ax.tick_params(labelbottom=True)
    handles = [Line2D([], [], color="black", linewidth=1.6, label=text("mean_difference", lang)),
               Patch(facecolor=BAND_COLOUR, alpha=0.28, label=text("ci95", lang)),
               Line2D([], [], color="black", linestyle=":", linewidth=1.4,
                      label=text("first_beyond" if smallest else "first_significant", lang))]
    if smallest:
        handles.append(Line2D([], [], color="0.45", linestyle=(0, (5, 3)), linewidth=0.9,
                              label=text("smallest_band", lang)))
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2 if smallest else 3,
               fontsize=8, frameon=False)
    fig.suptitle(textwrap.fill(text("diff_title", lang, metric=metric_label(metric, lang),
                                    baseline=exp.baseline) + where_suffix(where), 100), fontsize=11)
    add_credit(fig, credit)
    return fig


def rank_verdict(row, metric):
    """'better', 'worse' or 'unclear': whether the 95% interval of the difference excludes zero,
    and on which side, read with the metric's better direction."""
    d = direction(metric)
    if d == "none" or not (row["low"] > 0 or row["high"] < 0):
        return "unclear"
    up = row["low"] > 0
    return "better" if up == (d == "higher") else "worse"


RANK_MARKERS = {"better": dict(marker="o", color="black", markerfacecolor="black"),
                "worse": dict(marker="X", color="black", markerfacecolor="black"),
                "unclear": dict(marker="s", color="black", markerfacecolor="white")}


def ranking_figure(exp, rankings, lang, credit=""):
    """Final-week difference with the baseline per variant and outcome, with 95% intervals;
    variants ordered by the first outcome, best at the top. Filled circle: clearly better; cross:
    clearly worse; open square: not clearly different."""
    metrics = list(rankings)
    order = [r["variant"] for r in rankings[metrics[0]] if r["variant"] != exp.baseline]
    names = [textwrap.fill(v, 22) for v in order]
    lines = max(n.count("\n") + 1 for n in names) if names else 1
    fig, axes = plt.subplots(1, len(metrics), sharey=True, squeeze=False,
                             figsize=(2.2 + 3.4 * len(metrics), 2.2 + 0.32 * lines * len(order)),
                             layout="constrained")
    for ax, metric in zip(axes[0], metrics):
        rows = {r["variant"]: r for r in rankings[metric]}
        y = np.arange(len(order))[::-1]
        for yy, v in zip(y, order):
            r = rows[v]
            ax.plot([r["low"], r["high"]], [yy, yy], color="black", linewidth=1.4)
            ax.plot([r["mean"]], [yy], markersize=7, markeredgecolor="black", linestyle="",
                    **RANK_MARKERS[rank_verdict(r, metric)])
        ax.axvline(0, color="0.4", linewidth=0.8, linestyle="--")
        ax.set_yticks(y)
        ax.set_yticklabels(names, fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
        format_difference_axis(ax.xaxis, metric, lang)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", color="0.88", linewidth=0.6)
        arrow = {"higher": "→ " + text("better", lang),
                 "lower": "← " + text("better", lang)}.get(direction(metric), "")
        unit = difference_unit(metric, lang)
        ax.set_title(textwrap.fill(metric_label(metric, lang), 30), fontsize=9)
        ax.set_xlabel((f"{unit}   " if unit else "") + arrow, fontsize=8)
    handles = [Line2D([], [], linestyle="-", markeredgecolor="black", label=text("rank_" + k, lang),
                      **RANK_MARKERS[k]) for k in ("better", "worse", "unclear")]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=8,
               frameon=False)
    fig.suptitle(textwrap.fill(text("ranking_title", lang, baseline=exp.baseline), 90), fontsize=11)
    add_credit(fig, credit)
    return fig


def short_parameter(path, lang):
    return labels.parameter_label(path, lang)


def sensitivity_entries(sens, variant=None, level="city"):
    """{outcome: entry} of sensitivity.json for one variant (the first one if None)."""
    out = {}
    for r in sens.get("results", []):
        if variant is None:
            variant = r.get("variant")
        if r.get("variant") == variant and r.get("level", level) == level and r.get("outcome") not in out:
            out[r.get("outcome")] = r
    return out


def _est(index, name):
    v = (index.get(name) or {})
    get = lambda k: math.nan if v.get(k) is None else float(v.get(k))  # noqa: E731
    return get("estimate"), get("ci_low"), get("ci_high")


SOBOL_LIMITS = (-0.3, 1.2)


def mark_clipped(ax, y, values, limits, lang):
    """A triangle at the axis edge, with the value, wherever an estimate or interval runs off
    the axis: a clipped bar must not read as a short one. Returns whether anything was clipped."""
    lo_lim, hi_lim = limits
    clipped = False
    for yy, v in zip(y, values):
        for x in v:
            if math.isnan(x) or lo_lim <= x <= hi_lim:
                continue
            edge, marker, ha = (hi_lim, ">", "right") if x > hi_lim else (lo_lim, "<", "left")
            ax.plot([edge], [yy], marker=marker, color="black", markersize=6, clip_on=False, zorder=6)
            ax.annotate(labels.format_number(x, 2, lang), (edge, yy), xytext=(-6 if ha == "right" else 6, 6),
                        textcoords="offset points", ha=ha, fontsize=6.5,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85})
            clipped = True
    return clipped


def sobol_figure(sens, lang, variant=None):
    """First-order (S1) and total (ST) Sobol' indices per parameter with 95% intervals."""
    entries = sensitivity_entries(sens, variant)
    fig, axes = panel_grid(len(entries), ncols=3, width=3.9,
                           height=0.9 + 0.42 * len(sens.get("parameters", [])), sharey=True)
    any_clipped = False
    for ax, (outcome, entry) in zip(axes, entries.items()):
        names = [i["parameter"] for i in entry["indices"]]
        y = np.arange(len(names))[::-1]
        for offset, key, face, hatch in ((0.18, "S1", "0.15", None), (-0.18, "ST", "white", "///")):
            est = [_est(i, key) for i in entry["indices"]]
            mid = np.array([e[0] for e in est])
            err = np.array([[max(0.0, e[0] - e[1]) if not math.isnan(e[1]) else 0 for e in est],
                            [max(0.0, e[2] - e[0]) if not math.isnan(e[2]) else 0 for e in est]])
            ax.barh(y + offset, np.nan_to_num(mid), height=0.34, color=face, hatch=hatch,
                    edgecolor="black", linewidth=0.7, xerr=err,
                    error_kw={"elinewidth": 0.9, "capsize": 2, "ecolor": "0.35"})
            any_clipped |= mark_clipped(ax, y + offset, est, SOBOL_LIMITS, lang)
        ax.set_yticks(y)
        ax.set_yticklabels([short_parameter(n, lang) for n in names], fontsize=8)
        ax.axvline(0, color="0.3", linewidth=0.7)
        ax.set_title(metric_label(outcome, lang), fontsize=9, loc="left")
        ax.grid(axis="x", color="0.88", linewidth=0.6)
        ax.set_xlabel(text("sobol_x", lang), fontsize=8)
        ax.xaxis.set_major_formatter(NumberFormatter(lang))
        # Indices live in [0, 1]; with few base rows the intervals can be far wider. The axis
        # keeps the estimates readable; a triangle with the value marks what runs off it.
        ax.set_xlim(*SOBOL_LIMITS)
    handles = [Patch(facecolor="0.15", edgecolor="black", label=text("sobol_s1", lang)),
               Patch(facecolor="white", hatch="///", edgecolor="black",
                     label=text("sobol_st", lang))]
    if any_clipped:
        handles.append(Line2D([], [], marker=">", color="black", linestyle="",
                              label=text("clipped", lang)))
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=8, frameon=False)
    fig.suptitle(text("sobol_title", lang, n=sens.get("base_rows", "?")), fontsize=11)
    return fig


def morris_figure(sens, lang, variant=None):
    """Morris screening: mean absolute effect (mu*) against its spread (sigma). Each parameter
    has its own marker, named once in the legend: labels beside crowded points would collide."""
    entries = sensitivity_entries(sens, variant)
    # Outcomes differ in scale: every panel has its own axes.
    fig, axes = panel_grid(len(entries), ncols=3, width=3.9, height=3.4, sharey=False,
                           sharex=False)
    legend = {}
    for ax, (outcome, entry) in zip(axes, entries.items()):
        for k, index in enumerate(entry["indices"]):
            mu, lo, hi = _est(index, "mu_star")
            sigma = _est(index, "sigma")[0]
            sigma = 0.0 if math.isnan(sigma) else sigma
            style = dict(marker=MARKERS[k % len(MARKERS)], color=LINE_COLOURS[k % len(LINE_COLOURS)],
                         markerfacecolor="white", markersize=7, markeredgewidth=1.3)
            ax.errorbar([mu], [sigma], xerr=[[max(0, mu - lo) if not math.isnan(lo) else 0],
                                             [max(0, hi - mu) if not math.isnan(hi) else 0]],
                        fmt=style["marker"], color=style["color"], markerfacecolor="white",
                        markersize=7, markeredgewidth=1.3, ecolor="0.6", elinewidth=0.8, capsize=2)
            legend.setdefault(index["parameter"], style)
        ax.set_title(metric_label(outcome, lang), loc="left", fontsize=9)
        ax.set_xlabel(text("morris_x", lang), fontsize=8)
        ax.set_ylabel(text("morris_y", lang), fontsize=8)
        ax.xaxis.set_major_formatter(NumberFormatter(lang))
        ax.yaxis.set_major_formatter(NumberFormatter(lang))
        ax.grid(color="0.9", linewidth=0.5)
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
    handles = [Line2D([], [], linestyle="", label=short_parameter(p, lang), **st) for p, st in legend.items()]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(4, len(handles)),
               fontsize=8, frameon=False)
    fig.suptitle(text("morris_title", lang, n=sens.get("trajectories", "?")), fontsize=11)
    return fig


def sensitivity_figure(sens, lang, variant=None):
    return (sobol_figure if sens.get("method") == "sobol" else morris_figure)(sens, lang, variant)


def experiment_heatgrid(exp, metric, variant=None, minus=None):
    """HeatGrid of buurt x year means from a store (a difference with `minus`)."""
    grid = results.unit_year_means(exp, metric, "buurt", variant, minus)
    if not grid:
        raise PlotError(f"{exp.path()}: no buurt-level values of '{metric}' (the experiment "
                        f"needs \"levels\": [\"city\", \"buurt\"])")
    units = sorted(grid)
    years = list(range(max(max(ys) for ys in grid.values()) + 1))
    values = np.full((len(units), len(years)), np.nan)
    for i, u in enumerate(units):
        for y, v in grid[u].items():
            values[i, y] = v
    reps = exp.runs_per_variant.get(variant or exp.baseline, 0)
    return HeatGrid(units=units, years=years, values=values, replicates=reps)


def experiment_differences(exp, metric, series=None):
    series = series or exp.series(metric)
    return [results.difference(series, v, exp.baseline)
            for v in exp.variants if v != exp.baseline and v in series]


def open_for_plot(directory):
    try:
        return results.open_experiment(directory)
    except results.ResultsError as exc:
        raise PlotError(str(exc)) from exc


def require_outcome(exp, metric):
    if metric not in exp.outcomes:
        raise PlotError(f"{exp.path()}: outcome '{metric}' not recorded; the experiment has "
                        f"{', '.join(exp.outcomes)}")


# --------------------------------------------------------------------------
# Output and command line
# --------------------------------------------------------------------------

def check_output_path(out):
    ext = os.path.splitext(out)[1].lower()
    if ext not in OUTPUT_FORMATS:
        raise PlotError(f"--out {out}: extension must be one of "
                        f"{', '.join(OUTPUT_FORMATS)}")


def save_figure(fig, out):
    fmt = os.path.splitext(out)[1].lower().lstrip(".")
    # No timestamps in the file: identical runs give identical plots.
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    try:
        parent = os.path.dirname(out)
        if parent:
            os.makedirs(parent, exist_ok=True)
        fig.savefig(out, format=fmt, dpi=150, bbox_inches="tight",
                    metadata=metadata)
    except OSError as exc:
        raise PlotError(f"cannot write {out}: {exc}") from exc
    finally:
        plt.close(fig)


def build_parser():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", required=True,
                        help="output file; .png or .svg")
    common.add_argument("--lang", choices=labels.LANGS, default="nl",
                        help="label language (default nl)")

    parser = argparse.ArgumentParser(
        prog="wijksim plot",  # run through `wijksim plot` (or directly as wijksim_plot.py)
        description="Plots for wijksim run folders and benchmarks.")
    sub = parser.add_subparsers(dest="command", required=True)

    fan = sub.add_parser("fan", parents=[common],
                         help="median with 50%%/90%% bands per metric")
    fan.add_argument("run_dir", metavar="RUN_DIR")
    fan.add_argument("--metrics", nargs="+", default=DEFAULT_FAN_METRICS,
                     metavar="METRIC")
    fan.add_argument("--level", choices=LEVELS,
                     help="default: from --unit (BU.. buurt, WK.. wijk), "
                          "else city")
    fan.add_argument("--unit", metavar="CODE",
                     help="unit code; needed when the level has several")

    heat = sub.add_parser("heatgrid", parents=[common],
                          help="unit x year grid of one metric")
    heat.add_argument("run_dir", metavar="RUN_DIR")
    heat.add_argument("--metric", required=True)
    heat.add_argument("--level", choices=LEVELS, default="buurt")
    heat.add_argument("--variant", help="experiment folders: the variant (default: baseline)")
    heat.add_argument("--minus", metavar="VARIANT",
                      help="experiment folders: draw the difference with this variant")

    bench = sub.add_parser("bench", parents=[common],
                           help="items/s against size, one line per thread count")
    bench.add_argument("json_file", metavar="BENCHMARK.json")

    # Experiment folders (wijksim experiment --out DIR; compare/sensitivity JSON beside it).
    variants = sub.add_parser("variants", parents=[common],
                              help="experiment: fan chart per variant of one outcome")
    variants.add_argument("exp_dir", metavar="EXPERIMENT_DIR")
    variants.add_argument("--metric", required=True)
    diff = sub.add_parser("diff", parents=[common],
                          help="experiment: paired difference with the baseline over time")
    diff.add_argument("exp_dir", metavar="EXPERIMENT_DIR")
    diff.add_argument("--metric", required=True)
    rank = sub.add_parser("ranking", parents=[common],
                          help="experiment: variants ranked by final difference, with CIs")
    rank.add_argument("exp_dir", metavar="EXPERIMENT_DIR")
    rank.add_argument("--metrics", nargs="+", metavar="METRIC",
                      help="default: active residents, unsafety and trust as recorded")
    sens = sub.add_parser("sensitivity", parents=[common],
                          help="experiment: Sobol' or Morris chart from sensitivity.json")
    sens.add_argument("exp_dir", metavar="EXPERIMENT_DIR")
    sens.add_argument("--variant", help="default: the first analysed")
    return parser


def run(args):
    check_output_path(args.out)
    if args.command == "fan":
        level = args.level or infer_level(args.unit)
        # Duplicates would draw the same panel twice; keep the first.
        metrics = list(dict.fromkeys(args.metrics))
        plot_fan(args.run_dir, args.out, metrics, level, args.unit, args.lang)
    elif args.command == "heatgrid":
        # A run folder's grid comes from its timeseries.csv (every level, as before); an
        # experiment's from the store.
        if not is_run_folder(args.run_dir) and os.path.isfile(os.path.join(args.run_dir, results.STORE_FILE)):
            exp = open_for_plot(args.run_dir)
            require_outcome(exp, args.metric)
            grid = experiment_heatgrid(exp, args.metric, args.variant, args.minus)
            save_figure(heatgrid_figure(grid, exp.context.get("units") or {}, args.metric,
                                        "buurt", args.lang, diverging=bool(args.minus)), args.out)
        else:
            plot_heatgrid(args.run_dir, args.out, args.metric, args.level, args.lang)
    elif args.command == "bench":
        plot_bench(args.json_file, args.out, args.lang)
    elif args.command in ("variants", "diff"):
        exp = open_for_plot(args.exp_dir)
        require_outcome(exp, args.metric)
        if args.command == "variants":
            phases = exp.series("phase") if "phase" in exp.outcomes else None
            fig = variant_fans_figure(exp, args.metric, args.lang, phase_series=phases,
                                      credit=exp.context.get("credit") or "")
        else:
            diffs = experiment_differences(exp, args.metric)
            if not diffs:
                raise PlotError(f"{exp.path()}: only the baseline has runs; nothing to compare")
            fig = differences_figure(exp, args.metric, args.lang, diffs, credit=exp.context.get("credit") or "")
        save_figure(fig, args.out)
    elif args.command == "ranking":
        exp = open_for_plot(args.exp_dir)
        metrics = args.metrics or list(dict.fromkeys(exp.headline().values())) or exp.outcomes[:3]
        for m in metrics:
            require_outcome(exp, m)
        if len(exp.variants) < 2:
            raise PlotError(f"{exp.path()}: only one variant; nothing to rank")
        rankings = {m: results.ranking(exp.series(m), exp.baseline, m) for m in metrics}
        save_figure(ranking_figure(exp, rankings, args.lang, credit=exp.context.get("credit") or ""), args.out)
    elif args.command == "sensitivity":
        sens = results.load_sensitivity(args.exp_dir)
        if sens is None:
            raise PlotError(f"{args.exp_dir}: no sensitivity.json (run 'wijksim sensitivity "
                            f"{args.exp_dir}' on a store with a sobol or morris design)")
        save_figure(sensitivity_figure(sens, args.lang, args.variant), args.out)


def main(argv=None):
    args = build_parser().parse_args(argv)  # exits 2 on usage errors
    try:
        run(args)
    except (PlotError, results.ResultsError, catalogue.CatalogueError) as exc:
        print(f"wijksim_plot: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
