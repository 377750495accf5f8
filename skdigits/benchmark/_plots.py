"""The benchmark's pictures, drawn with matplotlib and saved as PNG."""

import io

import matplotlib

matplotlib.use("Agg")  # files only, no display needed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.metrics import ConfusionMatrixDisplay  # noqa: E402


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def error_rates(table):
    """Horizontal bars of test error with their 95% intervals, best on top."""
    ok = table[table["status"] == "ok"].sort_values("test_error", ascending=False)
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(ok) + 1.2))
    errors = 100 * ok["test_error"].to_numpy()
    low = errors - 100 * ok["error_ci_low"].to_numpy()
    high = 100 * ok["error_ci_high"].to_numpy() - errors
    ax.barh(ok["family"], errors, xerr=[low, high], color="#4c72b0", capsize=4)
    for y, (e, top) in enumerate(zip(errors, errors + high)):
        ax.text(top, y, f"  {e:.2f}%", va="center", ha="left", fontsize=8)
    ax.set_xlim(0, (errors + high).max() * 1.15)
    ax.set_xlabel("test error (%), with 95% Wilson interval")
    ax.set_title("Test error by model family")
    return _png(fig)


def confusion(family, y_true, y_pred, labels):
    """The confusion matrix of one model on the test set."""
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, labels=labels, ax=ax, colorbar=False, cmap="Blues"
    )
    ax.set_title(f"{family}: confusion matrix")
    return _png(fig)


def misclassified(family, images, y_true, y_pred, image_shape=(28, 28), n_max=40):
    """A grid of the first misclassified test digits, true and predicted labels."""
    wrong = np.flatnonzero(y_true != y_pred)[:n_max]
    n_cols = 10
    n_rows = max(1, -(-len(wrong) // n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(n_cols * 1.1, n_rows * 1.3))
    for ax in np.ravel(axes):
        ax.axis("off")
    for ax, i in zip(np.ravel(axes), wrong):
        ax.imshow(np.asarray(images[i]).reshape(image_shape), cmap="gray_r")
        ax.set_title(f"{y_true[i]} → {y_pred[i]}", fontsize=8, color="#b22222")
    fig.suptitle(f"{family}: misclassified test digits (true → predicted)", fontsize=10)
    return _png(fig)


def training_curves(histories):
    """Per-epoch loss and accuracy of the Keras models' final fits."""
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.5))
    for family, history in histories.items():
        epochs = np.arange(1, len(history["loss"]) + 1)
        ax_loss.plot(epochs, history["loss"], label=f"{family} train")
        ax_acc.plot(epochs, history["accuracy"], label=f"{family} train")
        if "val_loss" in history:
            ax_loss.plot(epochs, history["val_loss"], "--", label=f"{family} validation")
            ax_acc.plot(epochs, history["val_accuracy"], "--", label=f"{family} validation")
    ax_loss.set(xlabel="epoch", ylabel="loss", yscale="log", title="Training loss")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="Training accuracy")
    ax_loss.legend(fontsize=8)
    ax_acc.legend(fontsize=8)
    return _png(fig)
