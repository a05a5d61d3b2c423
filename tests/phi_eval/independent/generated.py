"""The generated subset: every locale profile rendered through English and native-language templates."""
from __future__ import annotations

from random import Random

from .locales import PROFILES
from .model import Builder, Document
from .render import new_ctx, render
from .templates_en import EN
from .templates_native import NATIVE

DOCS_PER_LOCALE = 70
NATIVE_SHARE = 0.5


def generated_documents(seed: int, per_locale: int = DOCS_PER_LOCALE) -> list[Document]:
    docs = []
    for code, prof in PROFILES.items():
        native = [t for t in NATIVE if t.lang == prof.lang]
        # each pool is walked in a shuffled order per locale, so every template is used before any repeats
        pools = {"native": native, "en": EN}
        orders = {name: Random(f"{seed}|{code}|{name}").sample(range(len(pool)), len(pool)) for name, pool in pools.items()}
        used = {"native": 0, "en": 0}
        for i in range(per_locale):
            doc_id = f"gen-{code}-{i:03d}"
            rnd = Random(f"{seed}|{doc_id}")
            name = "native" if native and rnd.random() < NATIVE_SHARE else "en"
            template = pools[name][orders[name][used[name] % len(pools[name])]]
            used[name] += 1
            ctx = new_ctx(rnd, prof, template)
            b = Builder()
            render(template, ctx, b)
            docs.append(b.build(doc_id, code, template.style, "generated"))
    return docs
