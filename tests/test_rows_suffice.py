"""A training set too small for a family's fits is refused before any work, naming the size that would do."""

import pytest
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline

from skdigits import ModelSpec, get_model
from skdigits.benchmark import RunInputError, main, run
from skdigits.benchmark._rows import check_rows_suffice, rows_needed


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
