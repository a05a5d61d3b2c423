"""Conversation sessions (/api/v2/sessions)."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
