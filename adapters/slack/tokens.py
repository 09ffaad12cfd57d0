"""Slack tokens encrypted at rest with MIROIR_SECRET_KEY (Fernet), older keys kept for reading.

Each secret is stretched by HKDF into a Fernet key, so any long random string works as
MIROIR_SECRET_KEY. A stored token reads `enc1:<Fernet token>`; a row written before encryption
(clear `xoxb-…`) still reads, and is encrypted the next time it is written.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable, Sequence
from typing import TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from slack_sdk.oauth.installation_store import Bot, Installation

PREFIX = "enc1:"
_INFO = b"miroir slack tokens v1"
TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
T = TypeVar("T", Bot, Installation)


class TokenKeyError(Exception):
    """A stored token that none of the configured keys opens."""


def fernet_key(secret: str) -> bytes:
    """The Fernet key derived from one secret (HKDF-SHA256, a fixed purpose label)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())
    return base64.urlsafe_b64encode(raw)


class TokenCipher:
    """Encrypts with the first secret, decrypts with any of them."""

    def __init__(self, secrets: Sequence[str]) -> None:
        if not secrets or not secrets[0]:
            raise ValueError("TokenCipher needs at least one non-empty secret")
        self._fernet = MultiFernet([Fernet(fernet_key(s)) for s in secrets])

    def seal(self, value: str | None) -> str | None:
        """The stored form of a token (already sealed values are left as they are)."""
        if not value or value.startswith(PREFIX):
            return value
        return PREFIX + self._fernet.encrypt(value.encode()).decode()

    def open(self, value: str | None) -> str | None:
        """The token from its stored form; clear text from before encryption passes through."""
        if not value or not value.startswith(PREFIX):
            return value
        try:
            return self._fernet.decrypt(value.removeprefix(PREFIX).encode()).decode()
        except InvalidToken as exc:
            raise TokenKeyError("a stored Slack token opens with none of MIROIR_SECRET_KEY and "
                                "MIROIR_SECRET_KEY_PREVIOUS") from exc

    def reseal(self, value: str | None) -> str | None:
        """The stored form under the current key, whatever key (or none) sealed it before."""
        return self.seal(self.open(value))

    def seal_fields(self, item: T) -> T:
        """A copy of a Bot or Installation with its tokens sealed."""
        return self._map(item, self.seal)

    def open_fields(self, item: T) -> T:
        """A copy of a Bot or Installation with its tokens in clear."""
        return self._map(item, self.open)

    @staticmethod
    def _map(item: T, fn: Callable[[str | None], str | None]) -> T:
        out = copy.copy(item)
        for name in TOKEN_FIELDS:
            if hasattr(out, name):
                setattr(out, name, fn(getattr(out, name)))
        return out
