"""document_keys.raw_sha256: a fingerprint of the input each key was read from (its bytes or text, format
and metadata), so that a repeat ingest skips inputs it has read before without cleaning them again

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 09:05:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('document_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('raw_sha256', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('document_keys', schema=None) as batch_op:
        batch_op.drop_column('raw_sha256')
