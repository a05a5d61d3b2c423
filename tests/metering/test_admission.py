"""metering's admission library on real Redis and on the embedded Redis-compatible server (fakeredis, what `radiant
up` runs): sliding windows, token and cost reservations, settlement, expiry, budgets and their thresholds, which
limit decides, and failing closed."""
from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
import redis.asyncio as aioredis
from fakeredis import TcpFakeServer
from radiant.common.v1 import common_pb2

from services.metering.admission import Admission, billed_pico, estimate
from services.metering.admission.counters import LUA
from services.metering.admission.rules import principal_scopes
from services.metering.money import from_pico, to_pico
from tests.metering.helpers import DEMO_PRICING


@pytest.fixture(scope="module")
def embedded_redis_url():
    server = TcpFakeServer(("127.0.0.1", 0), server_type="redis")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.server_address[1]}/0"
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["redis", "embedded"])
async def redis(request, redis_url):
    url = redis_url if request.param == "redis" else request.getfixturevalue("embedded_redis_url")
    client = aioredis.from_url(url)
    yield client
    await client.aclose()


@pytest.fixture
def admission(redis):
    return Admission(redis, reservation_seconds=600)


def principal(tenant_id: str, *, tenant=None, app=None, user=None, key=None, tier=None, tier_limits=None,
              admit_when_uncounted=False, key_id="k1", user_id="apikey:k1") -> common_pb2.Principal:
    limits = common_pb2.AppliedLimits(admit_when_uncounted=admit_when_uncounted)
    for name, value in (("tenant", tenant), ("app", app), ("user", user), ("key", key), ("tier", tier_limits)):
        if value:
            getattr(limits, name).CopyFrom(common_pb2.Limits(**value))
    if tier:
        limits.key_tier = tier
    return common_pb2.Principal(tenant_id=tenant_id, app_id="default", user_id=user_id, key_id=key_id,
                                tenant_status=common_pb2.TENANT_STATUS_ACTIVE, limits=limits)


def rid() -> str:
    return uuid.uuid4().hex


async def admit(admission, p, tokens=0, cost=0, reservation=None):
    return await admission.admit(p, reservation or rid(), tokens=tokens, cost_pico=cost)


async def test_request_window_admits_exactly_the_limit_then_says_when_to_retry(admission, tenant_id):
    p = principal(tenant_id, key={"requests_per_minute": 5})
    allowed = [await admit(admission, p) for _ in range(5)]
    assert all(d.allowed for d in allowed)
    assert [d.requests.remaining for d in allowed] == [4, 3, 2, 1, 0]
    assert {(d.requests.limit, d.requests.scope, d.requests.dimension) for d in allowed} == {
        (5, "key", "requests_per_minute")}
    denied = await admit(admission, p)
    assert not denied.allowed and denied.code == "RATE_LIMITED"
    # The first request leaves the 60 s window first: retry when it does (not sooner, and not a whole window later).
    assert 58_000 < denied.retry_after_ms <= 60_000
    assert "API key k1" in denied.reason and "5 of 5 requests per minute" in denied.reason
    assert (denied.limited_by.scope, denied.limited_by.dimension) == ("key", "requests_per_minute")
    err = denied.error()
    assert err.http_status == 429 and int(err.headers["Retry-After"]) == 60
    assert err.headers["x-ratelimit-remaining-requests"] == "0" and err.headers["X-RateLimit-Limit"] == "5"
    assert err.headers["x-radiant-limited-by"] == "key.requests_per_minute"


async def test_a_denied_request_consumes_nothing(admission, tenant_id):
    """All or nothing: a request refused by one limit is not counted by the others."""
    p = principal(tenant_id, tenant={"requests_per_hour": 100}, key={"requests_per_minute": 1})
    assert (await admit(admission, p)).allowed
    for _ in range(3):
        assert not (await admit(admission, p)).allowed
    status = await admission.status(p)
    hourly = next(s for s in status.limits if s.dimension == "requests_per_hour")
    assert (hourly.scope, hourly.used, hourly.remaining) == ("tenant", "1", "99")


async def test_the_tightest_limit_decides_and_is_named(admission, tenant_id):
    p = principal(tenant_id, tenant={"requests_per_minute": 100}, app={"requests_per_minute": 50},
                  key={"requests_per_minute": 20}, tier=common_pb2.KEY_TIER_FREE,
                  tier_limits={"requests_per_minute": 3, "requests_per_hour": 100})
    decisions = [await admit(admission, p) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[0].requests.scope == "tier:free" and decisions[0].requests.remaining == 2
    assert decisions[3].limited_by.scope == "tier:free"
    assert "API key k1 (tier free)" in decisions[3].reason
    # The key's own limit is tighter than its tier's on another key: that one decides there.
    q = principal(tenant_id, key={"requests_per_minute": 2}, tier=common_pb2.KEY_TIER_FREE,
                  tier_limits={"requests_per_minute": 10}, key_id="k2", user_id="apikey:k2")
    assert [(await admit(admission, q)).allowed for _ in range(3)] == [True, True, False]
    assert (await admit(admission, q)).limited_by.scope == "key"


async def test_a_tenant_limit_is_shared_by_its_keys(admission, tenant_id):
    a = principal(tenant_id, tenant={"requests_per_minute": 4}, key_id="ka", user_id="apikey:ka")
    b = principal(tenant_id, tenant={"requests_per_minute": 4}, key_id="kb", user_id="apikey:kb")
    results = [(await admit(admission, p)).allowed for p in (a, b, a, b, a, b)]
    assert results == [True, True, True, True, False, False]
    assert (await admit(admission, principal(f"{tenant_id}-other", tenant={"requests_per_minute": 4}))).allowed


async def test_concurrent_admissions_never_exceed_the_limit(admission, tenant_id):
    p = principal(tenant_id, key={"requests_per_minute": 25})
    decisions = await asyncio.gather(*(admit(admission, p) for _ in range(80)))
    assert sum(d.allowed for d in decisions) == 25


async def test_tokens_are_reserved_then_settled_with_the_real_usage(admission, tenant_id):
    p = principal(tenant_id, key={"tokens_per_minute": 1000})
    first = await admit(admission, p, tokens=400, reservation="r1")
    assert first.allowed and first.held and first.tokens.remaining == 600
    assert (await admit(admission, p, tokens=400, reservation="r2")).allowed
    denied = await admit(admission, p, tokens=400)
    assert not denied.allowed and denied.limited_by.dimension == "tokens_per_minute"
    assert 0 < denied.retry_after_ms <= 61_000
    # r1 used only 100 of its 400: the 300 it did not use are free again.
    settled = await admission.settle(principal_scopes(p), "r1", 100, 0)
    assert settled.state == "h"
    again = await admit(admission, p, tokens=400)
    assert again.allowed and again.tokens.remaining == 1000 - 100 - 400 - 400


async def test_a_request_larger_than_a_token_limit_is_a_validation_error(admission, tenant_id):
    p = principal(tenant_id, key={"tokens_per_minute": 1000})
    d = await admission.admit(p, rid(), tokens=1500, cost_pico=0, field="max_completion_tokens")
    assert not d.allowed and d.code == "VALIDATION_ERROR"
    err = d.error()
    assert err.http_status == 400 and "max_completion_tokens" in err.details
    assert "1500 tokens" in d.reason and "1000 tokens per minute" in d.reason


async def test_concurrency_slots_are_given_back_when_settled(admission, tenant_id):
    p = principal(tenant_id, key={"concurrent_requests": 2})
    assert (await admit(admission, p, reservation="a")).allowed
    assert (await admit(admission, p, reservation="b")).allowed
    busy = await admit(admission, p)
    assert not busy.allowed and "concurrent requests" in busy.reason and busy.retry_after_ms == 1000
    await admission.settle(principal_scopes(p), "a", 0, 0)
    assert (await admit(admission, p)).allowed


async def test_reservations_never_settled_expire_and_give_everything_back(redis, tenant_id):
    """A router that crashed mid-request never settles: its slot, tokens and budget come back after the TTL, and a
    settlement arriving later still bills what was used."""
    admission = Admission(redis, reservation_seconds=1)
    p = principal(tenant_id, key={"concurrent_requests": 1, "tokens_per_minute": 1000, "daily_budget": "0.001"})
    cost = to_pico(Decimal("0.0006"))
    assert (await admit(admission, p, tokens=800, cost=cost, reservation="crashed")).allowed
    assert not (await admit(admission, p, tokens=800, cost=cost)).allowed
    await asyncio.sleep(1.1)
    status = await admission.status(p)
    by_dim = {s.dimension: s for s in status.limits}
    assert by_dim["concurrent_requests"].used == "0"
    assert by_dim["tokens_per_minute"].used == "0"
    assert (by_dim["daily_budget"].used, by_dim["daily_budget"].reserved) == ("0", "0")
    late = await admission.settle(principal_scopes(p), "crashed", 50, to_pico(Decimal("0.0002")))
    assert late.state == "e"
    by_dim = {s.dimension: s for s in (await admission.status(p)).limits}
    assert by_dim["tokens_per_minute"].used == "50"
    assert (by_dim["daily_budget"].used, by_dim["daily_budget"].reserved) == ("0.0002", "0")


async def test_budgets_reserve_the_worst_case_and_settle_the_billed_amount(admission, tenant_id):
    p = principal(tenant_id, app={"monthly_budget": "0.01"})
    tokens, worst = estimate(100, 1000, DEMO_PRICING)
    assert worst == to_pico(Decimal("0.00186"))  # (100 x 0.50 + 1000 x 1.50) / 1e6 x 1.2
    admitted = [await admit(admission, p, tokens=tokens, cost=worst, reservation=f"r{i}") for i in range(6)]
    assert [d.allowed for d in admitted] == [True] * 5 + [False]  # 5 x 0.00186 fits in 0.01, a sixth does not
    denied = admitted[-1]
    assert denied.code == "BUDGET_EXCEEDED" and denied.error().http_status == 429
    now = datetime.now(timezone.utc)
    first_of_next = (now.replace(day=1) + timedelta(days=32)).replace(day=1, hour=0, minute=0, second=0,
                                                                      microsecond=0)
    assert denied.resets_at == first_of_next
    assert first_of_next.isoformat().replace("+00:00", "Z") in denied.reason and "app default" in denied.reason
    billed = 0
    for i in range(5):
        real = billed_pico(100, 200, DEMO_PRICING)
        billed += real
        await admission.settle(principal_scopes(p), f"r{i}", 300, real)
    monthly = next(s for s in (await admission.status(p)).limits if s.dimension == "monthly_budget")
    assert Decimal(monthly.used) == from_pico(billed) and monthly.reserved == "0"
    assert (await admit(admission, p, tokens=tokens, cost=worst)).allowed


async def test_a_request_costing_more_than_the_whole_budget_is_a_validation_error(admission, tenant_id):
    p = principal(tenant_id, key={"daily_budget": "0.001"})
    d = await admission.admit(p, rid(), tokens=10, cost_pico=to_pico(Decimal("0.002")))
    assert d.code == "VALIDATION_ERROR" and "more than the whole daily budget of 0.001 USD" in d.reason


async def test_daily_budget_is_spent_until_the_next_utc_midnight(admission, tenant_id):
    p = principal(tenant_id, key={"daily_budget": "0.000001"})
    assert (await admit(admission, p, cost=1_000_000)).allowed  # exactly the budget
    d = await admit(admission, p, cost=1)
    midnight = (datetime.now(timezone.utc) + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    assert d.code == "BUDGET_EXCEEDED" and d.resets_at == midnight
    assert 0 < d.retry_after_ms <= 86_400_000


async def test_budget_thresholds_are_reported_once_each_per_period(admission, tenant_id):
    p = principal(tenant_id, tenant={"monthly_budget": "0.00001"})
    scopes = principal_scopes(p)
    seen = []
    for i, pico in enumerate([4_000_000, 2_000_000, 1_000_000, 500_000, 2_500_000, 1_000_000]):
        reservation = f"r{i}"
        assert (await admit(admission, p, cost=0, reservation=reservation)).allowed
        settled = await admission.settle(scopes, reservation, 1, pico)
        seen += [(t.scope, t.period, t.percent) for t in settled.thresholds]
    # spent 4, 6, 7, 7.5, 10, 11 (x 1e-6 USD) of 10: 50 % passed at the second, 80 and 100 % at the fifth
    assert seen == [("tenant", "monthly", 50), ("tenant", "monthly", 80), ("tenant", "monthly", 100)]
    assert (await admission.settle(scopes, rid(), 1, 1)).thresholds == []


async def test_the_100_percent_threshold_is_also_reported_when_a_request_is_refused(admission, tenant_id):
    p = principal(tenant_id, key={"daily_budget": "0.000002"})
    assert (await admit(admission, p, cost=1_500_000)).allowed
    refused = await admit(admission, p, cost=1_000_000)
    assert refused.code == "BUDGET_EXCEEDED"
    [t] = refused.thresholds
    assert (t.scope, t.scope_id, t.period, t.percent, t.budget) == ("key", "k1", "daily", 100, Decimal("0.000002"))
    assert t.period_id == datetime.now(timezone.utc).date().isoformat()
    assert not (await admit(admission, p, cost=1_000_000)).thresholds


async def test_spend_is_counted_for_every_scope_even_without_budgets(admission, tenant_id):
    """So a budget set mid-month applies to what the month already spent."""
    p = principal(tenant_id)
    await admission.settle(principal_scopes(p), rid(), 10, to_pico(Decimal("0.25")))
    with_budget = principal(tenant_id, tenant={"monthly_budget": "1"})
    monthly = next(s for s in (await admission.status(with_budget)).limits if s.dimension == "monthly_budget")
    assert (monthly.used, monthly.remaining) == ("0.25", "0.75")


async def test_no_limits_means_no_counting(admission, tenant_id):
    d = await admit(admission, principal(tenant_id), tokens=10**9, cost=10**15)
    assert d.allowed and not d.held and d.requests is None and d.tokens is None and d.headers() == {}


async def test_suspended_tenant_is_refused_before_any_counter(admission, tenant_id):
    p = principal(tenant_id, key={"requests_per_minute": 1})
    p.tenant_status = common_pb2.TENANT_STATUS_SUSPENDED
    d = await admit(admission, p)
    assert (d.allowed, d.code) == (False, "FORBIDDEN")
    p.tenant_status = common_pb2.TENANT_STATUS_ACTIVE
    assert (await admit(admission, p)).allowed


async def test_unreachable_counters_fail_closed_unless_the_tenant_admits_uncounted(tenant_id):
    down = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    admission = Admission(down, 600)
    d = await admit(admission, principal(tenant_id, key={"requests_per_minute": 10}))
    assert (d.allowed, d.code) == (False, "SERVICE_UNAVAILABLE")
    assert d.error().http_status == 503 and d.error().headers["Retry-After"] == "1"
    flagged = await admit(admission, principal(tenant_id, key={"requests_per_minute": 10}, admit_when_uncounted=True))
    assert flagged.allowed and flagged.uncounted and flagged.headers()["x-radiant-admission"] == "uncounted"
    await down.aclose()


async def test_headers_use_openai_names_and_formats(admission, tenant_id):
    p = principal(tenant_id, key={"requests_per_minute": 60, "tokens_per_minute": 10_000})
    headers = (await admit(admission, p, tokens=1200)).headers()
    assert headers["x-ratelimit-limit-requests"] == "60" and headers["x-ratelimit-remaining-requests"] == "59"
    assert headers["x-ratelimit-reset-requests"] == "1m0s"
    assert headers["x-ratelimit-limit-tokens"] == "10000" and headers["x-ratelimit-remaining-tokens"] == "8800"
    assert headers["x-ratelimit-reset-tokens"].startswith("1m") and headers["X-RateLimit-Reset"] == "60"


CIVIL_CHECK = """
local out = {}
for i = 1, #ARGV do
  local day = tonumber(ARGV[i])
  local y, m = civil(day)
  out[#out + 1] = string.format('%d-%02d|%d|%d', y, m, day_end(day), month_end(y * 100 + m))
end
return out
"""


async def test_utc_calendar_periods_of_the_script_match_python(redis):
    """The script's own calendar (day and month of a Redis timestamp, and when each ends) over leap years, month
    and year ends, checked against Python's."""
    prelude = LUA[:LUA.index("local today")]
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    days = [(datetime(y, m, d, tzinfo=timezone.utc) - epoch).days for y in (1999, 2000, 2024, 2025, 2100)
            for m, d in ((1, 1), (2, 28), (2, 29) if y % 4 == 0 and y != 2100 else (3, 1), (12, 31), (6, 15))]
    out = [v.decode() for v in await redis.eval(prelude + CIVIL_CHECK, 1, "radiant:adm:{x}", *map(str, days))]
    for day, got in zip(days, out):
        date = epoch + timedelta(days=day)
        month, day_end, month_end = got.split("|")
        next_month = (date.replace(day=1) + timedelta(days=32)).replace(day=1)
        assert month == f"{date.year}-{date.month:02d}"
        assert int(day_end) == int((date + timedelta(days=1)).timestamp() * 1000)
        assert int(month_end) == int(next_month.timestamp() * 1000)
