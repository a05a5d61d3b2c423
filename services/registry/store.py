"""Registry data access. Providers and models are global (not tenant data): the catalogue every tenant routes to."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry.models import Model, Provider
from services.runtime.db import dialect_insert, page, sessionmaker
from sqlalchemy.exc import IntegrityError

from services.runtime.errors import ConflictError, NotFoundError
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

    async def apply_declared(self, providers: Sequence[dict[str, Any]],
                             models: Sequence[dict[str, Any]]) -> tuple[list[str], list[str]]:
        """Upsert declared catalogue rows by name (catalogue_file.py): insert the new ones, overwrite those whose
        declared_hash differs, leave the rest alone. Model rows name their provider (`provider_name`). Returns the ids
        of the providers and models written. One transaction: a bad entry leaves the catalogue as it was."""
        now = utcnow()
        written: tuple[list[str], list[str]] = ([], [])
        async with self.sessions.begin() as session:
            for table, rows, out in ((Provider, providers, written[0]), (Model, models, written[1])):
                for declared in rows:
                    row = dict(declared)
                    if table is Model:
                        provider = row.pop("provider_name")
                        row["provider_id"] = await session.scalar(sa.select(Provider.id).where(Provider.name == provider))
                        if row["provider_id"] is None:
                            raise NotFoundError(f"model {row['name']!r} names provider {provider!r}, which does not "
                                                "exist", details={"provider": [f"no provider named {provider!r}"]})
                    current = await session.scalar(sa.select(table).where(table.name == row["name"]))
                    if current is None:
                        stmt = self._insert(table).values(**row, created_at=now, updated_at=now)
                        result = await session.execute(stmt.on_conflict_do_nothing())
                        if result.rowcount:
                            out.append(row["id"])
                    elif current.declared_hash != row["declared_hash"]:
                        for key, value in row.items():
                            if key != "id":
                                setattr(current, key, value)
                        current.updated_at = now
                        out.append(current.id)
        return written

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
            return await page(session, sa.select(Provider).where(*conds), (Provider.name, Provider.id), limit, offset)

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

    async def create_provider(self, row: dict[str, Any]) -> Provider:
        now = utcnow()
        provider = Provider(**row, created_at=now, updated_at=now)
        async with self.sessions() as session:
            if await session.get(Provider, row["id"]) is not None or await session.scalar(
                    sa.select(Provider.id).where(Provider.name == row["name"])) is not None:
                raise ConflictError(f"A provider named {row['name']!r} already exists",
                                    details={"provider.name": ["already in use"]})
            session.add(provider)
            try:
                await session.commit()
            except IntegrityError:
                raise ConflictError(f"A provider named {row['name']!r} already exists",
                                    details={"provider.name": ["already in use"]}) from None
        return provider

    async def delete_provider(self, provider_id: str) -> tuple[Provider, bool]:
        """Remove a provider without models; deprecate one that has models (they keep referring to it)."""
        async with self.sessions.begin() as session:
            row = await session.get(Provider, provider_id, with_for_update=True)
            if row is None:
                raise NotFoundError(f"Provider {provider_id} not found",
                                    details={"id": [f"no provider {provider_id!r}"]})
            models = await session.scalar(sa.select(sa.func.count()).select_from(Model)
                                          .where(Model.provider_id == provider_id))
            if models:
                row.status, row.updated_at = "deprecated", utcnow()
                return row, False
            await session.delete(row)
        return row, True

    # --- models --------------------------------------------------------------
    async def create_model(self, row: dict[str, Any]) -> Model:
        now = utcnow()
        model = Model(**row, created_at=now, updated_at=now)
        async with self.sessions() as session:
            if await session.get(Model, row["id"]) is not None or await session.scalar(
                    sa.select(Model.id).where(Model.name == row["name"])) is not None:
                raise ConflictError(f"A model named {row['name']!r} already exists",
                                    details={"model.name": ["already in use"]})
            session.add(model)
            try:
                await session.commit()
            except IntegrityError:
                raise ConflictError(f"A model named {row['name']!r} already exists",
                                    details={"model.name": ["already in use"]}) from None
        return model

    async def delete_model(self, model_id: str, in_use: bool) -> tuple[Model, bool]:
        """Remove a model nobody uses; deprecate one in use (in_use, or in another model's fallback chain)."""
        async with self.sessions.begin() as session:
            row = await session.get(Model, model_id, with_for_update=True)
            if row is None:
                raise NotFoundError(f"Model {model_id} not found", details={"id": [f"no model with id {model_id!r}"]})
            chains = await session.scalars(sa.select(Model.fallback_models).where(Model.id != model_id))
            if in_use or any(row.name in (chain or []) for chain in chains):
                now = utcnow()
                row.status, row.updated_at = "deprecated", now
                row.deprecation_date = row.deprecation_date or now.date().isoformat()
                return row, False
            await session.delete(row)
        return row, True

    async def list_models(self, flt: ModelFilter, limit: int, offset: int) -> tuple[list[Model], int]:
        conds = _where({Model.provider_id: flt.provider_id, Model.specialty: flt.specialty, Model.status: flt.status,
                        Model.type: flt.type, Model.supports_vision: flt.supports_vision,
                        Model.supports_streaming: flt.supports_streaming, Model.thermal_state: flt.thermal_state})
        async with self.sessions() as session:
            return await page(session, sa.select(Model).where(*conds), (Model.display_name, Model.id), limit, offset)

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
