"""SqlStore: the one object that implements pulse.ports.Store over SQLAlchemy."""

from __future__ import annotations

from adapters.db.analytics_repository import AnalyticsRepository
from adapters.db.cx_repository import CxRepository
from adapters.db.irritant_repository import IrritantRepository
from adapters.db.kudos_repository import ApiKeyRepository, KudosRepository
from adapters.db.msteams_repository import MsTeamsConversationRepository
from adapters.db.org_repository import OrgRepository
from adapters.db.outbox_repository import OutboxRepository
from adapters.db.pulse_repository import PulseRepository
from adapters.db.roster_repository import RosterRepository
from adapters.db.schedule_repository import ScheduleRepository
from adapters.db.signin_repository import SigninRepository
from adapters.db.tenant_repository import TenantRepository


class SqlStore(OrgRepository, PulseRepository, KudosRepository, ApiKeyRepository,
               RosterRepository, TenantRepository, CxRepository, ScheduleRepository,
               OutboxRepository, MsTeamsConversationRepository, IrritantRepository,
               SigninRepository, AnalyticsRepository):
    """All repositories over one engine."""
