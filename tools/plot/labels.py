"""Display labels for wijksim plots, in Dutch (default) and English.

Kept apart from the plotting code so that wording can be reviewed (and
extended when the engine grows new metrics) without touching plot logic.
Unknown metric names fall back to the raw name, so a new engine metric can
be plotted before anyone has written a label for it.
"""

LANGS = ("nl", "en")

METRIC_LABELS = {
    "nl": {
        "residents": "bewoners",
        "active_residents": "actieve bewoners",
        "active_share": "aandeel actieve bewoners",
        "initiators": "initiatiefnemers",
        "unsafe_share": "voelt zich weleens onveilig",
        "trust_share": "aandeel met vertrouwen in gemeente",
        "mean_trust": "vertrouwen in gemeente (gemiddeld)",
        "mean_social_trust": "vertrouwen in buurtgenoten (gemiddeld)",
        "collective_efficacy": "collectieve redzaamheid",
        "incidents": "incidenten",
        "disorder": "verloedering",
        "initiatives_proposed": "initiatieven ingediend",
        "initiatives_approved": "initiatieven goedgekeurd",
        "initiatives_completed": "initiatieven afgerond",
        "initiatives_failed": "initiatieven mislukt",
        "initiatives_refused": "initiatieven afgewezen",
        "vision": "gedeelde visie",
        "phase": "programmafase",
        "programme_alive": "programma loopt (0/1)",
        "hours_outreach": "uren outreachwerk",
        "hours_support": "uren ondersteuning",
        "hours_casework": "uren casuswerk",
        "hours_coordination": "uren coördinatie",
        "euros_spent": "uitgegeven euro's",
    },
    "en": {
        "residents": "residents",
        "active_residents": "active residents",
        "active_share": "share of active residents",
        "initiators": "initiators",
        "unsafe_share": "sometimes feels unsafe",
        "trust_share": "share trusting the municipality",
        "mean_trust": "trust in municipality (mean)",
        "mean_social_trust": "trust in neighbours (mean)",
        "collective_efficacy": "collective efficacy",
        "incidents": "incidents",
        "disorder": "disorder",
        "initiatives_proposed": "initiatives proposed",
        "initiatives_approved": "initiatives approved",
        "initiatives_completed": "initiatives completed",
        "initiatives_failed": "initiatives failed",
        "initiatives_refused": "initiatives refused",
        "vision": "shared vision",
        "phase": "programme phase",
        "programme_alive": "programme running (0/1)",
        "hours_outreach": "hours of outreach",
        "hours_support": "hours of support",
        "hours_casework": "hours of casework",
        "hours_coordination": "hours of coordination",
        "euros_spent": "euros spent",
    },
}

# Interface wording; values may contain str.format fields.
TEXT = {
    "nl": {
        "years_since_start": "jaren sinds start ({start})",
        "years": "jaren sinds start",
        "median": "mediaan",
        "band50": "50%-band",
        "band90": "90%-band",
        "election": "gemeenteraadsverkiezingen",
        "phase_n": "fase {n}",
        "level_city": "gemeente",
        "level_wijk": "wijk",
        "level_buurt": "buurt",
        "replicates": "{n} replicaties",
        "start_col": "start",
        "year_col": "jaar {n}",
        "heatgrid_title": "{metric}: jaargemiddelde per {level}",
        "heatgrid_note": "gemiddelde over {n} replicaties; 'start' = week 0",
        "bench_x": "probleemgrootte (eerste benchmarkargument)",
        "bench_y": "items per seconde",
        "bench_title": "Doorvoer: {name}",
        "threads": "{n} threads",
        "thread_one": "1 thread",
    },
    "en": {
        "years_since_start": "years since start ({start})",
        "years": "years since start",
        "median": "median",
        "band50": "50% band",
        "band90": "90% band",
        "election": "council elections",
        "phase_n": "phase {n}",
        "level_city": "municipality",
        "level_wijk": "district",
        "level_buurt": "neighbourhood",
        "replicates": "{n} replicates",
        "start_col": "start",
        "year_col": "year {n}",
        "heatgrid_title": "{metric}: yearly mean per {level}",
        "heatgrid_note": "mean over {n} replicates; 'start' = week 0",
        "bench_x": "problem size (first benchmark argument)",
        "bench_y": "items per second",
        "bench_title": "Throughput: {name}",
        "threads": "{n} threads",
        "thread_one": "1 thread",
    },
}


def metric_label(metric, lang="nl"):
    """Human label for an engine metric name; the raw name if unknown."""
    return METRIC_LABELS.get(lang, METRIC_LABELS["nl"]).get(metric, metric)


def text(key, lang="nl", **fields):
    """Interface string `key` in `lang`, with str.format `fields` filled in."""
    return TEXT.get(lang, TEXT["nl"])[key].format(**fields)
