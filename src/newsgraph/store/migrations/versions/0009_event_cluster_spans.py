"""events by cluster with their sentence spans in one covering index: which sentence each event of a set of
clusters sits in (what the relations query asks to find the events that name the other side) without
reading the events' rows

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 08:45:00
"""
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_cluster')
        batch_op.create_index('ix_events_cluster_span', ['cluster_id', 'doc_id', 'start'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_cluster_span')
        batch_op.create_index('ix_events_cluster', ['cluster_id'], unique=False)
