# One image for every Radiant service; the container command picks the service (python -m services.<name>).
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY protos ./protos
COPY gen ./gen
COPY services ./services
RUN pip install . && useradd --uid 10001 --no-create-home radiant
USER 10001
EXPOSE 8080 50050 50051 50052 50053 50054
CMD ["python", "-m", "services.router"]
