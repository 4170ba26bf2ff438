#!/usr/bin/python3
"""Plots for wijksim run folders and benchmark results.

Usage (always with Debian's /usr/bin/python3, which has matplotlib):

    wijksim_plot.py fan RUN_DIR --out FILE [--metrics M ...] [--level L]
                    [--unit CODE] [--lang nl|en]
    wijksim_plot.py heatgrid RUN_DIR --metric M --out FILE [--level buurt]
                    [--lang nl|en]
    wijksim_plot.py bench BENCHMARK.json --out FILE [--lang nl|en]

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
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")  # headless: never try to open a display

import matplotlib.pyplot as plt  # noqa: E402  (must follow matplotlib.use)
import numpy as np  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

import labels  # noqa: E402
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


def compute_bands(values_by_week):
    """Median, 50% (p25-p75) and 90% (p05-p95) bands for each week."""
    weeks = sorted(values_by_week)
    quantiles = np.array([np.percentile(values_by_week[w], [5, 25, 50, 75, 95])
                          for w in weeks]).reshape(len(weeks), 5)
    return Bands(weeks=np.array(weeks, dtype=float),
                 p05=quantiles[:, 0], p25=quantiles[:, 1],
                 median=quantiles[:, 2],
                 p75=quantiles[:, 3], p95=quantiles[:, 4],
                 replicates=max(len(v) for v in values_by_week.values()))


@dataclass
class UnitRows:
    """What one streaming pass collected for a single unit."""
    unit: str
    values: dict        # metric -> {week: [value per replicate]}
    phases: dict        # week -> phase index of replicate 0
    available: set      # every metric seen for this unit
    other_units: set    # other units at the same level


def read_unit_series(run_dir, level, unit, metrics):
    """Stream timeseries.csv once, keeping only `metrics` of one unit.

    With unit None the first unit met at `level` is taken; the caller
    decides whether other units at that level make the choice ambiguous.
    """
    wanted = set(metrics)
    rows = UnitRows(unit=unit, values={m: {} for m in metrics}, phases={},
                    available=set(), other_units=set())
    for line, row in timeseries_rows(run_dir):
        if row[2] != level:
            continue
        if rows.unit is None:
            rows.unit = row[3]
        elif row[3] != rows.unit:
            rows.other_units.add(row[3])
            continue
        metric = row[4]
        rows.available.add(metric)
        if metric not in wanted and metric != "phase":
            continue
        rep, week, value = parse_numbers(run_dir, line, row)
        if metric in wanted:
            rows.values[metric].setdefault(week, []).append(value)
        if metric == "phase" and rep == 0:
            rows.phases[week] = int(round(value))
    return rows


def fan_data(run_dir, metrics, level="city", unit=None):
    """Bands for each metric of one level/unit, plus the programme phases.

    This is what `fan` draws; exposed so tests (and notebooks) can check
    the numbers behind the picture.
    """
    path = os.path.join(run_dir, "timeseries.csv")
    rows = read_unit_series(run_dir, level, unit, metrics)
    if not rows.available:
        found = ", ".join(sorted(rows.other_units)[:20]) or "(none)"
        raise PlotError(f"{path}: no rows for level '{level}'"
                        + (f" unit '{unit}'" if unit else "")
                        + f"; units at that level: {found}")
    if unit is None and rows.other_units:
        raise PlotError(f"{path}: level '{level}' holds several units "
                        f"({', '.join(sorted(rows.other_units | {rows.unit})[:10])}"
                        f"{', ...' if len(rows.other_units) > 9 else ''}); "
                        f"choose one with --unit")
    for metric in metrics:
        if not rows.values[metric]:
            raise missing_metric_error(run_dir, metric,
                                       f"level '{level}' unit '{rows.unit}'",
                                       rows.available)
    bands = {m: compute_bands(rows.values[m]) for m in metrics}
    return FanData(level=level, unit=rows.unit, bands=bands,
                   phases=rows.phases)


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
    return metric.endswith("_share")


def format_y_for(ax, metric):
    if is_share(metric):  # shares are fractions; people read percentages
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))


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
        format_y_for(ax, metric)
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


def cell_text(metric, value):
    if math.isnan(value):
        return ""
    return f"{value * 100:.0f}%" if is_share(metric) else f"{value:.3g}"


def annotate_cells(ax, grid, metric, cmap, norm):
    """Write values in the cells: the grid then reads without colour."""
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            value = grid[i, j]
            if math.isnan(value):
                continue
            r, g, b, _ = cmap(norm(value))
            luminance = 0.299 * r + 0.587 * g + 0.114 * b
            ax.text(j, i, cell_text(metric, value), ha="center", va="center",
                    fontsize=7, color="black" if luminance > 0.5 else "white")


def plot_heatgrid(run_dir, out, metric, level, lang):
    manifest = load_manifest(run_dir)
    data = heatgrid_data(run_dir, metric, level)
    names = manifest.get("units") or {}
    n_rows, n_cols = data.values.shape

    fig, ax = plt.subplots(figsize=(2.5 + 0.9 * n_cols, 1.6 + 0.32 * n_rows))
    cmap = plt.get_cmap("viridis")  # lightness rises monotonically: grey-safe
    image = ax.imshow(data.values, cmap=cmap, aspect="auto",
                      interpolation="nearest")
    if n_rows * n_cols <= 600:  # beyond that the numbers become unreadable
        annotate_cells(ax, data.values, metric, cmap, image.norm)
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels([text("start_col", lang) if y == 0
                        else text("year_col", lang, n=y) for y in data.years])
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([names.get(u, u) for u in data.units], fontsize=8)
    # Keep the colour bar a readable size next to very tall grids.
    colourbar = fig.colorbar(image, ax=ax, shrink=min(1.0, 12.0 / n_rows))
    colourbar.set_label(metric_label(metric, lang))
    if is_share(metric):
        colourbar.ax.yaxis.set_major_formatter(
            PercentFormatter(xmax=1.0, decimals=0))
    ax.set_title(text("heatgrid_title", lang, metric=metric_label(metric, lang),
                      level=text("level_" + level, lang)), fontsize=11)
    ax.set_xlabel(text("heatgrid_note", lang, n=data.replicates), fontsize=8)
    save_figure(fig, out)


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
    save_figure(fig, out)


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
        prog="wijksim_plot.py",
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

    bench = sub.add_parser("bench", parents=[common],
                           help="items/s against size, one line per thread count")
    bench.add_argument("json_file", metavar="BENCHMARK.json")
    return parser


def run(args):
    check_output_path(args.out)
    if args.command == "fan":
        level = args.level or infer_level(args.unit)
        # Duplicates would draw the same panel twice; keep the first.
        metrics = list(dict.fromkeys(args.metrics))
        plot_fan(args.run_dir, args.out, metrics, level, args.unit, args.lang)
    elif args.command == "heatgrid":
        plot_heatgrid(args.run_dir, args.out, args.metric, args.level, args.lang)
    elif args.command == "bench":
        plot_bench(args.json_file, args.out, args.lang)


def main(argv=None):
    args = build_parser().parse_args(argv)  # exits 2 on usage errors
    try:
        run(args)
    except PlotError as exc:
        print(f"wijksim_plot: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
