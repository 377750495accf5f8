"""Keras networks as scikit-learn classifiers, and their TensorFlow plumbing.

:class:`KerasMLPClassifier` and :class:`KerasCNNClassifier` are skdigits'
own networks; :class:`KerasClassifier` wraps the user's own Keras build
function, as SciKeras' class of that name does, but as a classifier that
current scikit-learn accepts. All of them are seeded, quiet and trained
on a fixed number of TensorFlow threads (1, or ``SKDIGITS_TF_THREADS``),
whatever the cores or the search's ``n_jobs``, so that a seeded network
learns the same numbers in any layout; :func:`reproducibility_facts` gives
what else decides them.

The classes are imported on first use, so that importing this package does
not start TensorFlow.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "_classifier": ["KerasClassifier"],
    "_cnn": ["KerasCNNClassifier"],
    "_mlp": ["KerasMLPClassifier"],
    "_schedules": ["OneCycleSchedule"],
    "_tf": ["reproducibility_facts"],
})
