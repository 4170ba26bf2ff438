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
import html
import io
import json
import math
import os
import sys

try:
    import matplotlib  # noqa: F401
except ImportError:
    print("report.py: error: matplotlib is missing; run with Debian's /usr/bin/python3 and "
          "apt-get install python3-matplotlib", file=sys.stderr)
    sys.exit(3)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import matplotlib.pyplot as plt  # noqa: E402

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
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:+,.{decimals}f}" if sign else f"{x:,.{decimals}f}"
    if lang == "nl":  # 1.234,5 in Dutch
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return s.replace("-", "−")


def fmt_value(metric, x, lang, sign=False):
    """A level (share as %, count or mean) in the outcome's own terms."""
    if wp.is_share(metric):
        return fmt(100 * x, 1, lang, sign) + "%"
    if metric in ("active_residents", "initiators", "incidents", "residents", "euros_spent", "moved_in") or abs(x) >= 100:
        return fmt(x, 0, lang, sign)
    return fmt(x, 3, lang, sign)


def fmt_diff(metric, x, lang):
    if wp.is_share(metric):
        return fmt(100 * x, 1, lang, sign=True) + " " + report_text("pp", lang)
    return fmt_value(metric, x, lang, sign=True)


def fmt_ci(metric, lo, hi, lang, diff=True):
    f = (lambda v: fmt_diff(metric, v, lang)) if diff else (lambda v: fmt_value(metric, v, lang))
    return f"{f(lo)} … {f(hi)}"


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
        self.comparison_rows = results.load_comparison_rows(exp) if not exp.has_design() else {}

    def t(self, key, **kw):
        return report_text(key, self.lang, **kw)

    def series(self, metric):
        if metric not in self._series:
            self._series[metric] = self.exp.series(metric)
        return self._series[metric]

    def diffs(self, metric):
        return wp.experiment_differences(self.exp, metric, self.series(metric))

    def final_row(self, variant, metric):
        """Final-week comparison of a variant: comparison.json where it applies (no design),
        else computed from the store the same way (paired t-interval)."""
        row = self.comparison_rows.get((variant, metric))
        d = next(x for x in self.diffs(metric) if x.variant == variant)
        if row and row.get("ci95_t") and row["ci95_t"][0] is not None:
            return {"mean": row["mean_difference"], "low": row["ci95_t"][0],
                    "high": row["ci95_t"][1], "p": row.get("probability_of_improvement"),
                    "first": row.get("first_week_significant"), "week": row.get("week"),
                    "base": row.get("baseline_mean")}
        final = d.final
        sign = {"higher": 1, "lower": -1}.get(results.direction(metric), 0)
        p = float((sign * final > 0).mean()) if sign and len(final) else None
        base = self.series(metric)[self.exp.baseline]
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
        parts = [f"<h1>{esc(self.t('title', scenario=scen))}</h1>",
                 f'<p class="sub">{esc(self.t("subtitle", runs=exp.ok_runs, variants=len(exp.variants), reps=reps, created=str(exp.manifest.get("created_utc", ""))[:10]))}</p>',
                 f"<h2>{self.t('question')}</h2>",
                 f'<p class="question">{esc(exp.description() or self.t("no_question"))}</p>']
        if ctx.get("scenario_warning"):
            parts.append(f'<p class="warn"><b>{self.t("warning")}:</b> {esc(ctx["scenario_warning"])}</p>')
        if exp.has_design():
            d = exp.manifest["design"]
            parts.append(f'<p class="note">{esc(self.t("design_note", method=d.get("method"), points=len(d.get("points") or [])))}</p>')
        if self.others:
            parts.append(self.headline_section())
        parts.append(self.scenarios_section())
        if self.others:
            parts.append(self.numbers_section())
            parts.append(self.tipping_section())
            parts.append(self.cost_section())
        parts.append(self.charts_section())
        parts.append(self.sensitivity_section())
        parts.append(self.assumptions_section())
        parts.append(self.technical_section())
        parts.append(f'<p class="note">{esc(self.t("footer", store=os.path.abspath(exp.path())))}</p>')
        title = esc(self.t("title", scenario=scen))
        return ("<!DOCTYPE html>\n"
                f'<html lang="{self.lang}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                # Belt and braces: even a stray URL in a description cannot make it fetch.
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                "img-src data:; style-src 'unsafe-inline'\">"
                f"<title>{title}</title><style>{CSS}</style></head><body>\n"
                + "\n".join(parts) + "\n</body></html>\n")

    def tipping_points(self):
        """[(winner, loser, week, diff row)] for the active-residents outcome."""
        metric = self.headline.get("active")
        if not metric:
            return []
        out = []
        for v in self.others:
            row = self.final_row(v, metric)
            if row["first"] is None:
                continue
            if row["mean"] > 0:
                out.append((v, self.exp.baseline, row["first"], row))
            elif row["mean"] < 0:
                out.append((self.exp.baseline, v, row["first"], row))
        return out

    def headline_section(self):
        lang, exp = self.lang, self.exp
        items = []
        years = fmt(self.final_week() / WEEKS_PER_YEAR, 0, lang)
        active = self.headline.get("active")
        tips = self.tipping_points()
        if active and tips:
            # The programme-against-no-programme comparison answers "how long" most directly.
            no_prog = [t for t in tips if self._programme_off(t[0]) or self._programme_off(t[1])]
            w, l, week, row = (no_prog or sorted(tips, key=lambda t: t[2]))[0]
            mean = abs(row["mean"])
            ci = fmt_ci(active, *sorted((abs(row["low"]), abs(row["high"]))), lang)
            items.append(self.t("headline_tipping", winner=esc(w), loser=esc(l),
                                years=fmt_years(week, lang), diff=fmt_diff(active, mean, lang), ci=ci))
        elif active:
            items.append(self.t("headline_no_tipping", years=years, baseline=esc(exp.baseline)))
        for role in ("active", "safety", "trust"):
            metric = self.headline.get(role)
            if not metric:
                continue
            ranks = results.ranking(self.series(metric), exp.baseline, metric)
            best = ranks[0]
            if best["variant"] != exp.baseline:
                row = self.final_row(best["variant"], metric)
                items.append(self.t("headline_effect", metric=esc(metric_label(metric, lang)).capitalize(),
                                    variant=esc(best["variant"]), diff=fmt_diff(metric, row["mean"], lang),
                                    baseline=esc(exp.baseline),
                                    ci=fmt_ci(metric, row["low"], row["high"], lang),
                                    p=fmt_pct(row["p"], lang)))
            else:
                items.append(self.t("headline_best", metric=esc(metric_label(metric, lang)),
                                    variant=esc(best["variant"]), p=fmt_pct(best["p_best"], lang)))
        for v in self.others:
            c = self._cost(v)
            if c.get("status") == "ok":
                items.append(self.t("headline_cost", variant=esc(v), cost=fmt_euro(c["cost"], lang),
                                    ci=f'{fmt_euro(c["cost_ci"][0], lang)} … {fmt_euro(c["cost_ci"][1], lang)}'))
        lis = "".join(f"<li>{i}</li>" for i in items)
        return f'<div class="headline"><h2 style="border:0;margin-top:10px">{self.t("headline")}</h2><ul>{lis}</ul></div>'

    def _programme_off(self, variant):
        settings = dict(self.exp.variant_info()[self.exp.variants.index(variant)][2])
        return settings.get("programme.enabled") is False

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
                       num_td(fmt_ci(metric, r["low"], r["high"], lang)), num_td(fmt_pct(r["p"], lang))]
                rows.append(([head] if head else []) + row)
        week = self.final_week()
        year = f"{labels.text('year_col', lang, n=fmt(week / WEEKS_PER_YEAR, 0, lang))}, week {week}"
        return (f"<h2>{self.t('numbers', year=year)}</h2>"
                + table(["", self.t("scenario_col"), self.t("diff_col"), "95%", self.t("p_col")], rows)
                + f'<p class="note">{esc(self.t("numbers_note", baseline=exp.baseline))}</p>')

    def tipping_section(self):
        lang = self.lang
        metric = self.headline.get("active")
        if not metric:
            return ""
        lines = []
        found = {(t[0], t[1]): t for t in self.tipping_points()}
        years = fmt(self.final_week() / WEEKS_PER_YEAR, 0, lang)
        for v in self.others:
            hit = found.get((v, self.exp.baseline)) or found.get((self.exp.baseline, v))
            if hit:
                lines.append(self.t("tipping_found", winner=esc(hit[0]), loser=esc(hit[1]),
                                    metric=esc(metric_label(metric, lang)),
                                    years=fmt_years(hit[2], lang), week=hit[2]))
            else:
                lines.append(self.t("tipping_none", years=years, metric=esc(metric_label(metric, lang)),
                                    variant=esc(v), baseline=esc(self.exp.baseline)))
        lis = "".join(f"<li>{x}</li>" for x in lines)
        return (f"<h2>{self.t('tipping')}</h2><ul>{lis}</ul>"
                f'<p class="note">{self.t("tipping_rule")}</p>')

    def _cost(self, variant):
        if not hasattr(self, "_costs"):
            self._costs = {}
        if variant not in self._costs:
            self._costs[variant] = results.cost_per_active(self.exp, variant)
        return self._costs[variant]

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
        return (head + table([self.t("scenario_col"), self.t("extra_euros_col"), self.t("extra_active_col"),
                              self.t("cost_col")], rows)
                + f'<p class="note">{self.t("cost_note", baseline=esc(exp.baseline))}</p>')

    def charts_section(self):
        lang, exp = self.lang, self.exp
        out = [f"<h2>{self.t('charts')}</h2>", f'<p class="note">{self.t("charts_note")}</p>']
        phases = self.series("phase") if "phase" in exp.outcomes else None
        metrics = list(dict.fromkeys(self.headline.values())) or exp.outcomes[:3]
        for metric in metrics:
            out.append(figure_html(wp.variant_fans_figure(exp, metric, lang, self.series(metric), phases),
                                   alt=f"fan {metric}"))
        if self.others:
            out.append(f"<h2>{esc(self.t('differences', baseline=exp.baseline))}</h2>")
            for metric in metrics:
                out.append(figure_html(wp.differences_figure(exp, metric, lang, self.diffs(metric)),
                                       alt=f"difference {metric}"))
            out.append(f"<h2>{self.t('ranking')}</h2>")
            rankings = {m: results.ranking(self.series(m), exp.baseline, m) for m in metrics}
            out.append(figure_html(wp.ranking_figure(exp, rankings, lang), alt="ranking"))
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
        rows = []
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
    except (ReportError, results.ResultsError, wp.PlotError) as exc:
        print(f"report: error: {exc}", file=sys.stderr)
        return 2
    print(f"report: wrote {args.out} ({size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
