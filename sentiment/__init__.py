"""Offline comment classification: sentiment, score, irritant categories, language."""
