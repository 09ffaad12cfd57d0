"""Publishing one closed week of a large tenant, auditor included, in pure Python on one core.

The shape of the analytics benchmark: ~1,000 teams in a 3-level tree (root, departments, leaf
teams), ~12,000 people, ~20,000 answers in the week over every pillar and eNPS, some kudos.
Times the snapshot-to-cells publication (k, complementary rule, audit rounds) and one audit of
the result, prints a summary and writes bench/results/audit_speed.json.

    /tmp/miroir-ci-venv/bin/python bench/audit_speed.py [--people 12000] [--answers 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pulse.analytics.audit import audit
from pulse.analytics.cells import Receipt, Snapshot
from pulse.analytics.families import PILLARS
from pulse.analytics.publish import WeekInput, publish_week, week_audit_cells
from pulse.surveys.model import Pillar, Scale, Scored

WEEK = "2026-W10"
TZ = "Europe/Paris"


def tenant(rng: random.Random, departments: int, leaves: int, people: int, answers: int,
           kudos: int) -> WeekInput:
    """A tenant's week: tree, homes (leaf teams, a few department members), answers, kudos."""
    parents: dict[str, str | None] = {"root": None}
    leaf_ids = []
    for d in range(departments):
        parents[f"d{d}"] = "root"
        for leaf in range(leaves):
            parents[f"d{d}l{leaf}"] = f"d{d}"
            leaf_ids.append(f"d{d}l{leaf}")
    dept_ids = [t for t, p in parents.items() if p == "root"]
    home = {}
    for i in range(people):  # one in forty sits directly in a department (its managers)
        home[f"p{i}"] = rng.choice(dept_ids) if rng.random() < 0.025 else rng.choice(leaf_ids)
    snapshot = Snapshot("bench", WEEK, TZ, parents, home)
    start, _ = snapshot.bounds()
    persons = list(home)
    respondents = rng.sample(persons, int(len(persons) * 0.7))
    out: list[Scored] = []
    while len(out) < answers:
        person = rng.choice(respondents)
        at = start + timedelta(minutes=rng.randrange(7 * 24 * 60))
        if rng.random() < 0.1:
            out.append(Scored(person, "q-enps", Pillar.ENPS, Scale.NPS11, rng.randint(0, 10), at))
            continue
        pillar = rng.choice(PILLARS)
        variant = rng.randrange(3)
        scale = Scale.NPS11 if variant == 2 else Scale.AGREE5
        low, high = scale.bounds
        out.append(Scored(person, f"q-{pillar.value}-{variant}", pillar, scale,
                          rng.randint(low, high), at))
    receipts = [Receipt(f"k{i}", rng.choice(persons),
                        start + timedelta(minutes=rng.randrange(7 * 24 * 60)), rng.random() < 0.8)
                for i in range(kudos)]
    return WeekInput(snapshot, out, frozenset(persons), receipts)


def main() -> None:
    """Build the tenant, publish its week, audit the result, report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=31)
    parser.add_argument("--leaves", type=int, default=32)
    parser.add_argument("--people", type=int, default=12000)
    parser.add_argument("--answers", type=int, default=20000)
    parser.add_argument("--kudos", type=int, default=600)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    week = tenant(rng, args.departments, args.leaves, args.people, args.answers, args.kudos)
    started, cpu = time.perf_counter(), time.process_time()
    pub = publish_week(week, published_at=datetime.now(UTC), k=args.k)
    publish_s, publish_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    remaining = audit(week_audit_cells(week, pub), args.k)
    audit_s, audit_cpu = time.perf_counter() - started, time.process_time() - cpu
    shown = sum(c.shown for c in pub.cells)
    by_reason: dict[str, int] = {}
    for c in pub.cells:
        by_reason[str(c.reason)] = by_reason.get(str(c.reason), 0) + 1
    result = {
        "teams": len(week.snapshot.parents), "people": len(week.snapshot.home),
        "answers": len(week.answers), "cells": len(pub.cells), "shown": shown,
        "reasons": by_reason, "audit_rounds": pub.audit_rounds,
        "findings_fixed": len(pub.findings), "publish_s": round(publish_s, 2),
        "publish_cpu_s": round(publish_cpu, 2), "reaudit_s": round(audit_s, 2),
        "reaudit_cpu_s": round(audit_cpu, 2), "findings_after": len(remaining), "k": args.k,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_avg": os.getloadavg(), "python": sys.version.split()[0],
    }
    out = ROOT / "bench" / "results" / f"audit_speed_k{args.k}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"{result['teams']} teams, {result['people']} people, {result['answers']} answers: "
          f"{len(pub.cells)} cells, {shown} shown, {pub.audit_rounds} audit rounds "
          f"({len(pub.findings)} findings fixed)")
    print(f"publish {publish_s:.1f} s wall, {publish_cpu:.1f} s CPU (target < 60 s); re-audit "
          f"of the result {audit_s:.1f} s wall, {audit_cpu:.1f} s CPU; {len(remaining)} findings "
          f"left; peak RSS {result['peak_rss_mb']} MB; load {result['load_avg'][0]:.2f}")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
