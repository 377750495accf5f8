"""Any folder of MNIST-format IDX files, and the integrity checks on them."""

import gzip

import numpy as np
import pytest
from conftest import write_idx

from skdigits.datasets import DataFileError, load_idx
from skdigits.datasets._idx import read_idx


def test_folder_loads_with_pixels_flattened(idx_folder):
    X, y = load_idx(idx_folder, return_X_y=True)
    assert X.shape == (42, 20)
    assert X.dtype == np.uint8
    assert y[:4].tolist() == ["0", "1", "2", "0"]
    train = read_idx(idx_folder / "train-images-idx3-ubyte")
    np.testing.assert_array_equal(X[:30], train.reshape(30, 20))


def test_feature_names_follow_the_image_size(idx_folder):
    bunch = load_idx(idx_folder, split="test", as_frame=True)
    assert bunch.data.shape == (12, 20)
    assert bunch.feature_names[-1] == "pixel20"


def test_gzipped_and_alternative_names_load_the_same(idx_folder, tmp_path_factory):
    other = tmp_path_factory.mktemp("renamed")
    for path in idx_folder.iterdir():
        name = path.name.replace("t10k", "test").replace("-idx", ".idx") + ".gz"
        (other / name).write_bytes(gzip.compress(path.read_bytes()))
    X_plain, y_plain = load_idx(idx_folder, return_X_y=True)
    X_gz, y_gz = load_idx(other, return_X_y=True)
    np.testing.assert_array_equal(X_plain, X_gz)
    np.testing.assert_array_equal(y_plain, y_gz)


def test_missing_folder_says_what_it_needs(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder.*four IDX files"):
        load_idx(tmp_path / "nowhere")


def test_truncated_payload_is_refused_with_the_file_named(idx_folder):
    path = idx_folder / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-7])
    with pytest.raises(DataFileError, match=r"train-images-idx3-ubyte: the file is truncated"):
        load_idx(idx_folder)


def test_truncated_header_is_refused(idx_folder):
    path = idx_folder / "t10k-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes()[:6])
    with pytest.raises(DataFileError, match="truncated inside its header"):
        load_idx(idx_folder, split="test")


def test_trailing_bytes_are_refused(idx_folder):
    path = idx_folder / "train-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes() + b"\x00\x01")
    with pytest.raises(DataFileError, match="longer than its header says"):
        load_idx(idx_folder, split="train")


def test_bad_magic_number_is_refused(idx_folder):
    path = idx_folder / "train-images-idx3-ubyte"
    path.write_bytes(b"PK\x03\x04" + path.read_bytes()[4:])
    with pytest.raises(DataFileError, match="bad magic number 0x504b0304"):
        load_idx(idx_folder)


def test_swapped_files_are_refused(idx_folder):
    images = idx_folder / "train-images-idx3-ubyte"
    labels = idx_folder / "train-labels-idx1-ubyte"
    content = images.read_bytes()
    images.write_bytes(labels.read_bytes())
    labels.write_bytes(content)
    with pytest.raises(DataFileError, match="declares 1 dimensions, expected 3"):
        load_idx(idx_folder)


def test_corrupt_gzip_stream_is_refused(idx_folder):
    path = idx_folder / "t10k-images-idx3-ubyte"
    compressed = bytearray(gzip.compress(path.read_bytes()))
    compressed[12:20] = b"\xff" * 8
    path.unlink()
    (idx_folder / "t10k-images-idx3-ubyte.gz").write_bytes(bytes(compressed))
    with pytest.raises(DataFileError, match=r"t10k-images-idx3-ubyte\.gz: the gzip stream"):
        load_idx(idx_folder, split="test")


def test_images_and_labels_of_different_counts_are_refused(idx_folder):
    write_idx(idx_folder / "t10k-labels-idx1-ubyte", np.zeros(11, dtype=np.uint8))
    with pytest.raises(DataFileError, match="holds 11 labels but t10k-images-idx3-ubyte holds 12"):
        load_idx(idx_folder)


def test_splits_of_different_image_sizes_are_refused(idx_folder):
    write_idx(idx_folder / "t10k-images-idx3-ubyte", np.zeros((12, 4, 4), dtype=np.uint8))
    with pytest.raises(DataFileError, match="training images have 20 pixels but test images have 16"):
        load_idx(idx_folder)


def test_read_idx_handles_wider_types(tmp_path):
    values = np.arange(6, dtype=">i4").reshape(2, 3)
    path = tmp_path / "ints-idx2"
    path.write_bytes(bytes([0, 0, 0x0C, 2]) + (2).to_bytes(4, "big") + (3).to_bytes(4, "big") + values.tobytes())
    array = read_idx(path)
    assert array.dtype == np.dtype("int32") and array.dtype.isnative
    np.testing.assert_array_equal(array, values)
