"""Runs retention periodically in the metering process (each replica tries; the lock lets one run at a time)."""
from __future__ import annotations

import asyncio
import logging
import random

from services.metering.request_log.retention import Retention

log = logging.getLogger("radiant.metering")


async def run_periodically(retention: Retention, interval: float) -> None:
    # Replicas started together spread their runs.
    await asyncio.sleep(random.uniform(0, min(interval, 60)))
    while True:
        try:
            result = await retention.run()
            if result.dropped:
                log.info("request-log retention run", extra={"partitions_dropped": len(result.dropped),
                                                             "records_archived": result.archived_records})
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - the next run retries; nothing was dropped unarchived
            log.error("request-log retention run failed", extra={"error_type": type(exc).__name__})
        await asyncio.sleep(interval)
