"""fetch cache for live sources (feeds, URL lists): validators and content hashes of fetched URLs

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 05:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'fetch_cache',
        sa.Column('url', sa.Text(), primary_key=True),
        sa.Column('final_url', sa.Text(), nullable=True),
        sa.Column('etag', sa.Text(), nullable=True),
        sa.Column('last_modified', sa.Text(), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.Column('stamp', sa.Text(), nullable=True),
        sa.Column('body', sa.LargeBinary(), nullable=True),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('fetched_at', sa.String(length=32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('fetch_cache')
