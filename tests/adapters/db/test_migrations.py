"""The Alembic history: one head, one line, honest headers, and room for the next migration."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import adapters.db.tables  # noqa: F401  (registers the tables on the metadata)
from adapters.db.engine import make_engine
from adapters.db.migrate import MIGRATIONS, alembic_config

# Revision ids deployed databases store, in the order they were applied: never renamed or
# re-parented, so every later history starts with exactly this line.
DEPLOYED = ["0001", "0005", "0002", "0004", "0007", "0003"]


def _script(location: Path) -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(location))
    return ScriptDirectory.from_config(config)


def _header_revises(path: Path) -> str | None:
    """The "Revises:" value of a migration's docstring ("" for the first one, None if absent)."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    for line in doc.splitlines():
        if line.startswith("Revises:"):
            return line.removeprefix("Revises:").strip()
    return None


def chain_problems(location: Path) -> list[str]:
    """Everything wrong with the history under `location`; empty when it is one honest line."""
    script = _script(location)
    problems = []
    heads = script.get_heads()
    if len(heads) != 1:
        problems.append(f"{len(heads)} heads {sorted(heads)}: the next migration must "
                        "chain on `alembic heads`")
    for rev in script.walk_revisions("base", "heads"):
        if isinstance(rev.down_revision, tuple):
            problems.append(f"{rev.revision} merges {rev.down_revision}: history is linear")
        if len(rev.nextrev) > 1:
            problems.append(f"{rev.revision} has {len(rev.nextrev)} children "
                            f"{sorted(rev.nextrev)}")
        header = _header_revises(Path(rev.path))
        parent = rev.down_revision or ""
        if header != parent:
            problems.append(f"{Path(rev.path).name}: header says Revises: {header!r}, "
                            f"down_revision is {parent!r}")
    return problems


def _line(location: Path) -> list[str]:
    """Revision ids from base to head."""
    return [rev.revision for rev in reversed(list(_script(location).walk_revisions()))]


def _copy(tmp_path: Path) -> Path:
    """A scratch copy of the migrations folder (env.py, template, versions)."""
    target = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _write(location: Path, name: str, revises: str, down_revision: str) -> None:
    (location / "versions" / name).write_text(
        f'"""a probe\n\nRevision ID: {name[:4]}\nRevises: {revises}\n"""\n'
        f"revision = {name[:4]!r}\ndown_revision = {down_revision!r}\n"
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n",
        encoding="utf-8")


def test_the_history_is_one_line_with_honest_headers() -> None:
    assert chain_problems(MIGRATIONS) == []
    line = _line(MIGRATIONS)
    assert line[:len(DEPLOYED)] == DEPLOYED
    assert len(line) == len(list((MIGRATIONS / "versions").glob("[0-9]*.py")))


def test_the_check_fails_when_a_header_lies(tmp_path: Path) -> None:
    location = _copy(tmp_path)
    head = _script(location).get_current_head()
    assert head is not None
    _write(location, "9998_liar.py", revises="0001", down_revision=head)
    assert chain_problems(location) == [
        "9998_liar.py: header says Revises: '0001', down_revision is " + repr(head)]


def test_the_check_fails_on_a_migration_chained_on_anything_but_the_head(tmp_path: Path) -> None:
    location = _copy(tmp_path)
    head = _script(location).get_current_head()
    # The mistake the issue saw: 0008 written on 0007, the highest number, while 0003 was head.
    other = max(rev for rev in _line(location) if rev != head)
    _write(location, "9998_natural.py", revises=other, down_revision=other)
    problems = chain_problems(location)
    assert problems[0].startswith(f"2 heads {sorted([head, '9998'])}")
    assert f"{other} has 2 children" in " ".join(problems)


def test_a_new_migration_on_top_of_alembic_heads_upgrades(tmp_path: Path) -> None:
    location = _copy(tmp_path)
    head = _script(location).get_current_head()
    url = f"sqlite:///{tmp_path / 'probe.db'}"
    config = alembic_config(url)
    config.set_main_option("script_location", str(location))
    made = command.revision(config, "probe table", rev_id="9999")
    assert made is not None and not isinstance(made, list)
    path = Path(made.path)
    assert made.down_revision == head and _header_revises(path) == head  # the template's work
    source = path.read_text(encoding="utf-8")
    source = source.replace("def upgrade() -> None:\n    pass", (
        "def upgrade() -> None:\n"
        "    op.create_table('probe', sa.Column('id', sa.Integer(), primary_key=True))"))
    source = source.replace("def downgrade() -> None:\n    pass",
                            "def downgrade() -> None:\n    op.drop_table('probe')")
    path.write_text(source, encoding="utf-8")
    assert chain_problems(location) == []
    command.upgrade(config, "head")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
            assert "probe" in inspect(conn).get_table_names()
        command.downgrade(config, "-1")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
            assert "probe" not in inspect(conn).get_table_names()
    finally:
        engine.dispose()


def _differences(url: str) -> list[object]:
    """What autogenerate would add to match adapters/db/tables.py (slack_sdk's tables aside)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": lambda name, kind, _: (
                not (kind == "table" and name is not None and name.startswith("slack_")))})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def test_the_migrated_schema_is_the_tables_module(db_url: str) -> None:
    assert _differences(db_url) == []


def test_every_migration_downgrades_and_upgrades_again(db_url: str) -> None:
    command.downgrade(alembic_config(db_url), "base")
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    command.upgrade(alembic_config(db_url), "head")
    assert _differences(db_url) == []
