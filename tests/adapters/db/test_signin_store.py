"""Sign-in rows and API key listing on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.db.store import SqlStore
from pulse.core.apikeys import authenticate, create_api_key, list_keys, revoke_key
from pulse.core.clock import FixedClock
from pulse.core.model import Person, Role, Session, Tenant

AT = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)


def _seed(store: SqlStore) -> None:
    store.add_tenant(Tenant("acme", "Acme"))
    store.add_person(Person("ada", "acme", "Ada", Role.MANAGER))


def test_a_nonce_is_used_once_and_purged(store: SqlStore) -> None:
    _seed(store)
    assert store.use_nonce("n1", "ada", AT)
    assert not store.use_nonce("n1", "ada", AT + timedelta(seconds=1))
    assert store.purge_signin(AT, AT - timedelta(minutes=1)) == 0
    assert store.purge_signin(AT, AT + timedelta(minutes=1)) == 1
    assert store.use_nonce("n1", "ada", AT)  # purged after any link carrying it has expired


def test_sessions_round_trip_expire_and_go_with_the_tenant(store: SqlStore) -> None:
    _seed(store)
    live = Session("h1", "ada", "acme", "csrf1", AT, AT + timedelta(hours=8), "chat_link")
    old = Session("h2", "ada", "acme", "csrf2", AT - timedelta(days=1), AT, "oidc")
    store.add_session(live)
    store.add_session(old)
    assert store.get_session("h1") == live and store.get_session("nope") is None
    assert store.purge_signin(AT, AT) == 1
    assert store.get_session("h2") is None
    store.delete_session("h1")
    assert store.get_session("h1") is None
    store.add_session(live)
    store.use_nonce("n2", "ada", AT)
    store.delete_tenant("acme")
    assert store.get_session("h1") is None


def test_api_keys_are_listed_and_revoked_per_tenant(store: SqlStore) -> None:
    _seed(store)
    store.add_tenant(Tenant("other", "Other"))
    clock = FixedClock(AT)
    key_id, token = create_api_key(store, "acme", "BI export", ["analytics:read"])
    create_api_key(store, "other", "theirs", ["admin"])
    [key] = list_keys(store, "acme")
    assert (key.id, key.name, key.scopes, key.revoked_at) == (
        key_id, "BI export", frozenset({"analytics:read"}), None)
    revoke_key(store, clock, "acme", key_id)
    assert authenticate(store, token) is None
    assert list_keys(store, "acme")[0].revoked_at == AT
    assert not store.revoke_api_key(key_id, AT, tenant_id="acme")  # already revoked
    other_id = list_keys(store, "other")[0].id
    assert not store.revoke_api_key(other_id, AT, tenant_id="acme")  # another tenant's key
