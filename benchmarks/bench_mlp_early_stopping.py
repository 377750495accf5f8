"""Whether the zoo's Keras MLP should choose its epochs by early stopping: cross-validated accuracy and fit time.

The evidence behind the MLP's budget in the zoo (``_mlp`` in
``skdigits/zoo/_families.py``). On the *training* rows of a data set only
(the test set is never read), 3-fold stratified cross-validation (seed 0) of
the zoo's MLP (512-512, dropout 0.2, Adam at 1e-3, batches of 128) on the
deskewed HOG features, the features the standard search chooses on both
data sets measured, trained each of these ways:

``fixed``
    The zoo's MLP: ``--epochs`` passes (15, the standard profile), all kept,
    the cosine schedule annealing the rate to the last one.
``plateau``
    Early stopping with a schedule that suits it: a constant rate, halved
    (Keras's ``ReduceLROnPlateau``) after ``--lr-patience`` epochs without a
    lower loss on a stratified held-out tenth of the fold's training rows;
    training stops after ``--patience`` epochs without one and keeps the
    weights of the best epoch; ``--max-epochs`` (30) is the budget.
``cosine-es``
    Early stopping on the same held-out tenth with the zoo's cosine schedule
    over ``--max-epochs``: the combination measured before, for reference.
``plateau-anneal``, ``plateau-anneal-all``
    A constant rate until the held-out loss has not fallen for
    ``--anneal-patience`` epochs, then a half-cosine anneal for
    ``--decay-fraction`` of the epochs so far, the last epoch kept; the
    anneal on the nine tenths, or (``-all``) on every row.
``schedule``
    ``plateau-anneal-all`` as the estimator does it,
    ``learning_rate_schedule='plateau'`` with ``anneal_fraction`` set to
    ``--decay-fraction``: the zoo's MLP now (0.5).
``fixed-90``
    ``fixed`` on the nine tenths the others train on (a diagnosis).

The fits of one fold run one after the other, so that their times, on a
shared machine, are compared under the same load. Each fit trains on one
TensorFlow thread, as the zoo's do. Usage::

    python benchmarks/bench_mlp_early_stopping.py --data mnist --rows 20000
    python benchmarks/bench_mlp_early_stopping.py --data /work/data/digits8x8
    python benchmarks/bench_mlp_early_stopping.py --data mnist --variants fixed plateau --folds 0 1

``--rows`` takes the stratified subset the standard profile searches
(``nested_stratified_rows``, seed 0). Prints, per variant, the folds'
accuracies, their mean and standard deviation, the epochs trained and kept,
and the mean fit time. Measured (docs/benchmark.md, "How long networks and
boosters train", has the table)::

    --data mnist --rows 20000: fixed 98.62 % +- 0.18 (75 s a fit), schedule 98.55 % +- 0.15 (9 epochs, 38 s)
    --data digits8x8, --seed 0/1/2: fixed 98.97/98.57/98.57 %, schedule 98.89/98.33/98.25 %

and on an AVX2 EPYC (``--variants fixed schedule plateau-anneal-all``, with
``--decay-fraction 0.5`` and ``1.0``)::

    --data mnist --rows 20000: fixed 98.61 %, schedule 98.58 % (0.5), 98.54 % (1.0); plateau-anneal-all 98.64 % (1.0)

and the features (``--variants schedule``; the AVX-512 EPYC, idle, 2026-12-07)::

    --data mnist --rows 20000 --features hog: 98.55 % +- 0.15 (folds 98.40, 98.49, 98.75; 9 epochs, 13.7 s a fit)
    --features fine-hog-pca: 98.68 % +- 0.12 (folds 98.56, 98.62, 98.84; 12 to 14 epochs, 12.0 s)
    --data digits8x8 --seed 0/1/2: hog 98.89/98.33/98.25 %, fine-hog-pca 98.49/98.57/98.25 %
"""

import argparse
import time

import numpy as np
from sklearn.model_selection import StratifiedKFold, train_test_split

from skdigits import KerasMLPClassifier  # before keras: it imports TensorFlow quietly
from skdigits.benchmark._rows import nested_stratified_rows
from skdigits.datasets import load_train_test
from skdigits.preprocessing import Deskewer, HOGFeatures
from skdigits.zoo._features import FINE_HOG_CELLS

VARIANTS = ("fixed", "plateau", "cosine-es", "plateau-anneal", "plateau-anneal-all", "fixed-90", "schedule")


def plateau_then_anneal(patience, max_epochs, decay_fraction, stop_at_decay=False):
    """A Keras callback: a constant rate until the held-out loss stalls, then a cosine decay to 0, then stop.

    The warmup-stable-decay shape, the stable phase's length decided by the
    data: once ``patience`` epochs have not lowered ``val_loss`` (or the
    budget leaves no more room), the rate falls along a half cosine over
    ``decay_fraction`` of the epochs trained so far (at least 2), training
    stops at its end and the last, annealed weights are kept. With
    ``stop_at_decay``, training stops where the decay would start (its
    ``decay`` attribute is ``(epochs trained, decay length)``), for the
    caller to anneal on every row.
    """
    import keras

    class PlateauThenAnneal(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.best, self.wait, self.decay = np.inf, 0, None
            self.initial = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))

        def on_epoch_begin(self, epoch, logs=None):
            if self.decay is not None:
                start, length = self.decay
                rate = self.initial * 0.5 * (1 + np.cos(np.pi * (epoch - start + 1) / (length + 1)))
                self.model.optimizer.learning_rate = rate

        def on_epoch_end(self, epoch, logs=None):
            done = epoch + 1
            if "val_loss" not in (logs or {}):  # partial_fit on every row, after a stop at the decay
                return
            if self.decay is not None:
                self.model.stop_training = done >= sum(self.decay)
                return
            loss = logs["val_loss"]
            self.best, self.wait = (loss, 0) if loss < self.best else (self.best, self.wait + 1)
            length = max(2, int(np.ceil(decay_fraction * done)))
            if self.wait >= patience or done + length >= max_epochs:
                self.decay = (done, min(length, max_epochs - done))
                self.model.stop_training = stop_at_decay or self.decay[1] <= 0

    return PlateauThenAnneal()


def make_mlp(variant, args, seed=0):
    """The MLP trained the way ``variant`` names."""
    import keras

    if variant == "fixed":
        return KerasMLPClassifier(epochs=args.epochs, dropout=args.dropout, random_state=seed)
    if variant == "plateau":
        reduce = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=args.lr_patience)
        return KerasMLPClassifier(epochs=args.max_epochs, dropout=args.dropout, learning_rate_schedule="constant",
                                  early_stopping=True, n_iter_no_change=args.patience, callbacks=[reduce],
                                  random_state=seed)
    if variant == "cosine-es":
        return KerasMLPClassifier(epochs=args.max_epochs, dropout=args.dropout, early_stopping=True,
                                  n_iter_no_change=args.patience, random_state=seed)
    if variant in ("plateau-anneal", "plateau-anneal-all"):
        # No early_stopping (it would restore its best epoch): fit gets the held-out tenth as validation_data.
        callback = plateau_then_anneal(args.anneal_patience, args.max_epochs, args.decay_fraction,
                                       stop_at_decay=variant == "plateau-anneal-all")
        return KerasMLPClassifier(epochs=args.max_epochs, dropout=args.dropout, learning_rate_schedule="constant",
                                  callbacks=[callback], random_state=seed)
    if variant == "schedule":  # plateau-anneal-all as the estimator's option
        return KerasMLPClassifier(epochs=args.max_epochs, dropout=args.dropout, learning_rate_schedule="plateau",
                                  n_iter_no_change=args.anneal_patience, anneal_fraction=args.decay_fraction,
                                  random_state=seed)
    if variant == "fixed-90":  # 'fixed' on the rows the early-stopping variants train on (a diagnosis)
        return make_mlp("fixed", args, seed)
    raise ValueError(f"unknown variant {variant!r}; choose from {', '.join(VARIANTS)}")


#: ``--features``: the HOG of the deskewed digit, with the zoo's two cell sizes (4 and 7 pixels) or the SVM's three;
#: ``fine-hog-pca`` is the SVM's features, the three sizes' HOG reduced to 100 components by a PCA fitted on each
#: fold's training rows.
FINE = {"pixels_per_cell": FINE_HOG_CELLS}
FEATURES = {"hog": {}, "fine-hog": FINE, "fine-hog-pca": FINE}
PCA_COMPONENTS = {"fine-hog-pca": 100}


def training_features(args):
    """Deskewed HOG features and labels of the training rows (a stratified subset with ``--rows``)."""
    X, _, y, _ = load_train_test(None if args.data == "mnist" else args.data)
    X, y = np.asarray(X), np.asarray(y)
    rows = nested_stratified_rows(y, args.rows, 0)
    X, y = X[rows], y[rows]
    hog = HOGFeatures(**FEATURES[args.features])
    return hog.fit_transform(Deskewer().fit_transform(X)), y


def fit(variant, args, F, y, train):
    """``variant``'s MLP fitted on the rows ``train`` of ``F, y``."""
    clf = make_mlp(variant, args, args.seed)
    if variant not in ("fixed-90", "plateau-anneal", "plateau-anneal-all"):
        return clf.fit(F[train], y[train])
    # The stratified tenth that early_stopping holds out (the estimator's split, seeded alike).
    kept, valid = train_test_split(train, test_size=0.1, stratify=y[train], random_state=clf._seed())
    if variant == "fixed-90":
        return clf.fit(F[kept], y[kept])
    clf.fit(F[kept], y[kept], validation_data=(F[valid], y[valid]))
    if variant == "plateau-anneal":
        return clf
    start, length = clf.callbacks[0].decay
    initial = clf.learning_rate
    for epoch in range(length):  # the decay, on every row
        clf.model_.optimizer.learning_rate = initial * 0.5 * (1 + np.cos(np.pi * (epoch + 1) / (length + 1)))
        clf.partial_fit(F[train], y[train])
    clf.n_iter_ = start + length
    return clf


def fold_features(F, train, args):
    """``F``, or (``fine-hog-pca``) its PCA fitted on the fold's training rows ``train`` only."""
    if args.features not in PCA_COMPONENTS:
        return F
    from sklearn.decomposition import PCA

    return PCA(PCA_COMPONENTS[args.features], random_state=0).fit(F[train]).transform(F).astype(np.float32)


def run(F, y, args):
    """Per variant, a list of (accuracy, epochs trained, epochs kept, fit seconds), one per fold."""
    results = {variant: [] for variant in args.variants}
    folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(F, y))
    for fold in args.folds:
        train, test = folds[fold]
        G = fold_features(F, train, args)
        for variant in args.variants:
            start = time.perf_counter()
            clf = fit(variant, args, G, y, train)
            seconds = time.perf_counter() - start
            accuracy = float(np.mean(clf.predict(G[test]) == y[test]))
            trained = len(clf.history_["loss"])
            results[variant].append((accuracy, trained, clf.n_iter_, seconds))
            print(f"fold {fold} {variant:9s}: accuracy {100 * accuracy:.2f} %, epochs trained {trained}, "
                  f"kept {clf.n_iter_}, fit {seconds:.1f} s", flush=True)
    return results


def summary(results):
    """One line per variant; the paired difference to ``fixed`` where it ran."""
    base = np.array([r[0] for r in results.get("fixed", [])])
    for variant, rows in results.items():
        accuracy, trained, kept, seconds = (np.array(column) for column in zip(*rows, strict=True))
        line = (f"{variant:9s}: CV accuracy {100 * accuracy.mean():.2f} % +- {100 * accuracy.std():.2f} "
                f"(folds {', '.join(f'{100 * a:.2f}' for a in accuracy)}), epochs trained {trained.tolist()}, "
                f"kept {kept.tolist()}, mean fit {seconds.mean():.1f} s")
        if len(base) == len(accuracy) and variant != "fixed":
            fixed_seconds = np.array([r[3] for r in results["fixed"]])
            line += (f"; vs fixed {100 * (accuracy - base).mean():+.2f} points, "
                     f"time x{seconds.mean() / fixed_seconds.mean():.2f}")
        print(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="mnist", help="mnist or an IDX folder (benchmarks/make_upscaled_digits.py)")
    parser.add_argument("--rows", type=int, default=None, help="stratified training rows cross-validated (all)")
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=["fixed", "plateau"])
    parser.add_argument("--folds", nargs="+", type=int, default=[0, 1, 2], help="which of the 3 folds to run")
    parser.add_argument("--epochs", type=int, default=15, help="epochs of 'fixed' (the standard profile's)")
    parser.add_argument("--max-epochs", type=int, default=30, help="budget of the early-stopping variants")
    parser.add_argument("--patience", type=int, default=5, help="epochs without a lower held-out loss to stop")
    parser.add_argument("--lr-patience", type=int, default=2, help="epochs without one to halve the rate")
    parser.add_argument("--anneal-patience", type=int, default=3, help="plateau-anneal: epochs to start the decay")
    parser.add_argument("--decay-fraction", type=float, default=0.5,
                        help="plateau-anneal and schedule: decay length / epochs (schedule's anneal_fraction)")
    parser.add_argument("--seed", type=int, default=0, help="the networks' random_state (the folds' seed is 0)")
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--features", choices=FEATURES, default="hog",
                        help="HOG of the deskewed digit: cells of 4 and 7 pixels, or 3, 4 and 7 (the SVM's finer HOG), "
                             "or those through a PCA to 100 components (the SVM's features)")
    args = parser.parse_args()
    F, y = training_features(args)
    print(f"{len(y)} training rows, {F.shape[1]} features", flush=True)
    summary(run(F, y, args))


if __name__ == "__main__":
    main()
