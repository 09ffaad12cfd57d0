"""Storage: SQLModel tables, the repositories (all SQL lives here) and Alembic migrations."""
