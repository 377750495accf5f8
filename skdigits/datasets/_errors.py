"""Errors raised by the data loaders."""

from pathlib import Path


class DataFileError(ValueError):
    """A data file is missing, truncated, corrupt or not in the expected format.

    The message always names the file, says what is wrong with it and, where
    there is one, how to fix it.

    Parameters
    ----------
    path : str or path-like
        The offending file.
    problem : str
        What is wrong with it.
    fix : str or None
        What the user can do about it.
    """

    def __init__(self, path, problem, fix=None):
        self.path = Path(path)
        self.problem = problem
        message = f"{self.path}: {problem}"
        if fix:
            message += f"; {fix}"
        super().__init__(message)
