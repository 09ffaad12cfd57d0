"""dashboard sign-in: used link nonces and sessions

signin_nonce keeps the nonce of every sign-in link already used (for as long as a link can
live), so a link works once; dashboard_session keeps the SHA-256 of each session id with its
person, CSRF token and expiry, so signing out and expiry are enforced server-side.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signin_nonce',
    sa.Column('nonce', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('nonce')
    )
    with op.batch_alter_table('signin_nonce', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signin_nonce_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signin_nonce_used_at'), ['used_at'], unique=False)

    op.create_table('dashboard_session',
    sa.Column('id_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('tenant_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('csrf', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('id_hash')
    )
    with op.batch_alter_table('dashboard_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dashboard_session_expires_at'), ['expires_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_dashboard_session_person_id'), ['person_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_dashboard_session_tenant_id'), ['tenant_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dashboard_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dashboard_session_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_dashboard_session_person_id'))
        batch_op.drop_index(batch_op.f('ix_dashboard_session_expires_at'))
    op.drop_table('dashboard_session')
    with op.batch_alter_table('signin_nonce', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signin_nonce_used_at'))
        batch_op.drop_index(batch_op.f('ix_signin_nonce_person_id'))
    op.drop_table('signin_nonce')
