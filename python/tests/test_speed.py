"""A 100-replicate run from Python returns in the time the CLI takes for the same run."""
import subprocess
import time

import wijksim
from conftest import CLI, SMALL


def test_100_replicates_take_no_longer_than_the_cli(work):
    # Short runs (half a year after a quarter-year burn-in) keep the test quick; 100 replicates.
    args = dict(replicates=100, years=0.5, threads=2, seed=11, set={"simulation.burn_in": 0.25})
    cli_times, py_times = [], []
    for k in range(3):  # alternate, best of three: the machine is shared and noisy
        start = time.perf_counter()
        subprocess.run([CLI, "run", str(SMALL), "--replicates", "100", "--years", "0.5", "--threads", "2", "--seed", "11",
                        "--set", "simulation.burn_in=0.25",
                        "--quiet", "--force", "--out", str(work / "cli")], check=True, capture_output=True)
        cli_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        df = wijksim.run(SMALL, **args)
        py_times.append(time.perf_counter() - start)
    assert df["replicate"].nunique() == 100
    cli_best, py_best = min(cli_times), min(py_times)
    print(f"100 replicates: CLI {cli_best:.3f} s, Python {py_best:.3f} s (best of 3)")
    assert py_best <= 1.10 * cli_best + 0.05, (py_times, cli_times)
