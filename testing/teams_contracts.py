"""Schema checks of what we send Teams: Adaptive Card 1.5 and the Connector API's Activity."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, Draft6Validator

HOST_EXTENSIONS = ("msteams",)  # Teams' own card property; the strict schema rejects it


@cache
def _card_validator(schemas: Path) -> Draft6Validator:
    schema = json.loads((schemas / "adaptive-card-1.5.0.json").read_text())
    Draft6Validator.check_schema(schema)
    return Draft6Validator(schema)


@cache
def _connector(schemas: Path, definition: str) -> Draft4Validator:
    swagger = json.loads((schemas / "ConnectorAPI.json").read_text())
    return Draft4Validator({"$ref": f"#/definitions/{definition}",
                            "definitions": swagger["definitions"]})


def card_errors(schemas: Path, card: dict[str, Any]) -> list[str]:
    """Why a card is not a valid Adaptive Card 1.5 (host extensions allow-listed)."""
    assert card.get("type") == "AdaptiveCard" and card.get("version") == "1.5"
    stripped = {k: v for k, v in card.items() if k not in HOST_EXTENSIONS}
    return [f"{list(e.absolute_path)}: {e.message[:160]}"
            for e in _card_validator(schemas).iter_errors(stripped)]


def activity_errors(schemas: Path, activity: dict[str, Any]) -> list[str]:
    """Why a body is not a Connector Activity, or why one of its cards is not valid."""
    errors = [e.message for e in _connector(schemas, "Activity").iter_errors(activity)]
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
            errors += card_errors(schemas, attachment["content"])
    return errors


def conversation_errors(schemas: Path, params: dict[str, Any]) -> list[str]:
    """Why a create-conversation body is not ConversationParameters."""
    return [e.message for e in _connector(schemas, "ConversationParameters").iter_errors(params)]
