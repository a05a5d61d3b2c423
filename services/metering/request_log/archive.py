"""Expired request-log partitions archived to the S3 audit bucket (boto3) before they are dropped: one gzip'd JSON
Lines object per tenant and partition, `<prefix>tenant=<tenant>/expires=<YYYY-MM-DD>/<partition>.jsonl.gz`, encrypted
with the bucket's KMS key (the bucket policy refuses anything else). Writing the same partition again (a run that
stopped between upload and drop) writes the same keys with the same content."""
from __future__ import annotations

import asyncio
import gzip
import tempfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from decimal import Decimal

import boto3
import orjson

from services.runtime.pricing import decimal_str

_SPOOL_BYTES = 16 * 1024 * 1024  # past this a tenant's object is spooled to disk (and uploaded in parts)


@dataclass(frozen=True)
class ArchiveTarget:
    bucket: str
    prefix: str = "request-logs/"
    kms_key_id: str = ""
    endpoint_url: str = ""
    region: str = ""


class Archive:
    def __init__(self, target: ArchiveTarget, client: Any = None) -> None:
        self.target = target
        self.client = client or boto3.client("s3", endpoint_url=target.endpoint_url or None,
                                             region_name=target.region or None)

    def key(self, tenant_id: str, day: date, partition: str) -> str:
        return f"{self.target.prefix}tenant={tenant_id or '_none'}/expires={day.isoformat()}/{partition}.jsonl.gz"

    def writer(self, tenant_id: str, day: date, partition: str) -> "TenantObject":
        return TenantObject(self, self.key(tenant_id, day, partition))

    def _extra(self) -> dict[str, str]:
        if not self.target.kms_key_id:
            return {}
        return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": self.target.kms_key_id}


def _plain(value: Any) -> str:
    """Money as plain decimal strings ("0.0035"), like the API answers it."""
    return decimal_str(value) if isinstance(value, Decimal) else str(value)


class TenantObject:
    """One tenant's records of one partition, gzip'd as they are written, uploaded on close."""

    def __init__(self, archive: Archive, key: str) -> None:
        self.archive = archive
        self.key = key
        self.records = 0
        self._file = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
        self._gzip = gzip.GzipFile(fileobj=self._file, mode="wb", mtime=0)

    def write(self, record: dict[str, Any]) -> None:
        self._gzip.write(orjson.dumps(record, default=_plain) + b"\n")
        self.records += 1

    async def close(self) -> None:
        self._gzip.close()
        self._file.seek(0)
        try:
            await asyncio.to_thread(self.archive.client.upload_fileobj, self._file, self.archive.target.bucket,
                                    self.key, ExtraArgs={"ContentType": "application/x-ndjson",
                                                         "ContentEncoding": "gzip", **self.archive._extra()})
        finally:
            self._file.close()
