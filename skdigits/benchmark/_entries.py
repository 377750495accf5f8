"""The entries of a run: zoo families, and users' own models beside them.

An entry of ``run(families=[...])`` is one of

- a zoo family's name (``"logreg"``), or the name of a family that an
  installed package registers in the :data:`ENTRY_POINT_GROUP` entry-point
  group;
- a :class:`~skdigits.ModelSpec` (its ``family`` is the entry's name);
- a tuple ``(name, estimator)`` or ``(name, estimator, param_grid)``: any
  scikit-learn classifier or Pipeline, searched over ``param_grid`` (an
  empty grid: the estimator as it is, cross-validated and refitted).

``--model NAME=package.module:factory`` on the command line names a
callable (no arguments) that returns a ``ModelSpec`` or an estimator; an
entry point of the group is such a callable too.
"""

import importlib
import importlib.metadata

from sklearn.base import clone

from ..zoo import FAMILIES, ModelSpec, get_model
from ._ensemble import ENSEMBLE
from ._names import check_family_name
from ._seeds import reseeded

#: The entry-point group in which installed packages register families.
ENTRY_POINT_GROUP = "skdigits.families"

class ModelReferenceError(ValueError):
    """A user's model cannot be used: a bad name, reference or estimator."""


def registered_families():
    """Entry points of :data:`ENTRY_POINT_GROUP`, by family name."""
    return {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


def known_families():
    """The zoo's families, then the installed packages' ones."""
    return list(FAMILIES) + [name for name in registered_families() if name not in FAMILIES]


def check_name(name):
    """Refuse a user's name that clashes with the zoo or is not a file-safe word."""
    check_family_name(name, "model name", ModelReferenceError)
    if name in FAMILIES or name == ENSEMBLE:
        raise ModelReferenceError(
            f"model name {name!r} is taken by the zoo ({', '.join(FAMILIES)}, {ENSEMBLE}); choose another"
        )
    return name


def _is_estimator(obj):
    return all(hasattr(obj, attr) for attr in ("fit", "predict", "get_params", "set_params"))


def as_spec(name, model, param_grid=None, where=None):
    """A user's ``ModelSpec`` or estimator as a ``ModelSpec`` named ``name``."""
    where = where or f"model {name!r}"
    if isinstance(model, ModelSpec):
        if not _is_estimator(model.pipeline):
            raise ModelReferenceError(f"{where}: its pipeline {type(model.pipeline).__name__} is not an estimator")
        spec = ModelSpec(name, clone(model.pipeline), model.param_grid if param_grid is None else param_grid,
                         model.search_size, model.description, dict(model.search_params))
        try:
            spec.search_pipeline()
        except ValueError as exc:
            raise ModelReferenceError(f"{where}: its search_params do not apply to its pipeline ({exc})") from None
    elif _is_estimator(model):
        spec = ModelSpec(name, clone(model), {} if param_grid is None else param_grid)
    else:
        raise ModelReferenceError(
            f"{where} is {type(model).__name__}, not a ModelSpec or an estimator with fit and predict"
        )
    if isinstance(spec.param_grid, dict):
        spec.param_grid = {k: list(v) for k, v in spec.param_grid.items()}
    return spec


def load_reference(reference):
    """The callable named by ``'package.module:factory'``."""
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise ModelReferenceError(f"{reference!r} is not of the form package.module:factory")
    try:
        obj = importlib.import_module(module_name)
    except Exception as exc:  # a module that raises anything on import: one line, not its traceback
        raise ModelReferenceError(
            f"cannot import {module_name!r} for {reference!r} ({type(exc).__name__}: {exc})"
        ) from None
    for part in attribute.split("."):
        if not hasattr(obj, part):
            raise ModelReferenceError(f"{module_name!r} has no {attribute!r} (in {reference!r})")
        obj = getattr(obj, part)
    if not callable(obj):
        raise ModelReferenceError(f"{reference!r} is {type(obj).__name__}, not a callable")
    return obj


def spec_from_factory(name, factory, where):
    """Call a user's factory; its result as a ``ModelSpec`` named ``name``."""
    try:
        model = factory()
    except Exception as exc:
        raise ModelReferenceError(f"{where} raised {type(exc).__name__}: {exc}") from exc
    return as_spec(name, model, where=f"{where} returned something that")


def spec_from_reference(text):
    """``'NAME=package.module:factory'`` (``--model``) as a ``ModelSpec``."""
    name, sep, reference = text.partition("=")
    if not sep:
        raise ModelReferenceError(f"--model {text!r} is not of the form NAME=package.module:factory")
    check_name(name)
    return spec_from_factory(name, load_reference(reference), reference)


def _load_entry_point(entry_point):
    """An entry point's callable; a package that fails to import is one line, not its traceback."""
    try:
        return entry_point.load()
    except Exception as exc:
        raise ModelReferenceError(
            f"entry point {entry_point.name!r} ({entry_point.value}) cannot be loaded: {type(exc).__name__}: {exc}"
        ) from None


def _seeded(value, seed):
    """``value`` seeded where it is an unseeded estimator (a copy); any other value as it is."""
    if isinstance(value, type) or not (hasattr(value, "get_params") and hasattr(value, "set_params")):
        return value
    return reseeded(value, seed, only_unseeded=True)


def _seed_grid(param_grid, seed):
    """``param_grid`` with each estimator among its values (a ``features`` option, say) seeded where it is not."""
    if not isinstance(param_grid, dict):
        return [_seed_grid(grid, seed) for grid in param_grid]
    return {name: [_seeded(v, seed) for v in values] if isinstance(values, (list, tuple)) else values
            for name, values in param_grid.items()}


def _spec_of(entry, profile, seed):
    """One entry of ``run(families=...)`` as a ``ModelSpec``; a user's model seeded by ``seed`` where it is not."""
    if isinstance(entry, str) and entry in FAMILIES:
        return get_model(entry, profile, random_state=seed)
    spec = _users_spec_of(entry)
    spec.pipeline = reseeded(spec.pipeline, seed, only_unseeded=True)
    spec.param_grid = _seed_grid(spec.param_grid, seed)
    spec.search_params = {name: _seeded(value, seed) for name, value in spec.search_params.items()}
    return spec


def _users_spec_of(entry):
    """A user's entry (a registered name, a ModelSpec, a tuple) as a ``ModelSpec`` of its own (a clone)."""
    if isinstance(entry, str):
        check_family_name(entry, "family", ModelReferenceError)
        registered = registered_families()
        if entry in registered:
            return spec_from_factory(entry, _load_entry_point(registered[entry]), f"entry point {entry!r}")
        raise ModelReferenceError(f"unknown model family {entry!r}; choose from {', '.join(known_families())}")
    if isinstance(entry, ModelSpec):
        return as_spec(check_name(entry.family), entry)
    if isinstance(entry, tuple) and len(entry) in (2, 3):
        return as_spec(check_name(entry[0]), *entry[1:])
    raise ModelReferenceError(
        f"{entry!r} is not a family name, a ModelSpec or a (name, estimator[, param_grid]) tuple"
    )


def resolve_entries(entries, profile, seed):
    """Every entry of a run as a ``ModelSpec``, by name; refused before any work.

    Raises
    ------
    ModelReferenceError
        For an unknown family, a name used twice or taken by the zoo, or
        something that is not an estimator.
    """
    specs = {}
    for entry in entries:
        spec = _spec_of(entry, profile, seed)
        if spec.family in specs:
            raise ModelReferenceError(f"model name {spec.family!r} is given twice; give each model its own name")
        specs[spec.family] = spec
    return specs


def entry_name(entry):
    """An entry's name, for the run's settings."""
    if isinstance(entry, str):
        return entry
    return entry.family if isinstance(entry, ModelSpec) else str(entry[0])
