"""The networks' training batches: the rows of tf.data's own shuffle, without its copies."""

import gc
import weakref

import numpy as np
import pytest

from skdigits.neural_network._batches import TrainingRows
from skdigits.neural_network._tf import tf


def _sliced_batches(arrays, seed, batch_size):
    data = tf.data.Dataset.from_tensor_slices(arrays).shuffle(len(arrays[0]), seed=seed, reshuffle_each_iteration=True)
    return data.batch(batch_size)


def _passes(dataset, n_passes):
    return [[tuple(t.numpy() for t in batch) for batch in dataset] for _ in range(n_passes)]


@pytest.mark.parametrize("with_weights", [False, True])
def test_batches_are_those_of_a_sliced_and_shuffled_dataset_pass_after_pass(with_weights):
    rng = np.random.default_rng(0)
    X, y = rng.random((203, 5), dtype=np.float32), rng.integers(0, 10, 203)
    weights = rng.random(203).astype(np.float32) if with_weights else None
    rows = TrainingRows(X, y, weights, batch_size=16, shuffle=True, seed=7)
    expected = _sliced_batches((X, y) if weights is None else (X, y, weights), seed=7, batch_size=16)
    ours, theirs = _passes(rows.batches(), 2), _passes(expected, 2)
    assert len(ours[0]) == 13 and ours[0][-1][0].shape == (203 - 12 * 16, 5)
    for our_pass, their_pass in zip(ours, theirs, strict=True):
        for our_batch, their_batch in zip(our_pass, their_pass, strict=True):
            for a, b in zip(our_batch, their_batch, strict=True):
                np.testing.assert_array_equal(a, b)
    assert not all(np.array_equal(a[1], b[1]) for a, b in zip(ours[0], ours[1], strict=True))  # reshuffled


def test_a_subset_of_rows_batches_as_its_own_copy_would():
    X, y = np.arange(100, dtype=np.float32).reshape(50, 2), np.arange(50)
    subset = np.array([3, 1, 4, 15, 9, 26, 5, 35, 8, 49])
    rows = TrainingRows(X, y, None, batch_size=4, shuffle=True, seed=3)
    expected = _sliced_batches((X[subset], y[subset]), seed=3, batch_size=4)
    for (a_X, a_y), (b_X, b_y) in zip(_passes(rows.batches(subset), 1)[0], _passes(expected, 1)[0], strict=True):
        np.testing.assert_array_equal(a_X, b_X)
        np.testing.assert_array_equal(a_y, b_y)
    assert rows.count(subset) == 10 and rows.count() == 50


def test_unshuffled_batches_keep_the_rows_order_and_a_one_hot_target_keeps_its_shape():
    X, y = np.arange(12, dtype=np.float32).reshape(6, 2), np.eye(3, dtype=np.float32)[[0, 1, 2, 0, 1, 2]]
    batches = list(TrainingRows(X, y, None, batch_size=4, shuffle=False, seed=None).batches())
    np.testing.assert_array_equal(np.concatenate([b[0].numpy() for b in batches]), X)
    assert batches[0][1].shape == (4, 3) and batches[1][1].shape == (2, 3)


def test_closed_rows_let_go_of_their_arrays_though_tensorflow_keeps_the_pipeline_function():
    X = np.arange(60, dtype=np.float32).reshape(20, 3)
    y = np.arange(20) % 2
    data = TrainingRows(X, y, None, batch_size=8, shuffle=True, seed=0)
    batches = [data.batches(), data.batches(rows=np.arange(10))]
    first = [next(iter(pipeline)) for pipeline in batches]
    assert first[0][0].shape == (8, 3) and set(first[1][0].numpy()[:, 0] // 3) <= set(range(10))
    alive = weakref.ref(X)
    data.close()
    del X, batches, first
    gc.collect()
    assert alive() is None  # TensorFlow's registry of numpy_functions still holds ``data``, not its arrays


@pytest.mark.parametrize("schedule", ["cosine", "plateau"])
def test_a_fitted_network_leaves_no_training_rows_holding_arrays(schedule):
    from skdigits import KerasMLPClassifier

    def training_rows():
        gc.collect()
        return {id(rows): rows for rows in gc.get_objects() if isinstance(rows, TrainingRows)}

    before = training_rows()  # other tests' rows, kept by TensorFlow
    X = np.random.RandomState(0).rand(200, 16).astype(np.float32)
    y = np.arange(200) % 2
    KerasMLPClassifier(hidden_layer_sizes=(4,), epochs=2, learning_rate_schedule=schedule, random_state=0).fit(X, y)
    kept = [rows for key, rows in training_rows().items() if key not in before]
    assert kept and all(rows._arrays == () and rows.X is None for rows in kept)  # 100 MB a fit of the zoo's MLP
