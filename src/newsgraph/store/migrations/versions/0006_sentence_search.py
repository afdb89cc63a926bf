"""full-text search over sentences: SQLite FTS5 kept in sync by triggers; a PostgreSQL GIN index

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 06:00:00
"""
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# an external-content FTS5 index over sentences.text, keyed by the sentences table's rowid
SQLITE_UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5("
    "text, content='sentences', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS sentences_fts_insert AFTER INSERT ON sentences BEGIN "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS sentences_fts_delete AFTER DELETE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS sentences_fts_update AFTER UPDATE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text); "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild')",  # the sentences stored before
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS sentences_fts_insert",
    "DROP TRIGGER IF EXISTS sentences_fts_delete",
    "DROP TRIGGER IF EXISTS sentences_fts_update",
    "DROP TABLE IF EXISTS sentences_fts",
]
POSTGRES_UP = ["CREATE INDEX IF NOT EXISTS ix_sentences_fts ON sentences USING gin (to_tsvector('english', text))"]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_sentences_fts"]


def _run(statements: list[str]) -> None:
    for sql in statements:
        op.execute(sql)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        _run(SQLITE_UP)
    elif dialect == 'postgresql':
        _run(POSTGRES_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        _run(SQLITE_DOWN)
    elif dialect == 'postgresql':
        _run(POSTGRES_DOWN)
