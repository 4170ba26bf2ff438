"""examples/leadership_trust.py, the researcher's script, runs (small) and draws its figure."""
import json
import subprocess
import sys

import matplotlib.image as mpimg
import numpy as np

from conftest import SOURCE


def test_example_sweeps_fits_and_plots(work):
    r = subprocess.run([sys.executable, str(SOURCE / "examples/leadership_trust.py"), "--replicates", "2",
                        "--years", "1", "--levels", "3", "--threads", "2", "--out", str(work)],
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    assert "active_share ~" in r.stdout and "process_leadership" in r.stdout, r.stdout
    fit = json.loads((work / "fit.json").read_text())
    assert fit["n"] == 3 * 3 * 2
    assert set(fit["coefficients"]) == {"intercept", "process_leadership", "trust", "process_leadership:trust"}
    assert all(np.isfinite(c["estimate"]) for c in fit["coefficients"].values())
    # The figure: open the PNG and check it holds a drawing (not an empty canvas).
    img = mpimg.imread(work / "leadership_trust.png")
    assert img.shape[0] >= 400 and img.shape[1] >= 800, img.shape
    rgb = img[..., :3]
    assert rgb.std() > 0.05
    # the heatmap's colours: many distinct colours besides white, black and greys
    colours = {tuple(p) for p in (rgb[::4, ::4].reshape(-1, 3) * 255).astype(int)}
    assert len(colours) > 50, len(colours)
