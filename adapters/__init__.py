"""Vendor edge: each sub-package translates between one outside world and the core."""
