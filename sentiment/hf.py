"""transformers backend (`miroir[ml]`): any local folder or hub id, offline by default.

Two uses: as an encoder (mean-pooled hidden states; the heads are re-fitted on top), or as a
ready sequence-classification model whose labels map to negative / neutral / positive.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pulse.irritants.model import CategoryScore, Classification, IrritantCategory, Polarity
from sentiment.encoders import EngineUnavailable
from sentiment.lang import detect_language


class ModelMissing(RuntimeError):
    """The requested transformers model is neither a local folder nor in the offline cache."""


def _load(model: str, kind: str) -> tuple[Any, Any]:
    """Tokenizer and model, offline unless HF_HUB_OFFLINE=0 was set by the operator."""
    if (os.path.isabs(model) or model.startswith(".")) and not Path(model).exists():
        raise ModelMissing(f"transformers model: the local folder {model!r} does not exist")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", os.environ["HF_HUB_OFFLINE"])
    try:
        import torch  # noqa: F401
        import transformers
    except ImportError as exc:
        raise EngineUnavailable(
            "the transformers backend needs `pip install torch==2.13.0` then "
            "`pip install 'miroir[ml]'`") from exc
    if os.environ["HF_HUB_OFFLINE"].strip().lower() in ("1", "true", "yes", "on"):
        # huggingface_hub reads the variable once, at import; it may have been imported earlier.
        import huggingface_hub.constants as hub

        hub.HF_HUB_OFFLINE = True
    auto = (transformers.AutoModelForSequenceClassification if kind == "classifier"
            else transformers.AutoModel)
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(model)
        network = auto.from_pretrained(model)
    except (OSError, ValueError) as exc:
        where = "local folder" if Path(model).exists() else "hub id (offline cache)"
        raise ModelMissing(
            f"transformers model {model!r} could not be loaded as a {where}: {exc}. Copy the "
            "model folder to this host and point MIROIR_CLASSIFIER_MODEL at it, or set "
            "HF_HUB_OFFLINE=0 on a connected machine to download it.") from exc
    network.eval()
    return tokenizer, network


class HFEncoder:
    """Mean-pooled, L2-normalised hidden states of any transformers encoder."""

    def __init__(self, model: str, prefix: str = "", max_length: int = 256) -> None:
        self.tokenizer, self.model = _load(model, "encoder")
        self.prefix = prefix
        self.max_length = max_length
        self.name = "hf-" + Path(model.rstrip("/")).name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings, shape (n, hidden)."""
        import torch

        batch = self.tokenizer([self.prefix + t for t in texts], padding=True, truncation=True,
                               max_length=self.max_length, return_tensors="pt")
        with torch.inference_mode():
            hidden = self.model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        pooled = torch.nn.functional.normalize(pooled, dim=1)
        return pooled.numpy().astype(np.float32)


def _polarity_index(labels: dict[int, str]) -> dict[str, list[int]]:
    """Map model labels to polarities: names (negative/neutral/positive), or stars 1–5."""
    out: dict[str, list[int]] = {"negative": [], "neutral": [], "positive": []}
    for i, raw in sorted(labels.items()):
        name = raw.lower()
        if "neg" in name:
            out["negative"].append(i)
        elif "pos" in name:
            out["positive"].append(i)
        elif "neu" in name:
            out["neutral"].append(i)
        elif name[:1].isdigit():
            stars = int(name[0])
            out["negative" if stars <= 2 else "neutral" if stars == 3 else "positive"].append(i)
    if not out["negative"] or not out["positive"]:
        raise ModelMissing(f"cannot read polarities from the model labels {labels}")
    return out


class HFSequenceClassifier:
    """A ready sentiment model (e.g. an XLM-R fine-tune); categories from a fallback classifier."""

    def __init__(self, model: str, categories: Any | None = None, max_length: int = 256) -> None:
        self.tokenizer, self.model = _load(model, "classifier")
        self.index = _polarity_index({int(k): v for k, v in self.model.config.id2label.items()})
        self.categories = categories  # a CommentClassifier used only for its categories
        self.max_length = max_length
        self.model_version = "hf-seq-" + Path(model.rstrip("/")).name

    def classify(self, texts: Sequence[str], tenant_id: str | None = None) -> list[Classification]:
        """Polarity and score from the model; categories from the companion classifier."""
        import torch

        if not texts:
            return []
        batch = self.tokenizer(list(texts), padding=True, truncation=True,
                               max_length=self.max_length, return_tensors="pt")
        with torch.inference_mode():
            p = torch.softmax(self.model(**batch).logits, dim=-1).numpy()
        cats = (self.categories.classify(texts, tenant_id) if self.categories is not None
                else None)
        out = []
        for i, text in enumerate(texts):
            mass = {k: float(p[i, idx].sum()) for k, idx in self.index.items()}
            polarity = Polarity(max(mass, key=lambda k: mass[k]))
            score = float(np.clip(mass["positive"] - mass["negative"], -1, 1))
            categories = (cats[i].categories if cats is not None
                          else (CategoryScore(IrritantCategory.OTHER, 1.0),))
            out.append(Classification(polarity, score, categories, detect_language(text),
                                      self.model_version))
        return out
