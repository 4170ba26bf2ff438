#!/usr/bin/python3
"""Runs every shipped scenario and experiment with two builds of wijksim and compares the outputs.

A refactoring that must not change behaviour (issue 17) is checked with it:

    tools/compare_builds.py OLD/wijksim NEW/wijksim --work /tmp/cmp

Run folders are compared byte for byte, file by file. Three things differ between any two runs
and are left out: in manifest.json the command line, the engine's git revision and the timing
block. Experiment stores (results.sqlite) are compared as a canonical dump: the manifest table
without command_line, created_utc and engine.git_revision; runs keyed by (variant, design point,
replicate) without their row id and wall time (both depend on which thread finished first);
every outcome value with all 17 significant digits. `compare` and `export` are run on every
store and their outputs compared byte for byte as well (export's runs.csv without its
wall_seconds column).

Files the new build adds on purpose are named with --added NAME (e.g. results.sqlite, which
`run` writes since issue 17): present only on the new side they are reported as added, not as a
difference, and left out of manifest.json's list of files.

Experiments run as shipped unless --replicates/--years make them smaller (a copy of the file with
those fields changed; the comparison is then of that smaller experiment). Exit 0 when everything
is identical, 1 otherwise.
"""
import argparse
import filecmp
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_VOLATILE = {"command_line", "timing"}
ENGINE_VOLATILE = {"git_revision"}
STORE_MANIFEST_VOLATILE = {"command_line", "created_utc"}


def shipped():
    """(kind, path) of every shipped scenario ('run') and experiment ('experiment')."""
    files = sorted((ROOT / "scenarios").glob("*.json")) + sorted((ROOT / "scenarios" / "experiments").rglob("*.json"))
    out = []
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        out.append(("experiment" if "scenario" in doc else "run", f))
    return out


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def normalised_manifest(path, added=()):
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(doc.get("files"), list):
        doc["files"] = [f for f in doc["files"] if f not in added]
    for k in MANIFEST_VOLATILE:
        doc.pop(k, None)
    for k in ENGINE_VOLATILE:
        doc.get("engine", {}).pop(k, None)
    return json.dumps(doc, indent=1)


def store_dump(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    lines = []
    for key, value in db.execute("SELECT key, value FROM manifest ORDER BY key"):
        if key in STORE_MANIFEST_VOLATILE:
            continue
        if key == "engine":
            value = json.loads(value)
            for k in ENGINE_VOLATILE:
                value.pop(k, None)
            value = json.dumps(value, sort_keys=True)
        lines.append(f"manifest {key} {value}")
    cols = [r[1] for r in db.execute("PRAGMA table_info(runs)")]
    keep = [c for c in cols if c not in ("id", "wall_seconds")]
    for row in db.execute(f"SELECT {', '.join(keep)} FROM runs ORDER BY variant, design_point, replicate"):
        lines.append("run " + repr(row))
    q = ("SELECT r.variant, r.design_point, r.replicate, o.week, o.level, o.unit, o.metric, o.value "
         "FROM outcomes o JOIN runs r ON r.id = o.run_id "
         "ORDER BY r.variant, r.design_point, r.replicate, o.metric, o.level, o.unit, o.week")
    for row in db.execute(q):
        lines.append("outcome " + " ".join(map(str, row[:7])) + " " + repr(float(row[7])))
    return lines


def runs_csv(path):
    """export's runs.csv without the wall_seconds column (it is timing)."""
    import csv
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    drop = rows[0].index("wall_seconds") if rows and "wall_seconds" in rows[0] else None
    return [[v for i, v in enumerate(r) if i != drop] for r in rows]


def compare_trees(a, b, added=()):
    """(differences, files added on purpose) between two output folders (names and contents)."""
    diffs = []
    fa = sorted(p.relative_to(a) for p in Path(a).rglob("*") if p.is_file())
    fb = sorted(p.relative_to(b) for p in Path(b).rglob("*") if p.is_file())
    new_only = sorted(set(fb) - set(fa))
    plus = [str(p) for p in new_only if p.name in added]
    odd = sorted((set(map(str, fa)) ^ set(map(str, fb))) - set(plus))
    if odd:
        diffs.append(f"file lists differ: {odd}")
    for rel in sorted(set(fa) & set(fb)):
        pa, pb = Path(a) / rel, Path(b) / rel
        if rel.name == "manifest.json":
            same = normalised_manifest(pa, added) == normalised_manifest(pb, added)
        elif rel.suffix == ".sqlite":
            same = store_dump(pa) == store_dump(pb)
        elif rel.name == "runs.csv":
            same = runs_csv(pa) == runs_csv(pb)
        else:
            same = filecmp.cmp(pa, pb, shallow=False)
        if not same:
            diffs.append(f"{rel} differs")
    return diffs, plus


def smaller_copy(f, replicates, years, tmp):
    doc = json.loads(f.read_text(encoding="utf-8"))
    if replicates is None and years is None:
        return f
    if replicates is not None and "replicates" in doc:
        doc["replicates"] = min(doc["replicates"], replicates)
        if isinstance(doc.get("uncertainty"), dict) and "draws" in doc["uncertainty"]:
            # at most one parameter set per replicate (the engine refuses more)
            doc["uncertainty"]["draws"] = min(doc["uncertainty"]["draws"], max(2, doc["replicates"]))
    if years is not None and "years" in doc:
        doc["years"] = min(doc["years"], years)
    doc["scenario"] = str((f.parent / doc["scenario"]).resolve())
    out = Path(tmp) / f.name
    out.write_text(json.dumps(doc), encoding="utf-8")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--work", required=True, help="folder for both builds' outputs (must not exist)")
    ap.add_argument("--threads", default="2")
    ap.add_argument("--replicates", type=int, help="at most this many replicates per experiment")
    ap.add_argument("--years", type=float, help="at most this many years per experiment")
    ap.add_argument("--run-years", action="append", default=[], metavar="NAME=Y",
                    help="run scenario NAME (file stem) for Y years only, e.g. netherlands=1")
    ap.add_argument("--validate-only", action="append", default=[], metavar="NAME",
                    help="for scenario NAME (file stem) compare `validate` (which prints the resolved "
                         "scenario's hash) but do not run it, e.g. netherlands")
    ap.add_argument("--only", help="only files whose name contains this")
    ap.add_argument("--kind", choices=("run", "experiment"), help="only scenarios (run) or only experiments")
    ap.add_argument("--added", action="append", default=[], metavar="NAME",
                    help="a file only the new build writes, on purpose (repeatable), e.g. results.sqlite")
    args = ap.parse_args()
    run_years = dict(s.split("=", 1) for s in args.run_years)
    work = Path(args.work)
    work.mkdir(parents=True)
    tmp = tempfile.mkdtemp(dir=work)
    failures = 0
    for kind, f in shipped():
        if (args.only and args.only not in f.name) or (args.kind and args.kind != kind):
            continue
        label = str(f.relative_to(ROOT))
        if kind == "run":
            # validate prints the counts and the hash of the resolved scenario.
            said = [run([b, "validate", str(f)]) for b in (args.old, args.new)]
            if said[0] != said[1]:
                print(f"{label} (validate): differs: {said[0][1].strip()} | {said[1][1].strip()}")
                failures += 1
                continue
            if f.stem in args.validate_only:
                print(f"{label} (validate only): identical: {said[0][1].strip()}")
                continue
        outs = []
        for side, binary in (("old", args.old), ("new", args.new)):
            out = work / side / f.stem
            if kind == "run":
                cmd = [binary, "run", str(f), "--out", str(out), "--threads", args.threads, "--quiet"]
                if f.stem in run_years:
                    cmd += ["--years", run_years[f.stem]]
            else:
                src = smaller_copy(f, args.replicates, args.years, tmp)
                cmd = [binary, "experiment", str(src), "--out", str(out), "--threads", args.threads,
                       "--progress", "none"]
            rc, so, se = run(cmd)
            if rc != 0:
                print(f"{label}: {side} exit {rc}: {se.strip()[:400]}")
                failures += 1
                break
            if kind == "experiment":
                # Every downstream command on the store, outputs beside it.
                # Their messages name the folder, which differs by side.
                for command, extra in (("compare", []), ("export", ["--format", "csv"])):
                    rc_x, so_x, se_x = run([binary, command, str(out)] + extra)
                    said = f"exit {rc_x}\n{so_x}{se_x}".replace(str(out), "DIR")
                    (work / side / f"{f.stem}.{command}.txt").write_text(said, encoding="utf-8")
            outs.append(out)
        else:
            diffs, plus = compare_trees(*outs, added=set(args.added))
            if kind == "experiment":
                for suffix in (".compare.txt", ".export.txt"):
                    a, b = work / "old" / (f.stem + suffix), work / "new" / (f.stem + suffix)
                    if not filecmp.cmp(a, b, shallow=False):
                        diffs.append(f"{suffix[1:]} differs")
            said = "identical" if not diffs else "; ".join(diffs)
            if plus:
                said += f" (added in new: {', '.join(plus)})"
            print(f"{label} ({kind}): {said}")
            failures += bool(diffs)
    print("all identical" if not failures else f"{failures} differ or failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
