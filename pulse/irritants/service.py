"""Irritant use cases: background classification, anonymised text, lifecycle transitions."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import replace

from pulse.core.errors import Invalid, NotFound
from pulse.core.ports import Clock
from pulse.irritants.model import Irritant, IrritantCategory, IrritantStatus, Polarity
from pulse.irritants.ports import CommentClassifier, IrritantStore
from pulse.irritants.redact import REDACTED, anonymise
from pulse.surveys.model import Comment

__all__ = ["REDACTED", "TRANSITIONS", "anonymise", "change_irritant", "classify_pending"]

S = IrritantStatus
TRANSITIONS: dict[IrritantStatus, frozenset[IrritantStatus]] = {
    S.NEW: frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS, S.RESOLVED, S.WONT_FIX}),
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.RESOLVED, S.WONT_FIX}),
    S.IN_PROGRESS: frozenset({S.ACKNOWLEDGED, S.RESOLVED, S.WONT_FIX}),
    S.RESOLVED: frozenset({S.IN_PROGRESS}),  # reopened when the fix did not hold
    S.WONT_FIX: frozenset({S.ACKNOWLEDGED}),
}
MAX_NOTE = 1000


def _is_irritant(comment: Comment, polarity: Polarity) -> bool:
    return comment.source == "irritant" or polarity is Polarity.NEGATIVE


def classify_pending(store: IrritantStore, classifier: CommentClassifier, clock: Clock,
                     batch_size: int = 64) -> int:
    """Classify up to `batch_size` stored comments; make irritants of the negative ones.

    Runs in a scheduler job, never in a chat request. Returns how many comments it classified.
    """
    pending = store.pending_comments(batch_size)
    by_tenant: dict[str, list[Comment]] = defaultdict(list)
    for comment in pending:
        by_tenant[comment.tenant_id].append(comment)
    done = 0
    for tenant_id, comments in by_tenant.items():
        results = classifier.classify([c.text for c in comments], tenant_id=tenant_id)
        people = store.list_people(tenant_id)
        now = clock.now()
        for comment, result in zip(comments, results, strict=True):
            irritant = None
            if _is_irritant(comment, result.polarity):
                top = result.categories[0].category if result.categories else IrritantCategory.OTHER
                irritant = Irritant(
                    id=uuid.uuid4().hex, tenant_id=tenant_id, comment_id=comment.id,
                    team_id=comment.team_id, category=top, status=IrritantStatus.NEW,
                    text=anonymise(comment.text, people), created_at=comment.created_at,
                    updated_at=now, language=result.language, owner_team_id=comment.team_id)
            if store.save_classification(comment.id, result, irritant):
                done += 1
    return done


def change_irritant(
    store: IrritantStore,
    clock: Clock,
    tenant_id: str,
    irritant_id: str,
    *,
    status: IrritantStatus | None = None,
    owner_note: str | None = None,
    category: IrritantCategory | None = None,
    owner_team_id: str | None = None,
) -> tuple[Irritant, bool]:
    """Apply a manager's change; returns the irritant and whether it has just been resolved."""
    current = store.get_irritant(tenant_id, irritant_id)
    if current is None:
        raise NotFound("irritant")
    updated = current
    if status is not None and status is not current.status:
        if status not in TRANSITIONS[current.status]:
            raise Invalid(f"an irritant cannot go from {current.status} to {status}")
        updated = replace(updated, status=status)
    if owner_note is not None:
        note = owner_note.strip()
        if len(note) > MAX_NOTE:
            raise Invalid(f"owner note longer than {MAX_NOTE} characters")
        updated = replace(updated, owner_note=note or None)
    if category is not None and category is not current.category:
        updated = replace(updated, category=category, category_corrected=True)
    if owner_team_id is not None:
        if store.get_team(tenant_id, owner_team_id) is None:
            raise NotFound("team")
        updated = replace(updated, owner_team_id=owner_team_id)
    if updated == current:
        return current, False
    updated = replace(updated, updated_at=clock.now())
    store.update_irritant(updated)
    just_resolved = updated.status is S.RESOLVED and current.status is not S.RESOLVED
    return updated, just_resolved
