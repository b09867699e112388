"""Reading numpy files safely from several threads.

numpy parses every .npy header with ``ast.literal_eval``, and CPython 3.11's ``ast`` keeps its recursion
counter per interpreter, not per thread: two threads loading at once can fail with
``SystemError: AST constructor recursion depth mismatch`` (CPython gh-106905). Every numpy load in the
product goes through the one lock here, so a question's BM25 load never races an upload's.
"""

from __future__ import annotations

import threading
from typing import IO, TYPE_CHECKING

import numpy as np
from scipy import sparse

if TYPE_CHECKING:
    from pathlib import Path

_HEADER_LOCK = threading.Lock()


def load_npz_matrix(path: Path) -> sparse.csc_matrix:
    """A sparse matrix saved with ``scipy.sparse.save_npz``, as CSC."""
    with _HEADER_LOCK:
        return sparse.load_npz(path).tocsc()


def load_array(source: IO[bytes]) -> np.ndarray:
    """A dense array saved with ``np.save`` (never pickled objects)."""
    with _HEADER_LOCK:
        return np.load(source, allow_pickle=False)
