#!/usr/bin/python3
"""Make the real places of the cross-gemeente calibration (scenarios/calibration/gemeenten.json).

For every gemeente the CBS Veiligheidsmonitor reports separately (data/cbs/
veiligheidsmonitor-2021-2023-calibration.csv, 2023), the gemeente is imported with
`wijksim import-cbs` (real buurt deprivation and recorded crime) and reduced to a buurt sample
that keeps it fast: its buurten are sorted by deprivation and the buurt at each of K
resident-weighted quantiles is kept, each with the same number of residents (its own age
profile scaled), so every kept buurt stands for 1/K of the gemeente's residents and the sample's
adult-weighted shares estimate the gemeente's. Then the calibration file is written with one
target per gemeente (perceived safety, 2023), the spread between gemeenten, and the national
targets of docs/CALIBRATION.md.

    /usr/bin/python3 tools/scenarios/make_calibration_places.py build/release/engine/wijksim
"""
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "scenarios" / "calibration"
VM = ROOT / "data" / "cbs" / "veiligheidsmonitor-2021-2023-calibration.csv"
BUURTEN_PER_GEMEENTE = 10
RESIDENTS_PER_BUURT = 600
YEAR = "2023"


def gemeenten():
    rows = []
    with VM.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            value = r["VoeltZichWeleensOnveiligInBuurt_50"].strip()
            if r["code"].startswith("GM") and r["year"] == YEAR and value:
                rows.append((r["code"], r["name"], float(value) / 100))
    return rows


def sample(doc, k):
    buurten = [(b, w) for w in doc["city"]["wijken"] for b in w["buurten"]]
    buurten.sort(key=lambda bw: (bw[0]["deprivation"], bw[0]["code"]))
    total = sum(b["residents"] for b, _ in buurten)
    kept, cum, i = [], 0.0, 0
    for q in range(k):
        target = (q + 0.5) / k * total
        while i < len(buurten) - 1 and cum + buurten[i][0]["residents"] < target:
            cum += buurten[i][0]["residents"]
            i += 1
        kept.append(buurten[i])
    wijken = {}
    for n, (b, w) in enumerate(kept):
        scale = RESIDENTS_PER_BUURT / b["residents"]
        age = {g: round(v * scale) for g, v in b["age"].items()} if "age" in b else None
        nb = {"code": b["code"] if n == 0 or kept[n - 1][0]["code"] != b["code"] else f"{b['code']}S{n}",
              "name": b["name"], "residents": sum(age.values()) if age else RESIDENTS_PER_BUURT}
        if age:
            nb["age"] = age
        for key in ("deprivation", "owner_occupied", "recorded_crime_per_1000"):
            if key in b:
                nb[key] = b[key]
        wijken.setdefault(w["code"], {"code": w["code"], "name": w["name"], "buurten": []})["buurten"].append(nb)
    return list(wijken.values())


def victim_contrast(mean, victimised=0.17):
    """Unsafe shares of victims and others at a pool's mean unsafe share, keeping the national
    probit gap of the Veiligheidsmonitor 2019 (27.7% against 12.3%); victimised: the share
    victimised in a year (about 17%, incidents.victims_per_incident)."""
    normal = statistics.NormalDist()
    gap = normal.inv_cdf(0.277) - normal.inv_cdf(0.123)
    lo, hi = 0.0, mean
    for _ in range(60):  # bisection on the others' share so that the mixture has the pool's mean
        others = (lo + hi) / 2
        if (1 - victimised) * others + victimised * normal.cdf(normal.inv_cdf(others) + gap) > mean:
            hi = others
        else:
            lo = others
    return round(normal.cdf(normal.inv_cdf(others) + gap), 3), round(others, 3), gap


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    wijksim = sys.argv[1]
    places, targets = [], []
    observed = []
    for code, name, unsafe in gemeenten():
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "g.json"
            subprocess.run([wijksim, "import-cbs", "--gemeente", code, "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
            doc = json.loads(out.read_text())
        scenario = {
            "name": f"calibration-{code.lower()}",
            "description": f"{name}: a resident-weighted sample of {BUURTEN_PER_GEMEENTE} buurten by deprivation, "
                           f"{RESIDENTS_PER_BUURT} residents each, for the cross-gemeente calibration; no programme.",
            "notes": doc["notes"] + f" Sampled by tools/scenarios/make_calibration_places.py: the buurt at each of "
                                    f"{BUURTEN_PER_GEMEENTE} resident-weighted deprivation quantiles, scaled to "
                                    f"{RESIDENTS_PER_BUURT} residents (its own age profile).",
            "city": {"code": code, "name": name, "credit": doc["city"]["credit"], "wijken": sample(doc, BUURTEN_PER_GEMEENTE)},
            "programme": {"enabled": False},
        }
        path = OUT / "gemeenten" / f"{code}.json"
        path.write_text(json.dumps(scenario, ensure_ascii=False, indent=1) + "\n")
        places.append(f"gemeenten/{code}.json")
        observed.append(unsafe)
        targets.append({"name": f"unsafe {name}", "metric": "unsafe_share", "scenario": code, "value": unsafe,
                        "tolerance": 0.03, "source": f"CBS Veiligheidsmonitor {YEAR} (85146NED): {name}"})
    spread = statistics.stdev(observed)
    mean = statistics.fmean(observed)
    victims, others, gap = victim_contrast(mean)
    targets += [
        {"name": "unsafe spread", "metric": "unsafe_share", "statistic": "between_sd", "value": round(spread, 4),
         "tolerance": 0.015, "source": f"CBS Veiligheidsmonitor {YEAR}: standard deviation over the {len(observed)} gemeenten"},
        # Buurt-level targets (the same as the national calibration's, scenarios/calibration/baseline.json),
        # pooled over the sampled buurten of all gemeenten in each group: gemeente averages alone
        # cannot tell a higher safety target with a wider spread of residents around it from a
        # lower, narrower one, nor pin the deprivation slope (docs/CALIBRATION.md, identifiability).
        {"name": "unsafe deprived", "metric": "unsafe_share", "group": "deprived", "value": 0.30, "tolerance": 0.05,
         "source": "CBS Veiligheidsmonitor: more than 25% in focus wijken (read as 25-35%)"},
        {"name": "unsafe well-off", "metric": "unsafe_share", "group": "well_off", "value": 0.075, "tolerance": 0.025,
         "source": "CBS Veiligheidsmonitor: 5-10% in green wijken"},
        # The scale: how much more often victims feel unsafe than others. Shares below a
        # threshold fix only (target - threshold) / spread; this contrast ties the spread of
        # residents to the weight of one's own victimisation (docs/CALIBRATION.md, identifiability).
        {"name": "unsafe victims", "metric": "unsafe_share_victims", "value": victims, "tolerance": 0.03,
         "source": f"CBS Veiligheidsmonitor 2019: 27.7% of victims of common crime in the past 12 months and 12.3% of "
                   f"others sometimes feel unsafe in their buurt (Akkermans & Kloosterman 2020, Statistische Trends, "
                   f"table 2.1.1), a probit gap of {gap:.2f}; the same gap at these gemeenten's mean ({mean:.1%}) gives "
                   f"{victims:.1%} for victims and {others:.1%} for others"},
        # A check only (weight 0): the gemeente targets set the level.
        {"name": "unsafe non-victims", "metric": "unsafe_share_nonvictims", "value": others, "tolerance": 0.02,
         "source": "as 'unsafe victims', for those not victimised (a check: the gemeente targets set the level)",
         "weight": 0.0},
        {"name": "active", "metric": "active_share", "value": 0.071, "tolerance": 0.01,
         "source": "CBS StatLine 85541NED (2022): 7.1% of 15+ volunteer for their buurt"},
        # A check only (weight 0): the trust lever is calibrated apart (docs/CALIBRATION.md).
        {"name": "trust", "metric": "trust_share", "value": 0.5, "tolerance": 0.02,
         "source": "CBS (2022): about 50% trust the gemeenteraad", "weight": 0.0},
    ]
    calibration = {
        "description": f"The no-programme baseline across {len(places)} real gemeenten at once (docs/CALIBRATION.md): "
                       f"perceived safety per gemeente ({YEAR}), its spread between gemeenten, and the national "
                       "participation and trust targets.",
        "notes": "Places made by tools/scenarios/make_calibration_places.py from data/cbs. Re-run: wijksim calibrate "
                 "scenarios/calibration/gemeenten.json --out out/calibration-gemeenten --threads 2 (docs/CALIBRATION.md: "
                 "about 56 simulated points from the defaults, 4.5 CPU-minutes, 23 minutes on 2 busy cores). The free parameters start at the engine defaults.",
        "scenarios": places,
        # One year after the 4-year burn-in: the state at the scenario's start date, averaged over
        # its 52 weeks; three replicates with common random numbers (docs/CALIBRATION.md, speed).
        "years": 1,
        "replicates": 3,
        "seed": 1,
        "average_weeks": 52,
        # The unit of the safety scale: shares below a threshold fix only (target - threshold) / spread,
        # so the spread of residents around their buurt's target and every weight can be scaled
        # together. The spread stays at its documented 0.18 (the unit the literature weights were
        # read in); the victims' contrast then pins the weight of victimisation (docs/CALIBRATION.md).
        "set": {"safety.initial_sd": 0.18},
        # The intercept and the weight of disorder set the level and the slope of unsafety against
        # deprivation; the weight of victimisation how much more often victims feel unsafe (and, with
        # recorded crime, how far gemeenten differ); drop-out sets the active share.
        "parameters": {
            "safety.base": {"range": [0.6, 1.0]},
            # Bounded below by the literature: visible disorder lowers perceived safety (Skogan 1990;
            # Markowitz et al. 2001, who find disorder's effect on fear about as large as crime's),
            # and it is the pathway through which initiatives improve liveability. 0 is excluded.
            "safety.w_disorder": {"range": [0.1, 0.4]},
            "safety.w_victim": {"range": [0.05, 0.5]},
            "participation.dropout": {"range": [0.1, 0.6]},
        },
        "targets": targets,
        "optimiser": {"method": "bobyqa", "max_evaluations": 60, "initial_step": 0.1, "xtol": 0.005, "ftol": 0.02,
                      "fd_step": 0.05},
    }
    (OUT / "gemeenten.json").write_text(json.dumps(calibration, ensure_ascii=False, indent=2) + "\n")
    print(f"{len(places)} gemeenten; observed unsafe share {min(observed):.3f}-{max(observed):.3f}, sd {spread:.4f}")


if __name__ == "__main__":
    main()
