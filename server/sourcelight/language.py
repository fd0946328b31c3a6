"""Which texts the English model may judge: the text's own language, the page's declaration a hint.

Sourcelight parses with an English spaCy model. Given Portuguese or Japanese it still finds
"sources" and hands out a confident grade, so a text in another language is refused instead,
naming the language it looks to be in (API: 422 `unsupported_language`; CLI: one line).

The evidence is the text itself, identified by py3langid (naive Bayes over byte n-grams; its
model ships inside the wheel; about 1 ms on the sample of at most 8,000 characters read here).
The page's declared language (`page.lang`: <html lang> or content-language) is a hint only, since
pages declare it wrongly or not at all. The rules, with their numbers in rules/language.json:

- the text's best guess is English, or no language at all: judged, whatever the page declares;
- a text with enough letters whose guess is confident is refused, whatever the page declares
  (an "en" page holding a Spanish article too): the text's own evidence wins;
- a shorter or less clear text is refused only when the page declares the very language the
  text points to; otherwise it is judged. A wrong refusal costs the reader more than a grade,
  and texts this short mostly get `insufficient` anyway.

A mixed page (an English article quoting a paragraph in French) is English: the sample is read
as one text, and the language with most of it wins.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .errors import APIError


@lru_cache(maxsize=1)
def rules() -> dict:
    path = resources.files("sourcelight") / "rules" / "language.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def warm_up() -> None:
    """Load the identifier's model now (about 0.4 s) rather than in the first request."""
    _identifier()


@dataclass(frozen=True)
class Language:
    code: str           # py3langid's ISO 639 code of the text's best guess ("en", "pt", "ja", …)
    name: str           # its English name
    confidence: float   # the guess's probability, 0–1
    supported: bool     # whether the English model may judge the text
    declared: str | None = None  # the page's own declaration, as sent

    def message(self, what: str = "page") -> str:
        return f"Sourcelight reads English articles only (this {what} looks {self.name})."

    def detail(self) -> dict:
        return {"code": self.code, "name": self.name, "confidence": round(self.confidence, 3),
                "declared": self.declared}

    def error(self, what: str = "page") -> dict:
        """The API's error body (without request_id): the CLI prints the same."""
        return {"code": "unsupported_language", "message": self.message(what), "field": "text",
                "language": self.detail()}

    def api_error(self) -> APIError:
        return APIError(422, "unsupported_language", self.message(), "text", extra={"language": self.detail()})


def sample(text: str) -> str:
    """The text itself when short; else `sample_windows` evenly spaced windows of it, so that a
    200,000-character text costs what an 8,000-character one does and every part has a say."""
    size, windows = rules()["sample_chars"], rules()["sample_windows"]
    if len(text) <= size:
        return text
    width = size // windows
    step = (len(text) - width) / (windows - 1)
    return "\n".join(text[round(i * step):round(i * step) + width] for i in range(windows))


def declared_code(declared: str | None) -> str | None:
    """"pt-BR" -> "pt", "en_US" -> "en", "iw" -> "he"; None for nothing usable."""
    if not declared or not declared.strip():
        return None
    aliases = rules()["declared_aliases"]
    tag = declared.strip().lower().replace("_", "-")
    primary = aliases.get(tag) or tag.split("-")[0]
    return aliases.get(primary, primary)


def identify(text: str, declared: str | None = None) -> Language:
    """The language of `text` and whether Sourcelight may judge it (rules in the module docstring)."""
    r = rules()
    part = sample(text)
    code, confidence = _identifier().classify(part)
    code, confidence = str(code), float(confidence)
    name = r["names"].get(code, code)
    if code in r["judged"] or code in r["not_a_language"]:
        return Language(code, name, confidence, True, declared)
    letters = sum(map(str.isalpha, part))
    confident = letters >= r["text_min_letters"] and confidence >= r["text_min_confidence"]
    agreed = (declared_code(declared) == code and letters >= r["declared_min_letters"]
              and confidence >= r["declared_min_confidence"])
    return Language(code, name, confidence, not (confident or agreed), declared)
