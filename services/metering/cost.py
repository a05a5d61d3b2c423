"""The seed's calculateCost in Decimal: cost = prompt/1e6 * input + completion/1e6 * output;
billed = cost * (1 + billed_markup). Prices are USD per million tokens (radiant.registry.v1.ModelPricing)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from radiant.registry.v1 import registry_pb2

from services.runtime.pricing import parse_price

MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class Cost:
    cost: Decimal
    billed: Decimal


def _price(pricing: registry_pb2.ModelPricing, field: str) -> Decimal:
    raw = getattr(pricing, field)
    return parse_price(f"pricing.{field}", raw) if raw.strip() else Decimal(0)


def calculate_cost(prompt_tokens: int, completion_tokens: int, pricing: registry_pb2.ModelPricing) -> Cost:
    """Exact (no rounding at all here; the ledger rounds to 12 places when it stores)."""
    input_price = _price(pricing, "input_per_million")
    output_price = _price(pricing, "output_per_million")
    markup = _price(pricing, "billed_markup")
    with localcontext() as ctx:
        ctx.prec = 60
        cost = Decimal(prompt_tokens) / MILLION * input_price + Decimal(completion_tokens) / MILLION * output_price
        billed = cost * (1 + markup)
    return Cost(cost, billed)
