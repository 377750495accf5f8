"""A run folder's files are checked before use; names are checked, escaped and kept inside the folder.

One tiny real run (logreg, 300 training rows) is made per module, copied,
then its files are tampered with.
"""

import json
import shutil
import sys
import textwrap

import pytest

from skdigits.benchmark import load_run, run
from skdigits.benchmark._cli import main
from skdigits.benchmark._entries import ModelReferenceError, load_reference, resolve_entries
from skdigits.benchmark._names import check_family_name, family_path, markdown_cell
from skdigits.benchmark._run_folder import RunFolderError, clear_errors, read_run, write_error
from skdigits.benchmark.report import build_report, compare_runs


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    folder = tmp_path_factory.mktemp("safety") / "run"
    run(["logreg"], profile="quick", train_size=300, cv=2, quiet=True, ensemble=False, output_dir=folder)
    return folder


@pytest.fixture
def folder(finished, tmp_path):
    return shutil.copytree(finished, tmp_path / "copy", ignore=shutil.ignore_patterns("fits", "cache"))


def _edit(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize("name", ["a\n", "../x", ".hidden", "-x", "a/b", "a" * 65, "x..y", ""])
def test_bad_family_names_are_refused(name):
    with pytest.raises(ValueError, match="family name"):
        check_family_name(name, "test")


def test_family_path_refuses_a_path_outside_the_folder(tmp_path):
    with pytest.raises(ValueError, match="outside"):
        family_path(tmp_path, "errors", "../../x", ".txt")


def test_markdown_cell_escapes_pipes_backticks_tags_and_newlines():
    assert markdown_cell("a|b`c<d\ne") == "a\\|b\\`c&lt;d e"


@pytest.mark.parametrize("name", ["../../escaped", "<script>alert(1)</script>", "a\n"])
def test_a_bad_name_in_results_json_is_a_run_folder_error_naming_the_file(folder, name):
    _edit(folder / "results.json", lambda d: d["results"][0].update(family=name))
    with pytest.raises(RunFolderError, match="results.json"):
        read_run(folder)
    assert not (folder.parent / "escaped.txt").exists()


def test_a_script_name_in_report_data_never_reaches_report_html(folder):
    _edit(folder / "report_data.json",
          lambda d: d["families"].update({'x"><script>': d["families"]["logreg"]}))
    with pytest.raises(RunFolderError, match="report_data.json"):
        build_report(folder)


@pytest.mark.parametrize("change, problem", [
    (lambda d: d["results"][0].update(test_error=1e308), "finite number"),
    (lambda d: d["results"][0].update(test_error=-0.1), "finite number"),
    (lambda d: d["results"][0].update(test_error=float("nan")), "finite number"),
    (lambda d: d["results"][0].pop("family"), "family name"),
    (lambda d: d.update(results=3), "list of rows"),
    (lambda d: d["meta"].update(test_set=3), "test_set"),
    (lambda d: d["meta"]["settings"].update(train_rows="300"), "train_rows"),
    (lambda d: d["meta"].update(total_time_s="1 s"), "total_time_s"),
    (lambda d: d["meta"].update(phases_s={"logreg": {"refit": "1.0"}}), "phases_s"),
    (lambda d: d["meta"].update(phases_s={"../x": {}}), "family name"),
    (lambda d: d["meta"].update(kept_from_previous_run={"logreg": "<b>"}), "kept_from_previous_run"),
    (lambda d: d["meta"].update(schedule={"logreg": []}), "'schedule' is not a list"),
    (lambda d: d["meta"].update(schedule=[{"family": "<script>", "phase": "cv", "pid": 1, "start_s": 0,
                                           "seconds": 1}]), "family name"),
    (lambda d: d["meta"].update(schedule=[{"family": "logreg", "phase": "rm -rf", "pid": 1, "start_s": 0,
                                           "seconds": 1}]), "phase is not one of"),
    (lambda d: d["meta"].update(schedule=[{"family": "logreg", "phase": "cv", "pid": 1, "start_s": 0,
                                           "seconds": -1}]), "seconds"),
    (lambda d: d["meta"].update(schedule=[{"family": "logreg", "phase": "cv", "host": "$x^2$ <b>", "pid": 1,
                                           "start_s": 0, "seconds": 1}]), "host is not a machine's name"),
    (lambda d: d["meta"].update(schedule=[{"family": "logreg", "phase": "cv", "host": 7, "pid": 1,
                                           "start_s": 0, "seconds": 1}]), "host is not a machine's name"),
])
def test_a_malformed_results_json_is_one_line_naming_the_problem(folder, change, problem):
    _edit(folder / "results.json", change)
    with pytest.raises(RunFolderError, match=problem):
        read_run(folder)


def test_a_schedule_without_machines_as_runs_wrote_before_them_is_read(folder):
    _edit(folder / "results.json", lambda d: [e.pop("host") for e in d["meta"]["schedule"]])
    assert read_run(folder) is not None
    build_report(folder)  # its picture has a row per pid


@pytest.mark.parametrize("change, problem", [
    (lambda d: d.update(y_true=7), "y_true"),
    (lambda d: d["families"]["logreg"].update(y_pred=[1, 2]), "y_pred"),
    (lambda d: d["families"]["logreg"].update(misclassified=[10**9]), "misclassified"),
    (lambda d: d["families"]["logreg"].update(history=[1]), "history"),
    (lambda d: d["families"]["logreg"].update(weights={"knn": "1"}), "weights"),
    (lambda d: d["families"]["logreg"].update(pipeline=3), "pipeline"),
    (lambda d: d.update(image_shape=[28, "28"]), "image_shape"),
    (lambda d: d.update(image_shape=[14, 14]), "one image of 'image_shape' per row"),
    (lambda d: d.update(image_rows=[-1]), "image_rows"),
])
def test_a_malformed_report_data_is_refused(folder, change, problem):
    _edit(folder / "report_data.json", change)
    with pytest.raises(RunFolderError, match=problem):
        read_run(folder)


def test_compare_on_a_tampered_folder_exits_2_with_one_line(folder, finished, tmp_path, capsys):
    _edit(folder / "report_data.json", lambda d: d.update(y_true=7))
    with pytest.raises(SystemExit) as exit_:
        main(["compare", str(finished), str(folder), "--output", str(tmp_path / "cmp")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "y_true" in err


def test_a_bad_cv_results_file_name_is_refused(folder):
    (folder / "cv_results" / "logreg.csv").rename(folder / "cv_results" / ".. bad.csv")
    with pytest.raises(RunFolderError, match="cv_results"):
        read_run(folder)


def test_compare_output_that_is_a_file_is_a_clear_error(finished, tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(SystemExit) as exit_:
        main(["compare", str(finished), str(finished), "--output", str(target)])
    assert exit_.value.code == 2 and "is a file" in capsys.readouterr().err


def test_an_empty_output_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--families", "logreg", "--output", "", "--quiet"])
    assert exit_.value.code == 2 and "output folder is empty" in capsys.readouterr().err


def test_a_model_module_that_raises_on_import_is_one_line(tmp_path, monkeypatch):
    (tmp_path / "broken_models.py").write_text(textwrap.dedent("""
        raise RuntimeError("boom")
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModelReferenceError, match="RuntimeError: boom"):
        load_reference("broken_models:factory")
    sys.modules.pop("broken_models", None)


def test_a_tuple_entry_with_a_trailing_newline_is_refused():
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(ModelReferenceError, match="family name"):
        resolve_entries([("mine\n", LogisticRegression())], "quick", 0)


def test_an_unwritable_error_file_is_a_warning_not_a_crash(tmp_path):
    (tmp_path / "errors").write_text("a file where the folder should be")
    with pytest.warns(RuntimeWarning, match="could not be written"):
        write_error(tmp_path, "logreg", "Traceback ...")


def test_a_family_that_now_succeeds_has_no_stale_error_file(finished, tmp_path):
    folder = shutil.copytree(finished, tmp_path / "again")
    (folder / "errors").mkdir(exist_ok=True)
    (folder / "errors" / "logreg.txt").write_text("old failure")
    (folder / "errors" / "logreg-model.txt").write_text("old failure")
    (folder / "errors" / "logreg-holdout.txt").write_text("old failure of its fit for the ensemble")
    run(["logreg"], profile="quick", train_size=300, cv=2, quiet=True, ensemble=False, output_dir=folder)
    assert not (folder / "errors" / "logreg.txt").exists()
    assert not (folder / "errors" / "logreg-model.txt").exists()
    assert not (folder / "errors" / "logreg-holdout.txt").exists()


def test_clear_errors_never_leaves_the_folder(tmp_path):
    outside = tmp_path / "x.txt"
    outside.write_text("keep")
    clear_errors(tmp_path / "run", "../../x")
    assert outside.exists()


def test_a_refused_run_leaves_no_empty_output_folder(tmp_path):
    from skdigits.benchmark import RunInputError

    with pytest.raises(RunInputError):
        run(["logreg"], profile="quick", data="nosuchsource:x", quiet=True, output_dir=tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_settings_read_back_are_escaped_in_results_md(folder):
    _edit(folder / "results.json", lambda d: d["meta"]["settings"].update(data="<script>x</script>|`"))
    build_report(folder)
    text = (folder / "results.md").read_text()
    assert "<script>" not in text and "&lt;script>x&lt;/script>\\|\\`" in text


def test_folder_names_and_settings_keys_are_escaped_in_comparison_md(finished, tmp_path):
    other = shutil.copytree(finished, tmp_path / "b|<img src=x>", ignore=shutil.ignore_patterns("fits"))
    _edit(other / "results.json", lambda d: d["meta"]["settings"].update({"<i>key|": 1}))
    compare_runs([finished, other], tmp_path / "cmp")
    text = (tmp_path / "cmp" / "comparison.md").read_text()
    assert "<img" not in text and "<i>" not in text and "b\\|&lt;img src=x>" in text


def test_mlflow_reads_back_a_folder_as_every_reader_checks_it(folder):
    from skdigits.benchmark._mlflow import _read_results as read_for_mlflow

    _edit(folder / "results.json", lambda d: d["meta"].update(settings=3))
    with pytest.raises(RunFolderError, match="results.json: meta's 'settings' is not an object"):
        read_for_mlflow(folder)


def test_mlflow_refuses_a_results_csv_of_other_families(folder):
    from skdigits.benchmark._mlflow import _read_results as read_for_mlflow

    (folder / "results.csv").write_text("family,status\nknn,ok\n")
    with pytest.raises(RunFolderError, match="results.csv does not list the families of results.json"):
        read_for_mlflow(folder)


@pytest.mark.parametrize("info, problem", [
    ({"refit_key": "k", "format": "skops+keras"}, "does not hold a Keras network's pipeline and classes"),
    ({"refit_key": "k", "format": "pickle"}, "'format' of 'skops' or 'skops\\+keras'"),
    ([1], "'format' of 'skops'"),
])
def test_a_tampered_model_record_is_a_run_folder_error_not_a_traceback(folder, info, problem):
    (folder / "models" / "logreg.json").write_text(json.dumps(info))
    with pytest.raises(RunFolderError, match=problem):
        load_run(folder)
