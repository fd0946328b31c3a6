"""Source types: how accountable each attribution's source is, as a news reader would judge it.

named_person, named_organization, named_outlet, official (a role held by one unnamed person),
document, anonymous (unnamed people presented as knowing), vague (unspecified groups, weasel
attributions, agentless passives) and self (the article's own author or outlet).
Back-references the article makes clear ("he", "the outlet", "the Times") take their referent's
type, and every mention is grouped into one source entry.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlparse

from spacy.language import Language
from spacy.tokens import Doc, Span

from .common import EntityIndex, doc_text, guarded
from ..rules import load_rules, word_set
from .anonymity import anonymity_marker, blanket_reason, reason_given
from .gender import PersonGenders
from ..voices import cites_study, study_authors_phrase

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
PLURAL_PRONOUNS = {"they", "them", "their"}
THING_PRONOUNS = {"it", "its", "which", "this", "that"}
SELF_PRONOUNS = {"i", "we", "me", "us", "my", "our"}
RELATIVE = {"who", "which", "that", "whom", "whose"}
VAGUE_DETERMINERS = {"some", "many", "several", "few", "most", "certain", "various", "numerous", "other",
                     "others", "countless", "multiple", "no"}
TITLES = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sen", "sen.", "rep", "rep.", "gov", "gov.",
          "president", "senator", "representative", "governor", "mayor", "judge", "secretary", "minister",
          "general", "gen.", "gen", "prime", "chancellor", "sir", "lady", "lord", "prof", "prof.", "professor",
          "pope", "king", "queen", "prince", "princess", "sheikh", "ayatollah", "chairman", "ceo"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "jan.", "feb", "feb.", "mar", "mar.", "apr", "apr.", "jun", "jun.", "jul",
          "jul.", "aug", "aug.", "sep", "sep.", "sept", "sept.", "oct", "oct.", "nov", "nov.", "dec", "dec."}
# How far back (in characters) a pronoun or "the outlet" looks for what it refers to.
COREF_WINDOW = 2500

WHY = {
    "named_person": "Named person: readers can tell who is speaking and hold them to it.",
    "named_organization": "Named organisation: an identifiable body stands behind the claim.",
    "named_outlet": "Named news outlet: the claim rests on another outlet's reporting.",
    "official": "Official in an identified role, but not named.",
    "document": "Document or data: a record the reader could in principle check.",
    "anonymous": "Anonymous source: presented as knowing, but deliberately not named.",
    "vague": "Vague source: an unspecified group or nobody in particular stands behind this.",
    "self": "The article's own outlet or author.",
}


@Language.factory("sourcing_source_types")
def create_source_typer(nlp: Language, name: str):
    return guarded("sourcing_source_types")(SourceTyper())


class SourceTyper:
    def __init__(self):
        lexicon = load_rules("source_lexicon")
        self.terms: dict[str, str] = {}
        for rule in lexicon:
            if rule["type"] != "anonymous_plural":
                self.terms.setdefault(rule["term"], rule["type"])
        # Role nouns that, in the plural and with no names, are anonymous sources ("officials said").
        self.plural_anonymous = word_set("source_lexicon", "term", type="anonymous_plural")
        self.outlet_names = {r["name"].lower(): r["name"] for r in load_rules("outlets")}
        self.outlet_suffixes = word_set("outlet_words", "term", role="suffix")
        self.outlet_descriptors = word_set("outlet_words", "term", role="descriptor")
        self.person_roles = word_set("source_lexicon", "term", type="person")
        self.journals = word_set("document_names", "term", kind="journal")
        self.document_patterns = [(rule["id"], re.compile(rule["pattern"], re.I))
                                  for rule in load_rules("document_names") if rule["kind"] == "pattern"]
        self.evidence_nouns = word_set("document_names", "term", kind="evidence_noun")

    def __call__(self, doc: Doc) -> Doc:
        records = doc._.attributions or []
        spans = {(s.start_char, s.end_char, s.label_): s for s in doc.spans.get("sourcing_attribution", [])}
        context = _Context(doc, self)
        for index, record in enumerate(records):
            if record.get("follows") is not None:
                leader = records[record["follows"]]
                for key in ("source_type", "entity", "entity_name", "refers_to", "anonymity_reason"):
                    record[key] = leader.get(key)
                continue
            if record.get("source") is None:
                record["source_type"] = None
                continue
            span = spans.get(tuple(record["source"]))
            if span is None:
                continue
            verdict = self.classify(span, record, context)
            record.update(verdict.record())
            span._.source_type = verdict.source_type
            span._.why = verdict.why(record.get("cue_lemma"))
            context.remember(span, verdict)
        return doc

    # --- the decision list ----------------------------------------------------------------------
    def classify(self, span: Span, record: dict, context: "_Context", depth: int = 0) -> "_Verdict":
        doc = span.doc
        if record.get("agentless"):
            return _Verdict("vague", span, entity_name=f"no one named (“{span.text}”)",
                            note="Agentless passive: the article does not say who holds this view.")
        root = span.root
        if root.tag_ == "POS" and root.i > span.start:  # "Tulsa police’s" parsed with "’s" as head
            root = span.doc[root.i - 1]
        lower = span.text.lower().strip()
        head_lemma = root.lemma_.lower()

        # 0. "no official statements have confirmed", "nobody has said": nobody stands behind it.
        if lower in ("nobody", "no one", "none") or any(t.lower_ == "no" and t.dep_ == "det" for t in root.lefts):
            return _Verdict("vague", span, note="Says that no one stands behind the claim.")

        # 1. Pronouns and relative pronouns take their referent's type.
        if len(span) == 1 and lower in RELATIVE and root.head.dep_ == "relcl" and depth < 2:
            antecedent = _antecedent_phrase(root)
            if antecedent is not None:
                verdict = self.classify(antecedent, record, context, depth + 1)
                return _copy(verdict, span, f"refers to {antecedent.text}") if verdict.source_type != "vague" else \
                    _Verdict("vague", span, entity_name=antecedent.text, note=f"Refers to {antecedent.text}.")
        if len(span) == 1 and (lower in PERSON_PRONOUNS | PLURAL_PRONOUNS | THING_PRONOUNS | SELF_PRONOUNS | RELATIVE):
            return context.resolve_pronoun(span, lower)

        # A transcript's speaker tag ("WALLACE:") names a person.
        if record.get("rule") == "speaker_tag" and not self.outlet_name(span):
            return _Verdict("named_person", span, entity_name=span.text.title(), note="Named by the transcript.")

        # 2. The author's own outlet ("The Post has learned" in a Post article).
        outlet = self.outlet_name(span)
        if outlet and context.is_own_outlet(outlet):
            return _Verdict("self", span, entity_name=outlet, note="The publishing outlet itself.")

        # 2b. Things are not people or organisations: a product ("the iPhone 15", "Windows 11")
        # or a scan or test ("The CT", "An MRI", "CT scans") is a record, like a document.
        artefact = self.artefact(span)
        if artefact:
            return _Verdict("document", span, entity_name=_strip_determiner(span.text), note=artefact)

        # 3a. Journals and statistics agencies speak through what they publish: documents.
        document_name = self.document_name(span)
        if document_name:
            return _Verdict("document", span, entity_name=_strip_determiner(span.text), note=document_name)

        # 3. Documents, reports, polls, data.
        if self.terms.get(head_lemma) == "document" and not _has_person(span):
            refers = context.recent("named_outlet") if head_lemma in ("report", "story", "article") and \
                any(t.lower_ in ("the", "this", "that") for t in root.lefts) else None
            return _Verdict("document", span, refers_to=refers.name if refers else None,
                            entity_name=f"{span.text} ({refers.name})" if refers else None,
                            note=f"Document: “{span.text}”." if not refers else
                            f"The report by {refers.name}, referred to earlier.")

        # Poll respondents: "Twelve percent", "Nearly eight of 10 voters" — known only from a poll.
        if context.cites_poll and _is_share_of_people(span):
            return _Verdict("document", span, entity_name="the poll", note="Poll respondents: what they think is known from the poll.")

        # 4. "the outlet", "the newspaper": back to the outlet last named.
        if head_lemma in self.outlet_descriptors and any(t.lower_ in ("the", "this", "that") for t in root.lefts):
            refers = context.recent("named_outlet")
            if refers is not None:
                return _Verdict("named_outlet", span, refers_to=refers.name, entity_name=refers.name,
                                note=f"Refers back to {refers.name}.")

        # 5. Anonymous: "sources", "people familiar with", "officials" with no names.
        cue_region = context.cue_region(record)
        marker = anonymity_marker(span, cue_region)
        kind = self.terms.get(head_lemma)
        plural = root.tag_ in ("NNS", "NNPS")
        # "the Premier", "the President": a capitalised title is a role, not a name.
        named = _has_name(span) and not (head_lemma in self.person_roles or kind in ("official", "person")
                                         and not any(t.ent_type_ == "PERSON" for t in span))
        if not named and (kind == "anonymous" or marker or (head_lemma in self.plural_anonymous and plural)):
            reason = reason_given(doc, context.text, span.start_char, span.end_char) or context.blanket_reason
            return _Verdict("anonymous", span, anonymity_reason=bool(reason), entity_name=span.text,
                            note=_anonymous_note(marker, reason))

        # 6. News outlets.
        if outlet:
            return _Verdict("named_outlet", span, entity_name=outlet, note=f"{outlet} is a news outlet.")

        # A group with a named part is credited to the named part: "Other major unions, including
        # the AFT", "activist groups like Greenpeace", "storytellers and the Black Lives Matter movement".
        if not named:
            member = _named_member(span, context.entities)
            if member is not None:
                return _Verdict("named_organization", span, entity_name=member.text,
                                note=f"The named part of the group is {member.text}.")

        # "the researchers", "the study authors" in a story about a study: its authors, a known group.
        if not named and context.cites_study and study_authors_phrase(span.text):
            return _Verdict("document", span, entity_name="the study's authors",
                            note="The authors of the study the article reports on: they speak for a record "
                                 "the reader could check.")

        # 7. Vague groups: "critics", "some lawmakers", "Trump's supporters", "many experts".
        determiners = {t.lower_ for t in root.lefts if t.dep_ in ("det", "amod", "nummod", "predet")}
        if not named and (kind == "vague" or lower in VAGUE_DETERMINERS or determiners & VAGUE_DETERMINERS
                          or (plural and kind in (None, "official") and _pos(root) == "NOUN")):
            if kind == "official" and not plural:
                pass
            else:
                return _Verdict("vague", span, entity_name=span.text, note="No one in particular is named.")
        if root.ent_type_ == "NORP" and plural or (_pos(root) == "PROPN" and lower in ("republicans", "democrats")):
            return _Verdict("vague", span, entity_name=span.text, note="A whole group, with no one named.")

        # 8. An identified role held by one unnamed person: "a Pentagon spokesperson". But "the
        # mayor", "the South Carolina senator" in an article that names people stands for a name.
        if (kind in ("official", "person") or head_lemma in self.person_roles) and not named:
            definite = any(t.lower_ in ("the", "this", "that") or t.dep_ == "poss" for t in root.lefts)
            person = context.nearest_person_entity(span.start_char) or context.recent("named_person", before=span.start_char)
            if definite and person is not None:
                name = person.text if isinstance(person, Span) else person.name
                return _Verdict("named_person", span, refers_to=name, entity_name=context.person_key(person)
                                if isinstance(person, Span) else person.name, note=f"Refers to {name}.")
            if kind == "official" and not plural:
                return _Verdict("official", span, entity_name=span.text, note="Speaks in an official role, but is not named.")

        # 9. Names: people and organisations ("Trump's administration" is the administration).
        if kind == "organization" and _pos(root) == "NOUN":
            return _Verdict("named_organization", span, entity_name=_strip_determiner(span.text), note=None)
        # A common noun with a name or acronym in front is a thing, not the name ("a CT scan").
        if _pos(root) == "NOUN" and kind is None and not _root_in_name(span):
            if root.lower_ in self.evidence_nouns:
                return _Verdict("document", span, entity_name=_strip_determiner(span.text),
                                note=f"Evidence: “{span.text}”.")
            return _Verdict("vague", span, entity_name=span.text, note="The source is described, not identified.")
        name_kind = context.name_kind(span)
        if name_kind == "person":
            return _Verdict("named_person", span, entity_name=context.person_key(span), note=None)
        if name_kind == "organization" or kind == "organization":
            return _Verdict("named_organization", span, entity_name=_strip_determiner(span.text), note=None)

        # 10. Anything else: a description with no name ("a bartender") is vague.
        return _Verdict("vague", span, entity_name=span.text, note="The source is described, not identified.")

    def artefact(self, span: Span) -> str | None:
        """Why a source is a thing: a product the NER names, a name with a model number, a scan."""
        root = span.root
        for token in span[:-1]:  # "iPhone 15", "Windows 11": a name with its model number (not "May 12")
            after = span.doc[token.i + 1]
            if (_pos(token) == "PROPN" and after.like_num and after.dep_ == "nummod" and after.head.i == token.i
                    and token.lower_ not in MONTHS):
                return f"A product with a model number: “{span.text}” is a thing, not a person or organisation."
        if any(t.ent_type_ == "PERSON" for t in span):
            return None
        if root.lower_ in self.evidence_nouns or root.lemma_.lower() in self.evidence_nouns:
            return f"Evidence: “{span.text}” is a test or record, not a person or organisation."
        if any(t.ent_type_ == "PRODUCT" for t in span):
            return f"A product: “{span.text}” is a thing, not a person or organisation."
        return None

    def document_name(self, span: Span) -> str | None:
        """Why a named source is a document: a journal, a statistics agency, named data ("OECD data")."""
        text = _strip_determiner(span.text)
        if text.lower() in self.journals or (span.start > 1 and span.doc[span.start - 1].lower_ == "journal"):
            return f"The journal {text} publishes research the reader can look up."
        for rule, pattern in self.document_patterns:
            if rule == "pattern_data_head":
                if pattern.fullmatch(span.root.lower_):
                    return f"Named data: “{text}”."
            elif pattern.search(text):
                return (f"A journal: {text} publishes research the reader can look up." if rule == "pattern_journal"
                        else f"A statistics agency: {text} publishes figures the reader can check.")
        return None

    def outlet_name(self, span: Span) -> str | None:
        proper = _proper_name(span)
        if proper is None:
            return None
        # The model often tags the "TV" of "Al Hadath TV" as a common noun: take it along.
        while proper.end < span.end and _capitalised_in(span.doc[proper.end], self.outlet_suffixes):
            proper = span.doc[proper.start:proper.end + 1]
        if not proper.start <= span.root.i < proper.end and _pos(span.root) == "NOUN":
            return None  # "Several former RT journalists": people, not the outlet
        text = proper.text.strip()
        lowered = _strip_determiner(text).lower()
        for candidate in (text.lower(), lowered, "the " + lowered):
            if candidate in self.outlet_names:
                return self.outlet_names[candidate]
        if _capitalised_in(proper[-1], self.outlet_suffixes) and (len(proper) > 1 or any(t.lower_ == "the" for t in span)):
            return _strip_determiner(text)
        return None


class _Verdict:
    def __init__(self, source_type: str, span: Span, *, refers_to=None, entity_name=None,
                 anonymity_reason=None, note=None):
        self.source_type, self.span = source_type, span
        self.refers_to, self.anonymity_reason, self.note = refers_to, anonymity_reason, note
        self.name = entity_name or span.text

    def record(self) -> dict:
        return {"source_type": self.source_type, "refers_to": self.refers_to,
                "anonymity_reason": self.anonymity_reason if self.source_type == "anonymous" else None,
                "entity": f"{self.source_type}:{self.name.lower()}", "entity_name": self.name}

    def why(self, cue_lemma: str | None) -> str:
        base = WHY[self.source_type]
        if self.note:
            base = f"{base[:-1]} — {self.note[0].lower()}{self.note[1:]}" if not self.note.endswith(".") else \
                f"{base[:-1]}: {self.note[0].lower()}{self.note[1:]}"
        return base


class _Context:
    """What the typer knows of the article so far: earlier sources, names, the publisher."""

    def __init__(self, doc: Doc, typer: SourceTyper):
        self.doc, self.typer = doc, typer
        self.text = doc_text(doc)
        self.entities = EntityIndex(doc)
        self.genders = PersonGenders(self.entities.ents)
        self.history: list[_Verdict] = []
        self.blanket_reason = blanket_reason(self.text)
        self.cites_poll = bool(re.search(r"\b(poll|polls|polling|survey|surveyed)\b", self.text, re.I))
        self.cites_study = cites_study(self.text)
        self._person_surnames = None
        self._person_signals: dict[str, bool] = {}
        self._own = None

    def remember(self, span: Span, verdict: _Verdict) -> None:
        self.history.append(verdict)

    def recent(self, *types: str, before: int | None = None) -> _Verdict | None:
        for verdict in reversed(self.history):
            if verdict.source_type in types and (before is None or verdict.span.start_char < before):
                return verdict
        return None

    def cue_region(self, record: dict) -> str:
        start = min(record["source"][0], record["cue"][0]) if record.get("cue") else record["source"][0]
        end = max(record["source"][1], record["cue"][1]) if record.get("cue") else record["source"][1]
        return self.text[start:end + 12]

    def is_own_outlet(self, outlet: str) -> bool:
        """Is this outlet the article's publisher (from the page's address)?"""
        return outlet_is_publisher(outlet, self.doc.user_data.get("sourcing_host"))

    # --- pronouns ----------------------------------------------------------------------------
    def resolve_pronoun(self, span: Span, lower: str) -> _Verdict:
        if lower in SELF_PRONOUNS:
            if _inside_quote(span):
                speaker = self.recent("named_person", "official", "anonymous", "vague")
                if speaker is not None:
                    return _copy(speaker, span, "the speaker of this quote")
            return _Verdict("self", span, entity_name="the author", note="The writer speaks in the first person.")
        if lower in RELATIVE:
            antecedent = span.root.head.head if span.root.head.dep_ == "relcl" else None
            prior = self.recent(*WHY.keys())
            if prior is not None and antecedent is not None and prior.span.start_char <= antecedent.idx < prior.span.end_char + 1:
                return _copy(prior, span, f"refers to {prior.name}")
        if lower in PERSON_PRONOUNS:
            # "she" after "… Bernie Sanders … Hillary Clinton": only a person it agrees with (gender.py).
            prior = next((v for v in reversed(self.history) if v.source_type in ("named_person", "official")
                          and v.span.start_char < span.start_char
                          and self.genders.agrees(lower, self.genders.of_name(v.name))), None)
            person = self.nearest_person_entity(span.start_char, pronoun=lower)
            if person is not None and (prior is None or person.start_char > prior.span.start_char):
                return _Verdict("named_person", span, refers_to=person.text, entity_name=self.person_key(person),
                                note=f"Refers to {person.text}.")
            if prior is not None:
                return _copy(prior, span, f"refers to {prior.name}")
            return _Verdict("named_person", span, note="Refers to a person named earlier.")
        if lower in PLURAL_PRONOUNS:
            prior = self.recent(*WHY.keys(), before=span.start_char)
            if prior is not None and span.start_char - prior.span.start_char < COREF_WINDOW:
                return _copy(prior, span, f"refers to {prior.name}")
            return _Verdict("vague", span, note="“They” with no clear referent.")
        prior = self.recent("named_organization", "named_outlet", "document", before=span.start_char)
        if prior is not None and span.start_char - prior.span.start_char < COREF_WINDOW:
            return _copy(prior, span, f"refers to {prior.name}")
        return _Verdict("document", span, note="Refers to something mentioned earlier.")

    def nearest_person_entity(self, before: int, pronoun: str | None = None) -> Span | None:
        """The last person named before this point (that agrees with the pronoun, when one is given).

        For a pronoun, a person who was the subject of a clause in this or the previous sentence
        wins over one named since in another role ("Trump mocked Machado. He said …": Trump)."""
        person = self.entities.last_before(before, "PERSON")
        nearest, agreeing = None, []
        while person is not None and before - person.start_char < COREF_WINDOW:
            if not pronoun or self.genders.agrees(pronoun, self.genders.of(person)):
                nearest = nearest or person
                if not pronoun:
                    break
                agreeing.append(person)
            person = self.entities.last_before(person.start_char, "PERSON")
        if pronoun and agreeing:
            here = self.doc.char_span(before, before + 1, alignment_mode="expand")
            if here is not None and len(here):
                sentence = here[0].sent
                previous = self.doc[sentence.start - 1].sent.start if sentence.start > 0 else sentence.start
                for candidate in agreeing:
                    if candidate.start < previous:
                        break
                    if candidate.root.dep_ in ("nsubj", "nsubjpass"):
                        return candidate
        return nearest

    # --- names -------------------------------------------------------------------------------
    def name_kind(self, span: Span) -> str | None:
        """'person', 'organization' or None for the proper name in the span."""
        proper = _proper_name(span)
        if proper is None:
            return None
        labels = {t.ent_type_ for t in proper if t.ent_type_}
        # "Pellian Pharma", "Norvale Therapeutics": the last word says organisation, whatever the model says.
        if self.typer.terms.get(proper[-1].lower_) == "organization" and len(proper) > 1:
            return "organization"
        if proper[-1].ent_type_ == "PERSON":
            return "person"
        if self.typer.terms.get(proper[-1].lower_) == "organization":
            return "organization"
        if "PERSON" in labels or any(t.lower_.rstrip(".") + ("." if t.lower_.endswith(".") else "") in TITLES
                                     for t in span[: max(1, proper.start - span.start)]):
            return "person"
        if proper[-1].lower_ in self.surnames():
            return "person"
        if labels & {"ORG", "GPE", "NORP", "FAC", "LOC"}:
            # A lone capitalised word the model calls ORG is often a surname ("Trump said"):
            # trust ORG only for acronyms and multi-word names, or with no sign of a person.
            if len(proper) == 1 and not proper.text.isupper() and self.person_signals(proper.text):
                return "person"
            return "organization"
        return "person" if proper[0].is_title else "organization"

    def surnames(self) -> set[str]:
        if self._person_surnames is None:
            self._person_surnames = {ent[-1].lower_ for ent in self.entities.ents if ent.label_ == "PERSON" and len(ent) > 1}
        return self._person_surnames

    def person_signals(self, name: str) -> bool:
        """Evidence in the article that a one-word name is a person: "X, who", "Mr. X", "X's wife"."""
        if name in self._person_signals:
            return self._person_signals[name]
        pattern = re.compile(rf"\b{re.escape(name)}(’s|'s)? ?,? who\b|\b(Mr|Mrs|Ms|Dr|President|Sen|Gov|Rep)\.? {re.escape(name)}\b"
                             rf"|\b{re.escape(name)}(’s|'s) (wife|husband|son|daughter|family|re-?election|personal|own)\b")
        self._person_signals[name] = bool(pattern.search(self.text))
        return self._person_signals[name]

    def person_key(self, span: Span) -> str:
        proper = _proper_name(span) or span
        return proper[-1].text if len(proper) else span.text


def _copy(prior: _Verdict, span: Span, note: str) -> _Verdict:
    return _Verdict(prior.source_type, span, refers_to=prior.name, entity_name=prior.name,
                    anonymity_reason=prior.anonymity_reason, note=note[0].upper() + note[1:] + ".")


def _proper_name(span: Span) -> Span | None:
    """The run of proper nouns around the span's head ("The New York Times", "Melezia Figueroa")."""
    root = span.root
    tokens = [t for t in span if _pos(t) == "PROPN" or (t.ent_type_ in ("PERSON", "ORG") and t.is_title)]
    if not tokens:
        return None
    # Prefer the run that contains or modifies the head.
    runs, run = [], [tokens[0]]
    for tok in tokens[1:]:
        if tok.i == run[-1].i + 1 or (tok.i == run[-1].i + 2 and span.doc[tok.i - 1].lower_ in ("of", "and", "-")):
            run.append(tok)
        else:
            runs.append(run)
            run = [tok]
    runs.append(run)
    best = next((r for r in runs if any(t.i == root.i for t in r)), None) or next(
        (r for r in runs if any(t.head.i == root.i for t in r)), None)
    if best is None:
        return None
    return span.doc[best[0].i:best[-1].i + 1]


def _named_member(span: Span, entities: EntityIndex) -> Span | None:
    """An organisation named inside a group phrase, as a conjunct or after 'including'/'such as'/'like'."""
    root = span.root
    for ent in entities.within(span):
        if ent.label_ != "ORG" or ent.root.i == root.i:
            continue
        token = ent.root
        for _ in range(4):
            if token.dep_ == "conj" and token.head.i == root.i:
                return ent
            if token.dep_ == "pobj" and token.head.lower_ in ("including", "like", "as") and token.head.head.i == root.i:
                return ent
            if token.head.i == token.i:
                break
            token = token.head
    return None


def _antecedent_phrase(pronoun) -> Span | None:
    """'Republicans, who have questioned ...' → 'Republicans'."""
    head = pronoun.head.head
    doc = pronoun.doc
    start = head.left_edge.i
    end = pronoun.head.left_edge.i
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end > start and end <= pronoun.i else None


SHARE_WORDS = {"percent", "%", "voters", "respondents", "americans", "people", "adults", "likely", "registered"}


def _is_share_of_people(span: Span) -> bool:
    """'Twelve percent', '31 percent', 'Nearly eight of 10 voters', 'a majority of respondents'."""
    words = [t.lower_ for t in span]
    has_number = any(t.like_num or t.ent_type_ in ("PERCENT", "CARDINAL") for t in span)
    return (has_number and any(w in SHARE_WORDS or w.endswith("%") for w in words)) or (
        span.root.lower_ in ("majority", "plurality", "share", "half", "third", "quarter") and "of" in words)


def _capitalised_in(token, words) -> bool:
    return token.lower_ in words and not token.is_lower


def _has_name(span: Span) -> bool:
    """The span names someone: its head is a proper noun, or a name stands beside it in apposition."""
    root = span.root
    if _pos(root) == "PROPN" or root.ent_type_ in ("PERSON", "ORG", "GPE", "FAC"):
        return True
    return any((t.ent_type_ == "PERSON" or _pos(t) == "PROPN") and t.dep_ in ("compound", "appos", "flat")
               and t.head.i == root.i and (t.dep_ == "appos" or t.ent_type_ == "PERSON") for t in span)


def _pos(token) -> str:
    """The part of speech, except that a plural "proper noun" the model saw only because it opens a
    paragraph ("\\n\\nProtesters said", "Officials say") and that names no entity is a common noun."""
    if token.pos_ == "PROPN" and token.tag_ == "NNPS" and not token.ent_type_ and (
            token.i == 0 or token.is_sent_start or token.nbor(-1).is_space):
        return "NOUN"
    return token.pos_


def _root_in_name(span: Span) -> bool:
    """The head belongs to a proper name (not just modified by one): "Merck", "the Red Cross"."""
    proper = _proper_name(span)
    return proper is not None and proper.start <= span.root.i < proper.end


def _has_person(span: Span) -> bool:
    return _pos(span.root) == "PROPN"


def _inside_quote(span: Span) -> bool:
    return any(q.start_char <= span.start_char and span.end_char <= q.end_char
               for q in span.doc.spans.get("sourcing_quotes", []))


def _strip_determiner(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I)


def _anonymous_note(marker: str | None, reason: str | None) -> str:
    if reason:
        return f"The article says why: “{reason.strip()}”."
    if marker:
        return f"It is {marker}, and the article does not say why it is unnamed."
    return "The article does not say why it is unnamed."


def outlet_is_publisher(outlet: str, host: str | None) -> bool:
    """Is this outlet ("Reuters Health", "The Times") the publisher of the page at `host`?"""
    if not host:
        return False
    domains = _outlet_domains().get(outlet.lower()) or _outlet_domains().get(_strip_determiner(outlet).lower())
    if domains:
        return any(host == d or host.endswith("." + d) for d in domains)
    compact = re.sub(r"[^a-z0-9]", "", outlet.lower()).removeprefix("the")
    labels = [label for label in host.removeprefix("www.").split(".")[:-1] if len(label) >= 4]
    return len(compact) >= 4 and any(compact in label or label in compact for label in labels)


@lru_cache(maxsize=1)
def _outlet_domains() -> dict[str, list[str]]:
    return {r["name"].lower(): r["domains"] for r in load_rules("outlets") if r.get("domains")}


def host_from_url(url: str | None) -> str | None:
    """The page's host name, lower-cased ("www.nytimes.com"), for telling the publisher's own voice."""
    if not url:
        return None
    try:
        return (urlparse(url).hostname or "").lower() or None
    except ValueError:
        return None


def type_gold_sources(doc: Doc, article: dict) -> dict[str, tuple[str | None, str | None]]:
    """Type the gold (annotated) source spans of an article, in text order, as the pipeline would.

    For evaluation: it measures the typer apart from how well attributions are found.
    """
    records, ids = [], []
    for attribution in article["attributions"]:
        roles = {}
        for role in ("source", "cue", "content"):
            fragments = [f for span in attribution.get(role) or [] for f in span]
            roles[role] = (min(f["start"] for f in fragments), max(f["end"] for f in fragments), role) \
                if fragments else None
        if roles["source"] is None:
            continue
        cue_span = doc.char_span(roles["cue"][0], roles["cue"][1], alignment_mode="expand") if roles["cue"] else None
        records.append({**roles, "agentless": False,
                        "cue_lemma": cue_span.root.lemma_.lower() if cue_span is not None and len(cue_span) else None})
        ids.append(attribution["id"])
    order = sorted(range(len(records)), key=lambda i: records[i]["source"][0])
    typer = SourceTyper()
    context = _Context(doc, typer)
    result = {}
    for i in order:
        record = records[i]
        span = doc.char_span(record["source"][0], record["source"][1], label="source", alignment_mode="expand")
        if span is None or len(span) == 0:
            result[ids[i]] = (None, None)
            continue
        verdict = typer.classify(span, record, context)
        context.remember(span, verdict)
        result[ids[i]] = (verdict.source_type, verdict.anonymity_reason)
    return result
