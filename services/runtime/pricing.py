"""Model pricing as decimal strings (USD per million tokens or per unit). Pure helpers, no I/O, shared by registry (which
stores prices) and metering (which bills with them), so both read a price the same way."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from services.runtime.errors import ValidationError

# The fields of radiant.registry.v1.ModelPricing (seed DBModelPricing with input/output renamed per million).
PRICE_FIELDS = ("input_per_million", "output_per_million", "per_image", "per_minute_audio", "per_minute_video",
                "per_3d_model", "billed_markup")
# No price or markup in this catalogue comes near this; it keeps a typo ("1e30") from reaching the ledger.
MAX_PRICE = Decimal("1000000")


def parse_price(field: str, value: str) -> Decimal:
    """A non-negative finite decimal string, or a VALIDATION_ERROR naming the field."""
    try:
        dec = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        raise ValidationError(f"{field} is not a decimal number",
                              details={field: [f"not a decimal number: {value!r}"]}) from None
    if not dec.is_finite():
        raise ValidationError(f"{field} must be a finite number", details={field: ["must be a finite number"]})
    if dec < 0:
        raise ValidationError(f"{field} must not be negative", details={field: ["must be >= 0"]})
    if dec > MAX_PRICE:
        raise ValidationError(f"{field} is too large", details={field: [f"must be <= {MAX_PRICE}"]})
    return dec


def decimal_str(dec: Decimal) -> str:
    """Plain notation without exponent or trailing zeros: Decimal("0.001467500000") -> "0.0014675"."""
    text = format(dec, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def normalize_pricing(pricing: dict[str, str], prefix: str = "pricing") -> dict[str, str]:
    """Validate every set price (all problems reported at once) and return the stored form: decimal strings in plain
    notation keeping the caller's precision ("0.50" stays "0.50", "1e3" becomes "1000"); unset fields left out."""
    out: dict[str, str] = {}
    details: dict[str, list[str]] = {}
    for field in PRICE_FIELDS:
        raw = pricing.get(field) or ""
        if raw == "":
            continue
        try:
            out[field] = format(parse_price(f"{prefix}.{field}", raw).copy_abs(), "f")
        except ValidationError as exc:
            details.update(exc.details)
    if details:
        raise ValidationError(f"Invalid {prefix}: {', '.join(details)}", details=details)
    return out
