"""compare_runs and python -m skdigits.benchmark compare, on folders of real runs."""

import re
import subprocess
import sys

import pandas as pd
import pytest
from conftest import write_kaggle_csv
from run_folders import copy_run, finished_runs, without_images

from skdigits.benchmark import RunFolderError, compare_runs, main, run
from skdigits.datasets import load_mnist

pytestmark = pytest.mark.slow  # real benchmark runs on MNIST (deselect with -m 'not slow')


@pytest.fixture(scope="module")
def two_seeds(tmp_path_factory):
    return finished_runs(tmp_path_factory)


@pytest.fixture(scope="module")
def other_data(tmp_path_factory):
    """A run of kNN on another data set: a Kaggle-style CSV of 1,400 test digits."""
    folder = tmp_path_factory.mktemp("other-data")
    X, y = load_mnist(split="test", return_X_y=True)
    csv = write_kaggle_csv(folder / "train.csv", X[:1400], y[:1400])
    run(families=["knn"], profile="quick", cv=2, n_jobs=2, quiet=True, data=str(csv), output_dir=folder / "csv-run")
    return folder / "csv-run"


def test_two_seeds_share_the_test_set_so_differences_get_mcnemar_tests(two_seeds, tmp_path):
    comparison = compare_runs(two_seeds, output_dir=tmp_path)
    assert comparison.attrs["same_test_set"]
    second = comparison[comparison["run"] == "seed-1"].set_index("family")
    assert set(second.index) == {"logreg", "knn", "ensemble"}
    assert second["p_value"].between(0, 1).all() and (second["p_holm"] >= second["p_value"]).all()
    assert second["significant"].isin([True, False]).all()
    first = comparison[comparison["run"] == "seed-0"].set_index("family")
    assert second["difference"].to_numpy() == pytest.approx(
        (second["test_error"] - first.loc[second.index, "test_error"]).to_numpy())
    # the discordant counts are those of the predictions
    assert (second["only_baseline_right"] + second["only_run_right"] > 0).all()


def test_comparison_lists_what_differs_between_the_runs(two_seeds):
    differences = {d["what"]: d for d in compare_runs(two_seeds).attrs["differences"]}
    assert differences["settings.seed"]["seed-0"] == 0 and differences["settings.seed"]["seed-1"] == 1
    assert differences["pipeline of logreg"]["seed-1"] == "random_state=1"  # only what changed
    assert "settings.profile" not in differences and "test set" not in differences


def test_comparison_is_written_as_markdown_csv_and_self_contained_html(two_seeds, tmp_path):
    compare_runs(two_seeds, output_dir=tmp_path)
    table = pd.read_csv(tmp_path / "comparison.csv")
    assert len(table) == 6 and {"test_error", "error_ci_low", "difference", "p_holm"} <= set(table.columns)
    markdown = (tmp_path / "comparison.md").read_text()
    assert "| logreg | " in markdown and "seed-1 - seed-0 (points)" in markdown and "McNemar" in markdown
    page = (tmp_path / "comparison.html").read_text()
    assert "http" not in without_images(page) and page.count("data:image/png;base64,") == 1
    assert 'id="differences"' in page


def test_different_test_sets_are_compared_by_their_intervals_only(two_seeds, other_data):
    comparison = compare_runs([two_seeds[0], other_data])
    assert not comparison.attrs["same_test_set"]
    assert comparison["p_value"].isna().all()
    knn = comparison[comparison["family"] == "knn"].set_index("run")
    assert knn.loc["csv-run", "error_ci_low"] < knn.loc["csv-run", "test_error"] < knn.loc["csv-run", "error_ci_high"]
    assert knn.loc["csv-run", "difference"] == pytest.approx(knn.loc["csv-run", "test_error"]
                                                              - knn.loc["seed-0", "test_error"])
    assert "only the 95% intervals are compared" in comparison.attrs["markdown"]
    what = {d["what"] for d in comparison.attrs["differences"]}
    assert {"settings.data", "test set", "settings.test_rows"} <= what
    assert "p (Holm)" not in comparison.attrs["markdown"]


@pytest.mark.slow  # a fresh Python process (or several): the full suite only
def test_compare_command_prints_the_table_and_exits_0(two_seeds, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "skdigits.benchmark", "compare", *map(str, two_seeds), "--output", str(tmp_path)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.search(r"\| knn \| [\d.]+ \([\d.]+-[\d.]+\) \| [\d.]+ \([\d.]+-[\d.]+\) \| [+-][\d.]+ \|", result.stdout)
    assert (tmp_path / "comparison.html").exists()


def test_compare_of_an_old_or_missing_folder_is_a_one_line_error_with_status_2(two_seeds, tmp_path, capsys):
    old = copy_run(two_seeds[1], tmp_path / "old")
    (old / "report_data.json").unlink()
    for folders, message in [([two_seeds[0], old], "written by an older skdigits"),
                             ([two_seeds[0], tmp_path / "nowhere"], "nowhere is not a folder"),
                             ([two_seeds[0]], "give two or more run folders")]:
        with pytest.raises(SystemExit) as exit_info:
            main(["compare", *map(str, folders), "--output", str(tmp_path / "out")])
        assert exit_info.value.code == 2
        error = capsys.readouterr().err
        assert message in error and error.count("\n") == 1
    with pytest.raises(RunFolderError, match="older skdigits"):
        compare_runs([two_seeds[0], old])


@pytest.mark.slow  # a fresh Python process (or several): the full suite only
def test_help_names_the_compare_and_report_commands():
    result = subprocess.run([sys.executable, "-m", "skdigits.benchmark", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert "compare RUN_A RUN_B" in result.stdout and "report RUN" in result.stdout
    for command in ["compare", "report"]:
        result = subprocess.run([sys.executable, "-m", "skdigits.benchmark", command, "--help"],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "without refitting" in " ".join(result.stdout.split())
