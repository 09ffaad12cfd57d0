"""Erasing a whole tenant (demo reset today, GDPR-style tenant removal later)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, MetaData, Table, false, or_, select

from adapters.db.base import Repository


class TenantRepository(Repository):
    def delete_tenant(self, tenant_id: str) -> None:
        """Delete every row that belongs to the tenant, in one transaction, children first."""
        # Reflect the live schema rather than our models, so tables added by other features
        # (and not imported here) are erased too instead of blocking on foreign keys.
        meta = MetaData()
        meta.reflect(bind=self.engine)
        owned: dict[str, ColumnElement[bool]] = {}
        for table in meta.sorted_tables:
            clause = _belongs(table, tenant_id, owned)
            if clause is not None:
                owned[table.name] = clause
        with self.session() as s:
            for table in reversed(meta.sorted_tables):
                if table.name in owned:
                    s.execute(table.delete().where(owned[table.name]))


def _belongs(table: Table, tenant_id: str, owned: dict[str, ColumnElement[bool]]
             ) -> ColumnElement[bool] | None:
    """A WHERE clause for the table's rows owned by the tenant, directly or through a parent."""
    if table.name == "tenant":
        return table.c.id == tenant_id
    if "tenant_id" in table.c:
        return table.c.tenant_id == tenant_id
    links = []
    for fk in table.foreign_keys:
        parent = fk.column.table
        if parent.name in owned and parent is not table:
            links.append(fk.parent.in_(select(fk.column).where(owned[parent.name])))
    return or_(false(), *links) if links else None
