"""The run's progress bar, over all fits of all families."""

import warnings


class Progress:
    """A progress bar with ETA over all fits of the run, or nothing when quiet but what went wrong.

    ``advance`` may be called from several threads (families that run at
    the same time on a Dask cluster).
    """

    def __init__(self, total, quiet):
        self.quiet = quiet
        if quiet:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(
            TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), transient=False,
        )
        self._task = self._bar.add_task("starting", total=total)

    def __enter__(self):
        if not self.quiet:
            self._bar.start()
        return self

    def __exit__(self, *exc):
        if not self.quiet:
            self._bar.stop()

    def family(self, name):
        if not self.quiet:
            self._bar.update(self._task, description=name)

    def advance(self, n=1):
        if not self.quiet and n:
            self._bar.advance(self._task, n)

    def log(self, message):
        """A line of news (rich markup), shown unless quiet."""
        if not self.quiet:
            self._bar.console.print(message)

    def warn(self, message):
        """A line about something that went wrong (rich markup), shown even when quiet.

        When quiet it is a ``RuntimeWarning`` (plain text), which the
        command line prints in one line on stderr: a quiet run that fails
        must not exit without a word of why.
        """
        if not self.quiet:
            self._bar.console.print(message)
            return
        from rich.text import Text

        warnings.warn(" ".join(Text.from_markup(message).plain.split()), RuntimeWarning, stacklevel=2)
