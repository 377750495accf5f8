"""Results on disk, one file per completed fit, written atomically.

A run records each fit the moment it completes. After a crash or a kill,
the next run with the same settings finds those files and does only the
work that is missing. Nothing half-written is ever left: every file is
written beside its destination under a temporary name, flushed to disk and
renamed over it, which POSIX makes atomic.
"""

import hashlib
import json
import os
import tempfile
from pathlib import Path


def write_atomic(path, data):
    """Write ``data`` (str or bytes) to ``path`` so that it appears whole or not at all."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode) as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def task_key(**fields):
    """A stable name for one unit of work, from everything that defines it."""
    text = json.dumps(fields, sort_keys=True, default=repr)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def pipeline_digest(pipeline):
    """A digest of every parameter of an unfitted pipeline, nested ones included.

    Part of each fit's key, so that a pipeline changed between two runs (more
    trees, another tolerance) never reuses the other's fits.
    """
    params = pipeline.get_params(deep=True)
    items = sorted(
        (k, _stable_repr(v))
        for k, v in params.items()
        if k != "memory" and not k.endswith("__memory")
    )
    return hashlib.sha1(repr(items).encode()).hexdigest()[:16]


def _stable_repr(value):
    """A repr that is the same in every process: no memory addresses."""
    if hasattr(value, "get_params"):  # an estimator: its parameters are listed on their own
        return type(value).__qualname__
    if isinstance(value, list) and all(isinstance(v, tuple) for v in value):  # Pipeline.steps
        return repr([name for name, *_ in value])
    if callable(value) and hasattr(value, "__qualname__"):  # functions, classes
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return repr(value)


class FitStore:
    """The completed fits of a benchmark run, under ``folder/fits``.

    Parameters
    ----------
    folder : str or path-like
        The run's output folder.
    """

    def __init__(self, folder):
        self.root = Path(folder) / "fits"

    def _path(self, family, key):
        return self.root / family / f"{key}.json"

    def get(self, family, key):
        """The record of a completed fit, or None if it has not completed."""
        path = self._path(family, key)
        try:
            return json.loads(path.read_text())
        except FileNotFoundError:
            return None
        except json.JSONDecodeError:  # not written by us: redo that fit
            return None

    def put(self, family, key, record):
        """Record a completed fit."""
        write_atomic(self._path(family, key), json.dumps(record))
