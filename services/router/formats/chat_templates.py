"""Prompt templates for text-generation containers that take a single prompt string (Hugging Face TGI behind a
SageMaker endpoint): OpenAI-style system/user/assistant messages rendered the way each model family was trained.
The template is named in provider config (`chat_template`) or guessed from the model id."""
from __future__ import annotations

from collections.abc import Callable

from services.runtime.errors import ValidationError

Turn = tuple[str, str]  # (role, text): role is system, user or assistant


def _llama2(system: str, turns: list[Turn]) -> str:
    out, pending_system = "", system
    for role, text in turns:
        if role == "user":
            if pending_system:
                text, pending_system = f"<<SYS>>\n{pending_system}\n<</SYS>>\n\n{text}", ""
            out += f"<s>[INST] {text} [/INST]"
        else:
            out += f" {text} </s>"
    return out


def _mistral(system: str, turns: list[Turn]) -> str:
    # Mistral Instruct has no system role: the system text leads the first user turn.
    out, pending_system = "<s>", system
    for role, text in turns:
        if role == "user":
            if pending_system:
                text, pending_system = f"{pending_system}\n\n{text}", ""
            out += f"[INST] {text} [/INST]"
        else:
            out += f" {text}</s>"
    return out


def _llama3(system: str, turns: list[Turn]) -> str:
    def block(role: str, text: str) -> str:
        return f"<|start_header_id|>{role}<|end_header_id|>\n\n{text}<|eot_id|>"
    out = "<|begin_of_text|>" + (block("system", system) if system else "")
    out += "".join(block(role, text) for role, text in turns)
    return out + "<|start_header_id|>assistant<|end_header_id|>\n\n"


def _chatml(system: str, turns: list[Turn]) -> str:
    parts = ([("system", system)] if system else []) + turns
    return "".join(f"<|im_start|>{role}\n{text}<|im_end|>\n" for role, text in parts) + "<|im_start|>assistant\n"


TEMPLATES: dict[str, Callable[[str, list[Turn]], str]] = {
    "llama2": _llama2, "mistral": _mistral, "llama3": _llama3, "chatml": _chatml}


def guess(model_id: str) -> str:
    name = model_id.lower()
    if "llama-2" in name or "llama2" in name:
        return "llama2"
    if "llama-3" in name or "llama3" in name:
        return "llama3"
    if "mistral" in name or "mixtral" in name:
        return "mistral"
    return "chatml"


def _text(content) -> str:
    if isinstance(content, list):
        if any(p.get("type") != "text" for p in content):
            raise ValidationError("This model takes text only; remove the image parts",
                                  details={"messages": ["images are not supported by this model's container"]})
        return "".join(p["text"] for p in content)
    return content or ""


def render(template: str, messages: list[dict]) -> str:
    """The prompt for `messages` (OpenAI shape). Tool calls and tool results have no place in these templates."""
    system: list[str] = []
    turns: list[Turn] = []
    for i, msg in enumerate(messages):
        role = msg["role"]
        if role in ("tool", "function") or msg.get("tool_calls") or msg.get("function_call"):
            raise ValidationError("This model's container does not support tool calling",
                                  details={f"messages.{i}": ["tool messages are not supported by this model"]})
        if role in ("system", "developer"):
            system.append(_text(msg.get("content")))
        elif turns and turns[-1][0] == role:  # consecutive turns of one role are joined
            turns[-1] = (role, turns[-1][1] + "\n\n" + _text(msg.get("content")))
        else:
            turns.append((role, _text(msg.get("content"))))
    return TEMPLATES[template]("\n\n".join(system), turns)
