#!/usr/bin/python3
"""One self-contained HTML report of a wijksim experiment, for strategists.

Usage (normally through `wijksim report`, which first brings comparison.json, sensitivity.json
and report_context.json up to date):

    report.py EXPERIMENT_DIR --out FILE.html [--lang nl|en] [--sensitivity SDIR]
              [--bench BENCHMARK.json]

Charts are embedded as base64 PNG: the file fetches nothing, so it can be mailed or archived.
Exit status: 0 on success, 2 on missing or invalid input, 3 when matplotlib is missing.
"""

import argparse
import base64
import datetime
import errno
import html
import io
import json
import math
import os
import re
import sys

try:
    import matplotlib  # noqa: F401
except ImportError:
    print("report.py: error: matplotlib is missing; run with Debian's /usr/bin/python3 and "
          "apt-get install python3-matplotlib", file=sys.stderr)
    sys.exit(3)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import matplotlib.pyplot as plt  # noqa: E402

import catalogue  # noqa: E402
import buurt_map  # noqa: E402
import labels  # noqa: E402
import results  # noqa: E402
import wijksim_plot as wp  # noqa: E402
from labels import metric_label, report_text  # noqa: E402

WEEKS_PER_YEAR = results.WEEKS_PER_YEAR

CSS = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#111;max-width:1100px;margin:0 auto;
padding:24px 28px 60px;line-height:1.45;background:#fff}
h1{font-size:1.7em;margin:0 0 4px}h2{font-size:1.3em;margin:34px 0 8px;border-bottom:2px solid #222;
padding-bottom:3px}h3{font-size:1.05em;margin:22px 0 6px}
.sub{color:#444;margin:0 0 18px}.question{font-size:1.08em;background:#f3f3f3;border-left:5px solid #222;
padding:10px 14px}
.headline{border:2px solid #222;padding:6px 18px;margin:16px 0}.headline li{margin:7px 0}
table{border-collapse:collapse;margin:8px 0 6px;font-size:.9em}th,td{border:1px solid #bbb;
padding:4px 7px;text-align:left;vertical-align:top}th{background:#e8e8e8}td.n{text-align:right;
white-space:nowrap}.note{color:#333;font-size:.88em}.warn{border:2px dashed #222;padding:8px 12px}
img{max-width:100%;height:auto;display:block;margin:6px 0 2px}figure{margin:14px 0}
figcaption{font-size:.85em;color:#333}.params td{font-size:.92em}.mono{font-family:monospace}
details summary{cursor:pointer;font-weight:bold}
@media print{body{max-width:none}h2{page-break-after:avoid}figure{page-break-inside:avoid}}
"""


class ReportError(Exception):
    pass


# ---- numbers for people ---------------------------------------------------------------------

def fmt(x, decimals=1, lang="nl", sign=False):
    return labels.format_number(x, decimals, lang, sign)


def fmt_value(metric, x, lang, sign=False):
    """A level (share as %, count or mean) in the outcome's own terms."""
    if wp.is_share(metric):
        return fmt(100 * x, 1, lang, sign) + "%"
    if catalogue.unit(metric) in ("count", "euros") or abs(x) >= 100:
        return fmt(x, 0, lang, sign)
    return fmt(x, 3, lang, sign)


def fmt_diff(metric, x, lang):
    if wp.is_share(metric):
        return fmt(100 * x, 1, lang, sign=True) + " " + report_text("pp", lang)
    return fmt_value(metric, x, lang, sign=True)


def fmt_ci(metric, lo, hi, lang, diff=True):
    f = (lambda v: fmt_diff(metric, v, lang)) if diff else (lambda v: fmt_value(metric, v, lang))
    return f"{f(lo)} … {f(hi)}"


def clip_difference(metric, low, high, base):
    """A difference of a count or of euros (variant minus baseline) whose interval reaches below
    -base would put the variant below zero, which cannot happen: the low end is clipped at -base.
    Returns (low, high, clipped)."""
    if (catalogue.unit(metric) in ("count", "euros") and base is not None and low is not None
            and not math.isnan(base) and not math.isnan(low) and low < -base):
        return -base, high, True
    return low, high, False


def fmt_ci_clipped(metric, row, lang):
    """fmt_ci of a final_row, clipped where the variant's level would go below zero (and saying so)."""
    low, high, clipped = clip_difference(metric, row["low"], row["high"], row.get("base"))
    text = fmt_ci(metric, low, high, lang)
    return text + f' <span class="clipped">({report_text("clipped", lang)})</span>' if clipped else text


def fmt_euro(x, lang, sign=False):
    return "€ " + fmt(x, 0, lang, sign)


def fmt_pct(p, lang):
    return "–" if p is None or math.isnan(p) else fmt(100 * p, 0, lang) + "%"


def fmt_years(week, lang):
    """'1,5 jaar', or 'de start' for week 0 (a difference visible at once)."""
    if week == 0:
        return report_text("from_start", lang)
    return report_text("after_years", lang, y=fmt(week / WEEKS_PER_YEAR, 1, lang))


def esc(s):
    return html.escape(str(s), quote=True)


def figure_html(fig, alt, caption=None):
    """A figure as an <img> with a base64 PNG: no file beside the report, nothing fetched."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img alt="{esc(alt)}" src="data:image/png;base64,{data}">{cap}</figure>'


def table(header, rows, cls=""):
    head = "".join(f"<th>{h}</th>" for h in header) if any(header) else ""
    body = "".join("<tr>" + "".join(cell if cell.startswith("<td") else f"<td>{cell}</td>"
                                    for cell in row) + "</tr>" for row in rows)
    thead = f"<thead><tr>{head}</tr></thead>" if head else ""
    return f'<table class="{cls}">{thead}<tbody>{body}</tbody></table>'


def num_td(s):
    return f'<td class="n">{s}</td>'


# ---- the report -----------------------------------------------------------------------------

class Report:
    def __init__(self, exp, lang, sensitivity=None, sensitivity_dir=None, bench=None):
        self.exp = exp
        self.lang = lang
        self.sens = sensitivity
        self.sens_dir = sensitivity_dir
        self.bench = bench
        self._series = {}
        self.headline = exp.headline()
        self.others = [v for v in exp.variants if v != exp.baseline
                       and exp.runs_per_variant.get(v)]
        self.area = exp.programme_area()  # brings comparison.json up to date first
        # The engine's final-week rows of the city and of the programme area (level "area"); of a
        # design's points pooled.
        self.comparison_rows = {scope: results.load_comparison_rows(exp, level)
                                for scope, level in (("city", "city"), ("area", results.AREA_LEVEL))}
        # Set when every replicate drew its own parameter set (experiment key "uncertainty"); the
        # engine states it per design point, so not for a design's pooled rows.
        self.parameter_uncertainty = (exp.comparison or {}).get("parameter_uncertainty") \
            if self.comparison_rows.get("city") and not exp.has_design() else None
        # The programme area's figures lead when the programme covers part of the city: the
        # city figure dilutes the effect by the residents it never reaches.
        self.scope = "area" if self.area else "city"

    def t(self, key, **kw):
        return report_text(key, self.lang, **kw)

    def series(self, metric, scope="city"):
        if (metric, scope) not in self._series:
            self._series[(metric, scope)] = self.exp.scoped_series(metric, scope)
        return self._series[(metric, scope)]

    def diffs(self, metric, scope="city"):
        return wp.experiment_differences(self.exp, metric, self.series(metric, scope))

    def area_names(self):
        units = self.exp.context.get("units") or {}
        return ", ".join(units.get(w, w) for w in self.area)

    def where(self, scope):
        return self.t("in_area", names=esc(self.area_names())) if scope == "area" else self.t("in_city")

    def final_row(self, variant, metric, scope="city", against=None):
        """Final-week comparison of `variant` with `against` (the baseline): the engine's
        comparison.json where it applies (city or programme area, baseline, no design), else
        from the paired differences (the engine's t-interval per week, differences.csv)."""
        against = against or self.exp.baseline
        row = self.comparison_rows.get(scope, {}).get((variant, metric)) if against == self.exp.baseline else None
        d = results.difference(self.series(metric, scope), variant, against)
        if row and row.get("ci95_t") and row["ci95_t"][0] is not None:
            return {"mean": row["mean_difference"], "low": row["ci95_t"][0],
                    "high": row["ci95_t"][1], "p": row.get("probability_of_improvement"),
                    "first": row.get("first_week_significant"), "week": row.get("week"),
                    "base": row.get("baseline_mean")}
        final = d.final
        sign = {"higher": 1, "lower": -1}.get(results.direction(metric), 0)
        p = float((sign * final > 0).mean()) if sign and len(final) else None
        base = self.series(metric, scope)[against]
        return {"mean": float(d.mean[-1]), "low": float(d.low[-1]), "high": float(d.high[-1]),
                "p": p, "first": d.first_week_significant(), "week": int(d.weeks[-1]),
                "base": float(base.values[:, -1].mean())}

    def final_week(self):
        metric = next(iter(self.headline.values()), self.exp.outcomes[0])
        return int(self.series(metric)[self.exp.baseline].weeks[-1])

    # ---- sections -------------------------------------------------------------------------

    def build(self):
        exp = self.exp
        ctx = exp.context
        scen = (ctx.get("scenario") or {}).get("name") or os.path.basename(
            str(exp.manifest.get("scenario_file", "")))
        reps = exp.manifest.get("replicates")
        parts = [f"<h1>{esc(self.t('title', scenario=scen))}</h1>"]
        incomplete = self.incomplete()
        if incomplete:  # first of all: numbers from a half-finished store are not final
            parts.append(f'<p class="warn" id="incomplete"><b>{self.t("warning")}:</b> {esc(incomplete)}</p>')
        parts += [f'<p class="sub">{esc(self.t("subtitle", runs=exp.ok_runs, variants=len(exp.variants), reps=reps, created=str(exp.manifest.get("created_utc", ""))[:10]))}</p>']
        if self.credit():
            parts.append(f'<p class="note" id="credit">{esc(self.credit())}</p>')
        parts += [f"<h2>{self.t('question')}</h2>",
                  f'<p class="question">{esc(exp.description() or self.t("no_question"))}</p>']
        if ctx.get("scenario_warning"):
            parts.append(f'<p class="warn"><b>{self.t("warning")}:</b> {esc(ctx["scenario_warning"])}</p>')
        if exp.has_design():
            d = exp.manifest["design"]
            parts.append(f'<p class="note">{esc(self.t("design_note", method=d.get("method"), points=len(d.get("points") or [])))}</p>')
        if self.others:
            parts.append(self.headline_section())
            if self.area:
                parts.append(self.area_section())
        parts.append(self.scenarios_section())
        if self.others:
            parts.append(self.numbers_section())
            parts.append(self.uncertainty_section())
            parts.append(self.tipping_section())
            parts.append(self.cost_section())
        parts.append(self.charts_section())
        parts.append(self.sensitivity_section())
        parts.append(self.assumptions_section())
        parts.append(self.technical_section())
        parts.append(f'<p class="note">{esc(self.t("footer", store=os.path.abspath(exp.path())))}'
                     + (f" {esc(self.credit())}" if self.credit() else "") + "</p>")
        title = esc(self.t("title", scenario=scen))
        return ("<!DOCTYPE html>\n"
                f'<html lang="{self.lang}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                # Belt and braces: even a stray URL in a description cannot make it fetch.
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                "img-src data:; style-src 'unsafe-inline'\">"
                f"<title>{title}</title><style>{CSS}</style></head><body>\n"
                + "\n".join(parts) + "\n</body></html>\n")

    def where_city(self):
        """'gemeente Deventer' under city-wide charts when a programme area is shown apart."""
        if not self.area:
            return None
        units = self.exp.context.get("units") or {}
        city = next((n for u, n in units.items() if str(u).startswith("GM")), "")
        return f"{labels.text('level_city', self.lang)} {city}".strip()

    def credit_city(self):
        return self.exp.context.get("credit") or ""

    def credit(self):
        """The data credit of the scenario (CBS figures), plus the map's when a map is drawn."""
        c = self.exp.context.get("credit") or ""
        if c and self.area:
            c += "; " + buurt_map.OUTLINE_CREDIT
        return c

    def incomplete(self):
        """A sentence when the store holds fewer runs than the experiment planned, else ''."""
        ctx = self.exp.context
        runs = ctx.get("runs") or {}
        if runs.get("planned") and self.exp.ok_runs < runs["planned"]:
            return self.t("incomplete", ok=self.exp.ok_runs, planned=runs["planned"])
        return ctx.get("incomplete", "")

    def primary(self):
        """The outcome contrasts and the tipping point are read on: the first with a declared
        smallest effect, else the active-residents headline."""
        declared = (self.exp.manifest.get("experiment") or {}).get("smallest_effect") or {}
        for m in declared:
            if m in self.exp.outcomes:
                return m
        return self.headline.get("active") or (self.exp.outcomes[0] if self.exp.outcomes else None)

    def smallest_text(self, metric):
        se, declared = self.exp.smallest_effect(metric)
        if se is None:
            return ""
        return self.t("smallest_declared" if declared else "smallest_default",
                      se=fmt_diff(metric, se, self.lang).lstrip("+"))

    def tipping(self, variant, against, metric, scope):
        """First week from which `variant` differs from `against` by more than the smallest
        effect (the whole 95% interval beyond it) through the end; None if never."""
        se, _ = self.exp.smallest_effect(metric)
        d = results.difference(self.series(metric, scope), variant, against)
        return d.first_week_significant(se or 0.0), d

    def tipping_points(self):
        """[(winner, loser, week, final row)] for the primary outcome in the leading scope."""
        metric = self.primary()
        if not metric:
            return []
        out = []
        for v in self.others:
            week, d = self.tipping(v, self.exp.baseline, metric, self.scope)
            if week is None:
                continue
            row = self.final_row(v, metric, self.scope)
            if d.mean[-1] > 0:
                out.append((v, self.exp.baseline, week, row))
            elif d.mean[-1] < 0:
                out.append((self.exp.baseline, v, week, row))
        return out

    def contrast_sentence(self, c):
        """One sentence answering a named contrast on the primary outcome, with its cost."""
        lang, metric = self.lang, self.primary()
        row = self.final_row(c["a"], metric, self.scope, against=c["b"])
        se, _ = self.exp.smallest_effect(metric)
        verdict = results.contrast_verdict(row["low"], row["high"], se, results.direction(metric))
        years = fmt(row["week"] / WEEKS_PER_YEAR, 0, lang)
        text = self.t("contrast", name=esc(c["name"]), a=esc(c["a"]), b=esc(c["b"]),
                      metric=esc(metric_label(metric, lang)), where=self.where(self.scope), years=years,
                      diff=fmt_diff(metric, row["mean"], lang),
                      ci=fmt_ci(metric, row["low"], row["high"], lang),
                      verdict=self.t("verdict_" + verdict, se=fmt_diff(metric, se or 0, lang).lstrip("+")))
        cost = self._cost(c["a"], c["b"])
        if cost.get("status") == "ok":
            text += " " + self.t("contrast_cost", a=esc(c["a"]), cost=fmt_euro(cost["cost"], lang),
                                 ci=f'{fmt_euro(cost["cost_ci"][0], lang)} … {fmt_euro(cost["cost_ci"][1], lang)}')
        elif cost.get("status") == "no_gain" and cost.get("reverse_cost") is not None:
            text += " " + self.t("contrast_reverse_cost", b=esc(c["b"]), cost=fmt_euro(cost["reverse_cost"], lang))
        return text

    def headline_section(self):
        lang, exp = self.lang, self.exp
        items = [self.contrast_sentence(c) for c in exp.contrasts()]
        years = fmt(self.final_week() / WEEKS_PER_YEAR, 0, lang)
        primary = self.primary()
        tips = self.tipping_points()
        if primary and tips:
            # The programme-against-no-programme comparison answers "how long" most directly.
            no_prog = [t for t in tips if self._programme_off(t[0]) or self._programme_off(t[1])]
            w, l, week, row = (no_prog or sorted(tips, key=lambda t: t[2]))[0]
            mean = abs(row["mean"])
            ci = fmt_ci(primary, *sorted((abs(row["low"]), abs(row["high"]))), lang)
            items.append(self.t("headline_tipping", winner=esc(w), loser=esc(l), where=self.where(self.scope),
                                metric=esc(metric_label(primary, lang)),
                                years=fmt_years(week, lang), diff=fmt_diff(primary, mean, lang), ci=ci,
                                smallest=self.smallest_text(primary)))
        elif primary:
            items.append(self.t("headline_no_tipping", years=years, baseline=esc(exp.baseline),
                                metric=esc(metric_label(primary, lang)), where=self.where(self.scope),
                                smallest=self.smallest_text(primary)))
        if not exp.contrasts():
            for role in ("active", "safety", "trust"):
                metric = self.headline.get(role)
                if not metric:
                    continue
                ranks = results.ranking(self.series(metric, self.scope), exp.baseline, metric)
                best = ranks[0]
                if best["variant"] != exp.baseline:
                    row = self.final_row(best["variant"], metric, self.scope)
                    items.append(self.t("headline_effect", metric=esc(metric_label(metric, lang)).capitalize(),
                                        variant=esc(best["variant"]), diff=fmt_diff(metric, row["mean"], lang),
                                        baseline=esc(exp.baseline), where=self.where(self.scope),
                                        ci=fmt_ci_clipped(metric, row, lang),
                                        p=fmt_pct(row["p"], lang)))
                else:
                    items.append(self.t("headline_best", metric=esc(metric_label(metric, lang)),
                                        variant=esc(best["variant"]), p=fmt_pct(best["p_best"], lang)))
            for v in self.others:
                c = self._cost(v)
                if c.get("status") == "ok":
                    items.append(self.t("headline_cost", variant=esc(v), cost=fmt_euro(c["cost"], lang),
                                        ci=f'{fmt_euro(c["cost_ci"][0], lang)} … {fmt_euro(c["cost_ci"][1], lang)}'))
        if self.parameter_uncertainty and primary:
            items += [x for x in (self.robustness_sentence(v, primary) for v in self.others) if x]
        lis = "".join(f"<li>{i}</li>" for i in items)
        return (f'<div class="headline" id="kernpunten"><h2 style="border:0;margin-top:10px">{self.t("headline")}</h2>'
                f"<ul>{lis}</ul></div>")

    def _programme_off(self, variant):
        settings = dict(self.exp.variant_info()[self.exp.variants.index(variant)][2])
        return settings.get("programme.enabled") is False

    def area_section(self):
        """The programme area first: its numbers next to the whole city's, a map of the buurten
        coloured by the difference, and its course over time."""
        lang, exp = self.lang, self.exp
        out = [f'<h2 id="programme-area">{self.t("area_title", names=esc(self.area_names()))}</h2>',
               f'<p class="note">{self.t("area_note")}</p>']
        metrics = [m for m in dict.fromkeys([self.primary()] + list(self.headline.values())) if m]
        rows = []
        for metric in metrics:
            for v in self.others:
                a = self.final_row(v, metric, "area")
                c = self.final_row(v, metric, "city")
                rows.append([esc(metric_label(metric, lang)), esc(v),
                             num_td(fmt_value(metric, a["base"], lang)),
                             num_td(f'<b>{fmt_diff(metric, a["mean"], lang)}</b><br><span class="note">{fmt_ci_clipped(metric, a, lang)}</span>'),
                             num_td(f'{fmt_diff(metric, c["mean"], lang)}<br><span class="note">{fmt_ci_clipped(metric, c, lang)}</span>')])
        out.append(table(["", self.t("scenario_col"), self.t("area_level_col", baseline=esc(exp.baseline)),
                          self.t("area_diff_col"), self.t("city_diff_col")], rows))
        out.append(self.map_html())
        metric = self.primary()
        phases = self.series("phase") if "phase" in exp.outcomes else None
        out.append(figure_html(wp.variant_fans_figure(exp, metric, lang, self.series(metric, "area"), phases,
                                                      where=self.area_names(), credit=self.credit_city()),
                               alt=f"fan {metric} programme area"))
        out.append(figure_html(wp.differences_figure(exp, metric, lang, self.diffs(metric, "area"),
                                                     where=self.area_names(), credit=self.credit_city(),
                                                     smallest=exp.smallest_effect(metric)[0]),
                               alt=f"difference {metric} programme area"))
        return "\n".join(out)

    def map_html(self):
        """Buurten coloured by the final-year difference of the primary outcome between the
        first contrast (else the best variant) and the baseline."""
        lang, exp = self.lang, self.exp
        metric = self.primary()
        city = next((u for u in (exp.context.get("units") or {}) if str(u).startswith("GM")), None)
        if not city or "buurt" not in exp.levels():
            return f'<p class="note">{self.t("map_missing")}</p>'
        contrasts = exp.contrasts()
        if contrasts:
            a, b = contrasts[0]["a"], contrasts[0]["b"]
        else:
            a = results.ranking(self.series(metric, self.scope), exp.baseline, metric)[0]["variant"]
            b = exp.baseline
            if a == b:
                a = self.others[0]
        try:
            outlines = buurt_map.load_outlines(city)
        except buurt_map.MapError as exc:
            return f'<p class="note">{esc(exc)}</p>'
        grid = results.unit_year_means(exp, metric, "buurt", a, b)
        year = max((max(ys) for ys in grid.values()), default=0)
        values = {u: ys.get(year) for u, ys in grid.items()}
        wijk_of = exp.context.get("wijk_of") or {}
        area = {u for u, w in wijk_of.items() if w in set(self.area)}
        unit = wp.difference_unit(metric, lang)
        fig = buurt_map.map_figure(
            outlines, values, lang,
            title=labels.text("map_title", lang, metric=metric_label(metric, lang), a=a, b=b, year=year),
            colour_label=labels.text("difference_of", lang, metric=metric_label(metric, lang)) + (f" ({unit})" if unit else ""),
            highlight=area, value_format=wp.difference_formatter(metric, lang), credit=exp.context.get("credit") or "")
        return figure_html(fig, alt="map of the buurten", caption=esc(self.t("map_note", a=a, b=b)))

    def scenarios_section(self):
        rows = []
        for name, desc, settings in self.exp.variant_info():
            s = ", ".join(f'<span class="mono">{esc(k)} = {esc(json.dumps(v))}</span>' for k, v in settings.items())
            label = esc(name) + (f" ({labels.text('baseline', self.lang)})"
                                 if name == self.exp.baseline else "")
            rows.append([label, esc(desc), s or self.t("as_is"), num_td(str(self.exp.runs_per_variant.get(name, 0)))])
        return (f"<h2>{self.t('scenarios')}</h2>"
                + table([self.t("scenario_col"), self.t("description_col"), self.t("settings_col"), "runs"], rows))

    def numbers_section(self):
        lang, exp = self.lang, self.exp
        metrics = list(dict.fromkeys(list(self.headline.values()) + [
            m for m in exp.outcomes if m not in ("phase", "programme_alive")]))
        rows = []
        for metric in metrics:
            first = True
            for v in self.others:
                r = self.final_row(v, metric)
                head = (f'<td rowspan="{len(self.others)}"><b>{esc(metric_label(metric, lang))}</b><br>'
                        f'<span class="note">{self.t("level_col", baseline=esc(exp.baseline))}: '
                        f'{fmt_value(metric, r["base"], lang)}</span></td>') if first else None
                first = False
                clear = r["low"] > 0 or r["high"] < 0
                diff = fmt_diff(metric, r["mean"], lang)
                row = [esc(v), num_td(f"<b>{diff}</b>" if clear else diff),
                       num_td(fmt_ci_clipped(metric, r, lang)), num_td(fmt_pct(r["p"], lang))]
                rows.append(([head] if head else []) + row)
        week = self.final_week()
        year = f"{labels.text('year_col', lang, n=fmt(week / WEEKS_PER_YEAR, 0, lang))}, week {week}"
        return (f"<h2>{self.t('numbers', year=year)}</h2>"
                + table(["", self.t("scenario_col"), self.t("diff_col"), "95%", self.t("p_col")], rows)
                + f'<p class="note">{esc(self.t("numbers_note", baseline=exp.baseline))}</p>')

    # ---- parameter uncertainty (comparison.json, key parameter_uncertainty) -------------------

    def uncertainty_of(self, variant, metric):
        """The city-level row's parameter_uncertainty for variant against the baseline, or None."""
        row = self.comparison_rows.get("city", {}).get((variant, metric)) or {}
        return row.get("parameter_uncertainty")

    def winner_and_share(self, variant, u):
        """(winner, loser, share of sets in which the winner is better) as compare decided it:
        its statement names the winner and the share; without one, from share_of_sets_better."""
        base = self.exp.baseline
        statement, share = u.get("statement") or "", u.get("share_of_sets_better")
        m = re.match(r"in (\d+)% of the plausible parameter sets, ", statement)
        if m:
            if statement[m.end():].startswith(f"{variant} beats {base} on "):
                return variant, base, int(m.group(1)) / 100
            return base, variant, int(m.group(1)) / 100
        if share is None:
            return None
        return (variant, base, share) if share >= 0.5 else (base, variant, 1 - share)

    def hinges_text(self, u, limit=3):
        """'participation.dropout (+0,62), …' with what kind of correlation it is."""
        lang = self.lang
        hinges = (u.get("hinges_on") or [])[:limit]
        if not hinges:
            return ""
        meaning = {p["name"]: p.get("meaning", "") for p in self.exp.context.get("parameters") or []}
        names = []
        for h in hinges:
            m = meaning.get(h["parameter"])
            names.append(f'<span class="mono">{esc(h["parameter"])}</span>'
                         + (f" ({esc(m)}; {fmt(h['correlation'], 2, lang, True)})" if m
                            else f" ({fmt(h['correlation'], 2, lang, True)})"))
        how = self.t("hinges_prcc") if "partial" in (u.get("hinges_method") or "") and "too few" not in \
            (u.get("hinges_method") or "") else self.t("hinges_few", sets=u.get("sets", "?"))
        return self.t("hinges_sentence", params=", ".join(names), how=esc(how))

    def robustness_sentence(self, variant, metric, hinges=True):
        """In words: in how many of the plausible parameter sets the one beats the other on
        `metric`, whether that ranking is robust, and what the difference hinges on."""
        u = self.uncertainty_of(variant, metric)
        if not u or u.get("sets", 0) < 2:
            return ""
        lang = self.lang
        lo, hi = (u.get("interval95_over_sets") or [None, None])[:2]
        # compare gives parameter uncertainty for city-level rows only: say so when the
        # report otherwise leads with the programme area.
        label = esc(metric_label(metric, lang)) + (" " + self.where("city") if self.area else "")
        if lo == 0 and hi == 0:
            return self.t("no_difference_sentence", variant=esc(variant), baseline=esc(self.exp.baseline),
                          metric=label)
        ws = self.winner_and_share(variant, u)
        if ws is None:  # an outcome without a better direction: only the spread over the sets
            return ""
        winner, loser, share = ws
        key = "robust_sentence" if u.get("robust") else "not_robust_sentence"
        text = self.t(key, pct=fmt_pct(share, lang), winner=esc(winner), loser=esc(loser), metric=label,
                      ci=fmt_ci(metric, lo, hi, lang))
        if hinges:
            h = self.hinges_text(u)
            text += (" " + h) if h else ""
        return text

    def uncertainty_section(self):
        """Whether the intervals include parameter uncertainty, and if so, per outcome, how firm
        each ranking against the baseline is and what it hinges on."""
        lang, exp = self.lang, self.exp
        head = f'<h2 id="parameter-uncertainty">{self.t("uncertainty")}</h2>'
        pu = self.parameter_uncertainty
        if not pu and exp.manifest.get("uncertainty"):
            # Drawn sets, but no per-row statements (a design store, or compare not yet run).
            return head + f'<p id="uncertainty-intro">{esc(self.t("uncertainty_no_rows"))}</p>'
        if not pu:
            return head + f'<p id="noise-only">{esc(self.t("noise_only"))}</p>'
        source = self.t("source_" + pu.get("source", "prior")) if pu.get("source") in ("prior", "posterior") \
            else esc(pu.get("source", ""))
        out = [head, f'<p id="uncertainty-intro">{esc(self.t("uncertainty_intro", sets=pu.get("sets", "?"), source=source))}</p>']
        primary = self.primary()
        sentences = [x for x in (self.robustness_sentence(v, primary) for v in self.others) if x] if primary else []
        if sentences:
            out.append("<ul>" + "".join(f"<li>{x}</li>" for x in sentences) + "</ul>")
        metrics = list(dict.fromkeys([primary] + list(self.headline.values()) + [
            m for m in exp.outcomes if m not in ("phase", "programme_alive")]))
        rows = []
        for metric in [m for m in metrics if m]:
            for v in self.others:
                u = self.uncertainty_of(v, metric)
                if not u or u.get("sets", 0) < 2:
                    continue
                lo, hi = (u.get("interval95_over_sets") or [None, None])[:2]
                robust = u.get("robust")
                hinges = ", ".join(f'<span class="mono">{esc(h["parameter"])}</span> ({fmt(h["correlation"], 2, lang, True)})'
                                   for h in (u.get("hinges_on") or [])[:3])
                rows.append([esc(metric_label(metric, lang)), esc(v),
                             num_td(fmt_pct(u.get("share_of_sets_better"), lang)),
                             num_td(fmt_ci(metric, lo, hi, lang)),
                             "–" if robust is None else labels.REPORT_TEXT[lang]["yes" if robust else "no"],
                             hinges or "–"])
        if rows:
            out.append(table(["", self.t("scenario_col"), self.t("unc_better_col"), self.t("unc_interval_col"),
                              self.t("unc_robust_col"), self.t("unc_hinges_col")], rows))
            out.append(f'<p class="note">{esc(self.t("unc_note", baseline=exp.baseline))}</p>')
        return "\n".join(out)

    def tipping_section(self):
        lang = self.lang
        metric = self.primary()
        if not metric:
            return ""
        lines = []
        found = {(t[0], t[1]): t for t in self.tipping_points()}
        years = fmt(self.final_week() / WEEKS_PER_YEAR, 0, lang)
        for v in self.others:
            hit = found.get((v, self.exp.baseline)) or found.get((self.exp.baseline, v))
            if hit:
                lines.append(self.t("tipping_found", winner=esc(hit[0]), loser=esc(hit[1]),
                                    metric=esc(metric_label(metric, lang)), where=self.where(self.scope),
                                    years=fmt_years(hit[2], lang), week=hit[2]))
            else:
                lines.append(self.t("tipping_none", years=years, metric=esc(metric_label(metric, lang)),
                                    variant=esc(v), baseline=esc(self.exp.baseline), where=self.where(self.scope)))
        lis = "".join(f"<li>{x}</li>" for x in lines)
        return (f"<h2>{self.t('tipping')}</h2><ul>{lis}</ul>"
                f'<p class="note">{self.t("tipping_rule", smallest=self.smallest_text(metric))}</p>')

    def _cost(self, variant, against=None):
        if not hasattr(self, "_costs"):
            self._costs = {}
        key = (variant, against or self.exp.baseline)
        if key not in self._costs:
            self._costs[key] = results.cost_per_active(self.exp, variant, against, self.scope)
        return self._costs[key]

    def cost_section(self):
        lang, exp = self.lang, self.exp
        head = f"<h2>{self.t('cost')}</h2>"
        first = self._cost(self.others[0])
        if first["status"] == "not_recorded":
            return head + f'<p>{esc(self.t("cost_not_recorded", missing=", ".join(first["missing"])))}</p>'
        rows = []
        for v in self.others:
            c = self._cost(v)
            if c["status"] == "ok":
                cost = (f'<b>{fmt_euro(c["cost"], lang)}</b><br><span class="note">95%: '
                        f'{fmt_euro(c["cost_ci"][0], lang)} … {fmt_euro(c["cost_ci"][1], lang)}</span>')
            elif c["status"] == "uncertain_gain":
                cost = f'{fmt_euro(c["cost"], lang)}<br><span class="note">{self.t("uncertain_gain")}</span>'
            else:
                cost = self.t("no_gain")
                if "reverse_cost" in c:
                    lo, hi = c["reverse_cost_ci"]
                    cost += "<br><span class=\"note\">" + esc(self.t(
                        "reverse_cost", baseline=exp.baseline, cost=fmt_euro(c["reverse_cost"], lang),
                        ci=f"95%: {fmt_euro(lo, lang)} … {fmt_euro(hi, lang)}")) + "</span>"
            rows.append([esc(v),
                         num_td(f'{fmt_euro(c["extra_euros"], lang, True)}<br><span class="note">'
                                f'{fmt_euro(c["extra_euros_ci"][0], lang, True)} … {fmt_euro(c["extra_euros_ci"][1], lang, True)}</span>'),
                         num_td(f'{fmt(c["extra_active"], 0, lang, True)}<br><span class="note">'
                                f'{fmt(c["extra_active_ci"][0], 0, lang, True)} … {fmt(c["extra_active_ci"][1], 0, lang, True)}</span>'),
                         cost])
        staff = "staff_euros" in first["included"]
        note = self.t("cost_note", baseline=esc(exp.baseline), where=self.where(self.scope)) + " " + \
            self.t("cost_staff" if staff else "cost_no_staff")
        return (head + table([self.t("scenario_col"), self.t("extra_euros_col"),
                              self.t("extra_active_col", where=self.where(self.scope)),
                              self.t("cost_col")], rows)
                + f'<p class="note">{note}</p>')

    def charts_section(self):
        lang, exp = self.lang, self.exp
        out = [f"<h2>{self.t('charts')}</h2>", f'<p class="note">{self.t("charts_note")}</p>']
        phases = self.series("phase") if "phase" in exp.outcomes else None
        metrics = list(dict.fromkeys(self.headline.values())) or exp.outcomes[:3]
        for metric in metrics:
            out.append(figure_html(wp.variant_fans_figure(exp, metric, lang, self.series(metric), phases,
                                                          where=self.where_city(), credit=self.credit_city()),
                                   alt=f"fan {metric}"))
        if self.others:
            out.append(f"<h2>{esc(self.t('differences', baseline=exp.baseline))}</h2>")
            for metric in metrics:
                out.append(figure_html(wp.differences_figure(exp, metric, lang, self.diffs(metric),
                                                             where=self.where_city(), credit=self.credit_city(),
                                                             smallest=exp.smallest_effect(metric)[0]),
                                       alt=f"difference {metric}"))
            out.append(f"<h2>{self.t('ranking')}</h2>")
            rankings = {m: results.ranking(self.series(m), exp.baseline, m) for m in metrics}
            out.append(figure_html(wp.ranking_figure(exp, rankings, lang, credit=self.credit_city()), alt="ranking"))
            first = metrics[0]
            rows = [[esc(r["variant"]), num_td(fmt_value(first, r["level"], lang)),
                     num_td(fmt_diff(first, r["mean"], lang) if r["variant"] != exp.baseline else "–"),
                     num_td(fmt_pct(r["p_best"], lang))] for r in rankings[first]]
            out.append(table([self.t("scenario_col"), metric_label(first, lang), self.t("diff_col"),
                              self.t("p_best_col")], rows))
            out.append(f'<p class="note">{esc(self.t("ranking_note", metric=metric_label(first, lang)))}</p>')
        if "buurt" in exp.levels() and metrics:
            metric = metrics[0]
            best = results.ranking(self.series(metric), exp.baseline, metric)[0]["variant"] \
                if self.others else exp.baseline
            minus = exp.baseline if best != exp.baseline else None
            grid = wp.experiment_heatgrid(exp, metric, best, minus)
            title = (labels.text("heatgrid_diff_title", lang, metric=metric_label(metric, lang),
                                 variant=best, baseline=exp.baseline) if minus else None)
            out.append(f"<h2>{self.t('heatgrid')}</h2>")
            out.append(figure_html(wp.heatgrid_figure(grid, exp.context.get("units") or {}, metric,
                                                      "buurt", lang, title=title, diverging=bool(minus)),
                                   alt="heat grid",
                                   caption=esc(self.t("heatgrid_note", metric=metric_label(metric, lang),
                                                      variant=best, baseline=exp.baseline))))
        return "\n".join(out)

    def sensitivity_section(self):
        lang = self.lang
        head = f"<h2>{self.t('sensitivity')}</h2>"
        if not self.sens:
            return head + f'<p class="note">{self.t("no_sensitivity")}</p>'
        sens = self.sens
        note = self.t("sobol_note" if sens["method"] == "sobol" else "morris_note")
        key = "ST" if sens["method"] == "sobol" else "mu_star"
        tops = []
        for outcome, entry in wp.sensitivity_entries(sens).items():
            ranked = sorted(entry["indices"], key=lambda i: -(wp._est(i, key)[0]
                                                             if not math.isnan(wp._est(i, key)[0]) else -1))
            blocks = ", ".join(f"{esc(labels.parameter_label(i['parameter'], lang))} "
                               f"({key} {fmt(wp._est(i, key)[0], 2, lang)})" for i in ranked[:3])
            tops.append(f"<li>{self.t('top_blocks', metric=esc(metric_label(outcome, lang)), blocks=blocks)}</li>")
        return (head + f"<ul>{''.join(tops)}</ul>"
                + figure_html(wp.sensitivity_figure(sens, lang), alt=f"{sens['method']} indices")
                + f'<p class="note">{note} ({esc(os.path.abspath(self.sens_dir))})</p>')

    def assumptions_section(self):
        lang, exp = self.lang, self.exp
        params = exp.context.get("parameters") or []
        changes = {}
        for name, _desc, settings in exp.variant_info():
            for k, v in settings.items():
                changes.setdefault(k, []).append(f"{name}: {json.dumps(v)}")
        design = exp.manifest.get("design") or {}
        ranges = ((exp.manifest.get("experiment") or {}).get("design") or {}).get("parameters") or {}
        for path in design.get("parameters") or []:
            lo, hi = (ranges.get(path) or [None, None])[:2]
            changes.setdefault(path, []).append(self.t("design_range", low=lo, high=hi))
        # The experiment, not the scenario, decides replicates and seed.
        changes.setdefault("simulation.replicates", []).append(f"experiment: {exp.manifest.get('replicates')}")
        seed = (exp.manifest.get("seeds") or {}).get("experiment")
        if seed is not None:
            changes.setdefault("simulation.seed", []).append(f"experiment: {seed}")
        rows = self.scenario_assumption_rows()
        known = set()
        for p in params:
            known.add(p["name"])
            value, default = p.get("value"), p.get("default")
            differs = value != default and not (isinstance(value, float) and isinstance(default, (int, float))
                                                and abs(value - default) <= 1e-9 * max(1, abs(default)))
            v = esc(_fmt_param(value, lang))
            rows.append([f'<span class="mono">{esc(p["name"])}</span>', num_td(f"<b>{v}</b>" if differs else v),
                         num_td(esc(_fmt_param(default, lang))), esc(p.get("unit", "")),
                         esc(p.get("meaning", "")), esc(p.get("source", "")),
                         esc("; ".join(changes.get(p["name"], [])))])
        for path, what in changes.items():  # settings outside the table (e.g. phase lengths)
            if path not in known:
                rows.append([f'<span class="mono">{esc(path)}</span>', "", "", "", "", "", esc("; ".join(what))])
        return (f"<h2>{self.t('assumptions')}</h2>"
                f'<p class="note">{esc(self.t("assumptions_note", baseline=exp.baseline))}</p>'
                f"<details open><summary>{len(rows)} {self.t('param_col')}s</summary>"
                + table([self.t(k) for k in ("param_col", "value_col", "default_col", "unit_col",
                                             "meaning_col", "source_col", "variants_col")], rows, "params")
                + "</details>")

    def scenario_notes(self):
        """The scenario file's "notes" (where its figures come from, e.g. deprivation), if readable."""
        path = (self.exp.context.get("scenario") or {}).get("file")
        try:
            with open(path, encoding="utf-8") as f:
                return str(json.load(f).get("notes") or "")
        except (OSError, TypeError, ValueError, AttributeError):
            return ""

    def scenario_assumption_rows(self):
        """What the scenario itself assumes, before the parameters: where the programme works,
        when it starts, and the deprivation per buurt with the data behind it."""
        ctx, lang = self.exp.context, self.lang
        units = ctx.get("units") or {}
        scen = ctx.get("scenario") or {}
        area = ", ".join(f"{units.get(w, w)} ({w})" for w in self.area) or self.t("in_city")
        start_b = (ctx.get("programme_area") or {}).get("start_buurten") or []
        if start_b:
            area += "; start: " + ", ".join(f"{units.get(b, b)} ({b})" for b in start_b)
        dep = ctx.get("deprivation") or {}
        vals = sorted(dep.values())
        dep_text = self.t("deprivation_value", n=len(vals), lo=_fmt_param(float(vals[0]), lang),
                          hi=_fmt_param(float(vals[-1]), lang)) if vals else ""
        source = esc(ctx.get("credit") or "")
        notes = esc((scen.get("description") or "")[:0])
        rows = [[f"<b>{self.t('area_row')}</b>", esc(area), "", "", esc(self.t("assumption_meaning_area")),
                 esc(str(scen.get("file") or "")), ""],
                [f"<b>{self.t('start_row')}</b>", esc(scen.get("start_date") or ""), "", "",
                 esc(self.t("assumption_meaning_start")), esc(str(scen.get("file") or "")), ""]]
        if dep_text:
            rows.append([f"<b>{self.t('deprivation_row')}</b>", esc(dep_text), "", "0–1",
                         esc(self.t("assumption_meaning_deprivation")),
                         esc(self.scenario_notes() or str(scen.get("file") or "")) + notes, ""])
        if source:
            rows.append([f"<b>{self.t('data_row')}</b>", source, "", "", "", "", ""])
        return rows

    def technical_section(self):
        lang, exp = self.lang, self.exp
        m = exp.manifest
        eng = dict(m.get("engine") or {})
        first = [f"wijksim {eng.pop('version', '?')}", f"git {eng.pop('git_revision', '?')}",
                 str(eng.pop("compiler", ""))]
        eng_s = ", ".join([x for x in first if x] + [
            f"{k} {v}" if not isinstance(v, dict) else
            f"{k}: " + ", ".join(f"{a} {b}" for a, b in v.items()) for k, v in eng.items()])
        seeds = m.get("seeds") or {}
        scen = exp.context.get("scenario") or {}
        rows = [
            [self.t("engine"), esc(eng_s)],
            [self.t("seeds"), esc(self.t("seed_rule", seed=seeds.get("experiment", "?")))],
            [self.t("store"), esc(self.t("runs_line", ok=exp.ok_runs, failed=exp.failed_runs,
                                         reps=m.get("replicates"), week=self.final_week()))],
            ["experiment", f'<span class="mono">{esc(m.get("experiment_file", ""))}</span> (hash {esc(m.get("experiment_hash", ""))})'],
            ["scenario", f'<span class="mono">{esc(scen.get("file") or m.get("scenario_file", ""))}</span>'
                         f' (hash {esc(scen.get("hash", "?"))})'],
            ["command", f'<span class="mono">{esc(m.get("command_line", ""))}</span>'],
            ["created", esc(m.get("created_utc", ""))],
            ["report", esc(datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))],
        ]
        if exp.comparison:
            b = exp.comparison.get("bootstrap") or {}
            rows.append(["bootstrap", esc(f"{b.get('method')}, {b.get('resamples')} resamples, seed {b.get('seed')}")])
        out = f"<h2>{self.t('technical')}</h2>" + table(["", ""], rows)
        if self.bench:
            try:
                out += f"<h3>{self.t('bench')}</h3>" + figure_html(wp.bench_figure(self.bench, lang), alt="benchmark")
            except wp.PlotError as exc:
                out += f'<p class="note">{esc(exc)}</p>'
        return out


def _fmt_param(v, lang):
    if isinstance(v, bool):
        return labels.REPORT_TEXT[lang]["yes" if v else "no"]
    if isinstance(v, float):
        return fmt(v, 6, lang).rstrip("0").rstrip(",.") if v != int(v) else fmt(v, 0, lang)
    return "" if v is None else str(v)


def write_report(exp_dir, out, lang="nl", sensitivity_dir=None, bench=None):
    exp = results.open_experiment(exp_dir)
    # Temporary name, then rename: a failure never leaves a file that looks complete. Opened
    # first, so an unwritable --out fails before any chart is drawn.
    tmp = f"{out}.tmp-{os.getpid()}"
    try:
        f = open(tmp, "w", encoding="utf-8")
    except OSError as exc:
        exp.close()
        raise ReportError(f"cannot write {out}: {exc}") from exc
    try:
        with f:
            sens = None
            if sensitivity_dir:
                sens = results.load_sensitivity(sensitivity_dir)
                if sens is None:
                    raise results.ResultsError(
                        f"{sensitivity_dir}: no sensitivity.json (run 'wijksim sensitivity "
                        f"{sensitivity_dir}' on a store with a sobol or morris design)")
            else:
                sens, sensitivity_dir = results.load_sensitivity(exp_dir), exp_dir
            page = Report(exp, lang, sens, sensitivity_dir, bench).build()
            f.write(page)
        os.replace(tmp, out)
    except BaseException as exc:
        try:
            os.remove(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise ReportError(f"cannot write {out}: {exc}") from exc
        raise
    finally:
        exp.close()
    return len(page)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="report.py", description="One-file HTML report of a wijksim experiment.")
    parser.add_argument("exp_dir", metavar="EXPERIMENT_DIR")
    parser.add_argument("--out", required=True)
    parser.add_argument("--lang", choices=labels.LANGS, default="nl")
    parser.add_argument("--sensitivity", metavar="SDIR")
    parser.add_argument("--bench", metavar="BENCHMARK.json")
    args = parser.parse_args(argv)
    try:
        size = write_report(args.exp_dir, args.out, args.lang, args.sensitivity, args.bench)
    except (ReportError, results.ResultsError, wp.PlotError, catalogue.CatalogueError) as exc:
        print(f"report: error: {exc}", file=sys.stderr)
        # A full disk is a failure while running (1), not bad input (2).
        full = getattr(exc.__cause__, "errno", None) in (errno.ENOSPC, errno.EDQUOT, errno.EIO)
        return 1 if full else 2
    print(f"report: wrote {args.out} ({size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
