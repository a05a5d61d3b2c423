"""The product catalogue's table on both supported databases (Postgres in deployment, SQLite embedded): migrated by
the router, searched per tenant, replaced and deleted by product id."""
from __future__ import annotations

import uuid
from decimal import Decimal

from services.router.context.product_catalog import ProductCatalog
from services.router.models import open_database
from services.router.settings import Settings
from services.runtime.config import load_settings


async def test_catalogue_round_trip(db_url):
    catalogue = ProductCatalog(open_database(load_settings(Settings, database_url=db_url)))
    mine, theirs = f"t-{uuid.uuid4().hex[:10]}", f"t-{uuid.uuid4().hex[:10]}"
    try:
        await catalogue.put(mine, {"product_id": "gm-1", "name": "Glucose Meter", "price": Decimal("19.50"),
                                   "rating": Decimal("4.2"), "description": "Fast 5-second readings"})
        await catalogue.put(mine, {"product_id": "st-2", "name": "Test Strips", "category": "Glucose supplies"})
        await catalogue.put(theirs, {"product_id": "gm-1", "name": "Other Glucose Meter"})

        found = await catalogue.search(mine, "Do you have a glucose meter with fast readings?")
        assert [p.product_id for p in found] == ["gm-1", "st-2"]  # name match outranks category match
        assert found[0].price == Decimal("19.50") and found[0].rating == Decimal("4.2")
        assert await catalogue.search(mine, "the and [PHI_NAME_1]") == []

        replaced = await catalogue.put(mine, {"product_id": "gm-1", "name": "Glucose Meter Pro",
                                              "availability": "limited"})
        assert (replaced.name, replaced.availability) == ("Glucose Meter Pro", "limited")
        rows, total = await catalogue.list(mine, limit=1, offset=0)
        assert total == 2 and [p.product_id for p in rows] == ["gm-1"]

        assert await catalogue.delete(mine, "gm-1") is True
        assert await catalogue.delete(mine, "gm-1") is False
        assert [p.name for p in await catalogue.search(theirs, "glucose meter")] == ["Other Glucose Meter"]
    finally:
        await catalogue.close()
