"""A small made-up news corpus for the corpus-run and report tests: fictional towns, people,
agencies and outlets, written here from sentence templates (no real article's text).

Three outlets source differently on purpose, so per-outlet plots and rates differ: the Valley
Courier names its sources and quotes them, the Northern Ledger leans on officials and documents,
the Metro Daily Wire on anonymous and vague sources and claims nobody stands behind.
"""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

OUTLETS = {
    "Valley Courier": {"named_quote": 5, "named_said": 4, "official": 2, "document": 2, "anonymous": 0, "vague": 1,
                       "hedge": 1, "unattributed": 0, "fact": 4},
    "Northern Ledger": {"named_quote": 2, "named_said": 2, "official": 5, "document": 4, "anonymous": 1, "vague": 1,
                        "hedge": 1, "unattributed": 1, "fact": 3},
    "Metro Daily Wire": {"named_quote": 1, "named_said": 1, "official": 1, "document": 0, "anonymous": 5, "vague": 4,
                         "hedge": 3, "unattributed": 4, "fact": 2},
}
PEOPLE = [("Mara Lindqvist", "the city's transport director"), ("Tobias Okafor", "a council member"),
          ("Ines Castellano", "the chief engineer at the Harbour Authority"), ("Dmitri Vasko", "a union organiser"),
          ("Priya Raman", "the head of the Lakeside Water Board"), ("Colm Brennan", "the mayor of Eastfield"),
          ("Hana Yoshida", "a professor of civil engineering at Northgate University"),
          ("Samuel Adeyemi", "the director of Brightfield Hospital"), ("Lucia Ferreira", "a resident of Mill Street"),
          ("Gareth Pryce", "the treasurer of the Regional Transit Agency")]
AGENCIES = ["the Harbour Authority", "the Lakeside Water Board", "the Regional Transit Agency",
            "Brightfield Hospital", "the Eastfield school district"]
TOPICS = [
    ("the Kestrel Bridge repairs", ["the repairs would finish by June", "the cost had risen by nearly $4 million",
                                    "two lanes would stay closed through the spring", "inspectors found new cracks in March"]),
    ("the water rate increase", ["bills would rise by 12 percent next year", "the old pipes lose a fifth of the water",
                                 "the board had delayed the vote twice", "low-income households would get a discount"]),
    ("the transit strike", ["talks would resume on Thursday", "drivers had worked without a contract since May",
                            "weekend service would be cut in half", "the agency offered a three percent raise"]),
    ("the new hospital wing", ["the wing would open with 80 beds", "construction was six months behind schedule",
                               "the state had covered half of the cost", "nurses were being hired from abroad"]),
]
SAYS = ["said", "told reporters", "said in an interview", "said on Tuesday", "said at a public meeting"]


def _sentence(kind: str, topic: str, claims: list[str], rng: random.Random) -> str:
    claim = rng.choice(claims)
    name, role = rng.choice(PEOPLE)
    agency = rng.choice(AGENCIES)
    if kind == "named_quote":
        return f"“We know that {claim}, and we will say so plainly,” {rng.choice(['said', 'added'])} {name}, {role}."
    if kind == "named_said":
        return f"{name}, {role}, {rng.choice(SAYS)} that {claim}."
    if kind == "official":
        return rng.choice([f"A spokesperson for {agency} said that {claim}.",
                           f"City officials {rng.choice(SAYS)} that {claim}.",
                           f"Police said {claim}, according to a statement."])
    if kind == "document":
        return rng.choice([f"According to a report released by {agency} last week, {claim}.",
                           f"Budget documents reviewed by reporters show that {claim}.",
                           f"A court filing made public on Monday says {claim}."])
    if kind == "anonymous":
        return rng.choice([f"A senior official, who spoke on condition of anonymity because the talks are private, "
                           f"said {claim}.",
                           f"Sources familiar with {topic} said {claim}.",
                           f"One person close to the negotiations said {claim}."])
    if kind == "vague":
        return rng.choice([f"Critics say {claim}.", f"Some residents believe {claim}.",
                           f"Experts warn that {claim}.", f"Many people are saying {claim}."])
    if kind == "hedge":
        return rng.choice([f"It is possible that {claim}, which could reportedly change the plan.",
                           f"The delay may suggest that {claim}.", f"{claim[0].upper()}{claim[1:]}, it appears."])
    if kind == "unattributed":
        return rng.choice([f"{topic[0].upper()}{topic[1:]} is a disaster for taxpayers.",
                           "Everyone knows the council ignored the warnings for years.",
                           f"The handling of {topic} has been a scandal from the start."])
    return rng.choice([f"Work on {topic} began two years ago.",
                       "The bridge carries about 40,000 vehicles a day.",
                       "The council meets again on the first Monday of next month.",
                       f"The next public hearing on {topic} is set for April."])


def article(number: int, outlet: str, rng: random.Random) -> dict:
    topic, claims = TOPICS[number % len(TOPICS)]
    weights = OUTLETS[outlet]
    kinds, chances = list(weights), list(weights.values())
    paragraphs = []
    for _ in range(rng.randint(7, 11)):
        paragraphs.append(" ".join(_sentence(rng.choices(kinds, chances)[0], topic, claims, rng)
                                   for _ in range(rng.randint(2, 3))))
    slug = outlet.lower().replace(" ", "-")
    month = 1 + number % 4
    return {"id": f"{slug[:2]}-{number:03d}", "title": f"Update on {topic} ({number})",
            "url": f"https://{slug}.example/news/{number}", "outlet": outlet,
            "date": f"2026-{month:02d}-{1 + (number * 7) % 27:02d}", "text": "\n\n".join(paragraphs)}


def articles(count: int = 36, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    names = list(OUTLETS)
    return [article(n, names[n % len(names)], rng) for n in range(count)]


PORTUGUESE = ("O conselho municipal anunciou na segunda-feira que a ponte será reaberta em junho, depois de meses "
              "de obras atrasadas. Segundo o relatório da prefeitura, o custo das reparações subiu quase quatro "
              "milhões de reais, e os moradores da região reclamam do trânsito intenso nas ruas vizinhas. O prefeito "
              "disse que a cidade vai apresentar um novo calendário na próxima semana.")


def write_jsonl(path: Path, items: list[dict], extra_lines: list[str] = ()) -> Path:
    lines = [json.dumps(item, ensure_ascii=False) for item in items] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_csv(path: Path, items: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text", "url", "title", "outlet", "date"])
        writer.writeheader()
        for item in items:
            writer.writerow({key: item.get(key, "") for key in writer.fieldnames})
    return path
