"""The package layout: light imports, and the public names where users find them."""

import subprocess
import sys

import pytest

NO_TENSORFLOW = """
import sys
import {module}
{touch}
assert "tensorflow" not in sys.modules, "tensorflow was imported"
assert "keras" not in sys.modules, "keras was imported"
"""


@pytest.mark.parametrize(
    "module, touch",
    [
        ("skdigits", "skdigits.get_model('knn', 'quick')"),
        ("skdigits.datasets", ""),
        ("skdigits.zoo", "skdigits.zoo.get_model('svm', 'quick')"),
        ("skdigits.neural_network", "dir(skdigits.neural_network)"),
    ],
)
def test_importing_the_package_does_not_start_tensorflow(module, touch):
    code = NO_TENSORFLOW.format(module=module, touch=touch)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


def test_keras_classes_are_the_same_objects_at_the_top_level_and_in_neural_network():
    import skdigits
    from skdigits import neural_network

    for name in ("KerasClassifier", "KerasMLPClassifier", "KerasCNNClassifier"):
        assert getattr(skdigits, name) is getattr(neural_network, name)
        assert getattr(skdigits, name).__module__.startswith("skdigits.neural_network.")


def test_zoo_names_are_the_same_objects_at_the_top_level_and_in_zoo():
    import skdigits
    from skdigits import zoo

    for name in ("FAMILIES", "PROFILES", "ModelSpec", "get_model", "model_zoo"):
        assert getattr(skdigits, name) is getattr(zoo, name)
