"""Spare each run the 0.2 s pandas import that pyarrow would do to probe for pandas objects.

pyarrow imports pandas on first use, to recognise pandas objects passed to it;
tagaudit passes none. While `no_pandas()` is active, `import pandas` fails fast
and pyarrow carries on without it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


class _Blocker:
    """A meta path finder that refuses `pandas`."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("tagaudit does not use pandas")


@contextmanager
def no_pandas() -> Iterator[None]:
    if "pandas" in sys.modules:  # already paid for
        yield
        return
    blocker = _Blocker()
    sys.meta_path.insert(0, blocker)
    try:
        yield
    finally:
        sys.meta_path.remove(blocker)
