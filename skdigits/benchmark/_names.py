"""Family names: the one check every name passes, and their safe forms as paths, HTML and Markdown.

A family's name becomes file names (``cv_results/<name>.csv``,
``errors/<name>.txt``, ``models/<name>.skops``), HTML anchors and table
cells. Every name that comes in (the command line, ``run()``'s entries,
entry points, and the files of a run folder read back) passes
:func:`check_family_name`; every path built from one passes
:func:`family_path`, which refuses a path outside the folder.
"""

import html
import re
from pathlib import Path

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

#: The longest family name accepted (file names stay well under limits).
MAX_NAME_LENGTH = 64


def check_family_name(name, source, error=ValueError):
    """``name`` if it is a file-safe word; raise ``error`` naming ``source`` otherwise.

    A name is letters, digits, '_', '.' or '-', starts with a letter or a
    digit, holds no '..' and is at most :data:`MAX_NAME_LENGTH` long; the
    whole string must match (a trailing newline does not pass).

    Examples
    --------
    >>> check_family_name("logreg", "--families")
    'logreg'
    >>> check_family_name("../x", "results.json")
    Traceback (most recent call last):
    ...
    ValueError: results.json: family name '../x' must be a word of letters, digits, '_', '.' or '-' ...
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name) or ".." in name or len(name) > MAX_NAME_LENGTH:
        raise error(
            f"{source}: family name {name!r} must be a word of letters, digits, '_', '.' or '-' "
            f"(starting with a letter or digit, no '..', at most {MAX_NAME_LENGTH} characters)"
        )
    return name


def html_id(name):
    """An HTML anchor for a family, escaped for an attribute."""
    return html.escape(f"family-{name}", quote=True)


def markdown_cell(value):
    """A value as one Markdown table cell: '|', backticks, '<' and newlines escaped."""
    text = str(value).replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    return text.replace("<", "&lt;").replace("\r", " ").replace("\n", " ")


def family_path(folder, subdir, name, suffix):
    """``folder/subdir/<name><suffix>``, refused unless it stays inside ``folder``."""
    folder = Path(folder)
    path = folder / subdir / f"{name}{suffix}"
    if not isinstance(name, str) or "/" in name or "\\" in name or name in ("", ".", "..") \
            or not path.resolve().is_relative_to(folder.resolve()):
        raise ValueError(f"family name {name!r} would make a path outside {folder}")
    return path
