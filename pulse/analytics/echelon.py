"""Exact sparse linear algebra for the differencing auditor: a reduced row echelon form over GF(p).

Rows are sparse vectors ``{column: coefficient}`` with rational coefficients mapped into the prime
field of p = 2^61 − 1 (a Mersenne prime) by modular inverse. Arithmetic is exact in that field:
no tolerance, no rounding. The only way the answer can differ from exact rational arithmetic is
that p divides a nonzero minor of the coefficient matrix (after clearing denominators, which
are small counts far below p). The coefficients depend only on who answered what and how many
times, never on the answers' values, so nobody steers them towards p. For coefficients that
behave like random integers the chance that a given minor is a multiple of p is 1/p ≈ 4·10^-19;
a full audit of a large tenant looks at fewer than 10^6 rank decisions, so the failure
probability stays below 10^-12. tests/pulse/analytics/test_audit_exact.py cross-checks the
auditor against an independent rank computation in ``fractions.Fraction``.

The form is kept fully reduced while rows are added: every pivot column appears in its own row
only (coefficient 1), so the null space is read straight off the rows. `dependency` answers the
auditor's question "is some nonzero combination of these columns fixed by the rows?", and each
row carries its provenance (which input rows, with which weights, add up to it) so a finding can
name the published cells that, combined, reveal it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import lru_cache

P = (1 << 61) - 1

Vector = dict[int, int]


@lru_cache(maxsize=65536)
def _from_ratio(numerator: int, denominator: int) -> int:
    return numerator % P * pow(denominator, -1, P) % P


def to_field(value: Fraction | int) -> int:
    """A rational number as an element of GF(p)."""
    if isinstance(value, int):
        return value % P
    return _from_ratio(value.numerator, value.denominator)


def _axpy(dst: Vector, coef: int, src: Mapping[int, int]) -> None:
    """dst -= coef · src, dropping the entries that cancel."""
    for col, v in src.items():
        new = (dst.get(col, 0) - coef * v) % P
        if new:
            dst[col] = new
        else:
            dst.pop(col, None)


class Echelon:
    """Reduced row echelon form over GF(p), built one row at a time."""

    def __init__(self) -> None:
        self.rows: dict[int, Vector] = {}  # pivot column -> its row (pivot coefficient 1)
        self.prov: dict[int, Vector] = {}  # pivot column -> weights of the input rows summed
        self._holders: defaultdict[int, set[int]] = defaultdict(set)  # free col -> pivots

    @property
    def rank(self) -> int:
        return len(self.rows)

    def add(self, row: Mapping[int, int], label: int) -> bool:
        """Add one input row (field coefficients) named `label`; False when it adds no rank."""
        vec = {c: v % P for c, v in row.items() if v % P}
        prov: Vector = {label: 1}
        for col in [c for c in vec if c in self.rows]:
            coef = vec.get(col)
            if coef:
                # Pivot rows hold no other pivot column, so one pass reduces the row fully.
                _axpy(vec, coef, self.rows[col])
                _axpy(prov, coef, self.prov[col])
        if not vec:
            return False
        # Pivot on the column that the fewest existing rows hold: the least fill-in.
        pivot = min(vec, key=lambda c: (len(self._holders.get(c, ())), c))
        inv = pow(vec[pivot], -1, P)
        vec = {c: v * inv % P for c, v in vec.items()}
        prov = {c: v * inv % P for c, v in prov.items()}
        for other in self._holders.pop(pivot, set()):
            target = self.rows[other]
            coef = target[pivot]
            before = set(target)
            _axpy(target, coef, vec)
            _axpy(self.prov[other], coef, prov)
            for col in before - set(target):
                self._holders[col].discard(other)
            for col in set(target) - before:
                self._holders[col].add(other)
        self.rows[pivot] = vec
        self.prov[pivot] = prov
        for col in vec:
            if col != pivot:
                self._holders[col].add(pivot)
        return True

    def rank_gain(self, rows: Iterable[Mapping[int, int]]) -> int:
        """How much adding these rows would raise the rank, leaving the form untouched."""
        extra: dict[int, Vector] = {}  # lead (smallest) column -> normalised row
        for row in rows:
            vec = {c: v % P for c, v in row.items() if v % P}
            for col in [c for c in vec if c in self.rows]:
                coef = vec.get(col)
                if coef:
                    _axpy(vec, coef, self.rows[col])
            while vec and min(vec) in extra:
                lead = min(vec)
                _axpy(vec, vec[lead], extra[lead])
            if vec:
                lead = min(vec)
                inv = pow(vec[lead], -1, P)
                extra[lead] = {c: v * inv % P for c, v in vec.items()}
        return len(extra)

    def dependency(self, cols: set[int]) -> Vector | None:
        """Weights on pivots of `cols` whose rows combine to a nonzero vector inside `cols`.

        The row space meets span(cols) beyond 0 exactly when the rows of the pivots lying in
        `cols`, cut down to the free columns outside `cols`, are linearly dependent: that cut is
        the projection of the null space onto `cols`, seen from the other side. None when no
        nonzero combination of these columns is determined.
        """
        basis: dict[int, tuple[Vector, Vector]] = {}  # lead col -> (reduced cut row, weights)
        for pivot in sorted(c for c in cols if c in self.rows):
            cut = {c: v for c, v in self.rows[pivot].items() if c not in cols}
            weights: Vector = {pivot: 1}
            while cut:
                lead = min(cut)
                if lead not in basis:
                    break
                coef = cut[lead]
                base_cut, base_weights = basis[lead]
                _axpy(cut, coef, base_cut)
                _axpy(weights, coef, base_weights)
            if not cut:
                return weights
            lead = min(cut)
            inv = pow(cut[lead], -1, P)
            basis[lead] = ({c: v * inv % P for c, v in cut.items()},
                           {c: v * inv % P for c, v in weights.items()})
        return None

    def combine(self, weights: Mapping[int, int]) -> tuple[Vector, Vector]:
        """(Σ w·row, Σ w·provenance) for weights on pivot columns: a vector and its certificate."""
        vec: Vector = {}
        prov: Vector = {}
        for pivot, w in weights.items():
            _axpy(vec, -w % P, self.rows[pivot])
            _axpy(prov, -w % P, self.prov[pivot])
        return vec, prov
