"""The `miroir` command line (Typer)."""
