"""Small helpers on estimators that may or may not be Pipelines."""


def named_steps(estimator):
    """A Pipeline's steps by name; an empty dict for any other estimator."""
    return dict(getattr(estimator, "named_steps", None) or {})


def final_step(estimator):
    """A Pipeline's last step, or the estimator itself."""
    steps = getattr(estimator, "steps", None)
    return steps[-1][1] if steps else estimator
