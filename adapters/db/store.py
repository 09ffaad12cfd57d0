"""SqlStore: the one object that implements pulse.ports.Store over SQLAlchemy."""

from __future__ import annotations

from adapters.db.irritant_repository import IrritantRepository
from adapters.db.kudos_repository import ApiKeyRepository, KudosRepository
from adapters.db.org_repository import OrgRepository
from adapters.db.pulse_repository import PulseRepository


class SqlStore(OrgRepository, PulseRepository, KudosRepository, ApiKeyRepository,
               IrritantRepository):
    """All repositories over one engine."""
