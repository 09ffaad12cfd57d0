"""Background ticker: APScheduler 3 jobs that each call one delivery use case."""
