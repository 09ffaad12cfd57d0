"""Demo tenant seeding: teams, people, twelve weeks of answers, comments, kudos and CSAT."""
