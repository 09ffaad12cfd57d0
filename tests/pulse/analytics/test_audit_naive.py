"""The auditor has teeth: the naive publisher leaks, the publication layer does not.

Each attack class of issue 10 is replayed on a small hand-built tenant: the naive publisher
(testing/naive_publisher.py) is read the way a curious manager would, the auditor must name
the person or group exposed, and the same tenant published by publish_week must audit clean.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from pulse.analytics.audit import audit
from pulse.analytics.cells import Reason, Receipt, Snapshot, weeks_of_month
from pulse.analytics.publish import derive_month, publish_week, week_audit_cells
from pulse.core import buckets
from pulse.surveys.model import Pillar, Scale, Scored
from testing.naive_publisher import naive_publication
from testing.pulse_world import TENANT, TZ, WeekWorld, World, build_world

NOW = datetime(2026, 4, 1, tzinfo=UTC)
K = 5


def at(week: str, day: int, hour: int = 10) -> datetime:
    start, _ = buckets.bounds(week, TZ)
    return start + timedelta(days=day, hours=hour)


def answer(person: str, week: str, day: int = 1, pillar: Pillar = Pillar.BELONGING,
           value: int = 4) -> Scored:
    return Scored(person, f"q-{pillar.value}", pillar, Scale.AGREE5, value, at(week, day))


def names(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(count)]


def week_of(week: str, parents: dict[str, str | None], home: dict[str, str],
            answers: list[Scored], receipts: tuple[Receipt, ...] = ()) -> WeekWorld:
    return WeekWorld(Snapshot(TENANT, week, TZ, parents, home), tuple(answers),
                     frozenset(home), receipts)


def exposed(world: World, *, complement: bool = False) -> set[tuple[str, ...]]:
    return {f.people for f in audit(naive_publication(world, k=K, complement=complement), K)}


def published_clean(world: World) -> bool:
    """Every week published and re-audited from its raw input finds nothing."""
    return all(audit(week_audit_cells(w.as_input(), publish_week(w.as_input(),
                                                                 published_at=NOW, k=K)), K) == []
               for w in world.weeks)


def test_open_week_time_differencing() -> None:
    # Five answer early in the week, a sixth on Saturday: a mid-week read and the final one.
    home = dict.fromkeys([*names("a", 5), "late"], "T")
    answers = [answer(p, "2026-W10", day=0) for p in names("a", 5)]
    answers.append(answer("late", "2026-W10", day=5, value=1))
    world = World(TENANT, (week_of("2026-W10", {"T": None}, home, answers),))
    assert ("late",) in exposed(world, complement=True)
    assert published_clean(world)
    # Control: when all six answered before the mid-week read, both reads say the same.
    early = [*answers[:5], answer("late", "2026-W10", day=0, value=1)]
    assert exposed(World(TENANT, (week_of("2026-W10", {"T": None}, home, early),))) == set()


def test_week_month_granularity_differencing() -> None:
    # February: five people in three weeks, only x in the last one (a week below k).
    home = dict.fromkeys([*names("a", 5), "x"], "T")
    weeks = []
    for i, week in enumerate(weeks_of_month("2026-02")):
        who = names("a", 5) if i < 3 else ["x"]
        weeks.append(week_of(week, {"T": None}, home, [answer(p, week) for p in who]))
    world = World(TENANT, tuple(weeks))
    assert ("x",) in exposed(world, complement=True)
    assert published_clean(world)
    pubs = [publish_week(w.as_input(), published_at=NOW, k=K) for w in weeks]
    month = {(c.team_id, c.metric): c for c in derive_month("2026-02", pubs, published_at=NOW)}
    assert month[("T", "pulse")].weeks_used == 3  # x's week was never published, so never used


def test_overall_minus_pillar_defeats_per_metric_complementary_suppression() -> None:
    # A (five, belonging) and B (x alone, tools) under P. Per metric, the tree rule hides A's
    # pulse (P − A = x), but P's pulse minus P's belonging pillar is still x.
    home = {**dict.fromkeys(names("a", 5), "A"), "x": "B"}
    answers = [answer(p, "2026-W10") for p in names("a", 5)]
    answers.append(answer("x", "2026-W10", pillar=Pillar.TOOLS, value=1))
    world = World(TENANT, (week_of("2026-W10", {"P": None, "A": "P", "B": "P"}, home,
                                   answers),))
    assert ("x",) in exposed(world, complement=True)
    assert published_clean(world)
    same = [*answers[:5], answer("x", "2026-W10")]  # control: x answered belonging too
    assert exposed(World(TENANT, (week_of("2026-W10", world.weeks[0].snapshot.parents, home,
                                          same),)), complement=True) == set()
    pub = publish_week(world.weeks[0].as_input(), published_at=NOW, k=K)
    reasons = {(c.team_id, c.metric): c.reason for c in pub.cells}
    assert reasons[("P", "pillar:belonging")] is Reason.AUDIT


def test_history_rewritten_by_a_move() -> None:
    # m answers in A in week 10, then moves to B: re-reading week 10 over today's
    # memberships changes A's past value, and old minus new is m's answer.
    parents: dict[str, str | None] = {"T": None, "A": "T", "B": "T"}
    before = {**dict.fromkeys([*names("a", 5), "m"], "A"), **dict.fromkeys(names("b", 5), "B")}
    after = {**before, "m": "B"}
    answers = [answer(p, "2026-W10") for p in before]
    world = World(TENANT, (week_of("2026-W10", parents, before, answers),
                           week_of("2026-W11", parents, after, [])))
    assert ("m",) in exposed(world, complement=True)
    assert published_clean(world)
    stayed = World(TENANT, (world.weeks[0], week_of("2026-W11", parents, before, [])))
    assert exposed(stayed, complement=True) == set()  # control: nobody moved


def test_history_rewritten_by_a_re_parenting() -> None:
    # Leaf L (two people) moves from D0 to D1: D0's week before minus after is L's two.
    parents: dict[str, str | None] = {"T": None, "D0": "T", "D1": "T", "L0": "D0",
                                      "L": "D0", "L1": "D1"}
    home = {**dict.fromkeys(names("a", 5), "L0"), **dict.fromkeys(names("l", 2), "L"),
            **dict.fromkeys(names("b", 5), "L1")}
    answers = [answer(p, "2026-W10") for p in home]
    world = World(TENANT, (week_of("2026-W10", parents, home, answers),
                           week_of("2026-W11", {**parents, "L": "D1"}, home, [])))
    assert ("l0", "l1") in exposed(world, complement=True)
    assert published_clean(world)
    stayed = World(TENANT, (world.weeks[0], week_of("2026-W11", parents, home, [])))
    assert exposed(stayed, complement=True) == set()  # control: no re-parenting


def test_kudos_count_revealing_a_private_kudos() -> None:
    home = {**dict.fromkeys(names("a", 6), "A"), "s": "S"}
    secret = Receipt("k-private", "s", at("2026-W10", 2), public=False)
    answers = [answer(p, "2026-W10") for p in names("a", 6)]
    world = World(TENANT, (week_of("2026-W10", {"T": None, "A": "T", "S": "T"}, home, answers,
                                   (secret,)),))
    assert ("s",) in exposed(world)
    assert published_clean(world)
    quiet = World(TENANT, (week_of("2026-W10", world.weeks[0].snapshot.parents, home,
                                   answers),))
    assert exposed(quiet) == set()  # control: no kudos at all
    pub = publish_week(world.weeks[0].as_input(), published_at=NOW, k=K)
    kudos = {c.team_id: c.value for c in pub.cells if c.metric == "kudos"}
    assert kudos == {"T": 0.0, "A": 0.0, "S": 0.0}


def test_the_shared_generator_finds_naive_leaks_in_most_tenants() -> None:
    leaky = 0
    tenants = 40
    for seed in range(tenants):
        world = build_world(random.Random(seed).randint)
        pubs_clean = published_clean_k(world, 3)
        assert pubs_clean, f"seed {seed}: the publication layer leaked"
        leaky += bool(audit(naive_publication(world, k=3), 3))
    assert leaky >= tenants * 0.6, f"only {leaky} of {tenants} naive publications leaked"


def published_clean_k(world: World, k: int) -> bool:
    return all(audit(week_audit_cells(w.as_input(), publish_week(w.as_input(),
                                                                 published_at=NOW, k=k)), k) == []
               for w in world.weeks)
