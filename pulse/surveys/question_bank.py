"""The built-in question bank, shipped as data (question_bank.json), and its seeding use case."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from importlib import resources
from typing import Any

from pulse.core.errors import Invalid, NotFound
from pulse.surveys.model import Pillar, Question, Scale
from pulse.surveys.ports import PulseRepository

# The moments of truth an HR system or an admin can post; each has at least one item in the bank.
MOMENTS = (
    "onboarding_day_7",
    "onboarding_day_30",
    "onboarding_day_90",
    "manager_one_on_one",
    "job_change",
    "reorganisation",
    "suggestion_answered",
    "hr_meeting",
)


def parse_bank(document: dict[str, Any]) -> list[Question]:
    """Questions from the JSON document; refuses unknown pillars, scales, moments, repeated ids."""
    questions: list[Question] = []
    seen: set[str] = set()
    for item in document.get("items", []):
        qid = str(item["id"])
        if qid in seen:
            raise Invalid(f"duplicate question id {qid!r}")
        seen.add(qid)
        moments = tuple(item.get("moments", ()))
        unknown = set(moments) - set(MOMENTS)
        if unknown:
            raise Invalid(f"question {qid!r}: unknown moments {sorted(unknown)}")
        fr, en = str(item["fr"]).strip(), str(item["en"]).strip()
        if not fr or not en:
            raise Invalid(f"question {qid!r}: French and English texts are both required")
        questions.append(Question(qid, Pillar(item["pillar"]), Scale(item["scale"]), fr, en,
                                  moments))
    return questions


def load_bank() -> list[Question]:
    """The built-in question bank, in file order."""
    bank = resources.files("pulse.surveys").joinpath("question_bank.json")
    text = bank.read_text(encoding="utf-8")
    return parse_bank(json.loads(text))


def rotation_items(questions: Iterable[Question]) -> list[Question]:
    """Items for cadence pulses: active, on the 1–5 scale, not tied to a moment of truth."""
    return [q for q in questions if q.active and q.scale is Scale.AGREE5 and not q.moments
            and q.pillar is not Pillar.ENPS]


def moment_items(questions: Iterable[Question], moment: str) -> list[Question]:
    """Items to ask when this moment of truth happens."""
    return [q for q in questions if q.active and moment in q.moments]


def enps_item(questions: Sequence[Question]) -> Question:
    """The eNPS item (0–10), asked at most once a quarter."""
    for q in questions:
        if q.pillar is Pillar.ENPS and q.active:
            return q
    raise Invalid("the question bank has no active eNPS item")


def ensure_question_bank(repo: PulseRepository) -> int:
    """Insert or refresh the built-in items (global, no tenant); returns how many were written."""
    # Global items are those with no tenant; list_questions("") returns exactly those.
    stored = {q.id: q for q in repo.list_questions("")}
    written = 0
    for question in load_bank():
        kept = stored.get(question.id)
        if kept is not None:  # an admin's activation choice outlives a restart
            question = replace(question, active=kept.active)
        if kept != question:
            repo.add_question(question)
            written += 1
    return written


MAX_TEXT = 300


def set_active(repo: PulseRepository, tenant_id: str, question_id: str, active: bool) -> Question:
    """Switch an item the tenant sees on or off (built-in items too; one eNPS item stays on)."""
    visible = {q.id: q for q in repo.list_questions(tenant_id)}
    question = visible.get(question_id)
    if question is None:
        raise NotFound(f"question {question_id!r}")
    if not active and question.pillar is Pillar.ENPS and not any(
            q.active and q.pillar is Pillar.ENPS and q.id != question_id for q in visible.values()):
        raise Invalid("keep at least one eNPS item active")
    built_in = question_id in {q.id for q in repo.list_questions("")}
    updated = replace(question, active=active)
    repo.add_question(updated, tenant_id=None if built_in else tenant_id)
    return updated


def add_tenant_question(repo: PulseRepository, tenant_id: str, pillar: str, text_fr: str,
                        text_en: str) -> Question:
    """A tenant's own 1–5 agreement item, in French and English; Invalid for bad input."""
    try:
        kind = Pillar(pillar)
    except ValueError:
        raise Invalid(f"unknown pillar {pillar!r}") from None
    if kind is Pillar.ENPS:
        raise Invalid("the eNPS item is built in; add agreement items only")
    fr, en = " ".join(text_fr.split()), " ".join(text_en.split())
    if not fr or not en:
        raise Invalid("write the question in French and in English")
    if len(fr) > MAX_TEXT or len(en) > MAX_TEXT:
        raise Invalid(f"keep each text under {MAX_TEXT} characters")
    question = Question(f"t-{uuid.uuid4().hex[:12]}", kind, Scale.AGREE5, fr, en)
    repo.add_question(question, tenant_id=tenant_id)
    return question
