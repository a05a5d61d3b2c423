"""One active operator: two operator processes against one KMock share a coordination.k8s.io Lease; only the holder
scales. When the leader is killed (SIGKILL: no chance to release the Lease), the standby takes over once the Lease
expires, and nothing is scaled twice."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import pytest
from radiant.registry.v1 import registry_pb2 as pb

from tests.conftest import REPO_ROOT
from tests.eventually import eventually
from tests.harness import free_port
from tests.operator.conftest import LEASES, NAMESPACE

LEASE = "radiant-operator"


async def _value(v):
    return v


@pytest.fixture
def spawn(backends, cluster, tmp_path):
    procs: dict[str, subprocess.Popen] = {}

    def start(identity: str) -> subprocess.Popen:
        env = {**os.environ, "RADIANT_ENV": "test", "RADIANT_GRPC_PORT": str(free_port()),
               "RADIANT_REGISTRY_ADDR": backends.registry_addr, "RADIANT_METERING_ADDR": backends.metering_addr,
               "RADIANT_OPERATOR_DRIVERS": "kubernetes", "RADIANT_OPERATOR_KUBECONFIG": str(cluster.kubeconfig),
               "RADIANT_OPERATOR_NAMESPACE": NAMESPACE, "RADIANT_OPERATOR_POD_NAME": identity,
               "RADIANT_OPERATOR_LEASE_NAME": LEASE, "RADIANT_OPERATOR_LEASE_SECONDS": "3",
               "RADIANT_OPERATOR_LEASE_RETRY_SECONDS": "0.3", "RADIANT_OPERATOR_RESYNC_SECONDS": "1",
               "RADIANT_OPERATOR_CONVERGE_SECONDS": "0.3", "PYTHONPATH": str(REPO_ROOT)}
        log = open(tmp_path / f"{identity}.log", "wb")  # noqa: SIM115 - closed with the process
        procs[identity] = subprocess.Popen([sys.executable, "-m", "services.operator"], env=env, stdout=log,
                                           stderr=subprocess.STDOUT, cwd=REPO_ROOT)
        return procs[identity]

    yield start
    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _holder(cluster) -> str:
    key = (LEASES, NAMESPACE, LEASE)
    if key not in cluster.km.objects or cluster.km.objects[key].deleted:
        return ""
    return (cluster.km.objects[key].get("spec") or {}).get("holderIdentity") or ""


async def test_only_the_leader_scales_and_the_standby_takes_over_when_it_dies(backends, cluster, spawn):
    model = await backends.model("WARM", min_i=1, max_i=2)
    name = model.deployment.name
    cluster.deployment(name, 0)
    operators = {"operator-a": spawn("operator-a"), "operator-b": spawn("operator-b")}
    leader = await eventually(lambda: _value(_holder(cluster)), lambda h: h in operators, timeout=30)
    assert leader in operators
    await eventually(lambda: _value(cluster.replicas(name)), lambda n: n == 1, timeout=30)
    # Both run resyncs, but only the leader acts: one scale call, and it stays the only one.
    await eventually(lambda: _value(None), lambda _: False, timeout=2.5)
    assert len(cluster.scale_calls(name)) == 1 and _holder(cluster) == leader

    operators[leader].send_signal(signal.SIGKILL)
    await asyncio.to_thread(operators[leader].wait, 10)
    standby = next(n for n in operators if n != leader)
    await eventually(lambda: _value(_holder(cluster)), lambda h: h == standby, timeout=30)
    lease = cluster.km.objects[LEASES, NAMESPACE, LEASE]["spec"]
    assert lease["holderIdentity"] == standby and int(lease["leaseTransitions"]) >= 1
    await backends.set_state(model, pb.THERMAL_STATE_HOT)
    await eventually(lambda: _value(cluster.replicas(name)), lambda n: n == 2, timeout=30)
    await eventually(lambda: _value(None), lambda _: False, timeout=2.0)
    # The new leader found the Deployment already at 1 (no second call for it) and made only the HOT change.
    assert [c.data["spec"]["replicas"] for c in cluster.scale_calls(name)] == [1, 2]


async def test_a_leader_that_stops_hands_the_lease_over_at_once(backends, cluster, spawn):
    operators = {"operator-a": spawn("operator-a")}
    await eventually(lambda: _value(_holder(cluster)), lambda h: h == "operator-a", timeout=30)
    operators["operator-b"] = spawn("operator-b")
    operators["operator-a"].terminate()  # SIGTERM: graceful, releases the Lease
    # Waited for in a thread: KMock runs on this event loop and must keep answering meanwhile.
    assert await asyncio.to_thread(operators["operator-a"].wait, 15) == 0
    released = cluster.km.objects[LEASES, NAMESPACE, LEASE]
    # Released (holder cleared) or already taken by the standby, well before a 3 s lease would have expired.
    assert (released.get("spec") or {}).get("holderIdentity") in ("", "operator-b")
    await eventually(lambda: _value(_holder(cluster)), lambda h: h == "operator-b", timeout=30)
