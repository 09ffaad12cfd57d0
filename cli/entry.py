"""The `miroir` console script: Ctrl+C while the CLI is still importing ends quietly too."""

from __future__ import annotations

import sys


def main() -> None:
    """Import the CLI (a second or so) and run it; exit 130 on Ctrl+C, without a traceback."""
    try:
        from cli.main import main as run
    except KeyboardInterrupt:
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
