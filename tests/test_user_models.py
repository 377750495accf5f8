"""Users' own models benchmarked beside the zoo: from Python, from --model, from entry points."""

import importlib.metadata

import pytest
import user_models
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from skdigits import ModelSpec
from skdigits.benchmark import _entries, main, run

pytestmark = pytest.mark.slow  # real benchmark runs on MNIST (deselect with -m 'not slow')

TINY = dict(profile="quick", train_size=300, cv=2, n_jobs=1, quiet=True, ensemble=False)


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("mixed")
    entries = [
        "logreg",
        user_models.scaled_logreg(),  # a ModelSpec: renamed below
        ("nb", user_models.naive_bayes()),
        ("knn3", KNeighborsClassifier(), {"n_neighbors": [1, 3]}),
    ]
    entries[1] = ModelSpec("mine", entries[1].pipeline, entries[1].param_grid)
    return run(entries, **{**TINY, "ensemble": True}, output_dir=out), out


def test_user_pipeline_estimator_and_grid_run_beside_the_zoo(mixed_run):
    table, out = mixed_run
    rows = table.set_index("family")
    assert set(rows.index) >= {"logreg", "mine", "nb", "knn3"}
    assert (rows["status"] == "ok").all()
    assert rows.loc["mine", "n_candidates"] == 2 and rows.loc["knn3", "n_candidates"] == 2
    assert rows.loc["nb", "n_candidates"] == 1 and rows.loc["nb", "preprocessing"] == ""
    assert rows.loc["knn3", "best_params"].startswith("n_neighbors=")
    for name in ["cv_results/mine.csv", "figures/confusion_nb.png", "per_class/knn3.csv"]:
        assert (out / name).stat().st_size > 0, name
    assert "mine vs nb" in (out / "results.md").read_text() or "nb vs mine" in (out / "results.md").read_text()


def test_a_best_value_at_an_end_of_its_grid_is_named_in_the_table_and_both_reports(mixed_run):
    table, out = mixed_run
    rows = table.set_index("family")
    best = int(rows.loc["knn3", "best_params"].removeprefix("n_neighbors="))
    edge = f"n_neighbors={best} ({'lowest' if best == 1 else 'highest'} of 1, 3)"
    assert rows.loc["knn3", "grid_edges"] == edge  # either value of two is at an end
    assert rows.loc["nb", "grid_edges"] == ""  # one candidate: nothing beyond to miss
    markdown = (out / "results.md").read_text()
    assert "## Best values at the edge of their grid\n" in markdown and f"- knn3: {edge}\n" in markdown
    page = (out / "report.html").read_text()
    assert f'<a href="#family-knn3">knn3</a>: {edge}.</p>' in page  # under the table, linked to the family
    assert f"where the optimum may lie beyond: {edge}</p>" in page  # and in the family's section


def test_user_models_resume_like_the_zoo(mixed_run, tmp_path):
    import shutil

    _, out = mixed_run
    shutil.copytree(out, tmp_path / "again")
    with pytest.warns(RuntimeWarning, match="saved models or search results of knn3, logreg, mine from an earlier"):
        table = run([("nb", user_models.naive_bayes())], **TINY, output_dir=tmp_path / "again")
    assert table.attrs["meta"]["fits_resumed"] == 3  # two folds and the refit


def test_a_failing_user_model_is_isolated(tmp_path):
    broken = ("broken", LogisticRegression(C=-1.0))  # fit raises
    table = run(["logreg", broken], **TINY, output_dir=tmp_path).set_index("family")
    assert table.loc["logreg", "status"] == "ok" and table.loc["broken", "status"] == "failed"
    assert "C" in table.loc["broken", "error"] and (tmp_path / "errors" / "broken.txt").exists()


@pytest.mark.parametrize("entry, message", [
    (("logreg", LogisticRegression()), "taken by the zoo"),
    (("ensemble", LogisticRegression()), "taken by the zoo"),
    (("a/b", LogisticRegression()), "must be a word"),
    (("text", "not a model"), "not a ModelSpec or an estimator"),
    ("nosuchfamily", "unknown model family"),
    (42, "not a family name"),
    (ModelSpec("typo", LogisticRegression(), search_params={"no_such_param": 1}), "search_params do not apply"),
])
def test_bad_user_entries_are_refused_before_any_work(entry, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        run([entry], **TINY, output_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_name_given_twice_is_refused(tmp_path):
    with pytest.raises(ValueError, match="given twice"):
        run([("a", LogisticRegression()), ("a", KNeighborsClassifier())], **TINY, output_dir=tmp_path)


@pytest.mark.parametrize("reference, message", [
    ("x=no_such_module_here:f", "cannot import 'no_such_module_here'"),
    ("x=user_models:missing", "has no 'missing'"),
    ("x=user_models:NOT_A_FACTORY", "not a callable"),
    ("x=user_models:not_an_estimator", "not a ModelSpec or an estimator"),
    ("user_models:naive_bayes", "NAME=package.module:factory"),
    ("knn=user_models:naive_bayes", "taken by the zoo"),
])
def test_bad_model_references_exit_2_with_one_line(reference, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--model", reference, "--output", str(tmp_path / "out"), "--quiet"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert message in error
    assert not (tmp_path / "out").exists()


def test_command_line_runs_user_models_beside_families(tmp_path):
    status = main(["--families", "logreg", "--model", "mine=user_models:scaled_logreg",
                   "--model", "nb=user_models:naive_bayes", "--profile", "quick", "--train-size", "300",
                   "--cv", "2", "--n-jobs", "1", "--no-ensemble", "--quiet", "--output", str(tmp_path)])
    assert status == 0
    import pandas as pd

    table = pd.read_csv(tmp_path / "results.csv")
    assert set(table["family"]) == {"logreg", "mine", "nb"}


class _EntryPoint:
    def __init__(self, name, factory):
        self.name, self.load = name, lambda: factory


def test_installed_packages_register_families_by_entry_point(monkeypatch, tmp_path):
    real = importlib.metadata.entry_points

    def entry_points(**selection):
        if selection == {"group": "skdigits.families"}:
            return [_EntryPoint("plugin_nb", user_models.naive_bayes)]
        return real(**selection)

    monkeypatch.setattr(_entries.importlib.metadata, "entry_points", entry_points)
    assert "plugin_nb" in _entries.known_families()
    status = main(["--families", "plugin_nb", "--profile", "quick", "--train-size", "300", "--cv", "2",
                   "--n-jobs", "1", "--no-ensemble", "--quiet", "--output", str(tmp_path)])
    assert status == 0


def _unseeded_pipeline():
    from sklearn.decomposition import PCA
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline

    # A randomized PCA left unseeded, a forest seeded by its user.
    return make_pipeline(PCA(20, svd_solver="randomized"), RandomForestClassifier(n_estimators=5, random_state=7))


def test_a_users_random_state_left_at_none_takes_the_runs_seed_and_one_set_is_kept():
    from sklearn.decomposition import PCA

    mine, grid = _unseeded_pipeline(), {"pca": [PCA(10, svd_solver="randomized"), "passthrough"]}
    resolved = _entries.resolve_entries([("mine", mine, grid)], "quick", seed=3)["mine"]
    assert resolved.pipeline.get_params()["pca__random_state"] == 3
    assert resolved.pipeline.get_params()["randomforestclassifier__random_state"] == 7
    assert resolved.param_grid["pca"][0].random_state == 3 and resolved.param_grid["pca"][1] == "passthrough"
    # The user's objects are left as they were.
    assert mine.get_params()["pca__random_state"] is None and grid["pca"][0].random_state is None


def test_a_users_unseeded_model_gives_the_same_predictions_run_after_run(tmp_path):
    import json

    predictions = []
    for k in range(2):
        run([("mine", _unseeded_pipeline())], **TINY, seed=3, output_dir=tmp_path / str(k))
        report = json.loads((tmp_path / str(k) / "report_data.json").read_text())
        predictions.append(report["families"]["mine"]["y_pred"])
    assert predictions[0] == predictions[1]


def test_search_params_apply_to_the_search_only_and_the_refit_fits_the_pipeline_as_given(tmp_path):
    # The search fits a majority-class dummy in place of the classifier; the refit, logistic regression.
    pipe = user_models.scaled_logreg().pipeline
    spec = ModelSpec("swapped", pipe, {}, search_params={"logisticregression": DummyClassifier()})
    row = run([spec], **TINY, output_dir=tmp_path).set_index("family").loc["swapped"]
    assert row["cv_mean"] < 0.2  # the dummy's accuracy, about a tenth
    assert row["test_error"] < 0.3  # logistic regression's


def test_an_estimator_in_search_params_takes_the_runs_seed_where_unseeded():
    from sklearn.decomposition import PCA
    from sklearn.pipeline import make_pipeline

    pipe = make_pipeline(PCA(5, random_state=1), LogisticRegression())
    spec = ModelSpec("mine", pipe, {}, search_params={"pca": PCA(5, svd_solver="randomized")})
    resolved = _entries.resolve_entries([spec], "quick", seed=3)["mine"]
    assert resolved.search_pipeline().get_params()["pca__random_state"] == 3
    assert spec.search_params["pca"].random_state is None  # the user's own left as it was
