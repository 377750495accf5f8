"""The benchmark's pictures, drawn with matplotlib and saved as PNG."""

import io

import matplotlib

matplotlib.use("Agg")  # files only, no display needed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter  # noqa: E402
from sklearn.metrics import ConfusionMatrixDisplay  # noqa: E402


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def pareto_front(cost, error):
    """Positions of the points that no other point beats on both cost and error.

    Parameters
    ----------
    cost, error : array-like of shape (n_points,)
        Lower is better for both.

    Returns
    -------
    front : ndarray of int
        The positions of the Pareto-optimal points, cheapest first.

    Examples
    --------
    >>> from skdigits.benchmark.report._plots import pareto_front
    >>> pareto_front([1, 2, 3, 4], [0.10, 0.05, 0.07, 0.01]).tolist()
    [0, 1, 3]
    """
    cost, error = np.asarray(cost, dtype=float), np.asarray(error, dtype=float)
    front, best = [], np.inf
    for i in np.lexsort((error, cost)):
        if error[i] < best:
            front.append(int(i))
            best = error[i]
    return np.array(front, dtype=int)


def error_vs_fit_time(table):
    """Test error against fit time (log axis), 95% intervals, Pareto front marked."""
    ok = table[(table["status"] == "ok") & (table["fit_time_s"] > 0)].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 4.8))
    cost, errors = ok["fit_time_s"].to_numpy(float), 100 * ok["test_error"].to_numpy(float)
    low = errors - 100 * ok["error_ci_low"].to_numpy(float)
    high = 100 * ok["error_ci_high"].to_numpy(float) - errors
    front = pareto_front(cost, errors)
    on_front = np.isin(np.arange(len(ok)), front)
    ax.errorbar(cost, errors, yerr=[low, high], fmt="none", ecolor="#999999", capsize=3, zorder=1)
    ax.scatter(cost[~on_front], errors[~on_front], s=40, color="#8fa8c8", zorder=2, label="dominated")
    ax.scatter(cost[on_front], errors[on_front], s=70, color="#c44e52", zorder=3,
               label="Pareto front: no model is both faster and more accurate")
    ax.step(cost[front], errors[front], where="post", color="#c44e52", alpha=0.6, zorder=2)
    labels = {}
    for x, y, name in zip(cost, errors, ok["family"], strict=True):  # models at the same point share a label
        labels.setdefault((round(float(np.log10(x)), 2), round(float(y), 2)), (x, y, []))[2].append(name)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    if len(cost):
        ax.set_xlim(cost.min() / 2, cost.max() * 3)
    ax.set_ylim(0, 1.1 * max(errors + high, default=1))
    _label_points(ax, list(labels.values()))
    ax.set_xlabel("fit time of the final model on the training set (s, log scale)")
    ax.set_ylabel("test error (%), 95% Wilson interval")
    ax.set_title("Test error against fit time")
    ax.grid(True, which="both", alpha=0.25)
    ax.legend(fontsize=8, loc="best")
    return _png(fig)


def _label_points(ax, points, min_gap=13):
    """Name each point, moving a label down while it would overlap one already placed."""
    placed = []
    for x, y, names in sorted(points, key=lambda p: (-p[1], p[0])):
        px, py = ax.transData.transform((x, y))
        offset = 4
        while any(abs(px - qx) < 70 and abs(py + offset - qy) < min_gap for qx, qy in placed):
            offset -= min_gap
        placed.append((px, py + offset))
        ax.annotate(", ".join(names), (x, y), xytext=(7, offset), textcoords="offset points", fontsize=9)


def mcnemar_matrix(mcnemar, order, alpha=0.05):
    """Family-by-family matrix of McNemar tests, coloured by Holm-adjusted p-value.

    Significant cells (adjusted p below ``alpha``) are outlined and starred;
    the cell of row A and column B says which of the two made fewer errors
    where they disagree.
    """
    n = len(order)
    index = {name: i for i, name in enumerate(order)}
    p = np.full((n, n), np.nan)
    text = np.full((n, n), "", dtype=object)
    for r in mcnemar.itertuples():
        i, j = index[r.model_a], index[r.model_b]
        p[i, j] = p[j, i] = r.p_holm
        mark = "*" if r.p_holm < alpha else ""
        text[i, j] = text[j, i] = f"{r.p_holm:.2g}{mark}"
    size = max(3.5, 0.9 * n + 1.5)
    fig, ax = plt.subplots(figsize=(size + 1.2, size))
    image = ax.imshow(np.clip(p, 1e-12, 1), cmap="Blues_r", norm=LogNorm(vmin=1e-6, vmax=1))
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            significant = p[i, j] < alpha
            ax.text(j, i, text[i, j], ha="center", va="center", fontsize=8,
                    color="white" if p[i, j] < 1e-3 else "black",
                    fontweight="bold" if significant else "normal")
            if significant:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#c44e52", lw=2))
    ax.set_xticks(range(n), order, rotation=45, ha="right")
    ax.set_yticks(range(n), order)
    fig.colorbar(image, ax=ax, shrink=0.8, label="Holm-adjusted p-value (log scale)")
    ax.set_title(f"Are two models' errors different? (* and outlined: significant at {alpha:.0%})",
                 fontsize=10)
    return _png(fig)


def confusion(title, y_true, y_pred, labels):
    """The confusion matrix of one model on the test set."""
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, labels=labels, ax=ax, colorbar=False, cmap="Blues"
    )
    ax.set(xlabel="predicted digit", ylabel="true digit")
    ax.set_title(title, fontsize=10)
    return _png(fig)


def misclassified(title, images, y_true, y_pred, image_shape=(28, 28)):
    """A grid of misclassified test digits with their true and predicted labels.

    The digits are tiled into one image (one ``imshow``, not one axes per
    digit: eight times faster to draw), each labelled above its tile.
    """
    n_cols, pad = 8, 2
    height, width = image_shape
    n_rows = max(1, -(-len(images) // n_cols))
    tile_h, tile_w = height + 3 * pad + 6, width + 2 * pad  # room above each digit for its label
    mosaic = np.zeros((n_rows * tile_h, n_cols * tile_w))
    fig, ax = plt.subplots(figsize=(n_cols * 0.8, n_rows * 1.0 + 0.5))
    for k, (image, truth, pred) in enumerate(zip(images, y_true, y_pred, strict=False)):
        top, left = (k // n_cols) * tile_h + tile_h - height - pad, (k % n_cols) * tile_w + pad
        mosaic[top:top + height, left:left + width] = np.asarray(image, dtype=float).reshape(image_shape)
        ax.text(left + width / 2, top - pad, f"{truth} → {pred}", ha="center", va="bottom",
                fontsize=8, color="#b22222")
    ax.imshow(mosaic, cmap="gray_r", interpolation="nearest")
    ax.axis("off")
    if not len(images):
        ax.text(0, tile_h / 2, "no test digit misclassified", fontsize=10)
    fig.suptitle(title, fontsize=10)
    return _png(fig)


def training_curves(title, history):
    """Per-epoch loss and accuracy of one Keras model's final fit."""
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.2))
    epochs = np.arange(1, len(history["loss"]) + 1)
    ax_loss.plot(epochs, history["loss"], marker="o", label="training")
    if "accuracy" in history:
        ax_acc.plot(epochs, history["accuracy"], marker="o", label="training")
    # Held-out rows may be scored for the first epochs only (the 'plateau' schedule anneals on every row).
    if "val_loss" in history:
        ax_loss.plot(epochs[:len(history["val_loss"])], history["val_loss"], "--", marker="o", label="validation")
    if "val_accuracy" in history:
        ax_acc.plot(epochs[:len(history["val_accuracy"])], history["val_accuracy"], "--", marker="o",
                    label="validation")
    ax_loss.set(xlabel="epoch", ylabel="loss (log scale)", yscale="log")
    ax_acc.set(xlabel="epoch", ylabel="accuracy")
    for ax in (ax_loss, ax_acc):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(True, alpha=0.25)
    ax_loss.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax_loss.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax_loss.legend(fontsize=8)
    if ax_acc.lines:
        ax_acc.legend(fontsize=8)
    else:  # a network of the user's, compiled without metrics
        ax_acc.text(0.5, 0.5, "no accuracy recorded:\ncompile with metrics=['accuracy']", ha="center",
                    va="center", transform=ax_acc.transAxes, fontsize=9, color="#555555")
    fig.suptitle(title, fontsize=10)
    return _png(fig)


def errors_side_by_side(comparison, runs):
    """Each family's test error in each run, with 95% intervals, one colour per run."""
    families = list(dict.fromkeys(comparison["family"]))
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(families) * max(1, len(runs) / 2) + 1.5))
    step = 0.7 / max(1, len(runs))
    for k, run in enumerate(runs):
        rows = comparison[comparison["run"] == run].set_index("family").reindex(families)
        y = np.arange(len(families)) - 0.35 + step * (k + 0.5)
        error = 100 * rows["test_error"].to_numpy(float)
        low = error - 100 * rows["error_ci_low"].to_numpy(float)
        high = 100 * rows["error_ci_high"].to_numpy(float) - error
        ax.errorbar(error, y, xerr=[low, high], fmt="o", capsize=3, label=run)
    ax.set_yticks(range(len(families)), families)
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.set_xlabel("test error (%), 95% Wilson interval")
    ax.set_title("Test error of each family in each run")
    ax.grid(True, axis="x", alpha=0.25)
    ax.legend(fontsize=8, loc="best")
    return _png(fig)


def schedule_rows(entries):
    """The schedule's processes, ``(host, pid)``, in the order they started, each with its row's label.

    A pid names a process on one machine only: on a cluster of several,
    the label names the machine too.
    """
    processes = list(dict.fromkeys((e.get("host"), e["pid"]) for e in entries))
    one_machine = len({host for host, _ in processes}) <= 1
    return {(host, pid): f"process {pid}" if one_machine else f"{host}, process {pid}" for host, pid in processes}


def schedule(entries):
    """When each fit ran, one row per worker process: a bar per fit, coloured by family.

    ``entries`` as ``results.json``'s ``meta.schedule`` (``family``,
    ``phase``, ``host``, ``pid``, ``start_s``, ``seconds``): the search's
    fits are drawn pale, the refits and the fits for the ensemble solid.
    """
    processes = schedule_rows(entries)
    families = list(dict.fromkeys(e["family"] for e in entries))
    colours = dict(zip(families, plt.get_cmap("tab10").colors * (len(families) // 10 + 1), strict=False))
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(processes) + 1.6))
    rows = list(processes)
    for entry in entries:
        row = rows.index((entry.get("host"), entry["pid"]))
        ax.broken_barh([(entry["start_s"], max(entry["seconds"], 0.05))], (row - 0.38, 0.76),
                       facecolor=colours[entry["family"]], alpha=0.45 if entry["phase"] == "cv" else 1.0,
                       edgecolor="white", linewidth=0.4)
    ax.set_yticks(range(len(rows)), list(processes.values()))
    ax.invert_yaxis()
    ax.set_xlabel("seconds into the run")
    ax.set_xlim(left=0)
    ax.legend(handles=[Rectangle((0, 0), 1, 1, color=colours[f]) for f in families], labels=families,
              loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)
