"""Analytics API for CX leads, under /api/v1."""
