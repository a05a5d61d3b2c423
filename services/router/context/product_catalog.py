"""Product-catalogue context provider (the seed's MCP product search): the tenant's catalogue entries whose name,
category, brand or description share words with the user's latest message, best matches first."""
from __future__ import annotations

import re
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from services.router.models import Product
from services.runtime.db import page, sessionmaker
from services.runtime.timeutil import utcnow

NAME = "product_catalog"
MAX_PRODUCTS = 5
MAX_QUERY_WORDS = 12
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9\-]{2,}")
# PHI placeholders ([PHI_NAME_1]) and words that say nothing about a product.
_STOPWORDS = frozenset("""
the and for with that this what which who whom whose how why when where are was were has have had you your yours our
ours their them they she him her his its it's any all some can could would should will shall may might must not
from into onto about over under than then there here please tell show need want looking recommend recommendation
does did doing done get got give buy best good better more most less much many one two three phi name
""".split())


def query_words(text: str) -> list[str]:
    words: list[str] = []
    for word in _WORD_RE.findall(text.lower()):
        if word not in _STOPWORDS and not word.startswith("phi_") and word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def _score(product: Product, words: list[str]) -> int:
    fields = ((product.name.lower(), 3), (product.category.lower(), 2), (product.brand.lower(), 2),
              (product.description.lower(), 1))
    return sum(weight for word in words for text, weight in fields if word in text)


def _money(value: Decimal | None) -> str:
    return f"${value:.2f}" if value is not None else "price on request"


def describe(product: Product) -> str:
    made_by = ", ".join(x for x in (product.brand, product.category) if x)
    line = f"- {product.name}" + (f" ({made_by})" if made_by else "")
    line += f": {_money(product.price)}, {product.availability}"
    if product.rating is not None:
        line += f", rated {product.rating}/5"
    if product.description:
        line += f". {product.description}"
    return line


class ProductCatalog:
    name = NAME

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.session = sessionmaker(engine)

    async def search(self, tenant_id: str, query: str, limit: int = MAX_PRODUCTS) -> list[Product]:
        words = query_words(query)
        if not words:
            return []
        columns = (Product.name, Product.category, Product.brand, Product.description)
        # Words are [a-z0-9-] only, so they carry no LIKE wildcards.
        match = sa.or_(*(sa.func.lower(c).contains(w, autoescape=True) for w in words for c in columns))
        async with self.session() as s:
            rows = (await s.execute(sa.select(Product).where(Product.tenant_id == tenant_id, match)
                                    .limit(200))).scalars().all()
        ranked = sorted(rows, key=lambda p: (-_score(p, words), p.name))
        return ranked[:limit]

    async def context(self, tenant_id: str, query: str) -> str | None:
        products = await self.search(tenant_id, query)
        if not products:
            return None
        return "Products from the catalogue that match the user's message:\n" + "\n".join(map(describe, products))

    async def close(self) -> None:
        await self.engine.dispose()

    async def list(self, tenant_id: str, limit: int, offset: int) -> tuple[list[Product], int]:
        async with self.session() as s:
            return await page(s, sa.select(Product).where(Product.tenant_id == tenant_id), (Product.product_id,),
                              limit, offset)

    async def get(self, tenant_id: str, product_id: str) -> Product | None:
        async with self.session() as s:
            return (await s.execute(sa.select(Product).where(Product.tenant_id == tenant_id,
                                                             Product.product_id == product_id))).scalar()

    async def delete(self, tenant_id: str, product_id: str) -> bool:
        async with self.session() as s:
            result = await s.execute(sa.delete(Product).where(Product.tenant_id == tenant_id,
                                                              Product.product_id == product_id))
            await s.commit()
            return bool(result.rowcount)

    async def put(self, tenant_id: str, product: dict) -> Product:
        """Create or update one entry (by the tenant's product_id); fields not given keep their values (the admin
        REST PUT sends every field, so it replaces the entry)."""
        fields = {k: product[k] for k in ("name", "category", "brand", "price", "availability", "description",
                                          "rating") if k in product}
        async with self.session() as s:
            row = (await s.execute(sa.select(Product).where(Product.tenant_id == tenant_id,
                                                            Product.product_id == product["product_id"]))).scalar()
            if row is None:
                row = Product(tenant_id=tenant_id, product_id=product["product_id"])
                s.add(row)
            for key, value in fields.items():
                setattr(row, key, value)
            row.updated_at = utcnow()
            await s.commit()
            return row
