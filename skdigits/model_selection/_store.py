"""Records on disk, one file of plain data per completed fit, written atomically.

Every file is written beside its destination under a temporary name,
flushed to disk and renamed over it, which POSIX makes atomic: after a
crash or a ``kill -9`` a record is there whole or not at all. Files get the
permissions that the user's umask gives new files, as ``open`` would.
"""

import io
import json
import os
import re
import tempfile
import warnings
from pathlib import Path

import numpy as np


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


#: The tags of the record's JSON: every JSON object is one of these, so no
#: value of the record can be mistaken for another.
_ARRAY_KINDS = "biufcUS"  # numbers, booleans and strings; never objects
_KEY = re.compile(r"[A-Za-z0-9_.-]+")
_MAGIC = b"PK\x03\x04"  # an .npz is a zip file


class UnreadableRecordWarning(UserWarning):
    """A record of a :class:`FitStore` could not be read, or was not plain data: its fit is done again."""


def _encode(value, arrays, where):
    """``value`` as JSON, its arrays moved to ``arrays``; TypeError for anything not plain data."""
    if value is None or type(value) in (bool, int, float, str):  # not their subclasses (np.float64...)
        return value
    if isinstance(value, np.generic):
        return {"scalar": _encode(np.asarray(value), arrays, where)["array"]}
    if isinstance(value, np.ndarray):
        dtype, flag = value.dtype, {}
        if dtype.kind == "O" and all(isinstance(v, str) for v in value.flat):  # string labels
            value, flag = value.astype(str), {"object": True}
        elif dtype.kind not in _ARRAY_KINDS or dtype.fields is not None:
            raise TypeError(f"{where}: an array of dtype {dtype} is not plain data; "
                            f"FitStore records hold arrays of numbers, booleans or strings")
        arrays[f"a{len(arrays)}"] = value
        return {"array": f"a{len(arrays) - 1}", **flag}
    if isinstance(value, (list, tuple)):
        items = [_encode(v, arrays, f"{where}[{i}]") for i, v in enumerate(value)]
        return items if isinstance(value, list) else {"tuple": items}
    if isinstance(value, dict):
        bad = [k for k in value if not isinstance(k, str)]
        if bad:
            raise TypeError(f"{where}: the key {bad[0]!r} is not a str; FitStore records' dicts have str keys")
        return {"dict": {k: _encode(v, arrays, f"{where}[{k!r}]") for k, v in value.items()}}
    raise TypeError(f"{where}: a {type(value).__name__} is not plain data; FitStore records hold None, bool, "
                    f"int, float, str, NumPy scalars and arrays (no objects), and lists, tuples and dicts of "
                    f"them: save fitted models with skops instead")


def _decode(value, arrays):
    """The record that :func:`_encode` wrote; ValueError for anything else."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_decode(v, arrays) for v in value]
    if not isinstance(value, dict) or len(value) not in (1, 2):
        raise ValueError(f"not a record's value: {value!r:.80}")
    tag, content = next(iter(value.items()))
    if tag == "array" and isinstance(content, str) and set(value) <= {"array", "object"}:
        array = arrays[content]
        return array.astype(object) if value.get("object") is True else array
    if len(value) != 1:
        raise ValueError(f"not a record's value: {value!r:.80}")
    if tag == "scalar" and isinstance(content, str) and arrays[content].ndim == 0:
        return arrays[content][()]
    if tag == "tuple" and isinstance(content, list):
        return tuple(_decode(v, arrays) for v in content)
    if tag == "dict" and isinstance(content, dict):
        return {k: _decode(v, arrays) for k, v in content.items()}
    raise ValueError(f"not a record's value: {value!r:.80}")


def _dumps(record):
    """A record as the bytes of an ``.npz`` file: its JSON (``record``) and its arrays."""
    arrays = {}
    text = json.dumps(_encode(record, arrays, "record"))
    buffer = io.BytesIO()
    np.savez(buffer, record=np.frombuffer(text.encode(), dtype=np.uint8), **arrays)
    return buffer.getvalue()


def _loads(data):
    """The record in ``data``, read with ``allow_pickle=False``: nothing in it can run code."""
    if not data.startswith(_MAGIC):
        raise ValueError("not an .npz file")
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    text = arrays.pop("record")
    if text.dtype != np.uint8 or text.ndim != 1:
        raise ValueError("its 'record' is not JSON text")
    return _decode(json.loads(text.tobytes().decode()), arrays)


class FitStore:
    """Completed fits in a folder, one file of plain data per key.

    A record is a dict of plain data: None, bool, int, float, str, NumPy
    scalars and arrays of numbers, booleans or strings, and lists, tuples
    and dicts (str keys) of them; :meth:`put` refuses anything else
    (fitted models are not plain data: save them with skops). Each is one
    ``<key>.npz`` file, its structure as JSON and its arrays as ``.npy``,
    read back with ``allow_pickle=False``: reading a record never runs code,
    whoever wrote the folder.

    A record that cannot be read (truncated, not written by this class, a
    pickle from an older version or planted), or that ``validate`` rejects,
    counts as missing, with an :class:`UnreadableRecordWarning` naming its
    file: its fit is done again.

    Parameters
    ----------
    folder : str or path-like
        Where the records go (created on the first record); not a file.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from skdigits.model_selection import FitStore
    >>> store = FitStore(tempfile.mkdtemp())
    >>> store.get("abc") is None
    True
    >>> store.put("abc", {"score": 0.9, "proba": np.array([0.25, 0.75])})
    >>> store.get("abc")
    {'score': 0.9, 'proba': array([0.25, 0.75])}
    """

    def __init__(self, folder):
        self.folder = Path(folder)
        if self.folder.exists() and not self.folder.is_dir():
            raise ValueError(f"the store {str(self.folder)!r} is a file, not a folder: give the path of a "
                             f"folder (new or existing) for the records")

    def path(self, key):
        """The file of ``key``'s record."""
        if not isinstance(key, str) or not _KEY.fullmatch(key) or key.startswith("."):
            raise ValueError(f"a record's key is letters, digits, '_', '-' and '.', not starting with '.'; "
                             f"got {key!r}")
        return self.folder / f"{key}.npz"

    def get(self, key, validate=None):
        """The record of a completed fit, or None if there is none (or none that can be used).

        Parameters
        ----------
        key : str
            The fit's key.
        validate : callable, default=None
            ``validate(record)`` is true for a record of the expected shape;
            a record for which it is false, or raises, counts as missing.
        """
        path = self.path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            legacy = path.with_suffix(".pkl")
            if legacy.exists():
                _unreadable(legacy, "a pickle (from skdigits < 0.2, or planted), never loaded")
            return None
        except OSError as exc:
            return _unreadable(path, f"{type(exc).__name__}: {exc}")
        try:
            record = _loads(data)
        except Exception as exc:  # truncated, or not written by FitStore
            return _unreadable(path, f"{type(exc).__name__}: {exc}")
        try:
            valid = isinstance(record, dict) and (validate is None or bool(validate(record)))
        except Exception:
            valid = False
        return record if valid else _unreadable(path, "a record of the wrong shape")

    def put(self, key, record):
        """Record a completed fit: a dict of plain data (TypeError for anything else)."""
        if not isinstance(record, dict):
            raise TypeError(f"a FitStore record is a dict, got a {type(record).__name__}")
        write_atomic(self.path(key), _dumps(record))

    def __len__(self):
        return len(list(self.folder.glob("*.npz"))) if self.folder.is_dir() else 0


def _unreadable(path, why):
    warnings.warn(f"{path}: unreadable record ({why}): it counts as missing, and its fit is done again",
                  UnreadableRecordWarning, stacklevel=3)
