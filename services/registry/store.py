"""Registry data access. Providers and models are global (not tenant data): the catalogue every tenant routes to."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry.models import Model, Provider
from services.runtime.db import dialect_insert, sessionmaker
from services.runtime.errors import NotFoundError
from services.runtime.timeutil import utcnow


@dataclass
class ProviderFilter:
    type: str | None = None
    status: str | None = None
    hipaa_compliant: bool | None = None


@dataclass
class ModelFilter:
    provider_id: str | None = None
    specialty: str | None = None
    status: str | None = None
    type: str | None = None
    supports_vision: bool | None = None
    supports_streaming: bool | None = None
    thermal_state: str | None = None


@dataclass
class ModelChanges:
    columns: dict[str, Any] = field(default_factory=dict)
    pricing: dict[str, str] = field(default_factory=dict)
    thermal_config: dict[str, Any] | None = None


def _where(column_values: dict[Any, Any]) -> list[sa.ColumnElement[bool]]:
    return [col == value for col, value in column_values.items() if value is not None]


class RegistryStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.sessions = sessionmaker(engine)
        self._insert = dialect_insert(engine)

    # --- catalogue -----------------------------------------------------------
    async def insert_absent(self, providers: Sequence[dict[str, Any]], models: Sequence[dict[str, Any]]) -> int:
        """Insert catalogue rows whose id and name are both unused; existing rows are never touched. Safe when several
        replicas start at once (ON CONFLICT DO NOTHING). Returns how many rows were inserted."""
        now = utcnow()
        inserted = 0
        async with self.sessions.begin() as session:
            for table, rows in ((Provider, providers), (Model, models)):
                for row in rows:
                    stmt = self._insert(table).values(**row, created_at=now, updated_at=now).on_conflict_do_nothing()
                    result = await session.execute(stmt)
                    inserted += max(result.rowcount or 0, 0)
        return inserted

    async def follow_seeded_url(self, provider_id: str, url: str, key: str) -> bool:
        """Point a seeded provider at a new settings URL, unless its base_url was edited since it was seeded
        (config[key] holds the URL the catalogue last wrote). Returns whether it changed."""
        async with self.sessions.begin() as session:
            row = await session.get(Provider, provider_id, with_for_update=True)
            if row is None or not row.config or key not in row.config:
                return False
            seeded = row.config[key]
            if row.base_url != seeded or seeded == url:
                return False
            row.base_url = url
            row.config = {**row.config, key: url}
            row.updated_at = utcnow()
        return True

    # --- providers -----------------------------------------------------------
    async def list_providers(self, flt: ProviderFilter, limit: int, offset: int) -> tuple[list[Provider], int]:
        conds = _where({Provider.type: flt.type, Provider.status: flt.status,
                        Provider.hipaa_compliant: flt.hipaa_compliant})
        async with self.sessions() as session:
            total = await session.scalar(sa.select(sa.func.count()).select_from(Provider).where(*conds))
            rows = await session.scalars(sa.select(Provider).where(*conds).order_by(Provider.name, Provider.id)
                                         .limit(limit).offset(offset))
            return list(rows), int(total or 0)

    async def all_providers(self) -> list[Provider]:
        async with self.sessions() as session:
            return list(await session.scalars(sa.select(Provider).order_by(Provider.name, Provider.id)))

    async def get_provider(self, provider_id: str) -> Provider:
        async with self.sessions() as session:
            row = await session.get(Provider, provider_id)
        if row is None:
            raise NotFoundError(f"Provider {provider_id} not found", details={"id": [f"no provider {provider_id!r}"]})
        return row

    async def update_provider(self, provider_id: str, columns: dict[str, Any]) -> Provider:
        async with self.sessions.begin() as session:
            row = await session.get(Provider, provider_id, with_for_update=True)
            if row is None:
                raise NotFoundError(f"Provider {provider_id} not found",
                                    details={"id": [f"no provider {provider_id!r}"]})
            for key, value in columns.items():
                setattr(row, key, value)
            row.updated_at = utcnow()
        return row

    # --- models --------------------------------------------------------------
    async def list_models(self, flt: ModelFilter, limit: int, offset: int) -> tuple[list[Model], int]:
        conds = _where({Model.provider_id: flt.provider_id, Model.specialty: flt.specialty, Model.status: flt.status,
                        Model.type: flt.type, Model.supports_vision: flt.supports_vision,
                        Model.supports_streaming: flt.supports_streaming, Model.thermal_state: flt.thermal_state})
        async with self.sessions() as session:
            total = await session.scalar(sa.select(sa.func.count()).select_from(Model).where(*conds))
            rows = await session.scalars(sa.select(Model).where(*conds).order_by(Model.display_name, Model.id)
                                         .limit(limit).offset(offset))
            return list(rows), int(total or 0)

    async def all_models(self) -> list[Model]:
        async with self.sessions() as session:
            return list(await session.scalars(sa.select(Model).order_by(Model.display_name, Model.id)))

    async def get_model(self, model_id: str) -> Model:
        async with self.sessions() as session:
            row = await session.get(Model, model_id)
        if row is None:
            raise NotFoundError(f"Model {model_id} not found", details={"id": [f"no model with id {model_id!r}"]})
        return row

    async def get_model_by_name(self, name: str) -> Model:
        async with self.sessions() as session:
            row = await session.scalar(sa.select(Model).where(Model.name == name))
        if row is None:
            raise NotFoundError(f"Model {name} not found", details={"name": [f"no model named {name!r}"]})
        return row

    async def existing_model_names(self, names: Sequence[str]) -> set[str]:
        if not names:
            return set()
        async with self.sessions() as session:
            return set(await session.scalars(sa.select(Model.name).where(Model.name.in_(list(names)))))

    async def update_model(self, model_id: str, changes: ModelChanges) -> Model:
        async with self.sessions.begin() as session:
            row = await session.get(Model, model_id, with_for_update=True)
            if row is None:
                raise NotFoundError(f"Model {model_id} not found", details={"id": [f"no model with id {model_id!r}"]})
            for key, value in changes.columns.items():
                setattr(row, key, value)
            if changes.pricing:
                row.pricing = {**(row.pricing or {}), **changes.pricing}
            if changes.thermal_config is not None:
                cfg = dict(changes.thermal_config)
                cfg["state"] = cfg.get("state") or row.thermal_state
                row.thermal_config = cfg
                row.thermal_state = cfg["state"]
            elif "thermal_state" in changes.columns and row.thermal_config:
                # Keep the config's state in step with the model's state.
                row.thermal_config = {**row.thermal_config, "state": changes.columns["thermal_state"]}
            row.updated_at = utcnow()
        return row

    async def set_observed(self, model_id: str, observed: dict[str, Any]) -> Model:
        async with self.sessions.begin() as session:
            row = await session.get(Model, model_id, with_for_update=True)
            if row is None:
                raise NotFoundError(f"Model {model_id} not found",
                                    details={"model_id": [f"no model with id {model_id!r}"]})
            row.observed = observed
            row.updated_at = utcnow()
        return row

    async def request_warmup(self, model_id: str) -> Model:
        async with self.sessions.begin() as session:
            row = await session.get(Model, model_id, with_for_update=True)
            if row is None:
                raise NotFoundError(f"Model {model_id} not found",
                                    details={"model_id": [f"no model with id {model_id!r}"]})
            row.warmup_requested_at = row.updated_at = utcnow()
        return row
