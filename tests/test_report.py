"""report.html and python -m skdigits.benchmark report, on folders of real runs."""

import base64
import json
import re

import numpy as np
import pandas as pd
import pytest
from run_folders import copy_run, finished_run, without_images

from skdigits.benchmark import RunFolderError, build_report, main
from skdigits.benchmark.report._plots import pareto_front, schedule_rows, training_curves

pytestmark = pytest.mark.slow  # real benchmark runs on MNIST (deselect with -m 'not slow')

FAMILIES = ["logreg", "knn", "ensemble"]


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    return finished_run(tmp_path_factory, seed=0)


@pytest.fixture(scope="module")
def page(run_folder):
    return (run_folder / "report.html").read_text()


def _section(page, anchor):
    start = page.index(f'<section id="{anchor}"')
    return page[start:page.index("</section>", start)]


def test_report_reads_top_to_bottom_settings_table_cost_significance_then_families(page):
    anchors = ["results", "cost", "significance"] + [f"family-{f}" for f in FAMILIES]
    positions = [page.index(f'<section id="{a}"') for a in anchors[:3]]
    assert positions == sorted(positions)
    assert page.index('class="settings"') < positions[0]
    settings = re.search(r'<p class="settings">(.*?)</p>', page).group(1)
    for fact in ["profile quick", "1,000 training and 10,000 test rows of mnist", "2-fold CV", "seed 0",
                 "scikit-learn", "CPUs"]:
        assert fact in settings
    for anchor in anchors:  # every section is in the navigation bar
        assert f'href="#{anchor}"' in page.split("</nav>")[0]
        assert f'<section id="{anchor}"' in page


def test_each_family_section_has_pipeline_parameters_cv_table_per_class_scores_and_figures(page):
    for family in ["logreg", "knn"]:
        section = _section(page, f"family-{family}")
        assert "Pipeline, with the best parameters" in section and "Pipeline(steps=" in section
        assert "Best parameters" in section
        assert "Cross-validation results" in section and "CV accuracy (%)" in section
        assert "Precision, recall and F1 per digit" in section and "macro avg" in section
        assert section.count("data:image/png;base64,") == 2  # confusion and misclassified
        assert '<div class="pair">' in section  # side by side
    ensemble = _section(page, "family-ensemble")
    assert "Members and weights" in ensemble and "No search of its own" in ensemble


def test_every_figure_is_embedded_and_also_written_as_png(page, run_folder):
    pngs = sorted((run_folder / "figures").glob("*.png"))
    names = {p.name for p in pngs}
    assert {"error_vs_fit_time.png", "mcnemar.png"} <= names
    assert {f"{kind}_{f}.png" for kind in ("confusion", "misclassified") for f in FAMILIES} <= names
    for png in pngs:
        assert base64.b64encode(png.read_bytes()).decode() in page, png.name
    assert page.count("data:image/png;base64,") == len(pngs)


def test_figures_are_titled_in_words_not_file_names(page):
    alts = re.findall(r'<img alt="([^"]*)"', page)
    assert len(alts) == 9
    assert not [alt for alt in alts if alt.endswith(".png") or "_" in alt]
    assert "Test error against fit time" in alts and "When each fit ran, by process" in alts
    assert "Logistic regression (logreg): confusion matrix on the 10,000 test digits" in alts


def test_report_opens_offline_nothing_is_fetched(page):
    text = without_images(page)  # CI's run of 4a98ac5 found 'http' in a figure's base64 (timings vary its bytes)
    assert "http" not in text and "//" not in text  # no URL, not even a protocol-relative one
    assert re.findall(r'src="([^"]*)"', page) and all(
        src.startswith("data:image/png;base64,") for src in re.findall(r'src="([^"]*)"', page))
    assert "<link" not in page and "<script" not in page and "@import" not in page


def test_per_class_scores_are_written_as_csv_and_match_the_predictions(run_folder):
    data = json.loads((run_folder / "report_data.json").read_text())
    y_true = np.array(data["y_true"])
    for family in FAMILIES:
        table = pd.read_csv(run_folder / "per_class" / f"{family}.csv", dtype={"class": str})
        assert list(table.columns) == ["class", "precision", "recall", "f1", "support"]
        assert list(table["class"]) == [str(d) for d in range(10)] + ["macro avg", "weighted avg"]
        y_pred = np.array(data["families"][family]["y_pred"])
        recall_of_7 = np.mean(y_pred[y_true == "7"] == "7")
        assert table.set_index("class").loc["7", "recall"] == pytest.approx(recall_of_7)
        assert table["support"].iloc[:10].sum() == 10000


def test_mcnemar_is_a_matrix_not_a_list(page, run_folder):
    section = _section(page, "significance")
    assert "McNemar" in section and "Holm" in section and section.count("<img") == 1
    assert "<table" not in section
    assert len(pd.read_csv(run_folder / "mcnemar.csv")) == 3


def test_report_command_rebuilds_the_same_report_without_fits(run_folder, tmp_path, capsys):
    copy = copy_run(run_folder, tmp_path / "copy")  # no fits/, no cache/: nothing to refit from
    before = (copy / "report.html").read_text()
    for path in [copy / "report.html", copy / "results.md", *copy.glob("figures/*"), *copy.glob("per_class/*")]:
        path.unlink()
    assert main(["report", str(copy)]) == 0
    assert "Rebuilt" in capsys.readouterr().out
    assert (copy / "report.html").read_text() == before
    assert {p.name for p in (copy / "figures").iterdir()} == {p.name for p in (run_folder / "figures").iterdir()}
    assert not (copy / "fits").exists()


def test_report_tolerates_extra_columns_and_families_without_cv_results(run_folder, tmp_path):
    copy = copy_run(run_folder, tmp_path / "copy")
    results = json.loads((copy / "results.json").read_text())
    for row in results["results"]:
        row["a_new_column"] = 1.5
    (copy / "results.json").write_text(json.dumps(results))
    (copy / "cv_results" / "knn.csv").unlink()
    page = build_report(copy).read_text()
    assert "No search of its own" in _section(page, "family-knn")


def test_report_of_an_old_run_folder_says_how_to_update_it(run_folder, tmp_path, capsys):
    copy = copy_run(run_folder, tmp_path / "old")
    (copy / "report_data.json").unlink()  # as written before skdigits saved it
    with pytest.raises(RunFolderError, match="older skdigits .*run the same benchmark command again"):
        build_report(copy)
    with pytest.raises(SystemExit) as exit_info:
        main(["report", str(copy)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "report_data.json" in error


def test_results_json_records_its_schema_version_and_another_version_is_refused(run_folder, tmp_path):
    from skdigits.benchmark import load_run
    from skdigits.benchmark._run_folder import SCHEMA_VERSION

    copy = copy_run(run_folder, tmp_path / "newer")
    results = json.loads((copy / "results.json").read_text())
    assert results["schema_version"] == SCHEMA_VERSION
    results["schema_version"] = SCHEMA_VERSION + 1
    (copy / "results.json").write_text(json.dumps(results))
    for reader in (build_report, load_run):  # the report's reader and the public one check alike
        with pytest.raises(RunFolderError, match="schema version .*run the benchmark again"):
            reader(copy)


@pytest.mark.parametrize("make, message", [
    (lambda tmp: tmp / "missing", "is not a folder"),
    (lambda tmp: tmp, "has no results.json: it is not a finished benchmark run"),
])
def test_report_of_a_bad_folder_is_a_one_line_error_with_status_2(make, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["report", str(make(tmp_path))])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


def test_pareto_front_keeps_the_models_no_other_beats_on_both_cost_and_error():
    cost = [10, 1, 5, 5, 100]
    error = [0.02, 0.10, 0.03, 0.05, 0.01]
    assert pareto_front(cost, error).tolist() == [1, 2, 0, 4]  # 3 costs as much as 2 for more error


def test_training_curves_draw_held_out_scores_kept_for_the_first_epochs_only():
    # The 'plateau' schedule scores its held-out rows until the plateau, then anneals on every row.
    history = {"loss": [0.5, 0.3, 0.2, 0.1, 0.05], "accuracy": [0.8, 0.9, 0.95, 0.97, 0.99],
               "val_loss": [0.4, 0.3, 0.3], "val_accuracy": [0.85, 0.9, 0.9]}
    png = training_curves("MLP", history)
    assert png.startswith(b"\x89PNG")


def test_training_curves_of_a_network_without_metrics_say_so_without_a_warning():
    # A user's KerasClassifier compiled without metrics records its loss only.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = training_curves("net", {"loss": [0.5, 0.3, 0.2]})
    assert png.startswith(b"\x89PNG")


def test_the_schedules_rows_are_processes_named_by_machine_only_on_a_cluster_of_several():
    one = [{"host": "a", "pid": 7}, {"host": "a", "pid": 9}, {"host": "a", "pid": 7}]
    assert schedule_rows(one) == {("a", 7): "process 7", ("a", 9): "process 9"}
    # two machines' workers may share a pid: two processes, two rows
    two = [{"host": "node-1", "pid": 7}, {"host": "node-2", "pid": 7}]
    assert schedule_rows(two) == {("node-1", 7): "node-1, process 7", ("node-2", 7): "node-2, process 7"}
    assert schedule_rows([{"pid": 7}]) == {(None, 7): "process 7"}  # a run from before hosts were recorded
