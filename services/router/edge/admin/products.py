"""Admin REST for the product catalogue behind the product-catalogue context provider
(/api/v2/admin/context/products), the caller's tenant's (a super admin may name another with ?tenant_id=). Reading
needs an admin role; changing entries needs admin or super_admin. Every change is audited with before / after."""
from __future__ import annotations

import time
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from services.router.context.product_catalog import NAME as CATALOGUE, ProductCatalog
from services.router.edge.admin import audit_trail
from services.router.edge.admin.context import AdminContext, TenantParam, admin
from services.router.models import Product
from services.router.edge.v2 import envelope
from services.runtime.errors import NotFoundError

router = APIRouter(prefix="/api/v2/admin/context/products")

ProductId = Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$")


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]


class ProductBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Text = Field(min_length=1, max_length=200)
    category: Text = Field("", max_length=100)
    brand: Text = Field("", max_length=100)
    price: Decimal | None = Field(None, ge=0, lt=Decimal("1e10"), decimal_places=2)
    availability: Literal["in-stock", "limited", "out-of-stock"] = "in-stock"
    description: Text = Field("", max_length=2000)
    rating: Decimal | None = Field(None, ge=0, le=5, decimal_places=1)


def _catalogue(pipeline) -> ProductCatalog:
    return pipeline.context.providers[CATALOGUE]


def _json(p: Product) -> dict:
    return {"productId": p.product_id, "name": p.name, "category": p.category, "brand": p.brand,
            "price": str(p.price) if p.price is not None else None, "availability": p.availability,
            "description": p.description, "rating": str(p.rating) if p.rating is not None else None,
            "updatedAt": p.updated_at.isoformat()}


@router.get("")
async def list_products(limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0),
                        tenant_id: str | None = TenantParam, ctx: AdminContext = Depends(admin("products.read"))):
    started = time.perf_counter()
    rows, total = await _catalogue(ctx.pipeline).list(ctx.tenant(tenant_id), limit, offset)
    return envelope({"products": [_json(p) for p in rows], "pagination": {
        "limit": limit, "offset": offset, "total": total, "hasMore": offset + len(rows) < total}}, started)


@router.put("/{product_id}")
async def put_product(body: ProductBody, product_id: str = ProductId, tenant_id: str | None = TenantParam,
                      ctx: AdminContext = Depends(admin("products.write"))):
    started = time.perf_counter()
    catalogue, tenant = _catalogue(ctx.pipeline), ctx.tenant(tenant_id)
    before = await catalogue.get(tenant, product_id)
    row = await catalogue.put(tenant, {"product_id": product_id, **body.model_dump()})
    await audit_trail.record(ctx, "product.put", "product", product_id, tenant_id=tenant,
                             before=_json(before) if before is not None else None, after=_json(row))
    return envelope(_json(row), started)


@router.delete("/{product_id}")
async def delete_product(product_id: str = ProductId, tenant_id: str | None = TenantParam,
                         ctx: AdminContext = Depends(admin("products.write"))):
    started = time.perf_counter()
    catalogue, tenant = _catalogue(ctx.pipeline), ctx.tenant(tenant_id)
    before = await catalogue.get(tenant, product_id)
    if before is None or not await catalogue.delete(tenant, product_id):
        raise NotFoundError(f"Product {product_id} not found", details={"product_id": ["no such product"]})
    await audit_trail.record(ctx, "product.delete", "product", product_id, tenant_id=tenant, before=_json(before))
    return envelope({"productId": product_id, "deleted": True}, started)
