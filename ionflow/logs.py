"""Send a step's messages (stdout, stderr, Python logging, warnings) to its log file."""

from __future__ import annotations

import contextlib
import logging


@contextlib.contextmanager
def log_to(path: str):
    """Redirect everything a step prints to ``path`` (appending) for the duration of the block.

    An exception is logged with its traceback before it propagates, so the log explains a
    failed job.
    """
    with open(path, "a", buffering=1) as handle, contextlib.redirect_stdout(handle), contextlib.redirect_stderr(handle):
        handler = logging.StreamHandler(handle)
        logging.basicConfig(
            level=logging.INFO, handlers=[handler], force=True, format="%(asctime)s %(levelname)s %(message)s"
        )
        logging.captureWarnings(True)
        try:
            yield logging.getLogger("ionflow")
        except Exception:
            logging.getLogger("ionflow").exception("step failed")
            raise
