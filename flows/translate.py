"""Translating what the documents need into the translation cache: distinct sentences
per language in windows, planned into batches by the engine, sent to the task runner in
shards."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from reportmt import progress
from reportmt.documents import PreparedDocument, sentences_to_translate
from reportmt.translation_cache import TranslationCache
from reportmt.translators.base import EngineError, Translator

# Distinct sentences planned into batches and translated together; the cache holds the
# rest, so memory does not grow with the corpus.
TRANSLATION_WINDOW = 2000


def _not_an_engine_error(task, task_run, state) -> bool:
    """Retry a lost shard, not a model that does not load."""
    try:
        state.result()
    except EngineError:
        return False
    except Exception:
        return True
    return True


@task(name="translate-shard", cache_policy=NO_CACHE, retries=2, retry_condition_fn=_not_an_engine_error)
def translate_shard(translator: Translator, batches: list[list[list[str]]], unit_share: float) -> list[list[str]]:
    """Planned batches of one language, in order; the worker loads the model once and keeps it.
    Retried: a shard lost with its worker runs again elsewhere and gives the same output.
    ``unit_share``: how much of the translation phase's progress one input stands for."""
    outputs = []
    for tokens in batches:
        outputs.append(translator.translate_batch(tokens))
        progress.advance(progress.TRANSLATE, unit_share * len(tokens))
    return outputs


def translate_all(
    docs: list[PreparedDocument],
    engines: dict[str, Translator],
    unavailable: dict[str, str],
    cache: TranslationCache,
    shards: int,
) -> tuple[int, int]:
    """Put every sentence the documents need into the translation cache. Per language, the
    distinct sentences come in windows; those the cache lacks are planned into batches and
    sent to the task runner in shards. A language whose model does not load is added to
    ``unavailable`` (its documents wait; the others go on). Returns the sentences
    translated now and cache hits."""
    progress.start(progress.TRANSLATE, "Translating", sum(d.sentence_counts.get(lang, 0) for d in docs for lang in engines))
    translated = hits = done = 0
    for lang in sorted(set().union(*(d.translated_languages for d in docs))):
        engine = engines[lang]
        try:
            for window, covered in sentences_to_translate(docs, lang, TRANSLATION_WINDOW):
                found = cache.get_many(engine.signature, window)
                missing = [text for text in window if text not in found]
                if missing:
                    cache.put_many(engine.signature, dict(zip(missing, _translate_window(engine, missing, covered, shards))))
                hits += len(found)
                translated += len(missing)
                done += covered
                progress.reach(progress.TRANSLATE, done)  # shards on other machines report nothing
        except EngineError as exc:
            unavailable[lang] = f"the {engine.pair} engine {engine.model} cannot be used: {exc}"
    return translated, hits


def _translate_window(engine: Translator, missing: list[str], covered: int, shards: int) -> list[str]:
    plan = engine.plan(missing)
    share = covered / max(1, len(plan.owners))  # the window's sentences, spread over its inputs
    futures = [
        (shard, translate_shard.submit(engine, [plan.batch_tokens(b) for b in shard], share))
        for shard in plan.shards(shards)
    ]
    units: dict[int, str] = {}
    for shard, future in futures:
        for batch, texts in zip(shard, future.result()):
            units.update(zip(batch, texts))
    return plan.assemble(units)
