"""Errors the domain raises; adapters map them to HTTP codes or polite chat replies."""


class MiroirError(Exception):
    """Base class for errors a user can cause."""


class NotFound(MiroirError):
    """An id that does not exist in this tenant."""


class Invalid(MiroirError):
    """Input that breaks a rule (out of scale, self-kudos, malformed date)."""


class RetryLater(Exception):
    """A platform asked us to slow down; try again after `seconds`."""

    def __init__(self, seconds: float, reason: str = "rate limited") -> None:
        super().__init__(f"{reason}; retry after {seconds}s")
        self.seconds = seconds


class PermanentFailure(Exception):
    """A platform refused for good (user gone, app uninstalled)."""
