"""The seed catalogue, inserted at start when an entry is absent (by id, and by name: never overwrites an edit).

- `demo`: the local OpenAI-compatible demo provider (services/demo_provider), the only entry active out of the box.
- External providers at their real base URLs (OpenAI, Anthropic, Azure OpenAI, Bedrock). They start `inactive`: an
  operator sets the env var named by credential_ref, then activates them with UpdateProvider/UpdateModel.
- Self-hosted models (seed AI stack: SageMaker endpoints that start scaled to zero; one Kubernetes GPU Deployment),
  each with a thermal state and config for the operator to reconcile.
- `demo-local` / `radiant-demo-local` (only when RADIANT_LOCAL_MODEL_URL is set, as `radiant up` does): a self-hosted
  model whose "replicas" are demo-provider processes the operator's local driver starts on that URL and stops after
  a minute without requests, so the warm-up / scale-to-zero loop can be watched without a cluster.

Prices are USD per million tokens as published by each vendor at the time of writing, decimal strings.
Ids are stable (uuid5 of the name) so every installation names the same entry the same way."""
from __future__ import annotations

import uuid
from typing import Any

from services.registry.settings import Settings

# The demo provider's URL comes from a setting (its port may differ between runs). The catalogue remembers the URL it
# seeded under this config key, and follows the setting at start only while nobody has edited base_url since.
SEEDED_URL_KEY = "seeded_base_url"
DEMO_PROVIDER = "demo"
LOCAL_PROVIDER = "demo-local"
LOCAL_MODEL = "radiant-demo-local"

_NAMESPACE = uuid.UUID("6f1d3c1e-6a0b-4c57-9a57-2f7e0c1b9a10")


def provider_id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"provider:{name}"))


def model_id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"model:{name}"))


def _pricing(inp: str, out: str, markup: str = "0.20") -> dict[str, str]:
    return {"input_per_million": inp, "output_per_million": out, "billed_markup": markup}


def _thermal(state: str, min_i: int, max_i: int, idle_minutes: int, warmup: int) -> dict[str, Any]:
    return {"state": state, "min_instances": min_i, "max_instances": max_i,
            "scale_to_zero_after_minutes": idle_minutes, "warmup_time_seconds": warmup}


_CHAT = ["chat", "streaming"]


def providers(settings: Settings) -> list[dict[str, Any]]:
    rows = [
        dict(name=DEMO_PROVIDER, type="external", status="active", hipaa_compliant=True, baa_available=True,
             base_url=settings.demo_provider_url, auth_type="none", api_format="openai", credential_ref=None,
             capabilities=_CHAT, config={"description": "Local OpenAI-compatible demo provider",
                                         SEEDED_URL_KEY: settings.demo_provider_url}),
        dict(name="openai", type="external", status="inactive", hipaa_compliant=True, baa_available=True,
             base_url="https://api.openai.com/v1", auth_type="api_key", api_format="openai",
             credential_ref="RADIANT_OPENAI_API_KEY", capabilities=[*_CHAT, "vision", "functions", "embeddings"],
             config={}),
        dict(name="anthropic", type="external", status="inactive", hipaa_compliant=True, baa_available=True,
             base_url="https://api.anthropic.com", auth_type="api_key", api_format="anthropic",
             credential_ref="RADIANT_ANTHROPIC_API_KEY", capabilities=[*_CHAT, "vision", "functions"],
             config={"anthropic_version": "2023-06-01"}),
        dict(name="azure-openai", type="external", status="inactive", hipaa_compliant=True, baa_available=True,
             base_url="https://radiant.openai.azure.com/openai", auth_type="api_key", api_format="azure-openai",
             credential_ref="RADIANT_AZURE_OPENAI_API_KEY", capabilities=[*_CHAT, "vision", "functions"],
             config={"api_version": "2024-10-21"}),
        # IAM: the AWS default credential chain (IRSA role in EKS); no secret to name.
        dict(name="bedrock", type="external", status="inactive", hipaa_compliant=True, baa_available=True,
             base_url="https://bedrock-runtime.us-east-1.amazonaws.com", auth_type="iam", api_format="bedrock",
             credential_ref=None, capabilities=[*_CHAT, "vision", "functions"], config={"region": "us-east-1"}),
        dict(name="self-hosted-kubernetes", type="self-hosted", status="inactive", hipaa_compliant=True,
             baa_available=True, base_url=None, auth_type="none", api_format="openai", credential_ref=None,
             capabilities=_CHAT,
             config={"runtime": "vllm",
                     "service_url_template": "http://{name}.{namespace}.svc.cluster.local:8000/v1"}),
        dict(name="sagemaker", type="self-hosted", status="inactive", hipaa_compliant=True, baa_available=True,
             base_url="https://runtime.sagemaker.us-east-1.amazonaws.com", auth_type="iam", api_format="sagemaker",
             credential_ref=None, capabilities=_CHAT, config={"region": "us-east-1"}),
    ]
    if settings.local_model_url:
        rows.append(dict(
            name=LOCAL_PROVIDER, type="self-hosted", status="active", hipaa_compliant=True, baa_available=True,
            base_url=settings.local_model_url, auth_type="none", api_format="openai", credential_ref=None,
            capabilities=_CHAT, config={"description": "Demo provider processes started by the operator's local "
                                                       "driver (radiant up)", SEEDED_URL_KEY: settings.local_model_url}))
    for row in rows:
        row["id"] = provider_id(row["name"])
    return rows


def _model(provider: str, name: str, display_name: str, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict(
        id=model_id(name), provider_id=provider_id(provider), name=name, display_name=display_name,
        type="external", specialty="general", capabilities=list(_CHAT), supports_functions=False,
        supports_vision=False, supports_streaming=True, has_thinking_mode=False, thinking_budget_tokens=None,
        thermal_state=None, thermal_config=None, status="inactive", release_date=None, deprecation_date=None,
        upstream_model=None, deployment_kind="none", deployment_name=None, deployment_namespace=None,
        deployment_instance_type=None, observed=None)
    row.update(kw)
    return row


def models(settings: Settings) -> list[dict[str, Any]]:
    vision = [*_CHAT, "vision", "functions"]
    local = [] if not settings.local_model_url else [
        _model(LOCAL_PROVIDER, LOCAL_MODEL, "Radiant Demo (self-hosted, scales to zero)", type="self-hosted",
               status="active", description="The demo model on a local process the operator starts on demand and "
                                            "stops after a minute without requests (thermal state COLD)",
               capabilities=vision, context_window=8192, max_output_tokens=1024, supports_functions=True,
               supports_vision=True, pricing=_pricing("0.50", "1.50"), upstream_model="radiant-demo",
               thermal_state="COLD", thermal_config=_thermal("COLD", 0, 1, 1, 5), deployment_kind="local",
               deployment_name=LOCAL_MODEL)]
    return [*local,
        _model("demo", "radiant-demo", "Radiant Demo", status="active",
               description="Demo chat model: repeats the last user message (text, image parts acknowledged, "
                           "tool calls on request), streaming or not",
               capabilities=vision, context_window=8192, max_output_tokens=1024, supports_functions=True,
               supports_vision=True, pricing=_pricing("0.50", "1.50")),
        _model("demo", "radiant-demo-vision", "Radiant Demo Vision", status="active",
               description="Demo chat model with image parts (same answers as radiant-demo)",
               capabilities=vision, context_window=8192, max_output_tokens=1024, supports_functions=True,
               supports_vision=True, pricing=_pricing("0.50", "1.50")),
        _model("demo", "radiant-demo-embedding", "Radiant Demo Embedding", status="active",
               description="Demo embeddings model: deterministic vectors for /v1/embeddings (no chat)",
               capabilities=["embeddings"], context_window=8191, max_output_tokens=None, supports_streaming=False,
               pricing=_pricing("0.50", "0")),
        _model("openai", "gpt-4o", "GPT-4o", description="OpenAI flagship multimodal model",
               capabilities=vision, context_window=128000, max_output_tokens=16384, supports_functions=True,
               supports_vision=True, pricing=_pricing("2.50", "10.00"), release_date="2024-05-13",
               upstream_model="gpt-4o-2024-08-06"),
        _model("openai", "gpt-4o-mini", "GPT-4o mini", description="Small, fast, low-cost OpenAI model",
               capabilities=vision, context_window=128000, max_output_tokens=16384, supports_functions=True,
               supports_vision=True, pricing=_pricing("0.15", "0.60"), release_date="2024-07-18",
               upstream_model="gpt-4o-mini-2024-07-18"),
        _model("anthropic", "claude-3-5-sonnet", "Claude 3.5 Sonnet", specialty="coding",
               description="Anthropic's most capable 3.5 model", capabilities=vision, context_window=200000,
               max_output_tokens=8192, supports_functions=True, supports_vision=True,
               pricing=_pricing("3.00", "15.00"), release_date="2024-10-22",
               upstream_model="claude-3-5-sonnet-20241022"),
        _model("anthropic", "claude-3-5-haiku", "Claude 3.5 Haiku", description="Anthropic's fastest 3.5 model",
               capabilities=[*_CHAT, "functions"], context_window=200000, max_output_tokens=8192,
               supports_functions=True, pricing=_pricing("0.80", "4.00"), release_date="2024-10-22",
               upstream_model="claude-3-5-haiku-20241022"),
        _model("azure-openai", "azure-gpt-4o", "GPT-4o (Azure OpenAI)",
               description="GPT-4o through an Azure OpenAI deployment", capabilities=vision, context_window=128000,
               max_output_tokens=16384, supports_functions=True, supports_vision=True,
               pricing=_pricing("2.50", "10.00"), upstream_model="gpt-4o"),
        _model("bedrock", "bedrock-claude-3-5-sonnet", "Claude 3.5 Sonnet (Bedrock)", specialty="coding",
               description="Claude 3.5 Sonnet v2 on Amazon Bedrock", capabilities=vision, context_window=200000,
               max_output_tokens=8192, supports_functions=True, supports_vision=True,
               pricing=_pricing("3.00", "15.00"), release_date="2024-10-22",
               upstream_model="anthropic.claude-3-5-sonnet-20241022-v2:0"),
        _model("self-hosted-kubernetes", "llama-3.1-8b-instruct", "Llama 3.1 8B Instruct (Kubernetes)",
               type="self-hosted", description="Meta Llama 3.1 8B Instruct on a vLLM GPU Deployment",
               context_window=32768, max_output_tokens=4096, pricing=_pricing("0.10", "0.10"),
               upstream_model="meta-llama/Llama-3.1-8B-Instruct", thermal_state="COLD",
               thermal_config=_thermal("COLD", 0, 2, 15, 300), deployment_kind="kubernetes",
               deployment_name="llama-3-1-8b-instruct", deployment_namespace="radiant-models",
               deployment_instance_type="g5.xlarge"),
        _model("sagemaker", "mistral-7b-instruct", "Mistral 7B Instruct (SageMaker)", type="self-hosted",
               description="Mistral 7B Instruct v0.2 on a SageMaker TGI endpoint", context_window=8192,
               max_output_tokens=4096, pricing=_pricing("0.15", "0.20"),
               upstream_model="mistralai/Mistral-7B-Instruct-v0.2", thermal_state="WARM",
               thermal_config=_thermal("WARM", 1, 2, 30, 600), deployment_kind="sagemaker",
               deployment_name="radiant-mistral-7b", deployment_instance_type="ml.g4dn.xlarge"),
        _model("sagemaker", "llama-2-70b-chat", "Llama 2 70B Chat (SageMaker)", type="self-hosted",
               description="Meta Llama 2 70B Chat on a SageMaker TGI endpoint", context_window=4096,
               max_output_tokens=4096, pricing=_pricing("1.00", "1.00"),
               upstream_model="meta-llama/Llama-2-70b-chat-hf", thermal_state="AUTOMATIC",
               thermal_config=_thermal("AUTOMATIC", 0, 1, 15, 900), deployment_kind="sagemaker",
               deployment_name="radiant-llama-70b", deployment_instance_type="ml.g5.12xlarge"),
    ]
