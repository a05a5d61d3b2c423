"""RecordUsage: exact Decimal cost and billed amount, idempotency by request_id, validation, listing."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_EVEN, Decimal

import grpc
import pytest
from radiant.metering.v1 import metering_pb2 as pb
from radiant.registry.v1 import registry_pb2

from tests.metering.helpers import expect_error, usage

M = Decimal(1_000_000)
TWELVE_PLACES = Decimal("1e-12")


@pytest.mark.parametrize("prompt, completion, inp, out, markup", [
    (1234, 567, "0.50", "1.50", "0.20"),
    (1, 0, "2.50", "10.00", "0"),
    (7, 13, "0.15", "0.60", "0.20"),
    (1_000_000, 1_000_000, "3.00", "15.00", "0.25"),
    (987_654_321, 123_456_789, "0.0375", "0.000001", "1.5"),
    (0, 0, "0.50", "1.50", "0.20"),
])
async def test_cost_and_billed_are_exact(metering, tenant_id, prompt, completion, inp, out, markup):
    pricing = registry_pb2.ModelPricing(input_per_million=inp, output_per_million=out, billed_markup=markup)
    rec = await metering.RecordUsage(usage(tenant_id, prompt, completion, pricing=pricing))
    cost = Decimal(prompt) / M * Decimal(inp) + Decimal(completion) / M * Decimal(out)
    billed = cost * (1 + Decimal(markup))
    assert Decimal(rec.cost) == cost
    # The ledger keeps 12 decimal places (1e-12 USD), rounding half-even only beyond that.
    assert Decimal(rec.billed_amount) == billed.quantize(TWELVE_PLACES, rounding=ROUND_HALF_EVEN)
    if billed == billed.quantize(TWELVE_PLACES):
        assert Decimal(rec.billed_amount) == billed
    assert (rec.input_tokens, rec.output_tokens, rec.total_tokens) == (prompt, completion, prompt + completion)
    assert "e" not in rec.cost.lower() and "e" not in rec.billed_amount.lower()  # plain decimal strings


async def test_worked_example(metering, tenant_id):
    rec = await metering.RecordUsage(usage(tenant_id, 1234, 567))
    assert (rec.cost, rec.billed_amount) == ("0.0014675", "0.001761")


async def test_explicit_total_is_kept(metering, tenant_id):
    req = usage(tenant_id, 10, 20)
    req.usage.total_tokens = 35  # e.g. reasoning tokens counted by the provider
    assert (await metering.RecordUsage(req)).total_tokens == 35


async def test_same_request_id_is_recorded_once(metering, tenant_id):
    req = usage(tenant_id, 100, 200)
    first = await metering.RecordUsage(req)
    again = usage(tenant_id, 999, 999, request_id=req.request_id)  # a retry with different numbers
    second = await metering.RecordUsage(again)
    assert second == first
    listed = await metering.ListUsageRecords(pb.ListUsageRecordsRequest(tenant_id=tenant_id))
    assert [r.id for r in listed.records] == [first.id]


async def test_client_request_id_is_kept_for_correlation_and_never_deduplicates(metering, tenant_id):
    """The idempotency key is the gateway's id; the client's X-Request-Id is stored as it came, and may repeat."""
    rows = [await metering.RecordUsage(usage(tenant_id, client_request_id="client-7", key_id="k1", uncounted=i == 1))
            for i in range(3)]
    assert len({r.id for r in rows}) == 3
    assert [(r.client_request_id, r.key_id, r.uncounted) for r in rows] == [
        ("client-7", "k1", False), ("client-7", "k1", True), ("client-7", "k1", False)]
    listed = await metering.ListUsageRecords(pb.ListUsageRecordsRequest(tenant_id=tenant_id))
    assert sorted(r.request_id for r in listed.records) == sorted(r.request_id for r in rows)


async def test_concurrent_duplicates_are_recorded_once(metering, tenant_id):
    req = usage(tenant_id, 100, 200)
    results = await asyncio.gather(*(metering.RecordUsage(req) for _ in range(12)))
    assert len({r.id for r in results}) == 1
    now = datetime.now(timezone.utc)
    report = await metering.GetUsageReport(pb.UsageReportRequest(
        tenant_id=tenant_id, start={"seconds": int((now - timedelta(hours=1)).timestamp())},
        end={"seconds": int((now + timedelta(hours=1)).timestamp())}))
    assert report.total_requests == 1 and Decimal(report.total_cost) == Decimal(results[0].cost)


async def test_request_id_of_another_tenant_is_a_conflict(metering, tenant_id):
    req = usage(tenant_id)
    await metering.RecordUsage(req)
    other = usage(f"{tenant_id}-other", request_id=req.request_id)
    err = await expect_error(metering.RecordUsage(other), grpc.StatusCode.ALREADY_EXISTS)
    assert tenant_id not in err.message


async def test_validation(metering, tenant_id):
    def bad(**changes):
        req = usage(tenant_id)
        for key, value in changes.items():
            if key == "pricing":
                req.pricing.CopyFrom(value)
            elif key.startswith("usage."):
                setattr(req.usage, key.split(".", 1)[1], value)
            else:
                setattr(req, key, value)
        return req

    cases = [
        (bad(request_id=""), "request_id"),
        (bad(tenant_id=" "), "tenant_id"),
        (bad(model_id=""), "model_id"),
        (bad(**{"usage.prompt_tokens": -1}), "usage.prompt_tokens"),
        (bad(**{"usage.completion_tokens": -5}), "usage.completion_tokens"),
        (bad(pricing=registry_pb2.ModelPricing(input_per_million="abc")), "pricing.input_per_million"),
        (bad(pricing=registry_pb2.ModelPricing(output_per_million="-1")), "pricing.output_per_million"),
        (bad(pricing=registry_pb2.ModelPricing(billed_markup="Infinity")), "pricing.billed_markup"),
        (bad(latency_ms=-1), "latency_ms"),
    ]
    for request, field in cases:
        err = await expect_error(metering.RecordUsage(request), grpc.StatusCode.INVALID_ARGUMENT)
        assert err.code == "VALIDATION_ERROR" and field in err.details, (field, err.details)
    no_pricing = usage(tenant_id)
    no_pricing.ClearField("pricing")
    err = await expect_error(metering.RecordUsage(no_pricing), grpc.StatusCode.INVALID_ARGUMENT)
    assert "pricing" in err.details
    listed = await metering.ListUsageRecords(pb.ListUsageRecordsRequest(tenant_id=tenant_id))
    assert listed.page.total == 0


async def test_list_usage_newest_first_paginated_and_tenant_scoped(metering, tenant_id):
    base = datetime(2031, 3, 1, tzinfo=timezone.utc)
    ids = [(await metering.RecordUsage(usage(tenant_id, at=base + timedelta(minutes=i)))).id for i in range(5)]
    await metering.RecordUsage(usage(f"{tenant_id}-other", at=base))
    seen, token = [], ""
    while True:
        page = await metering.ListUsageRecords(pb.ListUsageRecordsRequest(
            tenant_id=tenant_id, page={"page_size": 2, "page_token": token}))
        assert page.page.total == 5
        assert all(r.tenant_id == tenant_id for r in page.records)
        seen.extend(r.id for r in page.records)
        token = page.page.next_page_token
        if not token:
            break
    assert seen == ids[::-1]
    windowed = await metering.ListUsageRecords(pb.ListUsageRecordsRequest(
        tenant_id=tenant_id, start={"seconds": int((base + timedelta(minutes=1)).timestamp())},
        end={"seconds": int((base + timedelta(minutes=3)).timestamp())}))
    assert [r.id for r in windowed.records] == [ids[2], ids[1]]
    none = await metering.ListUsageRecords(pb.ListUsageRecordsRequest(tenant_id=f"t-{uuid.uuid4().hex}"))
    assert none.page.total == 0 and not none.records
    await expect_error(metering.ListUsageRecords(pb.ListUsageRecordsRequest()), grpc.StatusCode.INVALID_ARGUMENT)
