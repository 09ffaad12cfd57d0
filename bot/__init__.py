"""Conversation layer: neutral intents and replies, the ChatGateway port, dialogs, FR/EN text."""
