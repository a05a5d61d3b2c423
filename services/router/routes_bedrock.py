"""AWS Bedrock Converse API (/model/{modelId}/converse, /converse-stream)."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
