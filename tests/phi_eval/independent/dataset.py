"""The whole set, and its deterministic tune / held-out split."""
from __future__ import annotations

import hashlib
from functools import lru_cache

from .adversarial import adversarial_documents
from .disguises import disguise_documents, split_documents
from .generated import generated_documents
from .injection import InjectionCase, injection_cases
from .model import Document

DEFAULT_SEED = 15
SPLITS = ("tune", "heldout", "all")
SUBSETS = ("generated", "adversarial", "disguise", "split")


def split_of(item_id: str) -> str:
    """'tune' or 'heldout', from a hash of the id alone: the same on every run, machine and seed."""
    digest = hashlib.sha256(f"radiant-phi-independent:{item_id}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "heldout"


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")


@lru_cache(maxsize=4)
def all_documents(seed: int = DEFAULT_SEED) -> tuple[Document, ...]:
    return tuple(generated_documents(seed) + adversarial_documents() + disguise_documents(seed) + split_documents(seed))


def documents(split: str = "heldout", seed: int = DEFAULT_SEED, subsets: tuple[str, ...] | None = None) -> list[Document]:
    _check_split(split)
    for s in subsets or ():
        if s not in SUBSETS:
            raise ValueError(f"subset must be one of {', '.join(SUBSETS)}, not {s!r}")
    return [d for d in all_documents(seed)
            if (split == "all" or split_of(d.id) == split) and (not subsets or d.subset in subsets)]


def injection_set(split: str = "heldout") -> list[InjectionCase]:
    _check_split(split)
    return [c for c in injection_cases() if split == "all" or split_of(c.id) == split]
