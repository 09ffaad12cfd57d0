"""Per-tenant recalibration from the product's own labels: pulse scores and category corrections.

Only the tenant's own comments are read and only the tenant's heads are written; every version
is kept in the store, and a new head becomes active only if it agrees at least as well with the
tenant's labels on a held-out slice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from pulse.irritants.model import IrritantCategory
from pulse.ports import Store
from pulse.surveys.model import Comment
from sentiment.classifier import CATEGORIES, SENTIMENT, EmbeddingClassifier
from sentiment.encoders import normalise
from sentiment.examples import POLARITIES
from sentiment.heads import PrototypeHead, SoftmaxHead, fit_softmax

MIN_LABELS = 40  # per head: fewer labels than this and the shipped head stays
MIN_PER_CATEGORY = 5
PRIOR_L2 = 5.0  # pull towards the current head so a few labels adjust it, not replace it
PROTOTYPE_WEIGHT = 0.5  # share of the old prototype kept in a re-fitted one


@dataclass
class HeadReport:
    kind: str
    labels: int
    held_out: int = 0
    before: float | None = None  # agreement with the tenant's labels on the held-out slice
    after: float | None = None
    previous_version: str = ""
    new_version: str = ""
    activated: bool = False
    reason: str = ""


@dataclass
class CalibrationReport:
    tenant_id: str
    heads: list[HeadReport] = field(default_factory=list)


def polarity_of_score(score: float) -> str:
    """A 0–10 pulse score read as a polarity label: < 4 negative, > 6 positive."""
    return "negative" if score < 4 else "positive" if score > 6 else "neutral"


def in_held_out(comment_id: str, share: float = 0.25) -> bool:
    """Stable held-out slice, by a hash of the comment id."""
    return int(hashlib.sha1(comment_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share


def recalibrate(store: Store, classifier: EmbeddingClassifier, tenant_id: str,
                min_labels: int = MIN_LABELS) -> CalibrationReport:
    """Re-fit this tenant's sentiment and category heads when it has enough labels."""
    labelled = store.labelled_comments(tenant_id)
    report = CalibrationReport(tenant_id)
    scored = [(c, polarity_of_score(c.pulse_score)) for c, _ in labelled
              if c.pulse_score is not None]
    corrected = [(c, cat) for c, cat in labelled if cat is not None]
    report.heads.append(_sentiment(store, classifier, tenant_id, scored, min_labels))
    report.heads.append(_categories(store, classifier, tenant_id, corrected, min_labels))
    return report


def _split(items: list[tuple[Comment, str]]) -> tuple[list[int], list[int]]:
    held = [i for i, (c, _) in enumerate(items) if in_held_out(c.id)]
    train = [i for i, (c, _) in enumerate(items) if not in_held_out(c.id)]
    return train, held


def _next_version(store: Store, tenant_id: str, kind: str) -> str:
    return f"{kind}-t{len(store.head_versions(tenant_id, kind)) + 1}"


def _sentiment(store: Store, clf: EmbeddingClassifier, tenant_id: str,
               items: list[tuple[Comment, str]], min_labels: int) -> HeadReport:
    rep = HeadReport(SENTIMENT, len(items))
    if len(items) < min_labels:
        rep.reason = f"{len(items)} labelled comments, {min_labels} needed"
        return rep
    current = clf.head_for(tenant_id, SENTIMENT, clf.sentiment)
    assert isinstance(current, SoftmaxHead)
    X = normalise(clf.encoder.encode([c.text for c, _ in items]))
    y = np.array([POLARITIES.index(lab) for _, lab in items])
    train, held = _split(items)
    rep.held_out, rep.previous_version = len(held), current.version
    if not held or len(set(y[train])) < 2:
        rep.reason = "labels too uniform or too few to hold a slice out"
        return rep
    version = _next_version(store, tenant_id, SENTIMENT)
    counts = np.bincount(y[train], minlength=3).astype(float)
    weights = (len(train) / (3 * np.maximum(counts, 1)))[y[train]]
    new = fit_softmax(X[train], y[train], POLARITIES, weights=weights, l2=PRIOR_L2,
                      prior=current, version=version,
                      meta={"tenant": tenant_id, "labels": len(train), "from": current.version})
    rep.before = float((current.proba(X[held]).argmax(1) == y[held]).mean())
    rep.after = float((new.proba(X[held]).argmax(1) == y[held]).mean())
    return _store(store, tenant_id, rep, new.to_bytes(), version)


def _categories(store: Store, clf: EmbeddingClassifier, tenant_id: str,
                items: list[tuple[Comment, IrritantCategory]], min_labels: int) -> HeadReport:
    rep = HeadReport(CATEGORIES, len(items))
    if len(items) < min_labels:
        rep.reason = f"{len(items)} corrected categories, {min_labels} needed"
        return rep
    current = clf.head_for(tenant_id, CATEGORIES, clf.categories)
    if not isinstance(current, PrototypeHead):
        rep.reason = "the active category head is not a prototype head"
        return rep
    X = normalise(clf.encoder.encode([c.text for c, _ in items]))
    classes = list(current.classes)
    y = np.array([classes.index(str(cat)) for _, cat in items])
    pairs = [(c, str(cat)) for c, cat in items]
    train, held = _split(pairs)
    rep.held_out, rep.previous_version = len(held), current.version
    if not held:
        rep.reason = "too few labels to hold a slice out"
        return rep
    P = current.P.copy()
    for k in range(len(classes)):
        mine = [i for i in train if y[i] == k]
        if len(mine) >= MIN_PER_CATEGORY:
            mixed = PROTOTYPE_WEIGHT * P[k] + (1 - PROTOTYPE_WEIGHT) * X[mine].mean(axis=0)
            P[k] = mixed / np.linalg.norm(mixed)
    version = _next_version(store, tenant_id, CATEGORIES)
    centre = (X[train].astype(np.float64) @ P.T).mean(axis=0) if train else current.centre
    new = PrototypeHead(P=P, centre=centre, classes=current.classes, version=version,
                        temperature=current.temperature,
                        meta={"tenant": tenant_id, "labels": len(train), "from": current.version})
    rep.before = float((current.proba(X[held]).argmax(1) == y[held]).mean())
    rep.after = float((new.proba(X[held]).argmax(1) == y[held]).mean())
    return _store(store, tenant_id, rep, new.to_bytes(), version)


def _store(store: Store, tenant_id: str, rep: HeadReport, blob: bytes, version: str) -> HeadReport:
    """Keep every version; activate the new one only if it does not agree less."""
    assert rep.before is not None and rep.after is not None
    rep.new_version = version
    if rep.after >= rep.before:
        note = f"{rep.before:.3f}→{rep.after:.3f}"
        store.save_head(tenant_id, rep.kind, version, blob, note=note)
        rep.activated = True
    else:
        rep.reason = "the re-fitted head agreed less on the held-out slice; not activated"
    return rep


def recalibrate_all(store: Store, classifier: object,
                    min_labels: int = MIN_LABELS) -> list[CalibrationReport]:
    """The weekly job: every tenant, each on its own labels; nothing when degraded."""
    load = getattr(classifier, "load", None)
    inner = load() if callable(load) else classifier
    if not isinstance(inner, EmbeddingClassifier):
        return []  # the lexicon fallback has no head to re-fit
    return [recalibrate(store, inner, t.id, min_labels) for t in store.list_tenants()]
