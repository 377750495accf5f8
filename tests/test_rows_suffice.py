"""A training set too small for a family's fits is refused before any work, naming the size that would do."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.tree import DecisionTreeClassifier

from skdigits import ModelSpec, get_model
from skdigits.benchmark import RunInputError, main, run
from skdigits.benchmark._rows import (
    HALVING_FACTOR,
    check_classes_suffice,
    check_rows_suffice,
    halving_first_rows,
    nested_stratified_rows,
    rows_for_members,
    rows_needed,
)
from skdigits.model_selection import ResumableHalvingGridSearchCV


def test_the_rows_a_family_needs_are_its_largest_components_or_neighbours_among_its_candidates():
    pipe = Pipeline([("pca", PCA(n_components=5)), ("clf", KNeighborsClassifier(n_neighbors=3))])
    assert rows_needed(ModelSpec("mine", pipe, {"pca__n_components": [5, 30]})) == (30, "pca__n_components")
    assert rows_needed(ModelSpec("mine", pipe, {"clf__n_neighbors": [3, 50]})) == (50, "clf__n_neighbors")
    # a step replaced by 'passthrough' asks for nothing, and a plain estimator for one row
    assert rows_needed(ModelSpec("mine", pipe, {"pca": ["passthrough"]})) == (3, "clf__n_neighbors")
    assert rows_needed(ModelSpec("plain", LogisticRegression(), {})) == (1, None)
    # the zoo's SVM: the finer HOG's batched PCA (100 components) inside its 'features' step counts too
    assert rows_needed(get_model("svm", "standard"))[0] == 100


def test_the_smallest_training_fold_decides_and_the_size_named_is_the_first_that_fits():
    knn = {"knn": get_model("knn", "quick")}  # PCA of 40 components
    check_rows_suffice(knn, 80, cv=2)  # folds of 40 training rows: enough
    with pytest.raises(ValueError) as refused:
        check_rows_suffice(knn, 79, cv=2)
    message = str(refused.value)
    assert message.startswith("79 training rows are too few for knn: its pca__n_components=40 needs 40 rows")
    assert "smallest training fold of its 2-fold search has 39" in message
    assert "use train_size (--train-size) 80 or more, or leave knn out" in message
    check_rows_suffice(knn, 60, cv=3)  # three folds: 40 training rows each
    with pytest.raises(ValueError, match=r"--train-size\) 60 or more"):
        check_rows_suffice(knn, 59, cv=3)


def test_a_family_searching_a_subset_is_judged_on_its_search_rows():
    spec = get_model("knn", "quick")
    small_search = ModelSpec("knn", spec.pipeline, spec.param_grid, search_size=60)
    with pytest.raises(ValueError) as refused:
        check_rows_suffice({"knn": small_search}, 5000, cv=2)
    message = str(refused.value)
    assert message.startswith("60 training rows are too few for knn") and "search has 30" in message
    assert "give its ModelSpec a search_size of 80 or more, or leave knn out" in message  # not --train-size


def test_the_run_refuses_too_few_rows_before_any_work(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RunInputError, match="too few for knn"):
        run(["logreg", "knn"], profile="quick", train_size=50, cv=2, quiet=True, output_dir=out)
    assert not out.exists()  # the folder it would have made is not left behind


def test_the_command_names_the_fix_in_one_line_and_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--families", "knn", "--profile", "quick", "--train-size", "50", "--output", str(tmp_path / "out")])
    assert exit_.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "--train-size) 80 or more" in error
    assert not (tmp_path / "out").exists()


def test_the_size_named_for_members_of_every_class_is_the_first_that_holds_them():
    y = np.array(["a"] * 90 + ["b"] * 10)

    def fewest(n_rows):
        subset = y[nested_stratified_rows(y, n_rows, 0)]
        return min(np.count_nonzero(subset == label) for label in "ab")

    for members in (1, 2, 3, 10):
        n = rows_for_members(y, members, seed=0)
        assert (fewest(n), fewest(n - 1)) == (members, members - 1)


def test_training_rows_without_cv_rows_of_every_class_are_refused_naming_the_class_and_the_size():
    y_data = np.repeat(np.arange(10).astype(str), 100)
    specs = {"logreg": get_model("logreg", "quick")}
    for n_rows, least in [(5, 0), (12, 1)]:
        y_train = y_data[nested_stratified_rows(y_data, n_rows, 0)]
        counts = {label: np.count_nonzero(y_train == label) for label in np.unique(y_data)}
        label = next(str(label) for label, count in counts.items() if count == least)  # the first of fewest rows
        with pytest.raises(ValueError) as refused:
            check_classes_suffice(specs, y_train, y_data, cv=2, seed=0)
        assert str(refused.value) == (
            f"{n_rows} training rows are too few for a 2-fold search: they hold {least} of class {label!r}, and "
            "stratified folds need 2 of every class; use train_size (--train-size) 20 or more")
    check_classes_suffice(specs, y_data[nested_stratified_rows(y_data, 20, 0)], y_data, cv=2, seed=0)
    with pytest.raises(ValueError, match=r"need 3 of every class; use train_size \(--train-size\) 30 or more"):
        check_classes_suffice(specs, y_data[nested_stratified_rows(y_data, 29, 0)], y_data, cv=3, seed=0)


def test_a_family_whose_search_rows_lack_a_class_is_named_with_its_search_size():
    y = np.repeat(np.arange(10), 100)
    spec = get_model("logreg", "quick")
    small = {"logreg": ModelSpec("logreg", spec.pipeline, spec.param_grid, search_size=15)}
    with pytest.raises(ValueError) as refused:
        check_classes_suffice(small, y, y, cv=2, seed=0)
    assert str(refused.value).startswith("15 training rows are too few for logreg's 2-fold search: they hold 1 of")
    assert str(refused.value).endswith("give its ModelSpec a search_size of 20 or more, or leave logreg out")


def test_the_runs_rows_are_judged_before_a_familys_smaller_search():
    y_data = np.repeat(np.arange(10), 100)
    spec = get_model("logreg", "quick")
    small = {"logreg": ModelSpec("logreg", spec.pipeline, spec.param_grid, search_size=10)}
    y_train = y_data[nested_stratified_rows(y_data, 12, 0)]
    with pytest.raises(ValueError, match=r"^12 training rows are too few for a 2-fold search.*--train-size\) 20 or"):
        check_classes_suffice(small, y_train, y_data, cv=2, seed=0)


def test_a_class_the_data_holds_fewer_rows_of_than_folds_asks_for_fewer_folds():
    y = np.array([0] * 50 + [1] * 50 + [2] * 2)
    specs = {"logreg": get_model("logreg", "quick")}
    with pytest.raises(ValueError) as refused:
        check_classes_suffice(specs, y, y, cv=3, seed=0)
    assert str(refused.value) == ("class 2 has 2 training rows in the data, fewer than the 3 folds of "
                                  "cross-validation, each of which needs one; use 2 folds (--cv 2)")
    with pytest.raises(ValueError, match="class 2 has 1 training row in the data.*remove its one row"):
        check_classes_suffice(specs, y[:-1], y[:-1], cv=2, seed=0)


def test_the_command_refuses_a_training_set_missing_a_class_before_any_work(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--families", "logreg", "--profile", "quick", "--train-size", "12", "--output", str(tmp_path / "out")])
    assert exit_.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "hold 1 of class '0'" in error and "--train-size) 20 or more" in error
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("n_rows", "n_candidates", "cv"), [(500, 16, 3), (2000, 16, 3), (2000, 9, 2), (700, 3, 5),
                                                             (6000, 27, 3), (100, 2, 2)])
def test_a_halving_searchs_first_rows_are_scikit_learns(n_rows, n_candidates, cv):
    X, y = make_classification(n_samples=n_rows, n_features=4, n_informative=3, n_redundant=0, n_classes=5,
                               n_clusters_per_class=1, random_state=0)
    search = ResumableHalvingGridSearchCV(DecisionTreeClassifier(), {"max_depth": list(range(1, n_candidates + 1))},
                                          cv=cv, factor=HALVING_FACTOR, random_state=0, refit=False).fit(X, y)
    assert search.n_resources_[0] == halving_first_rows(n_rows, n_candidates, cv, n_classes=5)


def test_a_halving_search_is_judged_on_its_first_iterations_rows():
    knn = {"knn": get_model("knn", "standard")}  # 16 candidates: 2 iterations after the first; up to 60 components
    check_rows_suffice(knn, 810, cv=3)  # grid: folds of 540 rows
    check_rows_suffice(knn, 810, cv=3, search="halving")  # first iteration 810 // 9 = 90 rows: folds of 60
    with pytest.raises(ValueError) as refused:
        check_rows_suffice(knn, 809, cv=3, search="halving")  # 89 rows: folds of 59
    message = str(refused.value)
    assert message.startswith("809 training rows are too few for knn: its pca__n_components=60 needs 60 rows")
    assert "the smallest training fold of its halving search's first 89 rows (3 folds) has 59" in message
    assert "use train_size (--train-size) 810 or more, search the grid (--search grid), or leave knn out" in message
    with pytest.raises(ValueError, match=r"it starts on two rows per class and fold, 60 for 10 classes and 3 folds; "
                                         r"use train_size \(--train-size\) 60 or more, search the grid"):
        check_rows_suffice({"logreg": get_model("logreg", "quick")}, 59, cv=3, search="halving")


@pytest.mark.slow  # a real benchmark run
def test_the_first_size_a_halving_refusal_names_runs(tmp_path):
    # 6 candidates: a first iteration of a third of the rows, 90 of 270, whose folds of 60 fit 60 components;
    # 269 rows give 89 (folds of 59), which PCA would refuse inside the search.
    pipe = Pipeline([("pca", PCA(n_components=5)), ("clf", KNeighborsClassifier(n_neighbors=1))])
    spec = ModelSpec("pca-knn", pipe, {"pca__n_components": [5, 60], "clf__n_neighbors": [1, 3, 5]})
    base = dict(profile="quick", cv=3, search="halving", quiet=True, ensemble=False)
    with pytest.raises(RunInputError, match="--train-size\\) 270 or more"):
        run([spec], train_size=269, output_dir=tmp_path / "refused", **base)
    assert not (tmp_path / "refused").exists()
    table = run([spec], train_size=270, output_dir=tmp_path / "runs", **base)
    assert (table["status"] == "ok").all()
