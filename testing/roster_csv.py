"""Roster CSV files: the header, four good rows (three teams, three people), a file maker."""

HEADER = ("team_id,team_name,parent_team_id,person_id,display_name,email,role,locale,timezone,"
          "slack_id,teams_id,valid_from")
GOOD = [
    "sc,Service client,,,,,,,,,,",
    "b2c,Support Particuliers,sc,ana,Ana Lopes,ana@example.com,adviser,fr,Europe/Paris,U1,,"
    "2026-01-05",
    "b2c,,,ben,Ben Carter,,manager,en,Europe/London,,aad-ben,2026-01-05",
    "pro,Support Pros,sc,chloe,Chloé Martin,,adviser,,,,,2026-02-02",
]


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    """A roster file: the header, then these rows."""
    return ("\n".join((header, *lines)) + "\n").encode()
