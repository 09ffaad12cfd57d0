"""The Store aggregate: everything the core persists; adapters/db implements all of it."""

from __future__ import annotations

from typing import Protocol

from pulse.analytics.ports import PublicationStore
from pulse.core.ports import ApiKeyRepository, Batch, OrgRepository
from pulse.irritants.ports import IrritantRepository
from pulse.kudos.ports import KudosRepository
from pulse.surveys.ports import PulseRepository


class Store(OrgRepository, PulseRepository, KudosRepository, ApiKeyRepository,
            IrritantRepository, PublicationStore, Batch, Protocol):
    """Everything the core persists, and its unit of work; one adapter (adapters/db) implements
    all of it."""
