"""Process settings a long-running Havn server applies once it has started."""

from __future__ import annotations

import gc

# Young objects are collected after this many allocations instead of 700: a caseload request
# allocates hundreds of thousands, and each extra collection walks the young heap.
YOUNG_GENERATION_THRESHOLD = 50_000


def settle_heap() -> None:
    """Moves what start-up built (schema, models, routes) out of the garbage collector's reach.

    Measured on a 50-child caseload: full collections over ~300,000 long-lived objects paused
    requests for 150-175 ms every few requests; frozen, they are never scanned again.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)
