"""The model zoo: one pipeline and three grids per family, all on OpenML's schema."""

import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, ParameterGrid
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdigits import FAMILIES, PROFILES, EarlyStoppingClassifier, LabelEncodedClassifier, get_model, model_zoo
from skdigits.datasets import load_mnist
from skdigits.zoo import RAW_PIXELS, describe_features

# Cheaper settings, so that every family fits in seconds in the tests.
CHEAP = {
    "rf": {"clf__n_estimators": 10},
    "xgboost": {"clf__estimator__n_estimators": 5},
    "mlp": {"clf__epochs": 3, "clf__min_steps": None, "clf__batch_size": 32, "clf__hidden_layer_sizes": (16,)},
    "cnn": {"clf__epochs": 2, "clf__min_steps": None, "clf__batch_size": 32, "clf__filters": (4,),
            "clf__dense_layer_sizes": ()},
    "svm": {},
    "knn": {},
    "logreg": {},
}


@pytest.fixture(scope="module")
def openml_frame():
    """600 training and 200 test rows, as fetch_openml('mnist_784', as_frame=True) gives them."""
    bunch = load_mnist(split="test", as_frame=True)
    return bunch.data[:600], bunch.target[:600], bunch.data[600:800], bunch.target[600:800]


def test_every_family_has_its_pipeline_and_three_grids():
    assert set(FAMILIES) == {"logreg", "rf", "svm", "knn", "xgboost", "mlp", "cnn"}
    for profile in PROFILES:
        zoo = model_zoo(profile)
        assert list(zoo) == list(FAMILIES)
        for family, spec in zoo.items():
            assert spec.family == family
            assert spec.pipeline.steps[-1][0] == "clf"
            for params in ParameterGrid(spec.param_grid):
                clone(spec.pipeline).set_params(**params)  # every grid name is a parameter


def test_standard_grids_search_and_full_grids_are_wider():
    for family in FAMILIES:
        standard = len(ParameterGrid(get_model(family, "standard").param_grid))
        full = len(ParameterGrid(get_model(family, "full").param_grid))
        assert full > standard >= 1


def test_pca_comes_before_knn_and_the_rbf_svm():
    for family in ("knn", "svm"):
        assert list(get_model(family).pipeline.named_steps) == ["features", "pca", "clf"]


def _searched_features(spec):
    grids = spec.param_grid if isinstance(spec.param_grid, list) else [spec.param_grid]
    return {describe_features(step) for grid in grids for step in grid.get("features", [RAW_PIXELS])}


def test_every_standard_grid_searches_the_image_as_given_against_the_deskewed_one():
    # The search, not us, decides whether deskewing pays: a candidate that does not deskew stays.
    for family in FAMILIES:
        spec = get_model(family, "standard")
        assert spec.pipeline.steps[0][0] == "features"
        searched = _searched_features(spec)
        assert searched & {"raw pixels", "HOG"} and searched & {"deskewed", "deskewed + HOG"}, family


def test_hog_of_the_image_as_given_and_of_the_deskewed_one_are_searched_where_affordable():
    for family in ("logreg", "knn", "svm", "rf", "mlp", "xgboost"):
        assert {"HOG", "deskewed + HOG"} <= _searched_features(get_model(family, "standard")), family
    # A CNN learns its own features.
    assert not {"HOG", "deskewed + HOG"} & _searched_features(get_model("cnn", "standard"))


@pytest.mark.parametrize("family", ["svm", "xgboost"])
def test_finer_hog_reduced_in_batches_is_searched_in_place_of_the_pca_step(family, openml_frame):
    # Cells of 3, 4 and 7 pixels: too wide to hold for 60,000 digits, so BatchedPCA reduces them batch by batch.
    X, y, X_test, y_test = openml_frame
    for profile in ("standard", "full"):
        spec = get_model(family, profile)
        grids = [grid for grid in spec.param_grid if grid.get("pca") == ["passthrough"]]
        assert [describe_features(step) for grid in grids for step in grid["features"]] == [
            "deskewed + HOG 3+4+7 + PCA"]
    pipe = clone(spec.pipeline).set_params(**CHEAP[family], features=grids[0]["features"][0], pca="passthrough")
    pipe.set_params(features__n_components=50, features__batch_size=128)
    assert (pipe.fit(X, y).predict(X_test) == y_test.to_numpy()).mean() > 0.6
    assert pipe.named_steps["features"].transform(X_test).shape == (200, 50)


def test_the_mlps_full_grid_searches_the_finer_hog_whole(openml_frame):
    # Its 3,924 columns, not reduced: too costly for the standard run's budget (docs/fairness.md), not for the full.
    X, y, X_test, y_test = openml_frame
    full = get_model("mlp", "full")
    assert "deskewed + HOG 3+4+7" in _searched_features(full)
    fine = next(step for step in full.param_grid["features"] if describe_features(step) == "deskewed + HOG 3+4+7")
    pipe = clone(get_model("mlp", "quick").pipeline).set_params(**CHEAP["mlp"], features=fine).fit(X, y)
    assert pipe.named_steps["clf"].n_features_in_ == 3924
    assert (pipe.predict(X_test) == y_test.to_numpy()).mean() > 0.6


def test_the_mlps_full_grid_searches_the_svms_finer_hog_reduced_in_batches(openml_frame):
    # 100 components of cells 3, 4 and 7 pixels; not in the standard grid, for its budget (docs/fairness.md).
    X, y, X_test, y_test = openml_frame
    for profile in ("quick", "standard"):
        assert "deskewed + HOG 3+4+7 + PCA" not in _searched_features(get_model("mlp", profile))
    spec = get_model("mlp", "full")
    reduced = [step for step in spec.param_grid["features"] if describe_features(step) == "deskewed + HOG 3+4+7 + PCA"]
    svms = get_model("svm", "full").param_grid[-1]["features"]
    assert [step.n_components for step in reduced] == [step.n_components for step in svms] == [100]
    # Components learn more slowly than HOG's 1,620 columns in CHEAP's 3 epochs of 16 units (17 % against 80 %
    # here): 10 epochs of 64 units (90 %).
    cheap = {**CHEAP["mlp"], "clf__epochs": 10, "clf__hidden_layer_sizes": (64,)}
    pipe = clone(spec.pipeline).set_params(**cheap, features=reduced[0], features__n_components=50)
    assert (pipe.fit(X, y).predict(X_test) == y_test.to_numpy()).mean() > 0.8
    assert pipe.named_steps["clf"].n_features_in_ == 50


def test_the_networks_and_xgboost_choose_their_length_within_the_profiles_budget():
    for profile in PROFILES:
        cnn = get_model("cnn", profile).pipeline.named_steps["clf"]
        assert cnn.early_stopping == "auto" and cnn.validation_fraction == 0.1 and cnn.min_steps >= cnn.epochs
        mlp = get_model("mlp", profile).pipeline.named_steps["clf"]
        # A plateau of a held-out tenth's loss, then an anneal on every row, the last epoch kept (docs/fairness.md).
        assert mlp.learning_rate_schedule == "plateau" and mlp.n_iter_no_change == 3 and mlp.anneal_fraction == 0.5
        assert not mlp.early_stopping and mlp.min_steps is None
        booster = get_model("xgboost", profile).pipeline.named_steps["clf"]
        assert isinstance(booster, EarlyStoppingClassifier) and booster.estimator.early_stopping_rounds


def test_the_cnns_budget_is_the_steps_of_its_epochs_on_a_standard_fold_of_mnist():
    # 10,000 search rows, 3 folds: 6,667 rows, 53 batches of 128. There, and on more rows, the epochs are not
    # raised, so early stopping ('auto') stays off and every row trains, as before it existed.
    cnn = get_model("cnn", "standard").pipeline.named_steps["clf"]
    assert (cnn.epochs, cnn.min_steps) == (3, 3 * 53)
    assert not cnn._stops_early(6667) and cnn._stops_early(6000)
    assert get_model("mlp", "standard").pipeline.named_steps["clf"].epochs == 30  # twice its former 15 epochs


@pytest.mark.parametrize("family", FAMILIES)
def test_family_fits_the_openml_schema_with_string_labels(family, openml_frame):
    X, y, X_test, y_test = openml_frame
    pipe = get_model(family, "quick").pipeline.set_params(**CHEAP[family])
    predictions = pipe.fit(X, y).predict(X_test)
    assert set(predictions) <= set(y.astype(str))
    assert (predictions == y_test.to_numpy()).mean() > 0.3  # learnt something from 600 digits


@pytest.mark.slow  # 32 fits of the standard grid: the full suite only
def test_a_zoo_grid_drops_into_gridsearchcv(openml_frame):
    X, y, _, _ = openml_frame
    spec = get_model("knn", "standard")
    search = GridSearchCV(spec.pipeline, spec.param_grid, cv=2).fit(X, y)
    assert len(search.cv_results_["params"]) == len(ParameterGrid(spec.param_grid)) == 16
    assert search.best_score_ > 0.8


def test_label_encoding_lets_xgboost_take_string_labels(openml_frame):
    from xgboost import XGBClassifier

    X, y, X_test, _ = openml_frame
    clf = LabelEncodedClassifier(XGBClassifier(n_estimators=5, n_jobs=1)).fit(X, y)
    assert list(clf.classes_) == [str(d) for d in range(10)]
    assert clf.predict(X_test).dtype == object
    assert clf.predict_proba(X_test).shape == (200, 10)


@parametrize_with_checks([LabelEncodedClassifier(LogisticRegression())])
def test_label_encoded_classifier_passes_sklearn_checks(estimator, check):
    check(estimator)


def test_the_svm_refits_on_virtual_support_vectors_beyond_the_quick_profile(openml_frame):
    # Rotated by -12, -6, 6 and 12 degrees, thicker and thinner: the best of seven sets by CV on training rows
    # (benchmarks/bench_virtual_support_vectors.py); the quick profile fits once, for its time budget.
    from skdigits.pipeline import VirtualSupportVectorPipeline

    X, y, X_test, y_test = openml_frame
    for profile in ("standard", "full"):
        pipe = get_model("svm", profile).pipeline
        assert isinstance(pipe, VirtualSupportVectorPipeline)
        assert list(pipe.angles) == [-12, -6, 6, 12] and list(pipe.strokes) == ["thicker", "thinner"]
    assert type(get_model("svm", "quick").pipeline).__name__ == "Pipeline"
    pipe = clone(get_model("svm", "standard").pipeline).set_params(features="passthrough", pca__n_components=30)
    pipe.fit(X, y)
    assert pipe.n_virtual_ == 6 * pipe.n_support_vectors_
    assert (pipe.predict(X_test) == y_test.to_numpy()).mean() > 0.8


def test_the_svms_search_ranks_candidates_by_plain_fits_and_leaves_the_refit_pipeline_alone():
    spec = get_model("svm", "standard")
    searched = spec.search_pipeline()
    assert list(searched.angles) == [] and list(searched.strokes) == []
    assert list(spec.pipeline.angles) == [-12, -6, 6, 12]  # the refit's pipeline is untouched
    quick = get_model("svm", "quick")
    assert quick.search_params == {} and quick.search_pipeline() is quick.pipeline


def test_the_random_forests_search_ranks_candidates_with_half_the_trees_and_refits_all_of_them():
    spec = get_model("rf", "standard")
    assert spec.search_pipeline().named_steps["clf"].n_estimators == 100
    assert spec.pipeline.named_steps["clf"].n_estimators == 200  # the refit's forest
    assert spec.search_size == 10000  # as XGBoost's and the CNN's (benchmarks/bench_search_rows.py)
    for profile in ("quick", "full"):  # their forests are searched as refitted
        assert get_model("rf", profile).search_params == {}
