"""The documentation site: it builds with warnings as errors, and documents every public name."""

import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # processes, clusters or a docs build: deselect with -m 'not slow'

DOCS = Path(__file__).resolve().parents[1] / "docs"
PUBLIC_MODULES = ["skdigits", "skdigits.datasets", "skdigits.preprocessing", "skdigits.decomposition",
                  "skdigits.neural_network",
                  "skdigits.zoo", "skdigits.model_selection", "skdigits.benchmark"]
BUILD_OUTPUTS = ("_build", "generated", "auto_examples", "sg_execution_times.rst")

try:
    import numpydoc  # noqa: F401
    import sphinx  # noqa: F401
    import sphinx_gallery  # noqa: F401
except ImportError:
    HAVE_SPHINX = False
else:
    HAVE_SPHINX = True
needs_sphinx = pytest.mark.skipif(
    not HAVE_SPHINX,
    reason="Sphinx and its extensions are not installed: pip install -e '.[docs]' (or '.[test]')",
)

def _public_names():
    for module in PUBLIC_MODULES:
        for name in importlib.import_module(module).__all__:
            yield module, name


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    """The site built as the README says, from a copy of docs/ (the clone stays clean)."""
    root = tmp_path_factory.mktemp("docs")
    source = root / "docs"
    shutil.copytree(DOCS, source, ignore=shutil.ignore_patterns(*BUILD_OUTPUTS))
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", str(source), str(root / "html")],
        capture_output=True, text=True, timeout=600,
    )
    return result, root / "html"


def test_every_public_name_is_listed_in_the_api_reference_source():
    api = (DOCS / "api.rst").read_text()
    missing = [f"{module}.{name}" for module, name in _public_names()
               if not re.search(rf"^\s+{re.escape(name)}$|^\.\. py:\w+:: {re.escape(name)}\b|:mod:`{module}\.{name}`",
                                api, re.MULTILINE)]
    assert not missing, f"add to docs/api.rst: {missing}"


@needs_sphinx
def test_docs_build_with_warnings_as_errors(built_site):
    result, html = built_site
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert (html / "index.html").exists()


@needs_sphinx
def test_api_reference_documents_every_public_function_and_class(built_site):
    _, html = built_site
    pages = " ".join(p.read_text() for p in html.rglob("*.html"))
    missing = []
    for module, name in _public_names():
        obj = getattr(importlib.import_module(module), name)
        anchor = f"module-{module}.{name}" if type(obj).__name__ == "module" else f"{module}.{name}"
        if f'id="{anchor}"' not in pages:
            missing.append(anchor)
    assert not missing, f"not in the API reference: {missing}"


@needs_sphinx
def test_user_guide_and_examples_are_in_the_site(built_site):
    _, html = built_site
    for page in ["install", "datasets", "preprocessing", "model_selection", "benchmark", "report", "api"]:
        assert (html / f"{page}.html").exists(), page
    examples = sorted((html / "auto_examples").glob("plot_*.html"))
    assert len(examples) >= 3
    for example in examples:  # each ran and shows its output or its figure
        text = example.read_text()
        assert "sphx-glr-script-out" in text or "sphx_glr_" in text, example.name
