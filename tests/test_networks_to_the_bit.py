"""The networks give the benchmark's table to the bit however their fits are spread: one job, two, or a Dask cluster.

The same small run (kNN, the MLP and the CNN on 600 MNIST rows, all 10,000
test digits) is made in one job once, then in two jobs and on a cluster, each
compared with it: every number of the table (times aside) and every
prediction. (Three runs, not four: the one-job run is each comparison's
reference.)

The CNN is the zoo's quick pipeline, grid and seed, but trains 20 steps
where the zoo's trains 60 (``min_steps``): its steps were most of each
run's time on a slow CPU (4 fits of 25 s), and what is compared (seeds in
worker processes, threads, the cluster) does not depend on how many steps
are taken. It runs as a user's model, 'cnn-net', since the zoo's names are
the zoo's settings.
"""

import json
import re

import pandas as pd
import pytest
from dask_cluster import dask_cluster

from skdigits import ModelSpec, get_model
from skdigits.benchmark import run

pytestmark = pytest.mark.slow  # real benchmark runs with networks, a cluster: deselect with -m 'not slow'

_CNN = get_model("cnn", "quick", random_state=0)  # the seed of the runs below (run's default)
CNN_20_STEPS = ModelSpec("cnn-net", _CNN.pipeline.set_params(clf__min_steps=20), _CNN.param_grid)
NETWORKS = dict(families=["knn", "mlp", CNN_20_STEPS], profile="quick", train_size=600, cv=2, quiet=True)
TIMES = ["fit_time_s", "predict_time_s"]


@pytest.fixture(scope="module")
def one_job(tmp_path_factory):
    """The run in one job: its table and folder (the reference of both comparisons)."""
    folder = tmp_path_factory.mktemp("one-job")
    return run(**NETWORKS, n_jobs=1, output_dir=folder), folder


def _assert_same_runs(these, reference):
    """The same table to the bit (times aside) and the same predictions, from (table, folder) pairs."""
    (table, folder), (reference_table, reference_folder) = these, reference
    assert (reference_table["status"] == "ok").all()
    pd.testing.assert_frame_equal(table.drop(columns=TIMES), reference_table.drop(columns=TIMES))
    predictions, reference_predictions = (json.loads((f / "report_data.json").read_text())["families"]
                                          for f in (folder, reference_folder))
    assert {f: r["y_pred"] for f, r in predictions.items()} == \
        {f: r["y_pred"] for f, r in reference_predictions.items()}


def test_one_job_and_two_give_the_same_table_to_the_bit_networks_included(one_job, tmp_path):
    two = run(**NETWORKS, n_jobs=2, output_dir=tmp_path)
    _assert_same_runs((two, tmp_path), one_job)
    # What early stopping kept of each network's budget: the CNN's 3 quick epochs give 15 batches on 600
    # rows, under its 20 steps, so it holds out 60 rows and plans 4 epochs of the 540 others (5 batches);
    # the MLP's 'plateau' schedule has the quick profile's budget of 20 epochs.
    kept = {f: re.fullmatch(r"(\d+) of (\d+) epochs", one_job[0].set_index("family").loc[f, "iterations"]).groups()
            for f in ("mlp", "cnn-net")}
    assert int(kept["cnn-net"][1]) == 4 and int(kept["mlp"][1]) == 20
    assert all(1 <= int(n) <= int(planned) for n, planned in kept.values())


def test_the_networks_on_a_cluster_give_the_local_table_to_the_bit(one_job, tmp_path):
    # Keras drew layers' seeds from Python's global generator, which a Dask
    # worker's event loop draws from too: the networks differed between runs.
    with dask_cluster() as (address, _):
        on_cluster = run(**NETWORKS, n_jobs=-1, output_dir=tmp_path, scheduler=address)
    _assert_same_runs((on_cluster, tmp_path), one_job)
