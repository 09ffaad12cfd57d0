"""CX feeds: CSV mapping profiles, JSON records and the Zendesk webhook."""
