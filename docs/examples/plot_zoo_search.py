"""
A family of the zoo in your own grid search
===========================================

:func:`skdigits.get_model` returns a family's pipeline and parameter grid,
the ones the benchmark searches, ready for scikit-learn's
:class:`~sklearn.model_selection.GridSearchCV`. Here the kNN family's quick
grid, on 2,000 training digits, with its cross-validation results as the
benchmark's report shows them.
"""

import pandas as pd
from sklearn.model_selection import GridSearchCV

from skdigits import get_model
from skdigits.datasets import load_train_test

X_train, X_test, y_train, y_test = load_train_test()
spec = get_model("knn", "quick")
print(spec.description)
print(spec.param_grid)

search = GridSearchCV(spec.pipeline, spec.param_grid, cv=2, n_jobs=1)
search.fit(X_train[:2000], y_train[:2000])
print(f"best: {search.best_params_}")
print(f"test error: {100 * (1 - search.score(X_test[:2000], y_test[:2000])):.2f} %")

# %%
# The cross-validation results, best first:

columns = ["rank_test_score", "mean_test_score", "std_test_score", "mean_fit_time"]
results = pd.DataFrame(search.cv_results_).sort_values("rank_test_score")
print(results[columns].round(3).to_string(index=False))
