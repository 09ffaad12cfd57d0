"""msteams conversation: Microsoft Teams' references table, named apart from Miroir's teams

`teams_conversation` read as "a conversation of a Miroir team"; it holds Bot Framework
references of Microsoft Teams chats. The rows are kept: only names change.

Revision ID: 0008
Revises: 0003
Create Date: 2026-12-02 17:07:50.926127
"""
from alembic import op


revision = '0008'
# The parent is what `alembic heads` prints, never the highest-numbered file (the numbers
# were taken out of order; see adapters/db/migrations/README).
down_revision = '0003'
branch_labels = None
depends_on = None


def _rename(old: str, new: str) -> None:
    # SQLite renames tables but not indexes: drop and re-create the index on both databases.
    op.drop_index(f'ix_{old}_aad_object_id', table_name=old)
    op.rename_table(old, new)
    op.create_index(f'ix_{new}_aad_object_id', new, ['aad_object_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':  # SQLite's primary keys have no name
        op.execute(f'ALTER TABLE {new} RENAME CONSTRAINT {old}_pkey TO {new}_pkey')


def upgrade() -> None:
    _rename('teams_conversation', 'msteams_conversation')


def downgrade() -> None:
    _rename('msteams_conversation', 'teams_conversation')
