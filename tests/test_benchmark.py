"""python -m skdigits.benchmark and skdigits.benchmark.run, on real MNIST."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter

import pandas as pd
import psutil
import pytest
from conftest import write_kaggle_csv
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import ParameterGrid
from sklearn.pipeline import Pipeline

from skdigits import ModelSpec, get_model
from skdigits.benchmark import RunInputError, main, run
from skdigits.benchmark import _entries as entries_module
from skdigits.benchmark import _run as run_module
from skdigits.benchmark._cli import exit_status
from skdigits.model_selection._timeout import SearchTimeout

pytestmark = pytest.mark.slow  # real benchmark runs on MNIST and fresh processes (deselect with -m 'not slow')

SMALL = dict(families=["logreg", "knn"], profile="quick", train_size=600, cv=2, n_jobs=1, quiet=True)
TIMES = ["fit_time_s", "predict_time_s"]


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    return run(**SMALL, output_dir=out), out


def test_table_is_sorted_by_test_error_with_intervals(small_run):
    table, _ = small_run
    errors = table.set_index("family")["test_error"]
    assert list(table["family"]) == sorted(table["family"], key=lambda f: errors[f])
    assert (table["status"] == "ok").all()
    assert (table["error_ci_low"] < table["test_error"]).all() and (table["test_error"] < table["error_ci_high"]).all()
    assert table["test_error"].between(0.02, 0.3).all()  # 600 training digits
    assert (table["cv_mean"] > 0.7).all()
    assert table.set_index("family").loc["knn", "best_params"] == "n_neighbors=4, n_components=40"


def test_table_names_the_features_each_search_chose(small_run):
    table, _ = small_run
    chosen = table.set_index("family")["preprocessing"]
    assert chosen["logreg"] in {"raw pixels", "deskewed + HOG"}  # the quick grid's two candidates
    assert chosen["knn"] in {"raw pixels", "deskewed"}


def test_ensemble_is_reported_like_a_family(small_run, tmp_path):
    table, out = small_run
    ensemble = table.set_index("family").loc["ensemble"]
    members, chosen_by = ensemble["best_params"].split(" (chosen on ")
    weights = dict(part.split("=") for part in members.split(", "))
    assert chosen_by.startswith("50 held-out training rows by the members fitted on 120 others")
    assert set(weights) <= {"logreg", "knn"} and abs(sum(map(float, weights.values())) - 1) < 0.011
    assert ensemble["status"] == "ok" and 0 < ensemble["test_error"] < 0.3
    shutil.copytree(out, tmp_path / "copy")  # resumes every fit
    assert "ensemble" not in run(**SMALL, ensemble=False, output_dir=tmp_path / "copy")["family"].tolist()


def test_every_report_file_is_written(small_run):
    _, out = small_run
    for name in ["results.csv", "results.json", "results.md", "report.html", "mcnemar.csv",
                 "cv_results/logreg.csv", "cv_results/knn.csv", "figures/error_vs_fit_time.png",
                 "figures/confusion_knn.png", "figures/misclassified_logreg.png"]:
        assert (out / name).stat().st_size > 0, name
    assert not list(out.rglob("*.tmp"))
    meta = json.loads((out / "results.json").read_text())["meta"]
    assert set(meta["versions"]) == {"python", "skdigits", "scikit-learn", "tensorflow", "xgboost"}
    assert meta["seed"] == 0 and meta["machine"]["cpu_count"] >= 1
    assert meta["settings"]["test_rows"] == 10000
    page = (out / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 9 and "McNemar" in page
    assert "When each fit ran" in page and "<img src=\"http" not in page
    cv_table = pd.read_csv(out / "cv_results" / "knn.csv")
    assert {"mean_test_score", "std_test_score", "rank_test_score", "split0_test_score"} <= set(cv_table.columns)


def test_the_schedule_says_when_and_on_which_process_each_fit_of_the_run_ran(small_run):
    meta = small_run[0].attrs["meta"]  # this run's (a later test resumes in its folder)
    schedule = meta["schedule"]
    # per family: 2 candidates x 2 folds, the refit and the fit on the ensemble's rows
    assert Counter((e["family"], e["phase"]) for e in schedule) == {
        (f, phase): n for f in ("logreg", "knn") for phase, n in (("cv", 4), ("refit", 1), ("ensemble_fit", 1))}
    starts = [e["start_s"] for e in schedule]
    assert starts == sorted(starts) and starts[0] >= 0
    assert all(e["start_s"] + e["seconds"] <= meta["total_time_s"] + 0.2 for e in schedule)
    # one job: one process of this machine, one fit at a time (to the 0.1 s of rounding)
    assert len({e["pid"] for e in schedule}) == 1 and {e["host"] for e in schedule} == {socket.gethostname()}
    assert all(b["start_s"] >= a["start_s"] + a["seconds"] - 0.15 for a, b in zip(schedule, schedule[1:], strict=False))


def test_mcnemar_compares_the_best_models(small_run):
    _, out = small_run
    tests = pd.read_csv(out / "mcnemar.csv")
    # logreg, knn and their ensemble: three pairs
    assert len(tests) == 3 and {"p_value", "p_holm", "significant"} <= set(tests.columns)


def test_same_seed_gives_the_same_table(small_run, tmp_path):
    table, _ = small_run
    again = run(**SMALL, output_dir=tmp_path)
    pd.testing.assert_frame_equal(table.drop(columns=TIMES), again.drop(columns=TIMES))


def test_run_again_resumes_every_recorded_fit(small_run):
    table, out = small_run
    again = run(**SMALL, output_dir=out)
    # candidates x folds + refits + the fits on the ensemble's rows
    assert again.attrs["meta"]["fits_resumed"] == 2 * 2 + 2 * 2 + 2 + 2
    assert again.attrs["meta"]["schedule"] == []  # no fit ran
    pd.testing.assert_frame_equal(table, again)


def test_kill_9_mid_run_then_the_same_command_runs_only_the_rest(tmp_path):
    command = [sys.executable, "-m", "skdigits.benchmark", "--families", "logreg,knn",
               "--profile", "quick", "--train-size", "2000", "--cv", "3", "--n-jobs", "1",
               "--quiet", "--output", str(tmp_path)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    fits = tmp_path / "fits"
    deadline = time.time() + 240
    while not list(fits.rglob("*.npz")) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = {p: p.stat().st_mtime_ns for p in fits.rglob("*.npz")}
    assert done_before, "no fit was recorded before the kill"
    assert not (tmp_path / "results.csv").exists()
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    meta = json.loads((tmp_path / "results.json").read_text())["meta"]
    assert meta["fits_resumed"] >= len(done_before)
    assert all(p.stat().st_mtime_ns == t for p, t in done_before.items())  # not redone
    expected = sum(len(ParameterGrid(get_model(f, "quick").param_grid)) * 3 + 2 for f in ("logreg", "knn"))
    # every (candidate, fold) fit, each refit and each fit on the ensemble's rows, once
    assert len(list(fits.rglob("*.npz"))) == expected
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.parametrize("signum, status, how", [(signal.SIGINT, 130, "interrupted"),
                                                  (signal.SIGTERM, 143, "terminated")], ids=["ctrl-c", "sigterm"])
def test_a_signal_ends_the_run_in_one_line_with_its_workers_keeps_its_fits_and_blames_no_family(
        tmp_path, signum, status, how):
    command = [sys.executable, "-m", "skdigits.benchmark", "--families", "logreg,knn",
               "--profile", "quick", "--train-size", "2000", "--cv", "3", "--n-jobs", "2",
               "--quiet", "--output", str(tmp_path)]
    # as from a terminal (a test runner's worker may ignore SIGINT, and its children with it)
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    fits = tmp_path / "fits"
    deadline = time.time() + 240
    while not list(fits.rglob("*.npz")) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    workers = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signum)  # to the run's process only (as kill does), while the fits run in both workers
    stderr = proc.communicate(timeout=60)[1]
    assert proc.returncode == status, stderr
    assert stderr.strip().splitlines() == [
        f"python -m skdigits.benchmark: {how}; every fit that ended is kept in {tmp_path}: "
        "run the same command again to go on from there"]
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"worker processes outlived the run: {alive}"
    assert list(fits.rglob("*.npz")) and not list(tmp_path.rglob("*.tmp"))
    assert not list(tmp_path.glob("errors/*")), "an interrupted family was recorded as failed"
    assert not (tmp_path / "results.json").exists()


def broken_logreg(family, profile="standard", *, random_state=0):
    if family == "logreg":
        pipe = Pipeline([("clf", LogisticRegression(C=-1.0))])  # invalid: C must be > 0
        return ModelSpec("logreg", pipe, {"clf__max_iter": [50]})
    return get_model(family, profile, random_state=random_state)


def test_a_failing_family_is_recorded_and_the_others_complete(monkeypatch, tmp_path):
    monkeypatch.setattr(entries_module, "get_model", broken_logreg)
    table = run(**SMALL, output_dir=tmp_path)
    rows = table.set_index("family")
    assert rows.loc["knn", "status"] == "ok"
    assert rows.loc["logreg", "status"] == "failed"
    assert "C" in rows.loc["logreg", "error"] and "InvalidParameterError" in rows.loc["logreg", "error"]
    assert list(table["family"]) == ["knn", "logreg"]  # failures last
    assert "Traceback" in (tmp_path / "errors" / "logreg.txt").read_text()
    assert "failed" in (tmp_path / "results.md").read_text()


def test_exit_status_says_that_a_family_failed(monkeypatch, tmp_path):
    monkeypatch.setattr(entries_module, "get_model", broken_logreg)
    argv = ["--families", "logreg,knn", "--profile", "quick", "--train-size", "600", "--cv", "2",
            "--n-jobs", "1", "--quiet", "--output", str(tmp_path)]
    assert main(argv) == 1
    monkeypatch.setattr(entries_module, "get_model", get_model)
    assert main(["--families", "knn", *argv[2:]]) == 0


def test_a_quiet_command_says_which_family_failed_and_where_the_traceback_is(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(entries_module, "get_model", broken_logreg)
    argv = ["--families", "logreg,knn", "--profile", "quick", "--train-size", "600", "--cv", "2",
            "--n-jobs", "1", "--no-ensemble", "--quiet", "--output", str(tmp_path)]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "python -m skdigits.benchmark: warning: logreg failed: InvalidParameterError: The 'C' parameter of "
        "LogisticRegression must be a float in the range (0.0, inf]. Got -1.0 instead. "
        f"({tmp_path}/errors/logreg.txt says why)"
    ]


def test_a_rerun_where_every_family_fails_keeps_the_previous_results(monkeypatch, tmp_path):
    run(["logreg"], profile="quick", train_size=300, cv=2, n_jobs=1, quiet=True, ensemble=False,
        output_dir=tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in ("results.json", "results.csv", "report.html")}
    monkeypatch.setattr(entries_module, "get_model", broken_logreg)
    with pytest.warns(RuntimeWarning, match="logreg failed on this rerun") as said:
        table = run(["logreg"], profile="quick", train_size=300, cv=2, n_jobs=1, quiet=True, ensemble=False,
                    output_dir=tmp_path)
    assert table.attrs["kept"] == {"logreg": "failed"} and exit_status(table) == 1
    assert any(str(w.message).startswith(f"every family failed: {tmp_path}/results.json and the reports of the "
                                         "previous run are kept") for w in said)  # quiet, but not silent
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    assert "Traceback" in (tmp_path / "errors" / "logreg.txt").read_text()


def _rows(folder):
    return {r["family"]: r for r in json.loads((folder / "results.json").read_text())["results"]}


def _report_families(folder):
    return json.loads((folder / "report_data.json").read_text())["families"]


def test_a_rerun_where_one_family_fails_keeps_its_previous_result_and_says_so(small_run, monkeypatch, tmp_path):
    _, out = small_run
    folder = shutil.copytree(out, tmp_path / "run")
    rows, families = _rows(folder), _report_families(folder)
    kept_files = ["models/logreg.skops", "models/logreg.json", "cv_results/logreg.csv"]
    files = {name: (folder / name).read_bytes() for name in kept_files}
    monkeypatch.setattr(entries_module, "get_model", broken_logreg)
    with pytest.warns(RuntimeWarning, match=r"logreg failed on this rerun \(.*errors/logreg\.txt says why\)"):
        table = run(**SMALL, output_dir=folder)
    assert (table["status"] == "ok").all() and table.attrs["kept"] == {"logreg": "failed"}
    assert exit_status(table) == 1  # the command still says that a family failed
    assert _rows(folder) == rows  # logreg's row and the ensemble's (logreg voted in it) as they were
    assert _report_families(folder) == families
    assert {name: (folder / name).read_bytes() for name in kept_files} == files
    assert "Traceback" in (folder / "errors" / "logreg.txt").read_text()
    assert "failed" not in (folder / "results.md").read_text()
    page = (folder / "report.html").read_text()
    assert "<b>logreg</b> failed on the last rerun (traceback in errors/logreg.txt)" in page
    meta = json.loads((folder / "results.json").read_text())["meta"]
    assert meta["kept_from_previous_run"] == {"logreg": "failed"} and "logreg" in meta["phases_s"]


def test_the_command_says_why_a_family_failed_then_that_its_previous_result_is_kept(small_run, monkeypatch,
                                                                                   tmp_path, capsys):
    _, out = small_run
    folder = shutil.copytree(out, tmp_path / "run")
    monkeypatch.setattr(entries_module, "get_model", broken_logreg)
    argv = ["--families", "logreg,knn", "--profile", "quick", "--train-size", "600", "--cv", "2",
            "--n-jobs", "1", "--quiet", "--output", str(folder)]
    assert main(argv) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if "warning:" in line]
    why = f"({folder}/errors/logreg.txt says why)"
    assert lines == [
        "python -m skdigits.benchmark: warning: logreg failed: InvalidParameterError: The 'C' parameter of "
        f"LogisticRegression must be a float in the range (0.0, inf]. Got -1.0 instead. {why}",
        f"python -m skdigits.benchmark: warning: logreg failed on this rerun {why}; its result of the previous "
        "run, with the same settings, is kept",
    ]


def test_a_family_timed_out_on_a_rerun_keeps_its_previous_result_and_exits_3(small_run, monkeypatch, tmp_path):
    _, out = small_run
    folder = shutil.copytree(out, tmp_path / "run")
    rows = _rows(folder)
    run_family = run_module._run_family

    def knn_runs_past_the_limit(spec, *args, **kwargs):
        if spec.family == "knn":
            raise SearchTimeout(5)
        return run_family(spec, *args, **kwargs)

    monkeypatch.setattr(run_module, "_run_family", knn_runs_past_the_limit)
    with pytest.warns(RuntimeWarning, match=r"knn timed out on this rerun"):
        table = run(**SMALL, output_dir=folder, fit_timeout=60)  # a limit changes no finished fit
    assert table.attrs["kept"] == {"knn": "timed out"} and exit_status(table) == 3
    assert _rows(folder) == rows


def test_a_rerun_with_other_settings_where_every_family_fails_leaves_the_folder_as_it_was(monkeypatch, tmp_path):
    run(["logreg"], profile="quick", train_size=300, cv=2, n_jobs=1, quiet=True, ensemble=False,
        output_dir=tmp_path)
    before = (tmp_path / "results.json").read_bytes()
    monkeypatch.setattr(entries_module, "get_model", broken_logreg)
    table = run(["logreg"], profile="quick", train_size=300, cv=2, n_jobs=1, quiet=True, ensemble=False,
                output_dir=tmp_path, seed=1)
    assert list(table["status"]) == ["failed"] and not table.attrs["kept"]  # no row of seed 0 in seed 1's table
    assert (tmp_path / "results.json").read_bytes() == before


def test_a_rerun_with_other_settings_never_mixes_in_the_previous_rows(small_run, monkeypatch, tmp_path):
    _, out = small_run
    folder = shutil.copytree(out, tmp_path / "run")
    monkeypatch.setattr(entries_module, "get_model", broken_logreg)
    table = run(**{**SMALL, "train_size": 400}, output_dir=folder)
    rows = _rows(folder)
    assert rows["logreg"]["status"] == "failed" and not table.attrs["kept"]
    assert "ensemble" not in rows  # one family left to vote
    assert not (folder / "cv_results" / "logreg.csv").exists()  # the first run's search results are not this one's
    meta = json.loads((folder / "results.json").read_text())["meta"]
    assert meta["settings"]["train_rows"] == 400 and rows["knn"]["search_rows"] <= 400


def test_a_rerun_of_fewer_families_says_what_the_folder_keeps_and_reports_only_its_own(small_run, tmp_path):
    _, out = small_run
    folder = shutil.copytree(out, tmp_path / "run")
    model = (folder / "models" / "knn.skops").read_bytes()
    with pytest.warns(RuntimeWarning, match=r"saved models or search results of knn from an earlier run"):
        table = run(**{**SMALL, "families": ["logreg"]}, output_dir=folder)
    assert list(table["family"]) == ["logreg"]
    assert (folder / "models" / "knn.skops").read_bytes() == model  # a fitted model is kept, not remade
    assert not list((folder / "figures").glob("*knn*")) and not (folder / "per_class" / "knn.csv").exists()
    assert (folder / "figures" / "confusion_logreg.png").exists() and (folder / "per_class" / "logreg.csv").exists()
    again = run(**SMALL, output_dir=folder)  # the same settings: read back, nothing refitted, nothing to say
    assert again.set_index("family").loc["knn", "test_error"] == _rows(out)["knn"]["test_error"]
    assert (folder / "figures" / "confusion_knn.png").exists()


def test_bad_input_is_a_run_input_error_and_still_a_value_error(tmp_path):
    with pytest.raises(RunInputError, match="cv must be an integer >= 2") as caught:
        run(["knn"], cv=1, output_dir=tmp_path)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(RunInputError, match="not found"):
        run(["knn"], data=tmp_path / "no-such-folder", output_dir=tmp_path)


def test_an_error_after_the_fits_is_not_blamed_on_the_arguments_and_keeps_the_fits(monkeypatch, tmp_path):
    def broken_reports(*args, **kwargs):
        raise ValueError("a bug in the reports")

    monkeypatch.setattr(run_module, "write_reports", broken_reports)
    argv = ["--families", "knn", "--profile", "quick", "--train-size", "600", "--cv", "2", "--n-jobs", "1",
            "--quiet", "--output", str(tmp_path)]
    with pytest.raises(ValueError, match="a bug in the reports") as caught:
        main(argv)  # a traceback, not 'error: ...' with exit status 2
    assert not isinstance(caught.value, RunInputError)
    kept = list((tmp_path / "fits").rglob("*.npz"))
    # the search's fits, the refit and the fit on the ensemble's rows
    assert len(kept) == len(ParameterGrid(get_model("knn", "quick").param_grid)) * 2 + 2
    monkeypatch.undo()
    assert main(argv) == 0
    assert json.loads((tmp_path / "results.json").read_text())["meta"]["fits_resumed"] == len(kept)


@pytest.mark.parametrize("arguments, message", [
    (["--families", "knn,lda"], "unknown family lda; choose from logreg"),
    (["--train-size", "100000"], "train_size=100000 is larger than the 60000 training rows"),
    (["--train-size", "1.5"], "train_size must be a number of rows (an integer >= 2) or a fraction"),
    (["--train-size", "0"], "train_size must be a number of rows (an integer >= 2) or a fraction"),
    (["--train-size", "half"], "--train-size takes a number of rows or a fraction of the training rows"),
    (["--train-size", "0.00001"], "train_size=1e-05 is 0 of the 60000 training rows of the data"),
    (["--cv", "1"], "cv must be an integer >= 2"),
    (["--data", "no/such/folder"], "data source 'no/such/folder' not found"),
    (["--profile", "huge"], "invalid choice: 'huge'"),
    (["--families", ""], "no family given; choose one or more from logreg"),
    (["--families", " , "], "no family given"),
    (["--seed", "-1"], "seed must be an integer from 0 to 2**32 - 1 (--seed), got -1"),
    (["--seed", str(2**32 - 2), "--repeats", "3"], "seeds run from 4294967294 to 4294967296, past 2**32 - 1"),
])
def test_bad_arguments_get_a_clear_error_before_any_work(arguments, message, tmp_path, capsys):
    # In this process (main is what the command runs): a traceback would be an
    # exception here, not a SystemExit; the command itself is tested below.
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_:
        main(["--output", str(out), *arguments])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert "Traceback" not in error and message in error.strip().splitlines()[-1]
    assert not (out / "fits").exists()


def test_a_fraction_as_train_size_takes_that_share_of_the_training_rows_as_scikit_learn_does(tmp_path):
    table = run(["logreg"], profile="quick", train_size=0.05, cv=2, ensemble=False, quiet=True, output_dir=tmp_path)
    assert table.attrs["meta"]["settings"]["train_rows"] == 3000  # floor(0.05 x 60,000), as train_test_split
    again = run(["logreg"], profile="quick", train_size=3000, cv=2, ensemble=False, quiet=True, output_dir=tmp_path)
    assert again.attrs["meta"]["fits_resumed"] > 0  # the same rows: the same run


def test_the_command_exits_2_with_the_error_as_its_last_line(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "skdigits.benchmark", "--output", str(out), "--cv", "1"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "cv must be an integer >= 2" in result.stderr.strip().splitlines()[-1]
    assert not (out / "fits").exists()


def test_unreachable_scheduler_is_named_in_one_line_within_seconds(tmp_path, capsys):
    start = time.perf_counter()
    with pytest.raises(SystemExit) as exit_:
        main(["--families", "knn", "--profile", "quick", "--scheduler", "tcp://127.0.0.1:9",
              "--output", str(tmp_path)])
    assert exit_.value.code == 2 and time.perf_counter() - start < 20
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "dask scheduler" in error and "--scheduler" in error
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in error and not (tmp_path / "fits").exists()


def test_offline_openml_is_named_in_one_line(monkeypatch, tmp_path, capsys):
    from urllib.error import URLError

    from skdigits.datasets import _openml

    def offline(*args, **kwargs):
        raise URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(_openml.sk_datasets, "fetch_openml", offline)
    with pytest.raises(SystemExit) as exit_:
        main(["--families", "knn", "--data", "openml:mnist_784", "--output", str(tmp_path)])
    assert exit_.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "cannot download openml:mnist_784 from OpenML" in error and "--data mnist" in error


def test_empty_family_list_is_refused_by_run(tmp_path):
    with pytest.raises(ValueError, match="no family to run"):
        run(**{**SMALL, "families": []}, output_dir=tmp_path)


def test_no_tensorflow_when_no_keras_family_runs(tmp_path):
    code = ("import sys; from skdigits.benchmark import main; "
            f"main(['--families', 'knn', '--profile', 'quick', '--train-size', '300', '--cv', '2', "
            f"'--n-jobs', '1', '--quiet', '--output', {str(tmp_path)!r}]); "
            "print('tensorflow' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.stdout.strip() == "False", result.stderr[-2000:]
    assert "tensorflow" not in result.stderr.lower() and "onednn" not in result.stderr.lower()


def test_result_files_are_readable_as_the_umask_says(small_run):
    _, out = small_run
    umask = os.umask(0)
    os.umask(umask)
    for path in [out / "results.csv", out / "report.html", *list((out / "fits").rglob("*.npz"))[:3]]:
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path


def test_unwritable_output_folder_is_refused(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(ValueError, match="cannot write to output folder .*a-file/out.*--output"):
        run(**SMALL, output_dir=blocker / "out")


def test_help_documents_every_option():
    result = subprocess.run([sys.executable, "-m", "skdigits.benchmark", "--help"],
                            capture_output=True, text=True, timeout=60)
    for option in ["--families", "--profile", "--train-size", "--cv", "--search", "--n-jobs",
                   "--seed", "--data", "--output", "--quiet", "--scheduler"]:
        assert option in result.stdout


def test_kaggle_csv_source_gets_a_stratified_test_set(tmp_path):
    from skdigits.datasets import load_mnist

    X, y = load_mnist(split="test", return_X_y=True)
    csv = write_kaggle_csv(tmp_path / "train.csv", X[:1400], y[:1400])
    table = run(families=["knn"], profile="quick", train_size=None, cv=2, n_jobs=1, quiet=True,
                data=str(csv), output_dir=tmp_path / "out")
    assert table.attrs["meta"]["settings"]["test_rows"] == 200
    assert table.loc[0, "status"] == "ok"


def test_halving_search_strategy(tmp_path):
    table = run(families=["knn"], profile="standard", train_size=1500, cv=2, n_jobs=1, quiet=True,
                search="halving", output_dir=tmp_path)
    assert table.loc[0, "status"] == "ok"
    assert (tmp_path / "cv_results" / "knn.csv").exists()
