"""The error tree.

Every message says what happened and what to do, and never contains names, dates of birth,
addresses or phone numbers: records are referred to by id, rows by number, columns by header.
"""


class LinemapError(Exception):
    """Base of every error linemap raises on purpose; its message is safe to show a user."""

    exit_code = 1


class ConfigurationError(LinemapError):
    """Settings, URLs or files that linemap cannot work with."""


class NotFound(LinemapError):
    """A thing asked for by id or code does not exist."""


class AlreadyExists(LinemapError):
    """A thing with that code or name already exists."""


class InvalidInput(LinemapError):
    """A value given by a user or a file is not acceptable."""


class MappingError(InvalidInput):
    """A mapping file is missing, malformed, or does not fit the file it is applied to."""


class UnreadableFile(InvalidInput):
    """A file could not be read as a whole (missing, wrong format, bad encoding, no header)."""


class RowRejected(InvalidInput):
    """One row of an input file was refused; strict mode turns this into a whole-file refusal."""


class AuditChainBroken(LinemapError):
    """The audit trail's hash chain does not verify."""

    exit_code = 3


class NotSignedIn(LinemapError):
    """No valid session: sign in (again)."""


class Forbidden(LinemapError):
    """The actor may know the thing exists but may not see or do it; says whom to ask."""


class TooManyAttempts(LinemapError):
    """Too many failed sign-in attempts in a short time; wait and try again."""
