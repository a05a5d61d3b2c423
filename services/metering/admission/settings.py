"""Admission settings (env RADIANT_<FIELD>), shared by every process that runs metering's admission: metering itself
and the router, which runs it as metering's library. Give both the same values."""
from __future__ import annotations

from pydantic import BaseModel, Field


class AdmissionSettings(BaseModel):
    # A reservation (tokens, worst-case cost, a concurrency slot) never settled, e.g. by a router that crashed
    # mid-request, is given back after this long. Longer than the longest request (streams included).
    admission_reservation_seconds: float = Field(600.0, ge=1, le=86_400)
