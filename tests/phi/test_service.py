"""PhiService over gRPC against real Redis and Postgres/SQLite: policies, mappings (encrypted, TTL, tenant
isolation), re-identification of texts and streams."""
import asyncio

import grpc
import pytest
import redis.asyncio as aioredis

from radiant.phi.v1 import phi_pb2, phi_pb2_grpc
from services.phi.mappings import mapping_key
from services.phi.server import build
from services.phi.settings import Settings
from services.runtime.config import load_settings
from tests.eventually import eventually
from tests.grpc_helpers import internal_channel, error_code

PROMPT = ["Patient John Smith (DOB 03/14/1962) called from 617-555-0134; SSN 123-45-6789.",
          "Please summarise the visit for John Smith."]
ORIGINALS = ["John Smith", "03/14/1962", "617-555-0134", "123-45-6789"]


@pytest.fixture(scope="module")
async def phi(db_url, redis_url):
    settings = load_settings(Settings, database_url=db_url, redis_url=redis_url, env="test")
    running = await build(settings, port=0)
    channel = internal_channel(running.address)
    yield phi_pb2_grpc.PhiServiceStub(channel)
    await channel.close()
    await running.stop(0)


@pytest.fixture(scope="module")
async def raw_redis(redis_url):
    client = aioredis.from_url(redis_url)
    yield client
    await client.aclose()


async def test_sanitize_stores_encrypted_mapping_and_reidentifies(phi, raw_redis, tenant_id):
    resp = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=PROMPT))
    assert resp.applied and resp.mapping_id
    joined = " ".join(resp.texts)
    for value in ORIGINALS:
        assert value not in joined
    assert resp.texts[1] == "Please summarise the visit for [PHI_NAME_1]."
    assert dict(resp.category_counts) == {"NAME": 2, "DOB": 1, "PHONE": 1, "SSN": 1}
    # Raw Redis holds ciphertext only, under a tenant-scoped key with a TTL (default policy: 24 h).
    key = mapping_key(tenant_id, resp.mapping_id)
    blob = await eventually(lambda: raw_redis.get(key), bool)   # written just after the response
    assert blob and b"[PHI_" not in blob   # not even the placeholders are readable
    for value in ORIGINALS:
        assert value.encode() not in blob
    assert 23 * 3600 < await raw_redis.ttl(key) <= 24 * 3600

    back = await phi.Reidentify(phi_pb2.ReidentifyRequest(tenant_id=tenant_id, mapping_id=resp.mapping_id,
                                                          texts=list(resp.texts), for_response=True))
    assert list(back.texts) == PROMPT and back.replaced == 5


async def test_mapping_copied_under_another_tenant_does_not_decrypt(phi, raw_redis, tenant_id):
    resp = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=PROMPT))
    blob = await eventually(lambda: raw_redis.get(mapping_key(tenant_id, resp.mapping_id)), bool)
    await raw_redis.set(mapping_key("intruder", resp.mapping_id), blob, ex=60)
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await phi.Reidentify(phi_pb2.ReidentifyRequest(tenant_id="intruder", mapping_id=resp.mapping_id,
                                                       texts=["[PHI_NAME_1]"], for_response=True))
    assert exc.value.code() == grpc.StatusCode.INTERNAL and "John" not in exc.value.details()


async def test_other_tenant_and_unknown_mapping_get_not_found(phi, tenant_id):
    resp = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=PROMPT))
    for tenant, mapping in (("someone-else", resp.mapping_id), (tenant_id, "0" * 32)):
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await phi.Reidentify(phi_pb2.ReidentifyRequest(tenant_id=tenant, mapping_id=mapping, texts=["x"],
                                                           for_response=True))
        assert exc.value.code() == grpc.StatusCode.NOT_FOUND and error_code(exc.value) == "NOT_FOUND"


async def test_mapping_expires_with_tenant_ttl(phi, raw_redis, tenant_id):
    await phi.PutPolicy(phi_pb2.PutPolicyRequest(policy=phi_pb2.PhiPolicy(
        tenant_id=tenant_id, mode=phi_pb2.PHI_MODE_AUTO,
        reidentification=phi_pb2.ReidentificationPolicy(allowed=True, mapping_ttl_hours=1))))
    resp = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=PROMPT))
    key = mapping_key(tenant_id, resp.mapping_id)
    assert 3500 < await eventually(lambda: raw_redis.ttl(key), lambda t: t > 0) <= 3600
    await raw_redis.pexpire(key, 1)   # fast-forward the clock for this key
    await asyncio.sleep(0.05)
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await phi.Reidentify(phi_pb2.ReidentifyRequest(tenant_id=tenant_id, mapping_id=resp.mapping_id,
                                                       texts=["[PHI_NAME_1]"], for_response=True))
    assert exc.value.code() == grpc.StatusCode.NOT_FOUND


async def test_stream_reidentification_over_grpc(phi, tenant_id):
    resp = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=PROMPT))
    answer = f"Summary for {resp.texts[1].split()[-1][:-1]}: call [PHI_PHONE_1]."

    async def requests():
        yield phi_pb2.ReidentifyStreamRequest(start=phi_pb2.StreamStart(tenant_id=tenant_id,
                                                                        mapping_id=resp.mapping_id))
        for i in range(0, len(answer), 3):
            yield phi_pb2.ReidentifyStreamRequest(chunk=phi_pb2.StreamChunk(channel=0, text=answer[i:i + 3]))

    out = "".join([m.text async for m in phi.ReidentifyStream(requests())])
    assert out == "Summary for John Smith: call 617-555-0134."


async def test_policy_validation_and_round_trip(phi, tenant_id):
    default = await phi.GetPolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant_id))
    assert default.is_default and default.mode == phi_pb2.PHI_MODE_AUTO
    assert default.categories["NAME"] and not default.categories["DIAGNOSIS"]
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await phi.PutPolicy(phi_pb2.PutPolicyRequest(policy=phi_pb2.PhiPolicy(
            tenant_id=tenant_id, categories={"NAMES": True},
            reidentification=phi_pb2.ReidentificationPolicy(mapping_ttl_hours=100000))))
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "categories" in exc.value.details() or error_code(exc.value) == "VALIDATION_ERROR"
    saved = await phi.PutPolicy(phi_pb2.PutPolicyRequest(policy=phi_pb2.PhiPolicy(
        tenant_id=tenant_id, mode=phi_pb2.PHI_MODE_AUTO, categories={"PHONE": False, "DIAGNOSIS": True},
        secrets_action=phi_pb2.SECRETS_ACTION_REJECT)))
    assert not saved.is_default and not saved.categories["PHONE"] and saved.categories["DIAGNOSIS"]
    resp = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=["John Smith 617-555-0134"]))
    assert "617-555-0134" in resp.texts[0] and "John Smith" not in resp.texts[0]
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=["token ghp_" + "a1B2" * 9]))
    assert error_code(exc.value) == "SENSITIVE_DATA_DETECTED"
    reset = await phi.DeletePolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant_id))
    assert reset.is_default


async def test_request_may_add_categories_but_not_drop_protection(phi, tenant_id):
    text = ["Dx: type 2 diabetes mellitus for John Smith"]
    plain = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=text))
    wider = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=text, options=phi_pb2.SanitizeOptions(
        categories=["DIAGNOSIS"])))
    assert "DIAGNOSIS" not in plain.category_counts and wider.category_counts["DIAGNOSIS"] >= 1
    # Naming fewer categories does not switch off the tenant's: NAME is still replaced.
    narrow = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=text, options=phi_pb2.SanitizeOptions(
        categories=["EMAIL"])))
    assert "John Smith" not in narrow.texts[0]
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=text, options=phi_pb2.SanitizeOptions(
            enable_phi=False)))
    assert exc.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=text, options=phi_pb2.SanitizeOptions(
            categories=["HAIR_COLOUR"])))
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_manual_and_disabled_modes(phi, tenant_id):
    text = ["John Smith, SSN 123-45-6789, key AKIAIOSFODNN7EXAMPLE"]
    await phi.PutPolicy(phi_pb2.PutPolicyRequest(policy=phi_pb2.PhiPolicy(tenant_id=tenant_id,
                                                                         mode=phi_pb2.PHI_MODE_MANUAL)))
    off = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=text))
    assert not off.applied and "123-45-6789" in off.texts[0]
    assert "AKIAIOSFODNN7EXAMPLE" not in off.texts[0]   # secrets are guarded in every mode
    on = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=text,
                                                    options=phi_pb2.SanitizeOptions(enable_phi=True)))
    assert on.applied and "123-45-6789" not in on.texts[0]
    await phi.PutPolicy(phi_pb2.PutPolicyRequest(policy=phi_pb2.PhiPolicy(tenant_id=tenant_id,
                                                                         mode=phi_pb2.PHI_MODE_DISABLED)))
    disabled = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=text))
    assert disabled.mode == phi_pb2.PHI_MODE_DISABLED and "John Smith" in disabled.texts[0]


async def test_reidentification_policy(phi, tenant_id):
    resp = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=PROMPT))
    req = phi_pb2.ReidentifyRequest(tenant_id=tenant_id, mapping_id=resp.mapping_id, texts=["[PHI_NAME_1]"])
    with pytest.raises(grpc.aio.AioRpcError) as exc:   # default policy: standalone use needs approval
        await phi.Reidentify(req)
    assert exc.value.code() == grpc.StatusCode.PERMISSION_DENIED
    req.caller_is_admin = True
    assert (await phi.Reidentify(req)).texts == ["John Smith"]
    await phi.PutPolicy(phi_pb2.PutPolicyRequest(policy=phi_pb2.PhiPolicy(
        tenant_id=tenant_id, reidentification=phi_pb2.ReidentificationPolicy(allowed=False))))
    req.for_response = True
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await phi.Reidentify(req)
    assert exc.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_bad_requests_are_named(phi, tenant_id):
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id="", texts=["x"]))
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "tenant_id" in exc.value.details()


async def test_sanitize_returns_the_restore_map_only_when_reidentification_is_allowed(phi, tenant_id):
    resp = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=PROMPT))
    assert dict(resp.restore) == {"[PHI_NAME_1]": "John Smith", "[PHI_DOB_1]": "03/14/1962",
                                  "[PHI_PHONE_1]": "617-555-0134", "[PHI_SSN_1]": "123-45-6789"}
    await phi.PutPolicy(phi_pb2.PutPolicyRequest(policy=phi_pb2.PhiPolicy(
        tenant_id=tenant_id, reidentification=phi_pb2.ReidentificationPolicy(allowed=False))))
    resp = await phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=PROMPT))
    assert not resp.restore and not resp.reidentify_allowed
