"""Our own example comments and bilingual category descriptions (written for Miroir)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"
POLARITIES = ("negative", "neutral", "positive")
CATEGORIES = (
    "tools_systems", "information_knowledge", "processes_rules", "workload_schedule",
    "management_recognition", "pay_benefits", "workspace_equipment", "commute_remote",
    "training_growth", "customer_aggression_stress", "other",
)


@dataclass(frozen=True)
class Example:
    text: str
    lang: str
    polarity: str
    category: str  # "" when the comment names no irritant


def examples() -> list[Example]:
    """The example comments, in file order."""
    with (DATA / "examples.csv").open(encoding="utf-8") as f:
        return [Example(r["text"], r["lang"], r["polarity"], r["category"] or "")
                for r in csv.DictReader(f)]


def descriptions() -> list[tuple[str, str, str]]:
    """(category, lang, description) for every category in both languages."""
    with (DATA / "categories.csv").open(encoding="utf-8") as f:
        return [(r["category"], r["lang"], r["description"]) for r in csv.DictReader(f)]
