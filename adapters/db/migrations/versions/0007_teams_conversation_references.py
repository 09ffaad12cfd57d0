"""teams conversation references

One row per Teams conversation Miroir may write in first (1:1 chats, team channels), with the
Bot Framework ConversationReference as JSON.

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-23 16:40:20.074898
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('teams_conversation',
    sa.Column('ms_tenant', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('conversation_id', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('conversation_type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('aad_object_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('service_url', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('ms_tenant', 'conversation_id')
    )
    with op.batch_alter_table('teams_conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teams_conversation_aad_object_id'), ['aad_object_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('teams_conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_conversation_aad_object_id'))

    op.drop_table('teams_conversation')
