"""The shipped question bank: size, pillars, languages, moments, stable ids, idempotent seeding."""

from __future__ import annotations

import re

import pytest

from adapters.db.store import SqlStore
from pulse.core.errors import Invalid
from pulse.surveys.model import Pillar, Scale
from pulse.surveys.question_bank import (
    MOMENTS,
    enps_item,
    ensure_question_bank,
    load_bank,
    moment_items,
    parse_bank,
    rotation_items,
)

BANK = load_bank()


def test_bank_has_thirty_rotation_items_and_every_pillar() -> None:
    rotation = rotation_items(BANK)
    assert len(rotation) >= 30
    for pillar in Pillar:
        if pillar is Pillar.ENPS:
            continue
        assert sum(q.pillar is pillar for q in rotation) >= 3, pillar


def test_enps_item_is_zero_to_ten() -> None:
    assert enps_item(BANK).scale is Scale.NPS11
    assert all(q.scale is Scale.AGREE5 for q in BANK if q.pillar is not Pillar.ENPS)


def test_ids_unique_and_texts_bilingual() -> None:
    ids = [q.id for q in BANK]
    assert len(ids) == len(set(ids))
    for q in BANK:
        assert re.fullmatch(r"[a-z0-9_]+\.[a-z0-9_]+", q.id), q.id
        assert q.text_fr.strip() and q.text_en.strip(), q.id
        assert q.text_fr != q.text_en, q.id
    assert len({q.text_fr for q in BANK}) == len(BANK)
    assert len({q.text_en for q in BANK}) == len(BANK)


@pytest.mark.parametrize("moment", MOMENTS)
def test_every_moment_of_truth_has_an_item(moment: str) -> None:
    assert moment_items(BANK, moment)


def test_no_gallup_q12_wording() -> None:
    # A few distinctive fragments of the proprietary items; none may appear in our bank.
    fragments = ["best friend at work", "what is expected of me", "materials and equipment",
                 "do what i do best", "opinions seem to count", "talked to me about my progress"]
    for q in BANK:
        assert not any(f in q.text_en.lower() for f in fragments), q.id


def test_parse_refuses_broken_documents() -> None:
    item = {"id": "x.a", "pillar": "pay", "scale": "agree5", "fr": "Un", "en": "One"}
    with pytest.raises(Invalid):
        parse_bank({"items": [item, item]})
    with pytest.raises(Invalid):
        parse_bank({"items": [{**item, "moments": ["payday"]}]})
    with pytest.raises(Invalid):
        parse_bank({"items": [{**item, "en": " "}]})
    with pytest.raises(ValueError):
        parse_bank({"items": [{**item, "pillar": "fun"}]})


def test_ensure_question_bank_is_idempotent(store: SqlStore) -> None:
    assert ensure_question_bank(store) == len(BANK)
    assert ensure_question_bank(store) == 0
    stored = store.list_questions("any-tenant")
    assert {q.id for q in stored} == {q.id for q in BANK}
    assert store.get_question("tools.crm_responsive") == next(
        q for q in BANK if q.id == "tools.crm_responsive")
