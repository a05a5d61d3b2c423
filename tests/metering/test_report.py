"""GetUsageReport: totals and a (provider, model) breakdown for one tenant over [start, end)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import grpc
from radiant.metering.v1 import metering_pb2 as pb
from radiant.registry.v1 import registry_pb2

from services.runtime.timeutil import to_ts
from tests.metering.helpers import DEMO_PRICING, expect_error, usage

START = datetime(2030, 1, 1, tzinfo=timezone.utc)
END = datetime(2030, 2, 1, tzinfo=timezone.utc)
M = Decimal(1_000_000)
PRICEY = registry_pb2.ModelPricing(input_per_million="3.00", output_per_million="15.00", billed_markup="0.10")


def _cost(prompt: int, completion: int, pricing: registry_pb2.ModelPricing) -> tuple[Decimal, Decimal]:
    cost = (Decimal(prompt) / M * Decimal(pricing.input_per_million)
            + Decimal(completion) / M * Decimal(pricing.output_per_million))
    return cost, cost * (1 + Decimal(pricing.billed_markup))


def _report(tenant_id: str, start: datetime = START, end: datetime = END) -> pb.UsageReportRequest:
    return pb.UsageReportRequest(tenant_id=tenant_id, start=to_ts(start), end=to_ts(end))


async def test_totals_and_breakdown_for_one_tenant_only(metering, tenant_id):
    other = f"{tenant_id}-other"
    mine = [(1234, 567, "model-a", "provider-a", DEMO_PRICING), (100, 50, "model-a", "provider-a", DEMO_PRICING),
            (2000, 1000, "model-b", "provider-b", PRICEY)]
    for i, (p, c, model, provider, pricing) in enumerate(mine):
        await metering.RecordUsage(usage(tenant_id, p, c, model_id=model, provider_id=provider, pricing=pricing,
                                         at=START + timedelta(days=i)))
    # The other tenant uses the same models in the same window, and a third model we never use.
    await metering.RecordUsage(usage(other, 5000, 5000, model_id="model-a", provider_id="provider-a",
                                     at=START + timedelta(days=2)))
    await metering.RecordUsage(usage(other, 10, 10, model_id="model-z", provider_id="provider-z", at=START))

    report = await metering.GetUsageReport(_report(tenant_id))
    assert report.tenant_id == tenant_id
    assert report.period == "2030-01-01T00:00:00Z/2030-02-01T00:00:00Z"
    a = [_cost(p, c, pr) for p, c, _, _, pr in mine[:2]]
    b = _cost(*mine[2][:2], PRICEY)
    assert report.total_requests == 3
    assert Decimal(report.total_cost) == a[0][0] + a[1][0] + b[0]
    assert Decimal(report.total_billed) == a[0][1] + a[1][1] + b[1]
    rows = [(r.provider_id, r.model_id, r.requests, r.input_tokens, r.output_tokens, Decimal(r.cost),
             Decimal(r.billed)) for r in report.breakdown]
    assert rows == [
        ("provider-a", "model-a", 2, 1334, 617, a[0][0] + a[1][0], a[0][1] + a[1][1]),
        ("provider-b", "model-b", 1, 2000, 1000, b[0], b[1]),
    ]

    theirs = await metering.GetUsageReport(_report(other))
    assert theirs.total_requests == 2
    assert {r.model_id for r in theirs.breakdown} == {"model-a", "model-z"}
    assert [r.requests for r in theirs.breakdown if r.model_id == "model-a"] == [1]


async def test_window_is_start_inclusive_end_exclusive(metering, tenant_id):
    tick = timedelta(microseconds=1)
    for at, prompt in [(START - tick, 1), (START, 10), (END - tick, 100), (END, 1000)]:
        await metering.RecordUsage(usage(tenant_id, prompt, 0, at=at))
    report = await metering.GetUsageReport(_report(tenant_id))
    assert report.total_requests == 2
    assert report.breakdown[0].input_tokens == 110
    shifted = await metering.GetUsageReport(_report(tenant_id, START - tick, START))
    assert shifted.total_requests == 1 and shifted.breakdown[0].input_tokens == 1


async def test_empty_report(metering, tenant_id):
    report = await metering.GetUsageReport(_report(tenant_id))
    assert (report.total_requests, report.total_cost, report.total_billed, list(report.breakdown)) == (0, "0", "0", [])


async def test_bad_windows(metering, tenant_id):
    err = await expect_error(metering.GetUsageReport(_report(tenant_id, END, START)), grpc.StatusCode.INVALID_ARGUMENT)
    assert "start" in err.details
    await expect_error(metering.GetUsageReport(_report(tenant_id, START, START)), grpc.StatusCode.INVALID_ARGUMENT)
    err = await expect_error(metering.GetUsageReport(pb.UsageReportRequest(tenant_id=tenant_id, start=to_ts(START))),
                             grpc.StatusCode.INVALID_ARGUMENT)
    assert "end" in err.details
    err = await expect_error(metering.GetUsageReport(_report("")), grpc.StatusCode.INVALID_ARGUMENT)
    assert "tenant_id" in err.details
