"""What the source typer knows of the article around a source: who was named and typed
before it (for "he", "they", "the outlet"), which names are people or organisations, and the
verdict it records for each source. source_types.py makes the decisions; this is its memory.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from spacy.tokens import Doc, Span

from ..voices import SUFFIXES, cites_study, surname_in, voice_rules
from .anonymity import blanket_reason
from .common import EntityIndex, doc_text
from .gender import PersonGenders
from .publisher import outlet_is_publisher

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
PLURAL_PRONOUNS = {"they", "them", "their"}
THING_PRONOUNS = {"it", "its", "which", "this", "that"}
SELF_PRONOUNS = {"i", "we", "me", "us", "my", "our"}
RELATIVE = {"who", "which", "that", "whom", "whose"}
TITLES = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sen", "sen.", "rep", "rep.", "gov", "gov.",
          "president", "senator", "representative", "governor", "mayor", "judge", "secretary", "minister",
          "general", "gen.", "gen", "prime", "chancellor", "sir", "lady", "lord", "prof", "prof.", "professor",
          "pope", "king", "queen", "prince", "princess", "sheikh", "ayatollah", "chairman", "ceo",
          "elect"}  # "President-elect Ann Cole"
ORG_LABELS = {"ORG", "GPE", "NORP", "FAC", "LOC"}
# How far back (in characters) a pronoun or "the outlet" looks for what it refers to.
COREF_WINDOW = 2500
# How far back "the spokesman" looks for "a Pentagon spokesman" quoted before.
ROLE_WINDOW = 700

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


class Verdict:
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
            note = self.note if self._note_opens_with_name() else f"{self.note[0].lower()}{self.note[1:]}"
            base = f"{base[:-1]} — {note}" if not self.note.endswith(".") else f"{base[:-1]}: {note}"
        return base

    def _note_opens_with_name(self) -> bool:
        """"Al Hadath TV is a news outlet.", "Fiona, named beside …": a name keeps its capital."""
        first = self.note.split(maxsplit=1)[0].strip(",.:;")
        return first[:1].isupper() and first.lower() not in ("the", "a", "an") \
            and re.search(rf"(?<!\w){re.escape(first)}(?!\w)", self.span.text) is not None


class ArticleContext:
    """What the typer knows of the article so far: earlier sources, names, the publisher."""

    def __init__(self, doc: Doc, typer):
        self.doc, self.typer = doc, typer
        self.text = doc_text(doc)
        self.entities = EntityIndex(doc)
        self.genders = PersonGenders(self.entities.ents)
        self.history: list[Verdict] = []
        self.blanket_reason = blanket_reason(self.text)
        self.cites_poll = bool(re.search(r"\b(poll|polls|polling|survey|surveyed)\b", self.text, re.I))
        self.cites_study = cites_study(self.text)
        self._person_surnames = None
        self._full_names = None
        self._entity_votes = None
        self._roles = None
        self._quote_ends = None
        self._person_signals: dict[str, bool] = {}
        self._own = None

    def remember(self, span: Span, verdict: Verdict) -> None:
        self.history.append(verdict)

    def recent(self, *types: str, before: int | None = None) -> Verdict | None:
        for verdict in reversed(self.history):
            if verdict.source_type in types and (before is None or verdict.span.start_char < before):
                return verdict
        return None

    def earlier_in_role(self, role: str, before: int) -> Verdict | None:
        """The last source before this point whose head is the same role noun ("a Pentagon
        spokesman" for "the spokesman"), a sentence or two back: further on, the article has often
        named the holder since ("A judge has rejected …", "Justice Ann Cole …", "The judge agreed")."""
        for verdict in reversed(self.history):
            start = verdict.span.start_char
            if start < before and before - start < ROLE_WINDOW and verdict.span.root.lemma_.lower() == role \
                    and verdict.span.root.tag_ == "NN":
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
    def resolve_pronoun(self, span: Span, lower: str) -> Verdict:
        if lower in SELF_PRONOUNS:
            if _inside_quote(span):
                speaker = self.recent("named_person", "official", "anonymous", "vague")
                if speaker is not None:
                    return copy_verdict(speaker, span, "the speaker of this quote")
            return Verdict("self", span, entity_name="the author", note="The writer speaks in the first person.")
        if lower in RELATIVE:
            antecedent = span.root.head.head if span.root.head.dep_ == "relcl" else None
            prior = self.recent(*WHY.keys())
            if prior is not None and antecedent is not None and prior.span.start_char <= antecedent.idx < prior.span.end_char + 1:
                return copy_verdict(prior, span, f"refers to {prior.name}")
        if lower in PERSON_PRONOUNS:
            # "she" after "… Bernie Sanders … Hillary Clinton": only a person it agrees with (gender.py).
            prior = next((v for v in reversed(self.history) if v.source_type in ("named_person", "official")
                          and v.span.start_char < span.start_char
                          and self.genders.agrees(lower, self.genders.of_name(v.name))), None)
            person = self.nearest_person_entity(span.start_char, pronoun=lower)
            if person is not None and (prior is None or person.start_char > prior.span.start_char):
                return Verdict("named_person", span, refers_to=person.text, entity_name=self.person_key(person),
                                note=f"Refers to {person.text}.")
            if prior is not None:
                return copy_verdict(prior, span, f"refers to {prior.name}")
            return Verdict("named_person", span, note="Refers to a person named earlier.")
        if lower in PLURAL_PRONOUNS:
            prior = self.recent(*WHY.keys(), before=span.start_char)
            if prior is not None and span.start_char - prior.span.start_char < COREF_WINDOW:
                return copy_verdict(prior, span, f"refers to {prior.name}")
            return Verdict("vague", span, note="“They” with no clear referent.")
        prior = self.recent("named_organization", "named_outlet", "document", before=span.start_char)
        if prior is not None and span.start_char - prior.span.start_char < COREF_WINDOW:
            return copy_verdict(prior, span, f"refers to {prior.name}")
        return Verdict("document", span, note="Refers to something mentioned earlier.")

    def _quote_just_before(self, at: int) -> tuple[int, int] | None:
        """The quotation a pronoun credits ('“…,” he said'): one ending a few characters before it."""
        if self._quote_ends is None:  # (end, start) of each quotation, sorted once per article
            self._quote_ends = sorted((q.end_char, q.start_char) for q in self.doc.spans.get("sourcing_quotes", [])
                                      if q.label_ == "quote")
        k = bisect_right(self._quote_ends, (at, at)) - 1
        if k >= 0 and at - self._quote_ends[k][0] <= 3:
            end, start = self._quote_ends[k]
            return start, end
        return None

    def nearest_person_entity(self, before: int, pronoun: str | None = None) -> Span | None:
        """The last person named before this point (that agrees with the pronoun, when one is given).

        For a pronoun, a person who was the subject of a clause in this or the previous sentence
        wins over one named since in another role ("Trump mocked Machado. He said …": Trump)."""
        person = self.entities.last_before(before, "PERSON")
        nearest, agreeing = None, []
        own_quote = self._quote_just_before(before) if pronoun else None
        while person is not None and before - person.start_char < COREF_WINDOW:
            # '“Betsy is a person who will put kids first,” he said': not someone the speaker talks about.
            in_own_quote = own_quote is not None and own_quote[0] <= person.start_char < own_quote[1]
            if not in_own_quote and (not pronoun or self.genders.agrees(pronoun, self.genders.of(person))):
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
    def role_holder(self, description, role: str, at: int) -> Span | None:
        """The person the article names with this role: "Emery, a writer for Snopes.com" for a later
        "the Snopes.com writer", "her mother, Fiona," for a lede's "The mother of a woman who …"
        (the guidelines' descriptions of a named person). The holder named last before the
        description, else the first named after it; every word before the role noun must be in
        the words the name was given with ("the Republican chairman" is not "campaign chairman X")."""
        if self._roles is None:
            self._roles = _role_holders(self.doc, self.typer.role_nouns)
        modifiers = {t.lower_ for t in description.lefts if t.dep_ not in ("det", "poss", "punct") and not t.is_punct}
        holders = [name for name, words in self._roles.get(role, ()) if modifiers <= words]
        before = [name for name in holders if name.start_char < at]
        return before[-1] if before else next(iter(holders), None)

    def name_kind(self, span: Span) -> str | None:
        """'person', 'organization' or None for the proper name in the span."""
        proper = proper_name(span)
        if proper is None:
            return None
        labels = {t.ent_type_ for t in proper if t.ent_type_}
        # "Pellian Pharma", "Norvale Therapeutics": the last word says organisation, whatever the model says.
        if self.typer.terms.get(proper[-1].lower_) == "organization" and len(proper) > 1:
            return "organization"
        if len(proper) == 1 and proper[0].lower_ in self.typer.known_organisations:
            return "organization"
        before = span.doc[proper.start - 1] if proper.start > span.start else None
        # "Mayor Ana Ruiz"; "former sex slave Nadia Murad", a role for one person before the name.
        titled = any(t.lower_.rstrip(".") + ("." if t.lower_.endswith(".") else "") in TITLES
                     for t in span[: max(1, proper.start - span.start)]) or (
            before is not None and before.is_lower and before.tag_ == "NN" and before.dep_ == "compound"
            and before.lemma_ in self.typer.role_nouns)
        # "the whale rescue group Project Jonah", "the charity Oxfam": named after what it is.
        if not titled and before is not None and before.is_lower and before.lower_ in voice_rules().descriptors:
            return "organization"
        # "Whole Foods", "Con Edison", tagged ORG four times and PERSON once in one article, are
        # organisations, the PERSON mention included. (Multi-word names only: a lone surname is
        # often mistagged ORG.)
        votes = self.entity_votes().get(proper.text.lower()) if len(proper) > 1 else None
        if not titled and votes and sum(votes[label] for label in ORG_LABELS) > votes["PERSON"]:
            return "organization"
        # "Ngātiwai believe …": one word with a plural verb names a people or a body, not a person.
        # ("Smith and Jones say": two people.)
        if len(proper) == 1 and proper[0].tag_ == "NNP" \
                and proper[0].dep_ == "nsubj" and proper[0].head.tag_ == "VBP" \
                and not any(c.dep_ in ("conj", "cc") for c in proper[0].children) \
                and proper[0].lower_ not in self.surnames() and proper[0].lower_ not in self.given_names():
            return "organization"
        if proper[-1].ent_type_ == "PERSON":
            return "person"
        if self.typer.terms.get(proper[-1].lower_) == "organization":
            return "organization"
        if "PERSON" in labels or titled:
            return "person"
        if proper[-1].lower_ in self.surnames():
            return "person"
        if len(proper) == 1 and proper[0].lower_ in self.given_names():
            return "person"  # "Melania said", after "Melania Trump": the model's ORG for a lone first name
        if labels & ORG_LABELS:
            # A lone capitalised word the model calls ORG is often a surname ("Trump said"):
            # trust ORG only for acronyms and multi-word names, or with no sign of a person.
            if len(proper) == 1 and not proper.text.isupper() and self.person_signals(proper.text):
                return "person"
            return "organization"
        return "person" if proper[0].is_title else "organization"

    def entity_votes(self) -> dict[str, Counter]:
        """How the NER labelled each name across the article ("whole foods" → ORG 9, PERSON 1)."""
        if self._entity_votes is None:
            self._entity_votes = {}
            for ent in self.entities.ents:
                self._entity_votes.setdefault(ent.text.lower(), Counter())[ent.label_] += 1
        return self._entity_votes

    def surnames(self) -> set[str]:
        if self._person_surnames is None:
            self._person_surnames = {_surname(list(ent)).lower_ for ent in self.entities.ents
                                     if ent.label_ == "PERSON" and len(ent) > 1}
        return self._person_surnames

    def given_names(self) -> set[str]:
        """The first words of the article's full person names ("melania" of "Melania Trump")."""
        self.full_names("")
        return {name.split()[0].lower() for names in self._full_names.values() for _, name in names}

    def person_signals(self, name: str) -> bool:
        """Evidence in the article that a one-word name is a person: "X, who", "Mr. X", "X's wife"."""
        if name in self._person_signals:
            return self._person_signals[name]
        pattern = re.compile(rf"\b{re.escape(name)}(’s|'s)? ?,? who\b|\b(Mr|Mrs|Ms|Dr|President|Sen|Gov|Rep)\.? {re.escape(name)}\b"
                             rf"|\b{re.escape(name)}(’s|'s) (wife|husband|son|daughter|family|re-?election|personal|own)\b")
        self._person_signals[name] = bool(pattern.search(self.text))
        return self._person_signals[name]

    def person_key(self, span: Span) -> str:
        """The key one person's mentions share: the surname, or first and last name when the article
        names two people with that surname ("Donald Trump", "Melania Trump"; "Bill" and "Hillary
        Clinton"), so that their words are not merged into one voice."""
        proper = proper_name(span) or span
        if not len(proper):
            return span.text
        surname = _surname(list(proper))
        full_names = self.full_names(surname.lower_)
        if len(proper) == 1 and not full_names and proper[0].lower_ in self.given_names():
            key = self._first_name_key(proper[0].lower_)
            if key is not None:
                return key
        if len({name for _, name in full_names}) < 2:
            return surname.text
        words = [t for t in proper if t.tag_ != "POS" and not t.is_punct]
        titled = [n for n, t in enumerate(words) if t.lower_ in TITLES]
        words = words[titled[-1] + 1:] if titled else words  # "Mayor Ana Ruiz" → "Ana Ruiz"
        if len(words) == 2 and words[-1].lower_ in SUFFIXES:  # "Trump Jr.": the one so named in full
            juniors = {name for _, name in full_names if name.split()[-1] == words[-1].text}
            if len(juniors) == 1:
                return juniors.pop()
        if len(words) > 1:
            return _first_and_last(words)
        # A surname alone is the person the article names in full most often (the one it is about),
        # on a tie the one named last before it.
        counts = Counter(name for _, name in full_names)
        last_before = {name: start for start, name in full_names if start < proper.start}
        return max(counts, key=lambda name: (counts[name], last_before.get(name, -1)))

    def _first_name_key(self, first: str) -> str | None:
        """"Melania said", after "Melania Trump": a first name alone is the one person it begins."""
        owners = {name for names in self._full_names.values() for _, name in names if name.split()[0].lower() == first}
        if len(owners) != 1:
            return None
        full = owners.pop()
        last = surname_in(full)
        return full if len({name for _, name in self.full_names(last.lower())}) > 1 else last

    def full_names(self, surname: str) -> list[tuple[int, str]]:
        """(token index, "First Last") of each person named in full in the article with this
        surname: the model's PERSON names and runs of capitalised proper nouns after a title
        ("Mayor Ana Ruiz", which the model may miss); a suffix stays ("Donald Trump Jr.")."""
        if self._full_names is None:
            found: dict[int, tuple[int, str]] = {}  # by the name's last token: each name once
            for ent in self.entities.ents:
                words = [t for t in ent if t.tag_ != "POS" and not t.is_punct]
                if ent.label_ == "PERSON" and len(words) > 1 and all(t.is_title or t.is_upper for t in words):
                    found[words[-1].i] = (ent.start, _first_and_last(words))
            run: list = []
            for token in list(self.doc) + [None]:
                if token is not None and token.pos_ == "PROPN" and token.is_title:
                    run.append(token)
                    continue
                titled = [n for n, t in enumerate(run) if t.lower_ in TITLES]
                if titled and len(run) - titled[-1] - 1 >= 2 and run[-1].i not in found:
                    words = run[titled[-1] + 1:]
                    found[run[-1].i] = (words[0].i, _first_and_last(words))
                run = []
            self._full_names = {}
            for start, name in sorted(found.values()):
                self._full_names.setdefault(surname_in(name).lower(), []).append((start, name))
        return self._full_names.get(surname, [])


def _surname(words):
    """The surname token of a name's words: the last, or the one before a suffix ("Tom Hicks Jr.")
    or a possessive the entity took in ("Edward Snowden’s")."""
    while len(words) > 1 and words[-1].tag_ == "POS":
        words = words[:-1]
    return words[-2] if len(words) > 1 and words[-1].lower_ in SUFFIXES else words[-1]


def _first_and_last(words) -> str:
    """"Hillary Rodham Clinton" and "Hillary Clinton" are one person: "Hillary Clinton"; a suffix
    stays ("Donald Trump Jr.")."""
    if len(words) > 2 and words[-1].lower_ in SUFFIXES:
        return f"{words[0].text} {words[-2].text} {words[-1].text}"
    return f"{words[0].text} {words[-1].text}"


def _role_holders(doc: Doc, role_nouns: set[str]) -> dict[str, list[tuple[Span, set[str]]]]:
    """Role → the names it is given beside, with the words of the role's phrase: in apposition
    either way round ("Emery, a writer for …", "her mother, Fiona,") or as a title before the
    name ("chief inspector Jennifer Mattinson", "fact checker and staff writer David Emery",
    "President-elect Ann Cole", a role of its own)."""
    holders: dict[str, list[tuple[Span, set[str]]]] = {}
    for token in doc:
        elected = elected_role(token)
        if elected:
            role = f"{elected}-elect"
        elif token.tag_ == "NN" or token.pos_ == "PROPN" and token.is_title and token.dep_ == "compound":
            role = token.lemma_.lower()  # "Inspector Jennifer Mattinson": a capitalised title too
            if role not in role_nouns:
                continue
        else:
            continue
        name = None
        if token.dep_ == "appos":
            name = _person_name(token.head)
        if name is None:
            name = next((n for n in map(_person_name, (c for c in token.children if c.dep_ == "appos")) if n), None)
        title = token.head if token.dep_ == "conj" and token.head.dep_ == "compound" else token
        if name is None and title.dep_ == "compound":
            name = _person_name(title.head)
        if name is not None:
            words = {t.lower_ for t in token.subtree} | {t.lower_ for t in title.lefts}
            if token.dep_ == "appos":  # "Emery, a writer for a website, Snopes.com, …": the name's other appositions
                words |= {t.lower_ for other in token.head.children if other.dep_ == "appos" for t in other.subtree}
            holders.setdefault(role, []).append((name, words))
    return holders


def elected_role(token) -> str | None:
    """"president" for the "elect" of "the president-elect" (tokens "president", "-", "elect")."""
    if token.lower_ == "elect" and token.i >= 2 and token.doc[token.i - 1].text == "-":
        return token.doc[token.i - 2].lemma_.lower()
    return None


def _person_name(token) -> Span | None:
    """The person's name ending at this token: the model's PERSON entity, or a run of capitalised
    proper nouns it left untagged ("Emery")."""
    if token.ent_type_ == "PERSON":
        start, end = token.i, token.i + 1
        while start > 0 and token.doc[start - 1].ent_type_ == "PERSON" and token.doc[start].ent_iob_ != "B":
            start -= 1
        while end < len(token.doc) and token.doc[end].ent_iob_ == "I":
            end += 1
        return token.doc[start:end]
    if token.pos_ != "PROPN" or not token.is_title or token.ent_type_:
        return None
    start = token.i
    while start > 0 and token.doc[start - 1].pos_ == "PROPN" and token.doc[start - 1].dep_ in ("compound", "flat") \
            and token.doc[start - 1].is_title:
        start -= 1
    return token.doc[start:token.i + 1]


def copy_verdict(prior: Verdict, span: Span, note: str) -> Verdict:
    return Verdict(prior.source_type, span, refers_to=prior.name, entity_name=prior.name,
                    anonymity_reason=prior.anonymity_reason, note=note[0].upper() + note[1:] + ".")


def proper_name(span: Span) -> Span | None:
    """The run of proper nouns around the span's head ("The New York Times", "Melezia Figueroa")."""
    root = span.root
    tokens = [t for t in span if part_of_speech(t) == "PROPN" or (t.ent_type_ in ("PERSON", "ORG") and t.is_title)]
    if not tokens:
        return None
    # Prefer the run that contains or modifies the head.
    runs, run = [], [tokens[0]]
    for tok in tokens[1:]:
        # "Bank of America", "Johnson and Johnson" are one name; "Roscosmos and NASA" (two entities) are two.
        # "Senator Mitch McConnell of Kentucky" is a person and the state he comes from.
        joined = tok.i == run[-1].i + 2 and span.doc[tok.i - 1].lower_ in ("of", "and", "-") and not (
            span.doc[tok.i - 1].lower_ == "and" and tok.ent_iob_ == "B") and not (
            span.doc[tok.i - 1].lower_ == "of" and tok.ent_type_ != "PERSON"
            and (run[-1].ent_type_ == "PERSON" or run[0].lower_ in TITLES and len(run) > 2))
        if tok.i == run[-1].i + 1 or joined:
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


def part_of_speech(token) -> str:
    """The part of speech, except that a plural "proper noun" the model saw only because it opens a
    paragraph ("\\n\\nProtesters said", "Officials say") and that names no entity is a common noun."""
    if token.pos_ == "PROPN" and token.tag_ == "NNPS" and not token.ent_type_ and (
            token.i == 0 or token.is_sent_start or token.nbor(-1).is_space):
        return "NOUN"
    return token.pos_


def _inside_quote(span: Span) -> bool:
    return any(q.start_char <= span.start_char and span.end_char <= q.end_char
               for q in span.doc.spans.get("sourcing_quotes", []))
