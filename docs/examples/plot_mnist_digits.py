"""
The MNIST digits shipped with skdigits
======================================

:func:`skdigits.datasets.load_mnist` reads the 70,000 digits shipped inside
the package, in the schema of OpenML's ``mnist_784``: one row of 784 pixel
values (0-255) per image, labels as strings. No network is needed.
"""

import matplotlib.pyplot as plt
import numpy as np

from skdigits.datasets import load_train_test

X_train, X_test, y_train, y_test = load_train_test()
print(X_train.shape, X_test.shape, X_train.dtype)
print("labels:", np.unique(y_train))

# %%
# Each row folds back into a 28 x 28 image. The first two of each digit in
# the test set:

fig, axes = plt.subplots(2, 10, figsize=(8, 2))
for digit in range(10):
    rows = np.flatnonzero(y_test == str(digit))[:2]
    for ax, row in zip(axes[:, digit], rows, strict=False):
        ax.imshow(X_test[row].reshape(28, 28), cmap="gray_r")
        ax.set_axis_off()
    axes[0, digit].set_title(str(digit))
fig.suptitle("MNIST test digits")
plt.show()

# %%
# The classes are close to balanced:

counts = {label: int(np.sum(y_train == label)) for label in np.unique(y_train)}
print(counts)
