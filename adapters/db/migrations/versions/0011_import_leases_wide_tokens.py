"""import leases and wide Slack token columns

cx_ingest_batch gets a lease: `lease_owner` names the attempt that runs a batch and
`heartbeat_at` is when it last proved alive, so a batch left `running` by a killed process is
taken over once its heartbeat is old, instead of refusing every re-send with 409.

slack_sdk's token columns are String(200); a token encrypted with MIROIR_SECRET_KEY (and a
rotated key's longer envelope) does not fit on PostgreSQL, so they become Text.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 18:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0011'
# The parent is what `alembic heads` printed on this branch (see adapters/db/migrations/README).
down_revision = '0010'
branch_labels = None
depends_on = None

_TOKENS = {
    'slack_installations': ('bot_token', 'bot_refresh_token', 'user_token', 'user_refresh_token'),
    'slack_bots': ('bot_token', 'bot_refresh_token'),
}


def upgrade() -> None:
    with op.batch_alter_table('cx_ingest_batch') as batch:
        batch.add_column(sa.Column('lease_owner', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('heartbeat_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    for table, columns in _TOKENS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.Text(), existing_type=sa.String(length=200),
                                   existing_nullable=True)


def downgrade() -> None:
    # Narrowing back fails on PostgreSQL if an encrypted token is stored: that is the point.
    for table, columns in _TOKENS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.String(length=200), existing_type=sa.Text(),
                                   existing_nullable=True)
    with op.batch_alter_table('cx_ingest_batch') as batch:
        batch.drop_column('heartbeat_at')
        batch.drop_column('lease_owner')
