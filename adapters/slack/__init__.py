"""Slack edge: bolt AsyncApp in HTTP mode, Block Kit rendering, payload parsing, the gateway."""
