"""An independent evaluation set for the PHI detector (issue 15) and its black-box scorer.

Written without reading the detector or the repository's other evaluation sets. Tune on `split="tune"`, report
`split="heldout"`:

    from tests.phi_eval.independent import score, score_injection
    print(score(my_sanitize, split="heldout").format())

or `python -m tests.phi_eval.independent --sanitize pkg.module:function --split heldout`. See README.md."""
from .dataset import DEFAULT_SEED, all_documents, documents, injection_set, split_of
from .injection import InjectionCase
from .model import CATEGORIES, Document, Keep, Span
from .scorer import InjectionReport, Report, identity, make_oracle, score, score_documents, score_injection

__all__ = [
    "CATEGORIES", "DEFAULT_SEED", "Document", "InjectionCase", "InjectionReport", "Keep", "Report", "Span",
    "all_documents", "documents", "identity", "injection_set", "make_oracle", "score", "score_documents",
    "score_injection", "split_of",
]
