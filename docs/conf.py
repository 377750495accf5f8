"""Sphinx configuration of the skdigits documentation.

Build it with ``sphinx-build -W --keep-going -b html docs docs/_build/html``.
Nothing is fetched from the network: no intersphinx, every example runs on
the MNIST shipped with skdigits.
"""

import os

import skdigits

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

project = "skdigits"
author = "The skdigits developers"
copyright = "The skdigits developers"
version = release = skdigits.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "examples/README.rst"]
templates_path = ["_templates"]

# API reference: one page per public function and class, from numpydoc docstrings.
autosummary_generate = True
autodoc_default_options = {"members": False, "inherited-members": False}
numpydoc_show_class_members = False  # the class template lists the public methods
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

myst_heading_anchors = 3

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    "image_scrapers": ("matplotlib",),
}

html_theme = "pydata_sphinx_theme"
html_title = f"skdigits {version}"
html_static_path = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc"],
}
html_show_sourcelink = False


def _rst_safe(app, what, name, obj, options, lines):
    """Two idioms of our docstrings that reStructuredText misreads, made safe.

    ``n_features_in_`` in a type (``ndarray of shape (n_features_in_,)``, as
    scikit-learn writes it) would be a hyperlink reference, and a range
    written ```'0'``..``'9'``` would leave its second literal unopened.
    """
    for i, line in enumerate(lines):
        line = line.replace("(n_features_in_,)", "(``n_features_in_``,)")
        lines[i] = line.replace("``..``", "``\\ ..\\ ``")


def setup(app):
    app.connect("autodoc-process-docstring", _rst_safe)
