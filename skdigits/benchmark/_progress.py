"""The run's progress bar, over all fits of all families."""


class Progress:
    """A progress bar with ETA over all fits of the run, or nothing when quiet.

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
        if not self.quiet:
            self._bar.console.print(message)
