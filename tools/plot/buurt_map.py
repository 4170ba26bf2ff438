"""A map of the buurten of one gemeente, coloured by a value per buurt (e.g. the difference a
programme makes), from the outlines shipped in data/cbs/cbs-buurt-2024-outlines/GM….json.

Each outline file holds SVG paths ("M x y L x y … Z", absolute moves and lines only) in the
gemeente's own pixel frame, y pointing down, north up. Source: CBS/PDOK Wijk- en buurtkaart 2024
(generalised), CC BY 4.0.
"""

import json
import os
import re

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.patches import Patch, Polygon

import labels

OUTLINE_CREDIT = "Kaart: CBS/PDOK, Wijk- en buurtkaart 2024"
_HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUTLINE_DIR = os.path.normpath(os.path.join(_HERE, "..", "..", "data", "cbs", "cbs-buurt-2024-outlines"))
_TOKEN = re.compile(r"[MLZmlz]|-?\d+(?:\.\d+)?")


class MapError(Exception):
    pass


def parse_path(d):
    """Rings [(n, 2) arrays] of an SVG path made of M, L and Z commands (absolute)."""
    rings, ring, numbers, command = [], [], [], None
    for tok in _TOKEN.findall(d):
        if tok in "MLZmlz":
            if tok.upper() != tok:
                raise MapError(f"relative path command '{tok}' not supported")
            if tok == "M" and ring:
                rings.append(np.array(ring))
                ring = []
            if tok == "Z":
                if ring:
                    rings.append(np.array(ring))
                ring = []
            command = tok
            continue
        numbers.append(float(tok))
        if len(numbers) == 2:
            if command not in ("M", "L"):
                raise MapError(f"coordinates after '{command}' in path")
            ring.append(tuple(numbers))
            numbers = []
    if ring:
        rings.append(np.array(ring))
    return [r for r in rings if len(r) >= 3]


def load_outlines(gemeente, folder=None):
    """{buurt code: (name, rings)} of a gemeente (code such as GM0150)."""
    path = os.path.join(folder or os.environ.get("WIJKSIM_OUTLINES", DEFAULT_OUTLINE_DIR), f"{gemeente}.json")
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as exc:
        raise MapError(f"{path}: no buurt outlines for {gemeente}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise MapError(f"{path}: not valid JSON: {exc}") from exc
    return {ft["code"]: (ft.get("naam", ft["code"]), parse_path(ft["d"])) for ft in doc.get("features", [])}


def map_figure(outlines, values, lang="nl", title="", colour_label="", highlight=(), value_format=None,
               credit=""):
    """Buurten coloured by `values` ({code: number}, diverging around zero); buurten without a
    value grey; `highlight` buurten (the programme area) drawn with a heavy outline."""
    fig, ax = plt.subplots(figsize=(8.0, 5.6), layout="constrained")
    finite = [v for v in values.values() if v == v]
    bound = max((abs(v) for v in finite), default=1.0) or 1.0
    cmap = plt.get_cmap("PuOr_r")
    norm = plt.Normalize(-bound, bound)
    shaded, blank, edges = [], [], []
    colours = []
    for code, (_name, rings) in outlines.items():
        v = values.get(code)
        for ring in rings:
            poly = Polygon(ring, closed=True)
            if v is None or v != v:
                blank.append(poly)
            else:
                shaded.append(poly)
                colours.append(cmap(norm(v)))
            if code in highlight:
                edges.append(Polygon(ring, closed=True))
    ax.add_collection(PatchCollection(blank, facecolor="#eeeeee", edgecolor="#bbbbbb", linewidth=0.4,
                                      hatch="...."))
    ax.add_collection(PatchCollection(shaded, facecolor=colours, edgecolor="#666666", linewidth=0.4))
    ax.add_collection(PatchCollection(edges, facecolor="none", edgecolor="black", linewidth=1.8))
    pts = np.vstack([r for _n, rings in outlines.values() for r in rings]) if outlines else np.zeros((1, 2))
    pad = 5
    ax.set_xlim(pts[:, 0].min() - pad, pts[:, 0].max() + pad)
    ax.set_ylim(pts[:, 1].max() + pad, pts[:, 1].min() - pad)  # SVG y points down
    ax.set_aspect("equal")
    ax.axis("off")
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(sm, ax=ax, shrink=0.7)
    bar.set_label(colour_label, fontsize=8)
    if value_format is not None:
        bar.ax.yaxis.set_major_formatter(value_format)
    handles = [Patch(facecolor="none", edgecolor="black", linewidth=1.8, label=labels.text("map_area", lang)),
               Patch(facecolor="#eeeeee", edgecolor="#bbbbbb", hatch="....", label=labels.text("map_no_value", lang))]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.02), ncol=2, fontsize=8, frameon=False)
    ax.set_title(title, fontsize=11)
    fig.supxlabel("; ".join(x for x in (credit, OUTLINE_CREDIT) if x), x=0.01, ha="left", fontsize=7, color="0.3")
    return fig
