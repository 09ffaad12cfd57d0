"""Microsoft Teams edge: botbuilder stays inside this package (our escape hatch from it)."""
