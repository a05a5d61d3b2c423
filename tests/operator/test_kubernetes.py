"""The operator drives Kubernetes GPU Deployments (KMock, the real kubernetes client): every thermal state of the
table and the transitions between them, warm-up and idle scale-to-zero, a 409 conflict, an API outage, an unlabelled
Deployment left alone, unschedulable pods named in observed.message."""
from __future__ import annotations

import uuid

import kmock
from radiant.registry.v1 import registry_pb2 as pb

from tests.eventually import eventually
from tests.operator.conftest import DEPLOYMENTS, operator_settings


async def _replicas(cluster, name: str, want: int) -> int:
    return await eventually(lambda: _async(cluster.replicas(name)), lambda n: n == want, timeout=20)


async def _async(value):
    return value


async def test_each_thermal_state_gets_its_replicas(backends, cluster, start_operator):
    models = {
        "off": await backends.model("OFF", min_i=1, max_i=3),
        "cold": await backends.model("COLD", min_i=2, max_i=3),
        "warm": await backends.model("WARM", min_i=2, max_i=3),
        "warm0": await backends.model("WARM", min_i=0, max_i=3),
        "hot": await backends.model("HOT", min_i=1, max_i=3),
        "auto": await backends.model("AUTOMATIC", min_i=1, max_i=4),
    }
    models["inactive"] = await backends.model("WARM", min_i=1, max_i=1, status="inactive")
    starting = {"off": 2, "cold": 1, "warm": 0, "warm0": 0, "hot": 1, "auto": 0, "inactive": 1}
    for key, model in models.items():
        cluster.deployment(model.deployment.name, starting[key], ready=starting[key])
    await start_operator(operator_settings(backends, cluster))
    expected = {"off": 0, "cold": 0, "warm": 2, "warm0": 1, "hot": 3, "auto": 1, "inactive": 0}
    for key, want in expected.items():
        assert await _replicas(cluster, models[key].deployment.name, want) == want, key
    off = await backends.observed(models["off"], lambda o: o.phase == "ScaledToZero")
    assert "switched off" in off.message and off.desired_replicas == 0
    hot = await backends.observed(models["hot"], lambda o: o.desired_replicas == 3)
    assert hot.phase == "Scaling" and hot.message.startswith("1/3 ready")
    cluster.set_ready(models["hot"].deployment.name, 3)
    hot = await backends.observed(models["hot"], lambda o: o.phase == "Ready")
    assert hot.ready_replicas == 3 and "HOT" in hot.message


async def test_one_model_through_every_transition(backends, cluster, start_operator):
    model = await backends.model("OFF", min_i=1, max_i=3, target=2)
    name = model.deployment.name
    cluster.deployment(name, 0)
    await start_operator(operator_settings(backends, cluster, operator_scale_to_zero_after_seconds=1.0))
    await backends.observed(model, lambda o: o.phase == "ScaledToZero")

    await backends.set_state(model, pb.THERMAL_STATE_WARM)  # OFF -> WARM
    assert await _replicas(cluster, name, 1) == 1
    await backends.set_state(model, pb.THERMAL_STATE_HOT)  # WARM -> HOT
    assert await _replicas(cluster, name, 3) == 3
    await backends.set_state(model, pb.THERMAL_STATE_COLD)  # HOT -> COLD, never requested: back to 0
    assert await _replicas(cluster, name, 0) == 0
    await backends.registry.RequestWarmup(pb.RequestWarmupRequest(model_id=model.id))  # COLD wakes on demand
    assert await _replicas(cluster, name, 1) == 1
    await backends.set_state(model, pb.THERMAL_STATE_AUTOMATIC)  # AUTOMATIC follows demand: 5 in flight / 2
    requests = [uuid.uuid4().hex for _ in range(5)]
    for rid in requests:
        await backends.demand.started(model.id, rid)
    assert await _replicas(cluster, name, 3) == 3
    for rid in requests:
        await backends.demand.finished(model.id, rid)
    assert await _replicas(cluster, name, 1) == 1  # idle window (1 s) not over: min 1 anyway
    await backends.set_state(model, pb.THERMAL_STATE_AUTOMATIC, min_instances=0)
    assert await _replicas(cluster, name, 0) == 0  # idle and min 0: scaled to zero
    await backends.set_state(model, pb.THERMAL_STATE_HOT)  # AUTOMATIC -> HOT
    assert await _replicas(cluster, name, 3) == 3
    await backends.set_state(model, pb.THERMAL_STATE_OFF)  # HOT -> OFF
    assert await _replicas(cluster, name, 0) == 0
    observed = await backends.observed(model, lambda o: o.phase == "ScaledToZero")
    assert "switched off" in observed.message


async def test_cold_model_wakes_on_warmup_and_goes_back_to_zero_when_idle(backends, cluster, start_operator):
    model = await backends.model("COLD", min_i=0, max_i=2)
    name = model.deployment.name
    cluster.deployment(name, 0)
    await start_operator(operator_settings(backends, cluster, operator_scale_to_zero_after_seconds=1.5))
    await backends.observed(model, lambda o: o.phase == "ScaledToZero")
    await backends.registry.RequestWarmup(pb.RequestWarmupRequest(model_id=model.id))
    assert await _replicas(cluster, name, 1) == 1
    scaling = await backends.observed(model, lambda o: o.desired_replicas == 1)
    assert scaling.phase == "Scaling" and scaling.ready_replicas == 0
    # A request in flight keeps it up past the idle window.
    await backends.demand.started(model.id, "r1")
    cluster.set_ready(name, 1)
    ready = await backends.observed(model, lambda o: o.phase == "Ready")
    assert ready.ready_replicas == 1 and "in flight" in ready.message
    await eventually(lambda: backends.get(model.id), lambda m: False, timeout=2.0)  # longer than the window
    assert cluster.replicas(name) == 1
    await backends.demand.finished(model.id, "r1")
    assert await _replicas(cluster, name, 0) == 0
    cluster.set_ready(name, 0)
    done = await backends.observed(model, lambda o: o.phase == "ScaledToZero")
    assert done.desired_replicas == 0 and "no request for 1.5 s" in done.message


async def test_a_conflict_is_read_again_and_retried(backends, cluster, start_operator):
    model = await backends.model("WARM", min_i=2, max_i=2)
    name = model.deployment.name
    cluster.deployment(name, 0)
    conflicts = []

    def someone_else_scaled(request):
        if conflicts:
            raise NotImplementedError  # later calls: served normally
        conflicts.append(request)
        cluster.km.objects[DEPLOYMENTS, "radiant", name].patch({"spec": {"replicas": 5}})
        return kmock.KubernetesError(status=409, reason="Conflict",
                                     message="the object has been modified; please apply your changes to the latest "
                                             "version and try again")

    cluster.km["patch", DEPLOYMENTS, kmock.subresource("scale")] << someone_else_scaled
    await start_operator(operator_settings(backends, cluster))
    assert await _replicas(cluster, name, 2) == 2
    assert len(conflicts) == 1 and len(cluster.scale_calls(name)) == 2
    observed = await backends.observed(model, lambda o: o.desired_replicas == 2)
    assert observed.phase == "Scaling"


async def test_an_api_outage_is_waited_out_without_failing_the_model(backends, cluster, start_operator):
    model = await backends.model("WARM", min_i=1, max_i=1)
    name = model.deployment.name
    cluster.deployment(name, 0)
    outage = {"on": True, "seen": 0}

    def api_down(request):
        if not outage["on"]:
            raise NotImplementedError
        outage["seen"] += 1
        return kmock.KubernetesError(status=503, reason="ServiceUnavailable", message="etcd is unavailable")

    cluster.km[DEPLOYMENTS] << api_down
    await start_operator(operator_settings(backends, cluster))
    await eventually(lambda: _async(outage["seen"]), lambda n: n >= 3, timeout=20)
    assert cluster.replicas(name) == 0 and cluster.scale_calls(name) == []
    assert not (await backends.get(model.id)).observed.phase  # nothing reported as Failed meanwhile
    outage["on"] = False
    assert await _replicas(cluster, name, 1) == 1


async def test_an_unlabelled_deployment_is_left_alone(backends, cluster, start_operator):
    model = await backends.model("WARM", min_i=1, max_i=1)
    name = model.deployment.name
    cluster.deployment(name, 0, labelled=False)
    await start_operator(operator_settings(backends, cluster))
    observed = await backends.observed(model, lambda o: o.phase == "Failed")
    assert "not labelled radiant.ai/model-id" in observed.message
    runs = (await eventually(lambda: _async(None), lambda _: False, timeout=1.5))  # a resync later
    assert runs is None and cluster.scale_calls(name) == [] and cluster.replicas(name) == 0


async def test_a_missing_deployment_fails_the_model_with_a_clear_message(backends, cluster, start_operator):
    model = await backends.model("WARM", min_i=1, max_i=1, deployment="not-there")
    await start_operator(operator_settings(backends, cluster))
    observed = await backends.observed(model, lambda o: o.phase == "Failed")
    assert "radiant/not-there" in observed.message and "404" in observed.message


async def test_unschedulable_pods_are_named_in_the_observed_message(backends, cluster, start_operator):
    model = await backends.model("WARM", min_i=1, max_i=1)
    name = model.deployment.name
    cluster.deployment(name, 1)
    why = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available."
    cluster.pod(name, f"{name}-7d9f-abcde", {"phase": "Pending", "conditions": [
        {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": why}]})
    cluster.pod("another-model", "another-model-1", {"phase": "Pending", "conditions": [
        {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "not this one"}]})
    await start_operator(operator_settings(backends, cluster))
    observed = await backends.observed(model, lambda o: why in o.message)
    assert observed.phase == "Scaling" and observed.message.startswith(f"0/1 ready: 1 pod unschedulable: {why}")
    assert "not this one" not in observed.message
