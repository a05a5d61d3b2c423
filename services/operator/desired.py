"""How many replicas a model should have now: a pure function of its thermal state and config, its warm-up request
time (registry) and its demand (metering). Nothing here is remembered between calls, so a restarted operator reaches
the same decision.

| state     | replicas                                                                                           |
|-----------|----------------------------------------------------------------------------------------------------|
| OFF       | 0                                                                                                  |
| COLD      | max(1, min) while active, else 0                                                                   |
| WARM      | max(1, min)                                                                                        |
| HOT       | max (at least max(1, min))                                                                         |
| AUTOMATIC | ceil((in flight + held) / target per replica) within min..max, at least 1 while active; min when idle |

A model whose status is not active (inactive, deprecated, coming soon) gets 0 whatever its state: it serves no one.
Active: a request in flight or held, or a request or warm-up request within the idle window
(scale_to_zero_after_minutes, or RADIANT_OPERATOR_SCALE_TO_ZERO_AFTER_SECONDS)."""
from __future__ import annotations

import math
from dataclasses import dataclass

from radiant.registry.v1 import registry_pb2 as pb

STATE_NAMES = {pb.THERMAL_STATE_OFF: "OFF", pb.THERMAL_STATE_COLD: "COLD", pb.THERMAL_STATE_WARM: "WARM",
               pb.THERMAL_STATE_HOT: "HOT", pb.THERMAL_STATE_AUTOMATIC: "AUTOMATIC"}


@dataclass(frozen=True, slots=True)
class Demand:
    last_request_at: float | None  # epoch seconds
    in_flight: int = 0
    held: int = 0


@dataclass(frozen=True, slots=True)
class Decision:
    replicas: int | None        # None: leave the replicas as they are (no thermal state to follow)
    reason: str                 # why, for observed.message (stable wording: no times or counters that tick)
    recheck_in: float | None = None  # seconds until the decision may change by itself (the idle window ends)


def _window(model: pb.Model, idle_override: float | None) -> float:
    if idle_override is not None:
        return idle_override
    return max(0, model.thermal_config.scale_to_zero_after_minutes) * 60.0


def _minutes(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:g} s"
    return f"{seconds / 60:g} min"


def decide(model: pb.Model, demand: Demand | None, now: float, *, idle_override: float | None = None,
           default_target: int = 4) -> Decision:
    """`demand` None means unknown (metering unreachable): activity is then judged by the warm-up request only, and
    the caller must not scale down on this decision."""
    state = model.thermal_state or model.thermal_config.state
    cfg = model.thermal_config
    low = max(0, cfg.min_instances)
    high = max(cfg.max_instances, low, 1)
    awake = max(1, low)
    if model.status != pb.STATUS_ACTIVE:
        return Decision(0, "the model is not active: no replicas")
    if state == pb.THERMAL_STATE_OFF:
        return Decision(0, "switched off (OFF)")
    if state == pb.THERMAL_STATE_WARM:
        return Decision(awake, "kept warm (WARM)")
    if state == pb.THERMAL_STATE_HOT:
        return Decision(high, "kept hot (HOT)")
    if state not in (pb.THERMAL_STATE_COLD, pb.THERMAL_STATE_AUTOMATIC):
        return Decision(None, "no thermal state set: replicas left as they are")

    in_flight = demand.in_flight if demand else 0
    held = demand.held if demand else 0
    warmup = model.warmup_requested_at.ToMilliseconds() / 1000 if model.HasField("warmup_requested_at") else None
    last = max((t for t in (warmup, demand.last_request_at if demand else None) if t is not None), default=None)
    window = _window(model, idle_override)
    idle_for = None if last is None else max(0.0, now - last)
    busy = in_flight > 0 or held > 0
    recent = idle_for is not None and idle_for < window
    name = STATE_NAMES[state]
    if busy:
        why = f"{'requests held for a warm-up' if held else 'requests in flight'} ({name})"
    elif recent:
        why = f"requested within the last {_minutes(window)} ({name})"
    else:
        why = f"no request for {_minutes(window)} ({name})"
    recheck = (window - idle_for) if (recent and not busy and idle_for is not None) else None

    if state == pb.THERMAL_STATE_COLD:
        return Decision(awake if (busy or recent) else 0, why, recheck)
    target = max(1, cfg.target_in_flight_per_replica or default_target)
    wanted = math.ceil((in_flight + held) / target)
    if busy or recent:
        return Decision(min(high, max(wanted, awake)), why, recheck)
    return Decision(low, why, None)
