"""What a worker does with one partition of articles: the language check, the analysis, the line.

`analyse_partition` runs in `sourcelight batch`'s own process (one process) and on every Dask
worker (cluster.py): one code path, so an input gives the same lines either way. The model is
loaded once per process (`load_analyzer`, a cached loader that the worker plugin calls at
start-up) and kept for every later partition and run.

Within a partition the texts go through spaCy's `nlp.pipe` together (about 20% faster than one
`nlp()` call each) in batches of at most MAX_PIECE_TOKENS tokens, inside a memory zone so a worker that reads a year of news does not keep
every word it met; a text longer than the model's piece size, and every text of a batch that
raised, go through `Analyzer.analyze_text` alone, which is what the server runs.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from .corpus_io import Article, response_line


@dataclass(frozen=True)
class RunOptions:
    model: str
    max_text_chars: int
    unit: str = "utf16"      # offsets in the responses
    batch_size: int = 16     # texts per nlp.pipe batch within a partition


@dataclass
class Outcome:
    key: str
    where: str
    position: int
    status: str              # "ok", "skipped" (the text cannot be judged) or "failed" (analysis raised)
    line: str = ""           # the OUT line, for "ok"
    kind: str = ""           # short reason, for the tally
    message: str = ""        # the whole reason


_LOAD_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()  # one partition at a time per process: the model is not shared between threads
_ANALYZERS: dict = {}
_LOADS: dict = {}


def load_analyzer(model: str, max_text_chars: int):
    """This process's Analyzer for `model`, loaded on first use and kept (one model at a time)."""
    key = (model, max_text_chars)
    with _LOAD_LOCK:
        analyzer = _ANALYZERS.get(key)
        if analyzer is None:
            from .language import warm_up as warm_up_language
            from .pipeline import Analyzer
            analyzer = Analyzer(model, cache_size=0, max_text_chars=max_text_chars)
            warm_up_language()
            _ANALYZERS.clear()
            _ANALYZERS[key] = analyzer
            _LOADS[key] = _LOADS.get(key, 0) + 1
        return analyzer


def model_loads() -> dict[str, int]:
    """How many times this process has loaded each (model, limit): 1 on a healthy worker."""
    return {f"{model} {limit}": count for (model, limit), count in _LOADS.items()}


def analyse_partition(articles: list[Article], options: RunOptions) -> list[Outcome]:
    """One Outcome per article, in the partition's order. Never raises for one article's sake."""
    from .language import identify as identify_language

    analyzer = load_analyzer(options.model, options.max_text_chars)
    outcomes: list[Outcome | None] = [None] * len(articles)
    judged = []
    for index, article in enumerate(articles):
        language = identify_language(article.text)
        if language.supported:
            judged.append(index)
        else:  # the English model cannot judge it (language.py); the server answers 422 unsupported_language
            outcomes[index] = _problem(article, "skipped", "not in English", language.message("text"))
    with _RUN_LOCK:
        together = _pipe_together(analyzer, [articles[i] for i in judged], options)
        for index, article in zip(judged, (articles[i] for i in judged)):
            outcome = together.get(article.key)
            outcomes[index] = outcome if outcome is not None else _alone(analyzer, article, options)
    return outcomes  # type: ignore[return-value]


def _pipe_together(analyzer, articles: list[Article], options: RunOptions) -> dict[str, Outcome]:
    """Outcomes of the articles nlp.pipe could take, by key; the rest are left to _alone."""
    from .analysis import build_analysis
    from .detectors.publisher import host_from_url
    from .offsets import model_text
    from .pipeline import MAX_PIECE_TOKENS

    nlp = analyzer.nlp
    done: dict[str, Outcome] = {}
    # What the texts add to the vocabulary leaves with the zone (see Analyzer.memory_zone).
    with analyzer.memory_zone():
        docs, piped = [], []
        for article in articles:
            doc = nlp.make_doc(model_text(article.text))  # same code points; see offsets.model_text
            if len(doc) > MAX_PIECE_TOKENS:
                continue  # parsed in pieces by analyze_text
            host = host_from_url(article.meta.get("url"))
            if host:
                doc.user_data["sourcing_host"] = host
            docs.append(doc)
            piped.append(article)
        try:
            for start, stop in token_batches([len(doc) for doc in docs], options.batch_size, MAX_PIECE_TOKENS):
                parsed = nlp.pipe(docs[start:stop], batch_size=stop - start)
                for article, doc in zip(piped[start:stop], parsed):
                    done[article.key] = _finish(analyzer, article, options, lambda d=doc, a=article: build_analysis(
                        d, url=a.meta.get("url"), title=a.meta.get("title")))
        except Exception:  # noqa: BLE001 — a component failed on some text of the batch: the rest go alone
            pass
    return done


def token_batches(lengths: list[int], most: int, max_tokens: int) -> list[tuple[int, int]]:
    """Consecutive [start, stop) batches of at most `most` texts and, unless a text is longer by
    itself, at most `max_tokens` tokens: the model's working memory grows with the tokens of the
    whole batch (~15 kB a token), so a partition of long texts peaks like one long piece, not
    like `most` of them."""
    batches, start, tokens = [], 0, 0
    for index, length in enumerate(lengths):
        if index > start and (index - start >= most or tokens + length > max_tokens):
            batches.append((start, index))
            start, tokens = index, 0
        tokens += length
    if start < len(lengths):
        batches.append((start, len(lengths)))
    return batches


def _alone(analyzer, article: Article, options: RunOptions) -> Outcome:
    return _finish(analyzer, article, options, lambda: analyzer.analyze_text(
        article.text, url=article.meta.get("url"), title=article.meta.get("title")))


def _finish(analyzer, article: Article, options: RunOptions, analyse) -> Outcome:
    from .offsets import has_lone_surrogates
    from .serialize import to_api
    try:
        analysis = analyse()
        analysis.text = article.text  # spans are sliced from the article's own text
        body = to_api(analysis, options.unit)
    except Exception as error:  # noqa: BLE001 — one bad article must not end the run
        return _problem(article, "failed", "analysis failed", f"analysis failed: {type(error).__name__}: {error}")
    # Unpaired surrogates (kept from the input) cannot be written as UTF-8: escape them.
    line = response_line(article, body, analyzer.model, options.unit, has_lone_surrogates(article.text))
    return Outcome(article.key, article.where, article.position, "ok", line=line)


def _problem(article: Article, status: str, kind: str, message: str) -> Outcome:
    return Outcome(article.key, article.where, article.position, status, kind=kind, message=message)
