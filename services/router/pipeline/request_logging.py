"""One request-log record around a call made outside the HTTP middleware (the gRPC RouterService, GraphQL): the
taxonomy's HTTP status of the error the caller gets, or 499 when the caller went away before an answer."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from services.router.pipeline import request_record
from services.runtime.errors import RadiantError


@dataclass
class Progress:
    # Set once the first item of a streamed answer went out: a later disconnect keeps the 200 that was sent.
    sent: bool = False


@contextmanager
def logged(pipeline, surface: str, operation: str, stream: bool = False) -> Iterator[Progress]:
    record = request_record.begin(surface, operation, stream=stream)
    progress = Progress()

    def finish(status: int, disconnected: bool = False) -> None:
        out = record.finish(status, disconnected)
        if out is not None and pipeline.request_log is not None:
            pipeline.request_log.publish(out)

    try:
        yield progress
    except RadiantError as err:
        request_record.note_error(err)
        finish(err.http_status)
        raise
    except (asyncio.CancelledError, GeneratorExit):
        finish(200 if progress.sent else 0, disconnected=True)
        raise
    except Exception:
        finish(500)
        raise
    else:
        finish(200)
