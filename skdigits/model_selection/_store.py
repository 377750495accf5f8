"""Records on disk, one file per completed fit, written atomically.

Every file is written beside its destination under a temporary name,
flushed to disk and renamed over it, which POSIX makes atomic: after a
crash or a ``kill -9`` a record is there whole or not at all. Files get the
permissions that the user's umask gives new files, as ``open`` would.
"""

import os
import pickle
import tempfile
from pathlib import Path


def _umask():
    # os.umask can only be read by setting it: set it back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path, data):
    """Write ``data`` (str or bytes) to ``path`` so that it appears whole or not at all.

    The file is readable as the user's umask allows (``0o666 & ~umask``), not
    only by its owner as temporary files are.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skdigits.model_selection import write_atomic
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a" / "result.txt"
    >>> write_atomic(path, "done")
    >>> path.read_text()
    'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode) as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), 0o666 & ~_umask())
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class FitStore:
    """Completed fits in a folder, one pickle file per key.

    Records are any picklable object (scores, times, arrays, fitted
    estimators); a record that cannot be read (truncated, or written by an
    incompatible version) counts as missing, so its fit is done again.

    Parameters
    ----------
    folder : str or path-like
        Where the records go (created on the first record).

    Examples
    --------
    >>> import tempfile
    >>> from skdigits.model_selection import FitStore
    >>> store = FitStore(tempfile.mkdtemp())
    >>> store.get("abc") is None
    True
    >>> store.put("abc", {"score": 0.9})
    >>> store.get("abc")
    {'score': 0.9}
    """

    def __init__(self, folder):
        self.folder = Path(folder)

    def path(self, key):
        """The file of ``key``'s record."""
        return self.folder / f"{key}.pkl"

    def get(self, key):
        """The record of a completed fit, or None if there is none."""
        try:
            with open(self.path(key), "rb") as f:
                return pickle.load(f)
        except FileNotFoundError:
            return None
        except Exception:  # truncated by hand, or from another version: redo that fit
            return None

    def put(self, key, record):
        """Record a completed fit (any picklable object)."""
        write_atomic(self.path(key), pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))

    def __len__(self):
        return len(list(self.folder.glob("*.pkl"))) if self.folder.is_dir() else 0
