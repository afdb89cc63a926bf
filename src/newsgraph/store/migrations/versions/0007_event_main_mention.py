"""events.main (the mention that speaks for its cluster) and events.day_first / day_last (the days its date
can mean), so queries filter, order and page events in SQL; covering indexes for an actor's events and the
sentences that name it

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 05:40:00
"""
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

COVERING_EVENTS = [  # (old index, new index, columns): the old one's column first
    ('ix_events_doc', 'ix_events_doc_start', ['doc_id', 'start', 'cluster_id']),
    ('ix_events_source', 'ix_events_source_cluster', ['source_entity', 'cluster_id']),
    ('ix_events_target', 'ix_events_target_cluster', ['target_entity', 'cluster_id']),
]


def upgrade() -> None:
    from newsgraph.resolve.events import main_mention
    from newsgraph.timespan import day_bounds

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('main', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('day_first', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('day_last', sa.String(length=10), nullable=True))
        batch_op.create_index('ix_events_main_day', ['main', 'day_first'], unique=False)
        for old, new, columns in COVERING_EVENTS:
            batch_op.drop_index(old)
            batch_op.create_index(new, columns, unique=False)
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.drop_index('ix_mentions_entity')
        batch_op.create_index('ix_mentions_entity_sentence', ['entity_id', 'doc_id', 'sentence'], unique=False)
    with op.batch_alter_table('sentences', schema=None) as batch_op:
        batch_op.create_index('ix_sentences_span', ['doc_id', 'idx', 'start'], unique=False)
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        'SELECT e.id, e.cluster_id, e.date, e.date_text, e.date_precision, e.location_text, e.source_entity, '
        'e.target_entity FROM events e JOIN documents d ON d.id = e.doc_id '
        'ORDER BY d.ingested_at, d.key, e.start, e.id')).all()
    clusters = defaultdict(list)
    for row in rows:
        clusters[row.cluster_id].append(row)
    mains = {main_mention(members).id for members in clusters.values()}
    values = [{'i': r.id, 'm': r.id in mains, 'f': day_bounds(r.date)[0], 'l': day_bounds(r.date)[1]} for r in rows]
    if values:
        conn.execute(sa.text('UPDATE events SET main = :m, day_first = :f, day_last = :l WHERE id = :i'), values)


def downgrade() -> None:
    with op.batch_alter_table('sentences', schema=None) as batch_op:
        batch_op.drop_index('ix_sentences_span')
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.drop_index('ix_mentions_entity_sentence')
        batch_op.create_index('ix_mentions_entity', ['entity_id'], unique=False)
    with op.batch_alter_table('events', schema=None) as batch_op:
        for old, new, columns in COVERING_EVENTS:
            batch_op.drop_index(new)
            batch_op.create_index(old, columns[:1], unique=False)
        batch_op.drop_index('ix_events_main_day')
        batch_op.drop_column('day_last')
        batch_op.drop_column('day_first')
        batch_op.drop_column('main')
