"""Reading IDX files, the format of the MNIST distribution.

An IDX file is a big-endian header followed by raw values in row-major order:
two zero bytes, one byte naming the value type, one byte giving the number of
dimensions, then one unsigned 32-bit size per dimension. Files may be gzipped.
"""

import gzip
import hashlib
import struct
import zlib
from math import prod
from pathlib import Path

import numpy as np

from ._errors import DataFileError

# IDX type code -> numpy dtype (big-endian where it matters).
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"


def _read_bytes(path):
    """Return the content of ``path``, gunzipped when it is a gzip file."""
    with open(path, "rb") as f:
        raw = f.read()
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataFileError(
            path,
            f"the gzip stream is truncated or corrupt ({exc})",
            "download or copy the file again",
        ) from exc


def read_idx(path, *, ndim=None, md5=None):
    """Read one IDX file (gzipped or not) into a NumPy array.

    Parameters
    ----------
    path : str or path-like
        The file to read.
    ndim : int, default=None
        If given, the number of dimensions the file must declare.
    md5 : str, default=None
        If given, the hexadecimal MD5 the uncompressed bytes must have.

    Returns
    -------
    array : ndarray
        A writable array with the shape the header declares, in native byte
        order.

    Raises
    ------
    DataFileError
        If the file is truncated, corrupt, has an unexpected number of
        dimensions or the wrong checksum. No partial data is ever returned.
    """
    path = Path(path)
    raw = _read_bytes(path)
    if md5 is not None:
        got = hashlib.md5(raw).hexdigest()
        if got != md5:
            raise DataFileError(
                path,
                f"the MD5 of its uncompressed bytes is {got}, expected {md5}",
                "the file is damaged or not the published one; reinstall skdigits",
            )
    if len(raw) < 4:
        raise DataFileError(
            path, f"the file is truncated: {len(raw)} bytes, no IDX header", None
        )
    zeros, type_code, n_dims = raw[:2], raw[2], raw[3]
    if zeros != b"\x00\x00" or type_code not in _IDX_DTYPES or n_dims == 0:
        raise DataFileError(
            path,
            f"bad magic number 0x{raw[:4].hex()}; this is not an IDX file",
            "expected 0x00000801 (labels) or 0x00000803 (images)",
        )
    if ndim is not None and n_dims != ndim:
        raise DataFileError(
            path,
            f"the header declares {n_dims} dimensions, expected {ndim}",
            "check that images and labels files are not swapped",
        )
    header_size = 4 + 4 * n_dims
    if len(raw) < header_size:
        raise DataFileError(path, "the file is truncated inside its header", None)
    shape = struct.unpack(f">{n_dims}I", raw[4:header_size])
    dtype = _IDX_DTYPES[type_code]
    expected = prod(shape) * dtype.itemsize
    got = len(raw) - header_size
    if got != expected:
        problem = "truncated" if got < expected else "longer than its header says"
        raise DataFileError(
            path,
            f"the file is {problem}: header declares shape {shape} "
            f"({expected} bytes of data) but {got} bytes follow",
            "download or copy the file again",
        )
    # bytearray makes the result writable without a second copy of the data.
    buffer = bytearray(memoryview(raw)[header_size:])
    array = np.frombuffer(buffer, dtype=dtype).reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=False)
