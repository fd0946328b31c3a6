"""Source types: how accountable each attribution's source is, as a news reader would judge it.

named_person, named_organization, named_outlet, official (a role held by one unnamed person),
document, anonymous (unnamed people presented as knowing), vague (unspecified groups, weasel
attributions, agentless passives) and self (the article's own author or outlet).
Back-references the article makes clear ("he", "the outlet", "the Times") take their referent's
type, and every mention is grouped into one source entry.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..rules import load_rules, word_set
from ..voices import study_authors_phrase, voice_rules
from .anonymity import anonymity_marker, reason_given
from .common import guarded
from .publisher import strip_determiner
from .source_context import (PERSON_PRONOUNS, PLURAL_PRONOUNS, RELATIVE, SELF_PRONOUNS, THING_PRONOUNS,
                             ArticleContext, Verdict, copy_verdict, elected_role, part_of_speech, proper_name)
from .source_phrases import (anonymous_note, antecedent_phrase, appositive_person, capitalised_in, definite_role,
                             has_name, has_person, is_share_of_people, name_after_titles, name_part, named_member,
                             root_in_name, works_for_named_body)

VAGUE_DETERMINERS = {"some", "many", "several", "few", "most", "certain", "various", "numerous", "other",
                     "others", "countless", "multiple", "no"}
HANDLE = re.compile(r"@\w{2,}")
UNIVERSAL_PRONOUNS = {"anyone", "anybody", "everyone", "everybody"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "jan.", "feb", "feb.", "mar", "mar.", "apr", "apr.", "jun", "jun.", "jul",
          "jul.", "aug", "aug.", "sep", "sep.", "sept", "sept.", "oct", "oct.", "nov", "nov.", "dec", "dec."}


@Language.factory("sourcing_source_types")
def create_source_typer(nlp: Language, name: str):
    return guarded("sourcing_source_types")(SourceTyper())


class SourceTyper:
    def __init__(self):
        lexicon = load_rules("source_lexicon")
        self.terms: dict[str, str] = {}
        for rule in lexicon:
            if rule["type"] not in ("anonymous_plural", "quantity"):
                self.terms.setdefault(rule["term"], rule["type"])
        # Role nouns that, in the plural and with no names, are anonymous sources ("officials said").
        self.plural_anonymous = word_set("source_lexicon", "term", type="anonymous_plural")
        self.outlet_names = {r["name"].lower(): r["name"] for r in load_rules("outlets")}
        self.outlet_suffixes = word_set("outlet_words", "term", role="suffix")
        self.outlet_descriptors = word_set("outlet_words", "term", role="descriptor")
        self.person_roles = word_set("source_lexicon", "term", type="person")
        # Nouns for what one person is ("writer", "mother", "spokeswoman"): roles a name is given.
        self.human_nouns = word_set("human_nouns", "term")
        self.known_nouns = self.human_nouns | set(self.terms)  # nouns a description may be headed by
        self.role_nouns = {term for term in self.human_nouns | set(self.terms)
                           if self.terms.get(term, "person") in ("person", "official")} - voice_rules().descriptors
        self.journals = word_set("document_names", "term", kind="journal")
        # Companies and bodies the small model's NER seldom tags: "Uber said", "Facebook's own" are no people.
        self.known_organisations = word_set("known_organisations", "name")
        self.document_patterns = [(rule["id"], re.compile(rule["pattern"], re.I))
                                  for rule in load_rules("document_names") if rule["kind"] == "pattern"]
        self.evidence_nouns = word_set("document_names", "term", kind="evidence_noun")
        # "a number of experts", "a handful of senators": a count of the people who speak.
        self.quantities = {r["term"]: r.get("article") for r in lexicon if r["type"] == "quantity"}

    def __call__(self, doc: Doc) -> Doc:
        records = doc._.attributions or []
        spans = {(s.start_char, s.end_char, s.label_): s for s in doc.spans.get("sourcing_attribution", [])}
        context = ArticleContext(doc, self)
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
    def classify(self, span: Span, record: dict, context: "ArticleContext", depth: int = 0) -> "Verdict":
        doc = span.doc
        if record.get("agentless"):
            return Verdict("vague", span, entity_name=f"no one named (“{span.text}”)",
                            note="Agentless passive: the article does not say who holds this view.")
        root = span.root
        if root.tag_ == "POS" and root.i > span.start:  # "Tulsa police’s" parsed with "’s" as head
            root = span.doc[root.i - 1]
        lower = span.text.lower().strip()
        if lower in ("'s", "’s") and span.start > 0 and doc[span.start - 1].lower_ == "let":
            lower = "us"  # "let’s say what the sale is not": the writer and the reader
        head_lemma = root.lemma_.lower()
        role = elected_role(root)
        if role:
            head_lemma = role  # "the president-elect" speaks in the role "president" (not yet held)

        # 0. "no official statements have confirmed", "nobody has said": nobody stands behind it.
        if lower in ("nobody", "no one", "none") or any(t.lower_ == "no" and t.dep_ == "det" for t in root.lefts):
            return Verdict("vague", span, note="Says that no one stands behind the claim.")

        # 0b. "Anyone who has been involved in a deal will tell you": everyone in general, no
        # insider ("involved in" marks an anonymous source only for particular people).
        if root.lower_ in UNIVERSAL_PRONOUNS:
            return Verdict("vague", span, note="Anyone at all: no one in particular is named.")

        # 1. Pronouns and relative pronouns take their referent's type.
        if len(span) == 1 and lower in RELATIVE and root.head.dep_ == "relcl" and depth < 2:
            antecedent = antecedent_phrase(root)
            if antecedent is not None:
                verdict = self.classify(antecedent, record, context, depth + 1)
                return copy_verdict(verdict, span, f"refers to {antecedent.text}") if verdict.source_type != "vague" else \
                    Verdict("vague", span, entity_name=antecedent.text, note=f"Refers to {antecedent.text}.")
        if len(span) == 1 and (lower in PERSON_PRONOUNS | PLURAL_PRONOUNS | THING_PRONOUNS | SELF_PRONOUNS | RELATIVE):
            return context.resolve_pronoun(span, lower)

        # "Senator Ann Cole, an Ohio Republican who warned …": a description set beside a name, cut
        # from it into a source of its own, speaks for the name.
        if root.dep_ == "appos" and part_of_speech(root.head) == "PROPN" and root.head.i < span.start and depth < 2 \
                and (part_of_speech(root) == "PROPN" or root.lemma_.lower() in self.known_nouns):
            name = doc[root.head.left_edge.i:root.head.i + 1]
            return copy_verdict(self.classify(name, record, context, depth + 1), span, f"refers to {name.text}")

        # A transcript's speaker tag ("WALLACE:") names a person.
        if record.get("rule") == "speaker_tag" and not self.outlet_name(span):
            if all(t.ent_type_ in ("GPE", "ORG", "NORP") for t in span) and not span.text.isupper():
                # "Russia: We will respond", "Pentagon: …": a headline's speaker that is a state or body.
                return Verdict("named_organization", span, entity_name=span.text, note="Named by the headline.")
            # "WALLACE" reads "Wallace"; initials ("DT") stay as written.
            name = span.text.title() if len(span.text.strip(".")) > 3 else span.text
            return Verdict("named_person", span, entity_name=name, note="Named by the transcript.")

        # 1a. '"…," Coombes says.', with "Coombes" tagged a plural common noun: a capitalised word
        # that is the surname of a person the article names in full is that person.
        if len(span) == 1 and root.is_title and root.lower_ in context.surnames():
            return Verdict("named_person", span, entity_name=context.person_key(span), note=None)

        # 1b. "Snopes fact checker and staff writer David Emery": the parser coordinates the titles
        # and hangs the name on the last one; the person is the name.
        titled = name_after_titles(span)
        if titled is not None:
            return Verdict("named_person", span, entity_name=context.person_key(titled),
                           note=f"{titled.text}, named after their titles.")

        # 1c. A role with a person's name beside it: "Her deputy, Tom Ruiz,", "An attorney for
        # Novak, Jane Ellison," (not "Obama officials", "the Clinton camp").
        person = appositive_person(span) if part_of_speech(root) == "NOUN" else None
        if person is not None and self.terms.get(head_lemma) not in ("organization", "document") \
                and head_lemma not in voice_rules().descriptors:  # "the rescue group Project Jonah"
            return Verdict("named_person", span, entity_name=context.person_key(person),
                           note=f"{person.text}, named beside the description.")

        # 1d. A social-media handle is a name the reader can trace ("one Twitter user @nycsouthpaw").
        handle = next((t for t in span if HANDLE.fullmatch(t.text)), None)
        if handle is not None and not self.outlet_name(span) and handle.text[1:].lower() not in self.known_organisations:
            return Verdict("named_person", span, entity_name=handle.text, note=f"The account {handle.text}.")

        # 2. The author's own outlet ("The Post has learned" in a Post article).
        outlet = self.outlet_name(span)
        if outlet and context.is_own_outlet(outlet):
            return Verdict("self", span, entity_name=outlet, note="The publishing outlet itself.")

        # 2b. Things are not people or organisations: a product ("the iPhone 15", "Windows 11")
        # or a scan or test ("The CT", "An MRI", "CT scans") is a record, like a document.
        artefact = self.artefact(span)
        if artefact:
            return Verdict("document", span, entity_name=strip_determiner(span.text), note=artefact)

        # 2c. "A number of experts", "a handful of senators": the people counted are the source,
        # typed as they would be alone, under the whole phrase ("the number of deaths" stays data).
        counted = self.counted_people(root)
        if counted is not None and depth < 2:
            verdict = self.classify(counted, record, context, depth + 1)
            name = span.text if verdict.name == counted.text else verdict.name  # "A number of experts"
            return Verdict(verdict.source_type, span, entity_name=name, refers_to=verdict.refers_to,
                           anonymity_reason=verdict.anonymity_reason, note=verdict.note)

        # 3a. Journals and statistics agencies speak through what they publish: documents.
        document_name = self.document_name(span)
        if document_name:
            return Verdict("document", span, entity_name=strip_determiner(span.text), note=document_name)

        # 3. Documents, reports, polls, data.
        # ("the USA TODAY/Suffolk University Poll", capitalised, is a poll too.)
        if self.terms.get(head_lemma) == "document" and (not has_person(span) or head_lemma in ("poll", "survey")):
            refers = context.recent("named_outlet") if head_lemma in ("report", "story", "article") and \
                any(t.lower_ in ("the", "this", "that") for t in root.lefts) else None
            return Verdict("document", span, refers_to=refers.name if refers else None,
                            entity_name=f"{span.text} ({refers.name})" if refers else None,
                            note=f"Document: “{span.text}”." if not refers else
                            f"The report by {refers.name}, referred to earlier.")

        # Poll respondents: "Twelve percent", "Nearly eight of 10 voters" — known only from a poll.
        if context.cites_poll and is_share_of_people(span):
            return Verdict("document", span, entity_name="the poll", note="Poll respondents: what they think is known from the poll.")

        # 4. "the outlet", "the newspaper": back to the outlet last named.
        if head_lemma in self.outlet_descriptors and any(t.lower_ in ("the", "this", "that") for t in root.lefts):
            refers = context.recent("named_outlet")
            if refers is not None:
                return Verdict("named_outlet", span, refers_to=refers.name, entity_name=refers.name,
                                note=f"Refers back to {refers.name}.")

        # 5. Anonymous: "sources", "people familiar with", "officials" with no names.
        cue_region = context.cue_region(record)
        marker = anonymity_marker(span, cue_region)
        kind = self.terms.get(head_lemma)
        plural = root.tag_ in ("NNS", "NNPS")
        # "the Premier", "the President": a capitalised title is a role, not a name.
        named = has_name(span) and not (head_lemma in self.person_roles or kind in ("official", "person")
                                         and not any(t.ent_type_ == "PERSON" for t in span))
        # 4b. A description by a role the article gives a named person: "the Snopes.com writer"
        # after "Emery, a writer for Snopes.com". Not "this writer" (the author) or "the other writer".
        # "The Prime Minister", capitalised, is the role as much as "the prime minister".
        title = part_of_speech(root) == "PROPN" and head_lemma in self.role_nouns and not any(
            t.ent_type_ == "PERSON" for t in span)
        if not marker and not plural and (part_of_speech(root) == "NOUN" or role or title) and definite_role(root):
            holder = context.role_holder(root, f"{role}-elect" if role else head_lemma, span.start_char)
            if holder is not None:
                return Verdict("named_person", span, refers_to=holder.text, entity_name=context.person_key(holder),
                               note=f"Refers to {holder.text}.")
        if not named and (kind == "anonymous" or marker or (head_lemma in self.plural_anonymous and plural)):
            reason = reason_given(doc, context.text, span.start_char, span.end_char) or context.blanket_reason
            return Verdict("anonymous", span, anonymity_reason=bool(reason), entity_name=span.text,
                            note=anonymous_note(marker, reason))

        # 6. News outlets.
        if outlet:
            return Verdict("named_outlet", span, entity_name=outlet, note=f"{outlet} is a news outlet.")

        # A group with a named part is credited to the named part: "Other major unions, including
        # the AFT", "activist groups like Greenpeace", "storytellers and the Black Lives Matter movement".
        if not named:
            member = named_member(span, context.entities)
            if member is not None:
                return Verdict("named_organization", span, entity_name=member.text,
                                note=f"The named part of the group is {member.text}.")

        # "the researchers", "the study authors" in a story about a study: its authors, a known group.
        if not named and context.cites_study and study_authors_phrase(span.text):
            return Verdict("document", span, entity_name="the study's authors",
                            note="The authors of the study the article reports on: they speak for a record "
                                 "the reader could check.")

        # 7. Vague groups: "critics", "some lawmakers", "Trump's supporters", "many experts".
        determiners = {t.lower_ for t in root.lefts if t.dep_ in ("det", "amod", "nummod", "predet")}
        if not named and (kind == "vague" or lower in VAGUE_DETERMINERS or determiners & VAGUE_DETERMINERS
                          or (plural and kind in (None, "official") and part_of_speech(root) == "NOUN")):
            if kind == "official" and not plural:
                pass
            else:
                return Verdict("vague", span, entity_name=span.text, note="No one in particular is named.")
        # "many Africans", "some Texans": a people counted vaguely, whatever the NER calls them.
        if root.ent_type_ == "NORP" and plural or (part_of_speech(root) == "PROPN" and lower in ("republicans", "democrats")) \
                or (root.tag_ == "NNPS" and determiners & VAGUE_DETERMINERS):
            return Verdict("vague", span, entity_name=span.text, note="A whole group, with no one named.")

        # 8. An identified role held by one unnamed person: "a Pentagon spokesperson". But "the
        # mayor", "the South Carolina senator" in an article that names people stands for a name.
        if (kind in ("official", "person") or head_lemma in self.person_roles) and not named:
            definite = any(t.lower_ in ("the", "this", "that") or t.dep_ == "poss" for t in root.lefts)
            # "A Television Academy spokesman said …" … "the spokesman said": the one already quoted.
            earlier = context.earlier_in_role(head_lemma, span.start_char) if definite else None
            if earlier is not None and earlier.source_type in ("official", "anonymous", "vague"):
                return copy_verdict(earlier, span, f"refers to {earlier.span.text}")
            person = context.nearest_person_entity(span.start_char) or context.recent("named_person", before=span.start_char)
            # Not "the president-elect" (a role someone is about to take): the last person named is
            # as likely the one leaving it.
            # Nor "the governor and attorney general": two roles, two people.
            coordinated = any(c.dep_ == "conj" for c in root.children)
            if definite and person is not None and not role and not coordinated:
                name = person.text if isinstance(person, Span) else person.name
                return Verdict("named_person", span, refers_to=name, entity_name=context.person_key(person)
                                if isinstance(person, Span) else person.name, note=f"Refers to {name}.")
            if kind == "official" and not plural:
                return Verdict("official", span, entity_name=span.text, note="Speaks in an official role, but is not named.")

        # 9. Names: people and organisations ("Trump's administration" is the administration).
        if kind == "organization" and part_of_speech(root) == "NOUN":
            return Verdict("named_organization", span, entity_name=strip_determiner(span.text), note=None)
        # "Facebook records …", the name tagged a common noun.
        if len(span) == 1 and root.lower_ in self.known_organisations and not root.is_lower:
            return Verdict("named_organization", span, entity_name=root.text, note=None)
        # A common noun with a name or acronym in front is a thing, not the name ("a CT scan").
        if part_of_speech(root) == "NOUN" and kind is None and not root_in_name(span):
            if root.lower_ in self.evidence_nouns:
                return Verdict("document", span, entity_name=strip_determiner(span.text),
                                note=f"Evidence: “{span.text}”.")
            # "A reporter for USA Today", "an analyst at Lazard": one person working for a named
            # body speaks in that capacity (the guidelines' official), though unnamed.
            if not plural and head_lemma in self.role_nouns and works_for_named_body(root):
                return Verdict("official", span, entity_name=span.text,
                               note="Speaks for a named body in a professional role, but is not named.")
            return Verdict("vague", span, entity_name=span.text, note="The source is described, not identified.")
        # "Acme, a company that sells anvils": the description beside the name says what it is.
        described = next((self.terms.get(c.lemma_.lower()) for c in root.children
                          if c.dep_ == "appos" and part_of_speech(c) == "NOUN"), None)
        name_kind = {"organization": "organization", "person": "person", "official": "person"}.get(described) \
            or context.name_kind(span)
        if name_kind == "person":
            return Verdict("named_person", span, entity_name=context.person_key(span), note=None)
        if name_kind == "organization" or kind == "organization":
            return Verdict("named_organization", span, entity_name=strip_determiner(name_part(span).text), note=None)

        # 10. Anything else: a description with no name ("a bartender") is vague.
        return Verdict("vague", span, entity_name=span.text, note="The source is described, not identified.")

    def artefact(self, span: Span) -> str | None:
        """Why a source is a thing: a product the NER names, a name with a model number, a scan."""
        root = span.root
        for token in span[:-1]:  # "iPhone 15", "Windows 11": a name with its model number (not "May 12")
            after = span.doc[token.i + 1]
            # Digits, and the name ends there: not "Channel Four News", "Channel 4 News".
            name_goes_on = after.i + 1 < len(span.doc) and span.doc[after.i + 1].ent_iob_ == "I"
            if (part_of_speech(token) == "PROPN" and after.like_num and after.dep_ == "nummod" and after.head.i == token.i
                    and token.lower_ not in MONTHS and any(ch.isdigit() for ch in after.text) and not name_goes_on):
                return f"A product with a model number: “{span.text}” is a thing, not a person or organisation."
        if any(t.ent_type_ == "PERSON" for t in span):
            return None
        if root.lower_ in self.evidence_nouns or root.lemma_.lower() in self.evidence_nouns:
            return f"Evidence: “{span.text}” is a test or record, not a person or organisation."
        # ("both Roscosmos and NASA", the agency's name once tagged a product: an organisation beside it)
        if any(t.ent_type_ == "PRODUCT" for t in span) and not any(t.ent_type_ == "ORG" for t in span):
            return f"A product: “{span.text}” is a thing, not a person or organisation."
        return None

    def counted_people(self, root) -> Span | None:
        """The "experts" of "a number of experts": the object of "of" after a quantity noun (one that
        must follow "a", as "number", only then). "One of the polls" is one of them: a poll."""
        word = root.lower_  # as written: "dozens of", "hundreds of" are quantities, "dozen" alone is not listed
        # "one" is not in the lexicon's quantities: as a source noun there it would change what the
        # cue model reads for every "one said".
        if word not in self.quantities and word != "one":
            return None
        article = self.quantities.get(word)
        if article and not any(t.lower_ == article and t.dep_ == "det" for t in root.lefts):
            return None
        of = next((c for c in root.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        counted = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if counted is None or (word == "one" and counted.pos_ != "NOUN"):
            return None  # "one of the Klansmen": one unnamed member of a named group is no name
        return root.doc[counted.left_edge.i:counted.right_edge.i + 1]

    def document_name(self, span: Span) -> str | None:
        """Why a named source is a document: a journal, a statistics agency, named data ("OECD data")."""
        text = strip_determiner(span.text)
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
        proper = proper_name(span)
        if proper is None:
            return None
        # The model often tags the "TV" of "Al Hadath TV" as a common noun: take it along.
        while proper.end < span.end and capitalised_in(span.doc[proper.end], self.outlet_suffixes):
            proper = span.doc[proper.start:proper.end + 1]
        if not proper.start <= span.root.i < proper.end and part_of_speech(span.root) == "NOUN":
            return None  # "Several former RT journalists": people, not the outlet
        text = proper.text.strip()
        lowered = strip_determiner(text).lower()
        for candidate in (text.lower(), lowered, "the " + lowered):
            if candidate in self.outlet_names:
                return self.outlet_names[candidate]
        if capitalised_in(proper[-1], self.outlet_suffixes) and (len(proper) > 1 or any(t.lower_ == "the" for t in span)):
            return strip_determiner(text)
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
    context = ArticleContext(doc, typer)
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
