"""Background ticker and the jobs it runs (rounds, outbox, reminders)."""
