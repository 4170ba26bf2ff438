#!/usr/bin/python3
"""How much do process leadership and trust matter for active residents in Hengelo-Noord?

A researcher's script with the wijksim Python module: sweep independent process leadership
x initial institutional trust over a grid (an experiment with common random numbers), fit
    active_share = b0 + b1 leadership + b2 trust + b3 leadership x trust
by ordinary least squares (numpy) on the final-week share of active residents of every run,
and draw the grid and the fit with matplotlib.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/leadership_trust.py --out out/leadership-trust

Writes OUT/leadership_trust.png, OUT/fit.json, OUT/final.csv and the store OUT/store/ (rerun
to resume it; wijksim.open(OUT + "/store") reads it back).
"""
import argparse
import json
import os
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import wijksim  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[1]
LEADERSHIP, TRUST = "building_blocks.process_leadership", "building_blocks.trust"


def sweep(args):
    """Runs the grid: every (leadership, trust) point, `replicates` replicates each."""
    spec = {
        "description": "process leadership x trust on hengelo-noord (examples/leadership_trust.py)",
        "scenario": str(REPO / "scenarios/hengelo-noord.json"),
        "years": args.years,
        "replicates": args.replicates,
        "seed": 1,
        "outcomes": ["active_share", "unsafe_share"],
        "variants": [{"name": "programme"}],
        "design": {"method": "grid", "samples": args.levels,
                   "parameters": {LEADERSHIP: [0.0, 1.0], TRUST: [0.2, 0.8]}},
    }
    return wijksim.experiment(spec, out=os.path.join(args.out, "store"), threads=args.threads)


def ols(y, columns):
    """Least squares with classical standard errors and 95% intervals (normal approximation)."""
    names = list(columns)
    X = np.column_stack([np.ones_like(y)] + [columns[n] for n in names])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    dof = len(y) - X.shape[1]
    sigma2 = resid @ resid / dof
    se = np.sqrt(np.diag(sigma2 * np.linalg.pinv(X.T @ X)))
    r2 = 1 - (resid @ resid) / np.sum((y - y.mean()) ** 2)
    coef = {n: {"estimate": float(b), "se": float(s), "ci95": [float(b - 1.96 * s), float(b + 1.96 * s)]}
            for n, b, s in zip(["intercept"] + names, beta, se)}
    return coef, float(r2), beta


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--years", type=float, default=6)
    ap.add_argument("--levels", type=int, default=5, help="grid values per parameter")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--out", default="out/leadership-trust")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    exp = sweep(args)
    # Final-week city values per run, with the design's parameter values as columns.
    final = exp.final("city").merge(exp.runs[["variant", "design_point", "replicate", LEADERSHIP, TRUST]],
                                    on=["variant", "design_point", "replicate"])
    final = final.rename(columns={LEADERSHIP: "process_leadership", TRUST: "trust"})
    final[["design_point", "replicate", "process_leadership", "trust", "active_share", "unsafe_share"]].to_csv(
        os.path.join(args.out, "final.csv"), index=False)

    L, T, y = (final[c].to_numpy(float) for c in ("process_leadership", "trust", "active_share"))
    coef, r2, beta = ols(y, {"process_leadership": L, "trust": T, "process_leadership:trust": L * T})
    fit = {"model": "active_share ~ process_leadership * trust (OLS, final week, city)", "n": int(len(y)),
           "r2": r2, "coefficients": coef, "years": args.years, "replicates": args.replicates}
    with open(os.path.join(args.out, "fit.json"), "w") as f:
        json.dump(fit, f, indent=2)

    print(f"active_share ~ process_leadership * trust   (n = {len(y)} runs, R^2 = {r2:.3f})")
    print(f"  {'term':28s} {'estimate':>10s} {'95% CI':>24s}")
    for name, c in coef.items():
        print(f"  {name:28s} {c['estimate']:10.5f}   [{c['ci95'][0]:9.5f}, {c['ci95'][1]:9.5f}]")

    # Figure: (a) mean final share over the grid, (b) share against trust per leadership level
    # with the fitted lines.
    grid = final.groupby(["process_leadership", "trust"])["active_share"].mean().unstack("trust")
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.5), constrained_layout=True)
    im = a.imshow(100 * grid.to_numpy(), origin="lower", aspect="auto", cmap="viridis",
                  extent=[-0.5, len(grid.columns) - 0.5, -0.5, len(grid.index) - 0.5])
    a.set_xticks(range(len(grid.columns)), [f"{t:.2f}" for t in grid.columns])
    a.set_yticks(range(len(grid.index)), [f"{v:.2f}" for v in grid.index])
    middle = 100 * (grid.to_numpy().min() + grid.to_numpy().max()) / 2
    for i, lv in enumerate(grid.index):
        for j, tv in enumerate(grid.columns):
            v = 100 * grid.loc[lv, tv]
            a.text(j, i, f"{v:.1f}", ha="center", va="center", color="black" if v > middle else "white", fontsize=8)
    a.set_xlabel("initial trust")
    a.set_ylabel("process leadership")
    a.set_title(f"Active residents after {args.years:g} year{'' if args.years == 1 else 's'} (%, mean of {args.replicates})")
    fig.colorbar(im, ax=a, label="% active residents")
    colours = plt.cm.plasma(np.linspace(0, 0.85, len(grid.index)))
    tt = np.linspace(T.min(), T.max(), 50)
    step = np.diff(grid.columns.to_numpy()).min() if len(grid.columns) > 1 else 0.1
    for k, (colour, lv) in enumerate(zip(colours, grid.index)):
        sel = np.isclose(L, lv)
        # points side by side per leadership level, so the levels do not hide each other
        offset = (k - (len(grid.index) - 1) / 2) * 0.12 * step / max(1, len(grid.index) - 1)
        b.scatter(T[sel] + offset, 100 * y[sel], s=12, alpha=0.6, color=colour)
        b.plot(tt, 100 * (beta[0] + beta[1] * lv + beta[2] * tt + beta[3] * lv * tt), color=colour,
               label=f"leadership {lv:.2f}")
    b.set_xlabel("initial trust")
    b.set_ylabel("% active residents (final week)")
    b.set_title(f"OLS with interaction, R² = {r2:.2f}")
    b.legend(fontsize=8)
    fig.suptitle("Hengelo-Noord: process leadership x trust (wijksim)")
    png = os.path.join(args.out, "leadership_trust.png")
    fig.savefig(png, dpi=100)
    print(f"figure: {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
