# syntax=docker/dockerfile:1
#
# Radiant images: ONE runtime image, with a thin per-service target on top of it.
#
# Why one image: every service is a package of the same Python distribution (one pyproject.toml, one dependency set),
# so per-service images built separately would each carry the same ~all layers and could drift in dependency versions.
# Here the builder and runtime stages are shared; each service target (router, auth, phi, registry, metering,
# demo-provider, operator) only adds its default CMD and EXPOSE on top of `runtime`, so its layers are
# byte-identical and stored once in the registry. Skaffold still builds one artifact per service (same Dockerfile,
# `target: <service>`, pushed to the per-service ECR repository), because that is how it injects a tag per service
# into the chart and lets services roll out independently. The Helm chart sets each container's command explicitly,
# so a single tag of `runtime` works as well; the migrations hook runs `python -m services.migrate <service>` in each
# service's own image, so a schema is always migrated by the code version that is about to serve it.
#
# Build one service:   docker build --target router -t radiant-router .
# Default target:      the last stage (router).

# Pin by digest in release builds: --build-arg PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:...
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- builder: compilers and headers live only here ------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies first (from pyproject.toml only), so a code change does not rebuild them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt
COPY gen ./gen
COPY services ./services
# pip compiles the bytecode at install time, so the read-only runtime never needs to write any.
RUN pip install --no-deps .

# ---- runtime: the interpreter, the venv and a numeric non-root user; nothing else -----------------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="radiant" \
      org.opencontainers.image.description="Radiant PHI-safe LLM gateway services" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1
RUN groupadd --system --gid 10001 radiant \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin radiant
COPY --from=builder /opt/venv /opt/venv
# The Kubernetes pods run with a read-only root filesystem; /tmp is an emptyDir there.
WORKDIR /tmp
USER 10001:10001

# ---- per-service targets (identical layers; only the default command and ports differ) ------------------------------
FROM runtime AS auth
EXPOSE 50051
CMD ["python", "-m", "services.auth"]

FROM runtime AS phi
EXPOSE 50052
CMD ["python", "-m", "services.phi"]

FROM runtime AS registry
EXPOSE 50053
CMD ["python", "-m", "services.registry"]

FROM runtime AS metering
EXPOSE 50054
CMD ["python", "-m", "services.metering"]

FROM runtime AS demo-provider
EXPOSE 8090
CMD ["python", "-m", "services.demo_provider"]

FROM runtime AS operator
EXPOSE 50055
CMD ["python", "-m", "services.operator"]

FROM runtime AS router
EXPOSE 8080 50050
CMD ["python", "-m", "services.router"]
