"""Miroir's domain core: plain types, pure functions and use cases. Stdlib and pydantic only."""
