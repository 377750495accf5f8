"""The networks give the benchmark's table to the bit however their fits are spread: one job, two, or a Dask cluster.

The same small run (kNN, the MLP and the CNN on 600 MNIST rows, all 10,000
test digits) is made in one job once, then in two jobs and on a cluster, each
compared with it: every number of the table (times aside) and every
prediction. (Three runs, not four: the one-job run is each comparison's
reference.)
"""

import json
import re

import pandas as pd
import pytest
from dask_cluster import dask_cluster

from skdigits.benchmark import run

pytestmark = pytest.mark.slow  # real benchmark runs with networks, a cluster: deselect with -m 'not slow'

NETWORKS = dict(families=["knn", "mlp", "cnn"], profile="quick", train_size=600, cv=2, quiet=True)
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
    # rows, under its 60 steps, so it holds out 60 rows and plans 12 epochs of the 540 others (5 batches);
    # the MLP's 'plateau' schedule has the quick profile's budget of 20 epochs.
    kept = {f: re.fullmatch(r"(\d+) of (\d+) epochs", one_job[0].set_index("family").loc[f, "iterations"]).groups()
            for f in ("mlp", "cnn")}
    assert int(kept["cnn"][1]) == 12 and int(kept["mlp"][1]) == 20
    assert all(1 <= int(n) <= int(planned) for n, planned in kept.values())


def test_the_networks_on_a_cluster_give_the_local_table_to_the_bit(one_job, tmp_path):
    # Keras drew layers' seeds from Python's global generator, which a Dask
    # worker's event loop draws from too: the networks differed between runs.
    with dask_cluster() as (address, _):
        on_cluster = run(**NETWORKS, n_jobs=-1, output_dir=tmp_path, scheduler=address)
    _assert_same_runs((on_cluster, tmp_path), one_job)
