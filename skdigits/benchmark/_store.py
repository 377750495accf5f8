"""Files of a run: written atomically (see :mod:`skdigits.model_selection`)."""

from ..model_selection import FitStore, write_atomic

__all__ = ["FitStore", "write_atomic"]
