"""place qualifiers ("southwest of" Mosul)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 03:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qualifier', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.drop_column('qualifier')
