"""The msteams_conversation table through SqlStore, on SQLite and PostgreSQL."""

from __future__ import annotations

from adapters.db.store import SqlStore

TENANT = "11111111-1111-1111-1111-111111111111"


def test_references_are_upserted_and_found_by_user_or_conversation(store: SqlStore) -> None:
    ref = {"conversation": {"id": "a:1"}, "serviceUrl": "https://smba.test/emea/"}
    store.save_teams_conversation(TENANT, "a:1", "personal", "aad-ada", "https://smba.test/emea/",
                                  ref)
    store.save_teams_conversation(TENANT, "19:c@thread.tacv2", "channel", None,
                                  "https://smba.test/emea/", {"conversation": {"id": "19:c"}})
    moved = {**ref, "serviceUrl": "https://smba.test/amer/"}
    store.save_teams_conversation(TENANT, "a:1", "personal", "aad-ada", "https://smba.test/amer/",
                                  moved)
    assert store.teams_personal_conversation(TENANT, "aad-ada") == moved
    assert store.teams_personal_conversation(None, "aad-ada") == moved
    assert store.teams_personal_conversation("other", "aad-ada") is None
    assert store.teams_personal_conversation(TENANT, "aad-bob") is None
    assert store.teams_conversation(TENANT, "19:c@thread.tacv2") == {"conversation":
                                                                     {"id": "19:c"}}
    assert store.teams_conversation(TENANT, "a:2") is None
    assert store.teams_service_url(TENANT) == "https://smba.test/amer/"
    assert store.teams_service_url("other") is None
