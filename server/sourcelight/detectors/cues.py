"""The cue lexicon: which candidate words are attribution cues, and why.

Two sources of knowledge, both data files:
- rules/cues.jsonl (hand-written): reporting, belief and evidence verbs, with the ways their
  content may attach (belief verbs need a clause: "believes that", "wants to"); rules/cue_preps.jsonl
  ("called for", "warned of"); rules/passive_cues.jsonl (agentless "is believed", "were described as").
- rules/cues_learned.jsonl (made by scripts/learn_cues.py from the PolNeAR *training* split only):
  for each (lemma, kind, relation) seen often enough, how often it was an annotated cue. Where the
  data is plentiful it decides; elsewhere the hand lexicon does.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..rules import load_rules, lookup, word_set
from .candidates import cue_preps

# A learned entry decides when it was seen at least this often ...
MIN_EVIDENCE = 5
# ... and accepts a candidate when it was a cue at least this often. Near F1/2: keeping a cue
# that is right this often still raises F1.
MIN_PRECISION = 0.4
HAND_RELATIONS = {
    "speech": {"ccomp", "xcomp", "quote", "dobj", "dobj+oprd", "paren", "paren:as-it"},
    "belief": {"ccomp", "xcomp", "quote", "paren", "paren:as-it", "dobj+oprd"},
    "evidence": {"ccomp", "dobj", "quote", "paren", "paren:as-it"},
}
KIND_WHY = {
    "speech": "a reporting verb: it tells who says this",
    "belief": "a belief or stance verb: it reports what the source thinks or wants",
    "evidence": "an evidence verb: it reports what a document, poll or finding shows",
    "stance": "it reports the source's position or action",
}


@dataclass(frozen=True)
class CueVerdict:
    rule: str
    why: str
    # Learned from data for a word the hand lexicon does not know as a reporting verb: such cues
    # report a stance ("admires", "offered"), which only people, groups and documents take.
    stance_only: bool = False


class CueLexicon:
    def __init__(self):
        hand = lookup("cues", "lemma")
        # A word that is a cue in one construction only ("as Foner *put it*": "relations": ["paren:as-it"])
        # is not a reporting verb elsewhere: it gives no hand feature and no passive cue.
        self.hand = {lemma: rule for lemma, rule in hand.items() if "relations" not in rule}
        self.hand_in_construction = {lemma: rule for lemma, rule in hand.items() if "relations" in rule}
        self.preps = cue_preps()
        self.passive = word_set("passive_cues", "lemma")
        self.nouns = lookup("cue_nouns", "lemma")
        self.learned = {(r["lemma"], r["kind"], r["relation"]): r for r in load_rules("cues_learned")}
        self.infinitive_carriers = word_set("infinitive_carriers", "lemma")

    def us_spelling(self, lemma: str) -> str:
        """The training data is American: read "criticise", "favour" as "criticize", "favor"."""
        for british, american in (("ise", "ize"), ("yse", "yze"), ("our", "or")):
            if lemma.endswith(british):
                candidate = lemma[: -len(british)] + american
                if candidate in self.hand or any(key[0] == candidate for key in self._learned_lemmas()):
                    return candidate
        return lemma

    def _learned_lemmas(self):
        if not hasattr(self, "_lemmas"):
            self._lemmas = {(key[0],) for key in self.learned}
        return self._lemmas

    def judge(self, candidate) -> CueVerdict | None:
        lemma, kind, relation = self.us_spelling(candidate.lemma), candidate.kind, candidate.relation
        cue_text = candidate.cue.text
        if relation == "none":
            return None
        if candidate.kind == "verb" and self.unrealised(candidate.head):
            return None
        if candidate.agentless:
            # Only verbs of saying and believing make a weasel of a passive ("is believed",
            # "were described as"); "is known as", "was found" do not.
            if lemma in self.passive:
                return CueVerdict("agentless_passive", self._why(candidate, cue_text, KIND_WHY["speech"]))
            return None
        learned = self.learned.get((lemma, kind, relation))
        if learned is not None and learned["count"] >= MIN_EVIDENCE:
            if learned["precision"] < MIN_PRECISION:
                return None
            hand = self.hand.get(lemma)
            meaning = KIND_WHY[hand["kind"]] if hand and kind == "verb" else KIND_WHY["stance"]
            return CueVerdict(f"learned:{learned['id']}", self._why(candidate, cue_text, meaning),
                              stance_only=hand is None and lemma not in self.nouns)
        hand_rule = self._hand_rule(lemma, kind, relation)
        if hand_rule is None:
            return None
        return CueVerdict(hand_rule[0], self._why(candidate, cue_text, hand_rule[1]))

    def unrealised(self, verb) -> bool:
        """An infinitive cue ("wants to tell", "refused to say", "plans to release") names speech
        that has not happened; on PolNeAR such cues were attributions only about a quarter of
        the time. "Went on to say", "took to Twitter to say" did happen: their carriers are listed
        in rules/infinitive_carriers.jsonl."""
        if not any(child.dep_ == "aux" and child.lower_ == "to" for child in verb.children):
            return False
        carrier = verb.head
        while carrier.dep_ in ("xcomp", "advcl") and carrier.head is not carrier and carrier.lemma_.lower() not in self.infinitive_carriers:
            carrier = carrier.head
        return carrier is verb or carrier.lemma_.lower() not in self.infinitive_carriers

    def _hand_rule(self, lemma: str, kind: str, relation: str) -> tuple[str, str] | None:
        if kind == "verb":
            rule = self.hand.get(lemma) or self.hand_in_construction.get(lemma)
            if rule is None:
                return None
            allowed = set(rule["relations"]) if "relations" in rule else HAND_RELATIONS[rule["kind"]]
            if relation == "dobj" and rule.get("object_content") is False:
                return None
            if relation == "dobj" and rule.get("object_content") is True:
                allowed = allowed | {"dobj"}
            if relation.startswith("prep:"):
                if relation[5:] not in self.preps.get(lemma, ()):
                    return None
            elif relation not in allowed:
                return None
            return f"verb:{rule['kind']}", KIND_WHY[rule["kind"]]
        if kind == "passive":
            if lemma in self.passive or lemma in self.hand:
                return "passive", KIND_WHY["speech"] if lemma in self.hand else KIND_WHY["stance"]
            return None
        if kind == "noun":
            rule = self.nouns.get(lemma)
            if rule is not None and (relation == "clause" or relation.startswith("prep:")):
                return "noun", rule["why"]
        return None

    def hand_kind(self, candidate) -> str | None:
        """What the hand lexicon knows of the candidate's word (a feature of the learned model)."""
        lemma = self.us_spelling(candidate.lemma)
        if candidate.kind == "verb" and lemma in self.hand:
            return self.hand[lemma]["kind"]
        construction = self.hand_in_construction.get(lemma)
        if candidate.kind == "verb" and construction and candidate.relation in construction["relations"]:
            return construction["kind"]
        if candidate.kind == "passive" and (lemma in self.passive or lemma in self.hand):
            return "passive"
        if candidate.kind == "noun" and lemma in self.nouns:
            return "noun"
        return None

    def hard_no(self, candidate) -> bool:
        """Refusals no learned model overrules: no content, speech not yet made ("wants to say"),
        and agentless passives of words that do not report a view ("is known as")."""
        if candidate.relation == "none":
            return True
        if candidate.kind == "verb" and self.unrealised(candidate.head):
            return True
        return candidate.agentless and self.us_spelling(candidate.lemma) not in self.passive

    def counted(self, candidate) -> bool:
        """Has the counted table enough evidence on this word and use ("plans to": 33 of 102)?"""
        entry = self.learned.get((self.us_spelling(candidate.lemma), candidate.kind, candidate.relation))
        return entry is not None and entry["count"] >= MIN_EVIDENCE

    @staticmethod
    def _why(candidate, cue_text: str, meaning: str) -> str:
        if candidate.agentless:
            return f"“{cue_text}” reports a view without saying whose it is."
        return f"“{cue_text}” is {meaning}." if not meaning.startswith("it ") else f"“{cue_text}”: {meaning}."
