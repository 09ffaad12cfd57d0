"""published cells: closed-bucket analytics and the frozen week snapshots they come from

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 18:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010'
# The parent is what `alembic heads` printed on this branch (see adapters/db/migrations/README).
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('published_cell',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('team_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('granularity', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('bucket', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('metric', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('n', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('snapshot_id', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('formula_version', sa.Integer(), nullable=False),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('weeks_used', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('published_cell', schema=None) as batch_op:
        batch_op.create_index('ix_published_cell_read',
                              ['tenant_id', 'granularity', 'team_id', 'metric', 'bucket'],
                              unique=True)

    op.create_table('week_snapshot',
    sa.Column('tenant_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('week', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('snapshot_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('parents', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('homes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'week')
    )


def downgrade() -> None:
    op.drop_table('week_snapshot')
    with op.batch_alter_table('published_cell', schema=None) as batch_op:
        batch_op.drop_index('ix_published_cell_read')
    op.drop_table('published_cell')
