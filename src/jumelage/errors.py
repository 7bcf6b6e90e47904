"""Errors that the CLI turns into a clear message and a non-zero exit."""


class JumelageError(Exception):
    """An error meant for the person running the command: the message says what to do."""

    exit_code = 1


class ConfigError(JumelageError):
    exit_code = 2


class LockedError(JumelageError):
    exit_code = 3
