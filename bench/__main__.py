"""Benchmark: reportmt's throughput against its references, ratios measured in one run.

    python -m bench [--only translation|glossary|preparation|qa|review|consistency|formats|ocr|layout|scale] [--sentences 2000]
                    [--workers 400] [--reports 2000] [--suggest-records 100000] [--review-records 1000000]
                    [--scale-reports 1000,10000,100000]

Builds everything offline in a temporary folder; prints a table and, last, one JSON line of
ratios and figures. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path

from bench import (
    consistency,
    formats,
    glossary,
    layout,
    ocr,
    preparation,
    qa,
    review_search,
    scale,
    translation,
)

REPO = Path(__file__).resolve().parents[1]
SECTIONS = ("translation", "glossary", "preparation", "qa", "review", "consistency", "formats", "ocr", "layout", "scale")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=SECTIONS, help="Measure this section only (repeatable).")
    parser.add_argument("--sentences", type=int, default=2000, help="German sentences of the translation workload.")
    parser.add_argument("--workdir", type=Path, help="Keep the package and workloads here instead of a temporary folder.")
    parser.add_argument("--skip-argos", action="store_true", help="Do not measure argostranslate (needs the bench extra).")
    parser.add_argument("--workers", type=int, default=400, metavar="SENTENCES",
                        help="Sentences for the Dask scaling run with one and two workers (0: skip).")
    parser.add_argument("--suggest-records", type=int, default=100_000, metavar="RECORDS",
                        help="Records of the corpus `glossary suggest` reads (0: skip).")
    parser.add_argument("--reports", type=int, default=2000, help="Short English reports of the preparation workload.")
    parser.add_argument("--review-records", type=int, default=1_000_000, metavar="RECORDS",
                        help="Records of the corpus the review workspace searches.")
    parser.add_argument("--scale-reports", default="1000,10000,100000", metavar="SIZES",
                        help="Corpus sizes, in reports, at which a run adds one report (comma-separated).")
    args = parser.parse_args()
    sections = args.only or SECTIONS
    work = args.workdir or Path(tempfile.mkdtemp(prefix="reportmt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_HOME", str(work / "prefect-home"))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

    rows: list[tuple[str, str]] = []
    figures: dict[str, float] = {}
    for section in sections:
        if section == "translation":
            measured = translation.measure(REPO, work, args.sentences, args.workers, args.skip_argos)
        elif section == "glossary":
            measured = glossary.measure(REPO, work, args.suggest_records)
        elif section == "preparation":
            measured = preparation.measure(REPO, work, args.reports)
        elif section == "qa":
            measured = qa.measure(REPO, work)
        elif section == "consistency":
            measured = consistency.measure(REPO, work, args.sentences)
        elif section == "formats":
            measured = formats.measure(REPO, work)
        elif section == "ocr":
            measured = ocr.measure(REPO, work)
        elif section == "layout":
            measured = layout.measure(REPO, work)
        elif section == "scale":
            measured = scale.measure(REPO, work, [int(size) for size in args.scale_reports.split(",")])
        else:
            measured = review_search.measure(REPO, work, args.review_records)
        rows += measured[0]
        figures.update(measured[1])

    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(json.dumps(figures))
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
