"""A results store for the tests, written without the engine: the tables of
engine/src/experiment/store.cpp (kSchema, without its constraints) and a manifest. The tests fill
`runs` and `outcomes` with values they know, so what tools/plot draws can be checked against them."""
import json
import os
import sqlite3


def open_store(directory, manifest):
    """Creates directory/results.sqlite with the store's tables and the manifest; returns the open
    connection (the caller inserts runs and outcomes, commits and closes)."""
    db = sqlite3.connect(os.path.join(directory, "results.sqlite"))
    db.execute("CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, variant TEXT, design_point INTEGER, "
               "parameters TEXT, replicate INTEGER, seed INTEGER, status TEXT, error TEXT, wall_seconds REAL)")
    db.execute("CREATE TABLE outcomes (run_id INTEGER, week INTEGER, level TEXT, unit TEXT, "
               "metric TEXT, value REAL)")
    db.executemany("INSERT INTO manifest VALUES (?, ?)", [(k, json.dumps(v)) for k, v in manifest.items()])
    return db
