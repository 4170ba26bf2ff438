#!/usr/bin/python3
"""Refresh the real-place data of the shipped scenarios from the CBS data in data/cbs.

Each shipped place keeps its programme, building blocks and settings; only what comes from
data is replaced: per buurt `deprivation` (housing: WOZ value and rented share),
`owner_occupied` and `recorded_crime_per_1000` (police-recorded crime), the wijk classes
(derived by the engine from the buurten's deprivation, so any hand-set class is removed) and
the notes and credit. The values come from `wijksim import-cbs` itself, so the importer and the
shipped files cannot disagree (tests/cli checks one of them).

    /usr/bin/python3 tools/scenarios/refresh_real_places.py build/release/engine/wijksim
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
DATA_FIELDS = ("deprivation", "owner_occupied", "recorded_crime_per_1000")

# scenario file -> import-cbs selection
PLACES = {
    "hengelo-noord.json": ["--gemeente", "GM0164", "--wijk", "WK016402"],
    "oss-schadewijk.json": ["--gemeente", "GM0828", "--wijk", "WK082801"],
    "zaanstad.json": ["--gemeente", "GM0479"],
    "netherlands.json": ["--all"],
    "deventer.json": ["--gemeente", "GM0150"],
}


def imported(wijksim, selection):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "imported.json"
        subprocess.run([wijksim, "import-cbs", *selection, "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
        return json.loads(out.read_text())


def refresh(doc, fresh):
    by_code = {b["code"]: b for w in fresh["city"]["wijken"] for b in w["buurten"]}
    for w in doc["city"]["wijken"]:
        w.pop("class", None)  # derived from data now (classes.*.deprivation_max)
        for b in w["buurten"]:
            new = by_code[b["code"]]
            for key in DATA_FIELDS:
                if key in new:
                    b[key] = new[key]
                else:
                    b.pop(key, None)
    doc["city"]["credit"] = fresh["city"]["credit"]
    own = doc.get("notes", "").split(" Programme wijken chosen", 1)
    doc["notes"] = fresh["notes"] + (" Programme wijken chosen" + own[1] if len(own) == 2 else "")


def write_compact(path, doc):
    """One buurt per line, as the large national file has always been written."""
    city = doc["city"]
    head = {k: v for k, v in doc.items() if k != "city"}
    lines = []
    for wi, w in enumerate(city["wijken"]):
        buurten = ",\n".join(json.dumps(b, ensure_ascii=False, separators=(",", ":")) for b in w["buurten"])
        meta = json.dumps({k: v for k, v in w.items() if k != "buurten"}, ensure_ascii=False, separators=(",", ":"))
        lines.append(meta[:-1] + ',"buurten":[\n' + buurten + "]}")
    city_meta = json.dumps({k: v for k, v in city.items() if k != "wijken"}, ensure_ascii=False, separators=(",", ":"))
    before = {k: v for k, v in head.items() if k in ("name", "description", "notes", "start_date")}
    after = {k: v for k, v in head.items() if k not in before}
    text = json.dumps(before, ensure_ascii=False, separators=(",", ":"))[:-1]
    text += ',"city":' + city_meta[:-1] + ',"wijken":[\n' + ",\n".join(lines) + "]}"
    tail = json.dumps(after, ensure_ascii=False, separators=(",", ":"))
    text += ("," + tail[1:]) if after else "}"
    path.write_text(text + "\n")


def write_pretty(path, doc):
    """Two-space indentation with one buurt per line, as the hand-kept files are written: each
    buurt is replaced by a marker string, the document is indented, then the markers become the
    buurten written on one line."""
    out = json.loads(json.dumps(doc))
    one_line = {}
    for w in out["city"]["wijken"]:
        for i, b in enumerate(w["buurten"]):
            marker = "@@buurt-%d@@" % len(one_line)
            one_line['"%s"' % marker] = json.dumps(b, ensure_ascii=False, separators=(", ", ": "))
            w["buurten"][i] = marker
    text = json.dumps(out, ensure_ascii=False, indent=2)
    for marker, buurt in one_line.items():
        text = text.replace(marker, buurt)
    path.write_text(text + "\n")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    wijksim = sys.argv[1]
    for name, selection in PLACES.items():
        path = SCENARIOS / name
        doc = json.loads(path.read_text())
        refresh(doc, imported(wijksim, selection))
        (write_compact if name == "netherlands.json" else write_pretty)(path, doc)
        print(f"{path.relative_to(ROOT)}: refreshed")


if __name__ == "__main__":
    main()
