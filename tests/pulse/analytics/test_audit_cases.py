"""The auditor on small cases whose answer is known by hand, and its linear algebra."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

from pulse.analytics.audit import AuditCell, audit
from pulse.analytics.echelon import Echelon, P, to_field
from pulse.analytics.families import Observations, PillarFamily, PulseFamily
from pulse.surveys.model import Pillar, Scale, Scored

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)
PULSE, BELONGING, TOOLS = PulseFamily(), PillarFamily(Pillar.BELONGING), PillarFamily(Pillar.TOOLS)


def answer(person: str, pillar: Pillar = Pillar.BELONGING, value: int = 4,
           hours: int = 0) -> Scored:
    return Scored(person, f"q-{pillar.value}", pillar, Scale.AGREE5, value,
                  MONDAY + timedelta(hours=hours))


def cell(name: str, family: PulseFamily | PillarFamily, answers: list[Scored],
         published: bool = True) -> AuditCell:
    obs = Observations(tuple(answers))
    return AuditCell(name, family.metric, family.respondents(obs),
                     family.rows(obs) if published else (), published)


def people(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(count)]


def test_a_hidden_team_of_two_is_recovered_as_parent_minus_its_published_siblings() -> None:
    a = [answer(p) for p in people("a", 5)]
    b = [answer(p) for p in people("b", 5)]
    c = [answer(p) for p in people("c", 2)]
    cells = [cell("P", PULSE, a + b + c), cell("A", PULSE, a), cell("B", PULSE, b),
             cell("C", PULSE, c, published=False)]
    findings = audit(cells, k=5)
    assert [(f.kind, f.people, sorted(map(str, f.cells))) for f in findings] == [
        ("group", ("c0", "c1"), ["A", "B", "P"])]
    # Without one sibling the difference holds seven people: nothing to find.
    assert audit([cells[0], cells[1], cells[3]], k=5) == []


def test_a_person_is_recovered_as_overall_minus_a_pillar() -> None:
    five = [answer(p) for p in people("a", 5)]
    x = answer("x", Pillar.TOOLS)
    cells = [cell("pulse", PULSE, [*five, x]), cell("belonging", BELONGING, five),
             cell("tools", TOOLS, [x], published=False)]
    findings = audit(cells, k=5)
    assert [(f.kind, f.people, sorted(map(str, f.cells))) for f in findings] == [
        ("person", ("x",), ["belonging", "pulse"])]


def test_two_cells_of_six_still_expose_the_one_who_answered_two_pillars() -> None:
    # pulse = Σ five + (b_x + t_x)/2 and belonging = Σ five + b_x: the difference is
    # (t_x − b_x)/2, one person's own combination, though both cells have n = 6 ≥ k.
    five = [answer(p) for p in people("a", 5)]
    xs = [answer("x", Pillar.BELONGING), answer("x", Pillar.TOOLS, hours=1)]
    findings = audit([cell("pulse", PULSE, five + xs), cell("belonging", BELONGING,
                                                            [*five, xs[0]])], k=5)
    assert [(f.kind, f.people) for f in findings] == [("person", ("x",))]


def test_nothing_is_found_where_nothing_can_be_subtracted() -> None:
    a = [answer(p) for p in people("a", 5)]
    b = [answer(p) for p in people("b", 6)]
    direct = [answer(p) for p in people("d", 5)]
    assert audit([cell("A", PULSE, a)], k=5) == []
    # A parent that is exactly the sum of its published children adds no equation.
    assert audit([cell("P", PULSE, a + b), cell("A", PULSE, a), cell("B", PULSE, b)], k=5) == []
    # Parent minus children leaves five direct members: a group of k is allowed.
    assert audit([cell("P", PULSE, a + b + direct), cell("A", PULSE, a),
                  cell("B", PULSE, b)], k=5) == []
    # Everybody answered the same pillar: overall and pillar are the same equation.
    assert audit([cell("pulse", PULSE, a), cell("belonging", BELONGING, a)], k=5) == []


def test_the_same_people_answering_again_in_an_open_week_are_exposed() -> None:
    first = [answer(p) for p in people("a", 5)]
    late = answer("z", hours=50)
    findings = audit([cell("read 1", PULSE, first), cell("read 2", PULSE, [*first, late])], k=5)
    assert [(f.people, sorted(map(str, f.cells))) for f in findings] == [
        (("z",), ["read 1", "read 2"])]


def test_echelon_rank_dependency_and_certificate() -> None:
    ech = Echelon()
    assert ech.add({0: 1, 1: 1, 2: 1}, label=0)
    assert ech.add({0: 1, 1: 1}, label=1)
    assert not ech.add({2: 5}, label=2)  # row0 − row1 = e2: already in the span
    assert ech.rank == 2
    weights = ech.dependency({2})
    assert weights is not None
    vec, prov = ech.combine(weights)
    assert set(vec) == {2}
    assert {label: v for label, v in prov.items()} == {0: vec[2], 1: (-vec[2]) % P}
    assert ech.dependency({0}) is None and ech.dependency({1}) is None
    assert ech.dependency({0, 1}) is not None  # e0 + e1 is row 1


def test_rationals_map_into_the_field_by_modular_inverse() -> None:
    third = to_field(Fraction(1, 3))
    assert third * 3 % P == 1
    assert to_field(Fraction(-2, 4)) == (P - 1) * to_field(Fraction(1, 2)) % P
    assert to_field(7) == 7
