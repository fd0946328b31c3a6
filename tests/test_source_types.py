"""Source types: how accountable each source is, with back-references resolved."""
from __future__ import annotations

import pytest

from helpers_analysis import attributions, find_attribution, source_typed

TABLE = [
    # text, source contains, expected type
    ("Sources within the coalition have confirmed the strikes.", "Sources within the coalition", "anonymous"),
    ("People familiar with the matter said the deal was close to done.", "People familiar", "anonymous"),
    ("Officials said the bridge would stay closed for weeks.", "Officials", "anonymous"),
    ("Critics argue that the plan has failed the poorest families.", "Critics", "vague"),
    ("Some lawmakers said the vote would be delayed again.", "Some lawmakers", "vague"),
    ("Many experts believe the economy will slow next year.", "Many experts", "vague"),
    ("A Pentagon spokesperson said the strikes hit their targets.", "A Pentagon spokesperson", "official"),
    # The guidelines' "A reporter for USA Today": one person speaking for a named body.
    ("A producer for Channel Four News said the interview had been cut.", "A producer for Channel Four News", "official"),
    # A count in a clause on the name is not a poll's share of people.
    ("The poll was taken on Friday. The Baltic Heritage Council, which represents more than two million "
     "Americans, said the plan was dangerous.", "The Baltic Heritage Council", "named_organization"),
    # The guidelines: a social-media handle counts as a name.
    ("As one Twitter user @plainview_22 pointed out, the gap was huge.", "one Twitter user @plainview_22", "named_person"),
    # A number in a broadcaster's name is no model number (a corpus article's "Channel 1 TV" was a product).
    ("Norway’s Channel 2 TV reported that the talks had failed.", "Channel 2 TV", "named_organization"),
    ("The report indicated that the jets had struck dozens of targets.", "The report", "document"),
    ("A new poll shows the senator leading by four points.", "A new poll", "document"),
    # A corpus article: a capitalised poll name was an organisation.
    ("A new Daily Star/Westfield University Poll shows the senator ahead.", "Westfield University Poll", "document"),
    # Written things carried or posted are documents too (the guidelines' "statements, ads, …"):
    # a protester's sign was a vague source on a corpus article.
    ("He held up a sign saying the war was a crime.", "a sign", "document"),
    # "One of …" is one of them, typed as they are ("one of these sources" was vague on a corpus
    # article); one unnamed member of a group with a proper-noun name stays vague.
    ("One of the studies showed no effect on blood pressure.", "One of the studies", "document"),
    ("The mayor met the protesters. One of these sources said the deal was off.", "One of these sources", "anonymous"),
    ("One of the Klansmen who stood by the road said the rally would go on.", "One of the Klansmen", "vague"),
    ("A petition calling on the minister to resign has reached 500,000 signatures.", "A petition", "document"),
    ("Reuters reported that the talks had stalled overnight.", "Reuters", "named_outlet"),
    ("The New York Times revealed that the plan had been shelved.", "The New York Times", "named_outlet"),
    ("Al Hadath TV reported a series of missile strikes on Monday.", "Al Hadath TV", "named_outlet"),
    ("The FBI said it had reopened the investigation into the emails.", "The FBI", "named_organization"),
    ("Senator Lindsey Graham said the bill would not pass this year.", "Lindsey Graham", "named_person"),
    # Seen on a saved Guardian page: "Project Jonah" was a named person.
    ("The whale rescue group Project Jonah said 140 pilot whales had died.", "The whale rescue group Project Jonah",
     "named_organization"),
    # A person's name in front of a lower-case head says whose, not who (seen on corpus articles:
    # "A Clinton spokesperson" and "Trump supporters" were named people, "Obama officials" vague).
    ("A Clinton spokesperson said the complaints were fair.", "A Clinton spokesperson", "official"),
    ("Clinton campaign officials echoed the complaints on Tuesday.", "Clinton campaign officials", "anonymous"),
    ("Trump supporters say the wall will be built.", "Trump supporters", "vague"),
    # A role no word list knows, with the person's name beside it.
    ("Her deputy, Tom Ruiz, said the bridge was unsafe.", "Her deputy, Tom Ruiz", "named_person"),
    ("An attorney for Novak, Jane Ellison, stressed that her client was ready to testify.",
     "An attorney for Novak, Jane Ellison", "named_person"),
    # A role the word lists know, too (a corpus article: the chairman was typed as his committee).
    ("The Senate Intelligence Committee’s chairman, Richard Burr, said the hearing would be public.",
     "Richard Burr", "named_person"),
    ("Trump’s administration has defended the strikes as a show of strength.", "Trump’s administration",
     "named_organization"),
    ("No official statements have confirmed these claims so far.", "No official statements", "vague"),
    ("Trump’s supporters argue that the strikes were necessary.", "Trump’s supporters", "vague"),
    ("I think the plan is a mistake, and I said so at the meeting.", "I", "self"),
    # "let’s say": the writer (seen on a saved NYT page as a vague source "’s").
    ("Yahoo is selling itself. First, let’s say what the Yahoo sale is not.", "’s", "self"),
    # Data, journals and statistics agencies are documents; a common noun after an acronym is a thing.
    ("OECD data show that unemployment fell to 5 percent last year in most member countries.", "OECD data", "document"),
    ("A study published in the journal Lumen found that the drug worked in mice.", "Lumen", "document"),
    ("The Bureau of Labor Statistics reported that wages rose 3 percent.", "Bureau of Labor Statistics", "document"),
    ("A CT scan showed the tumor had shrunk, and the doctors were pleased.", "A CT scan", "document"),
    ("A disclosure filed with the results says two authors work for the company.", "A disclosure", "document"),
    # A plural noun opening a paragraph is not a name, however the model tags it.
    ("The vote was close.\n\nProtesters said they would march again on Sunday.", "Protesters", "vague"),
    ("Kestrel Pharma said its pill cut pain by a third in a trial.", "Kestrel Pharma", "named_organization"),
    # Things are never people or organisations: products, scans and tests are records.
    ("The Zephyrphone 12 shows that the battery lasts two days.", "Zephyrphone 12", "document"),
    ("The CT showed a small fracture in the wrist.", "The CT", "document"),
    ("An MRI revealed that the ligament was torn.", "An MRI", "document"),
    ("CT scans showed that the tumor had shrunk by half.", "CT scans", "document"),
    # A count of people is those people (a saved Salon page typed "A number of experts" as data);
    # "the number of" something is still a figure.
    ("A number of experts have challenged the idea that the attack was terrorism.", "A number of experts", "vague"),
    ("A handful of officials said the talks would resume in May.", "A handful of officials", "anonymous"),
    ("The number of deaths shows that the policy has failed.", "The number of deaths", "document"),
    # Anyone at all is no insider, whatever they were "involved in" (saved CNET page: anonymous).
    ("Anyone who has ever been involved in closing an acquisition will tell you that you need a plan.",
     "Anyone", "vague"),
    ("Someone familiar with the talks said the deal was close.", "Someone familiar", "anonymous"),
    # Titles the parser coordinated before a name (saved Breitbart page: shown as a vague source).
    ("Snopes fact checker and staff writer David Emery posted to Twitter asking if there were any angry voters.",
     "David Emery", "named_person"),
]

NOT_SOURCES = [
    # Datelines, photo credits and bylines are blanked for the model: nobody speaks through them.
    ("(CNN)Voters in Ohio said on Tuesday that the economy was their main concern.", "CNN"),
    ("REUTERS/Jane Doe/File Photo Protesters said they would march again on Sunday.", "File Photo"),
    ("By Tomas Reyes · Health reporter\nThe clinic said it would open a second site in May.", "Tomas Reyes"),
]


@pytest.mark.parametrize("text,not_a_source", NOT_SOURCES)
def test_datelines_credits_and_bylines_are_never_sources(analyse, text, not_a_source):
    result = analyse(text)
    sources = [s["text"] for s in result["spans"] if s["label"] == "source"]
    assert sources, result["spans"]
    assert not any(not_a_source in s for s in sources), sources


@pytest.mark.parametrize("text,source,expected", TABLE)
def test_source_type(analyse, text, source, expected):
    result = analyse(text)
    found = find_attribution(result, source=source)
    assert found is not None, attributions(result)
    assert found["source_type"] == expected, found


def test_back_references_take_the_named_source(analyse):
    text = ("On Monday, Al Hadath TV reported new strikes near the border. "
            "According to the outlet, the attack came from the north.")
    found = find_attribution(analyse(text), source="the outlet")
    assert found["source_type"] == "named_outlet"
    assert found["refers_to"] == "Al Hadath TV"


def test_pronoun_resolves_to_person(analyse):
    text = "Maria Lopez leads the union. She said the strike would continue until Friday."
    result = analyse(text)
    found = find_attribution(result, source="She")
    assert found["source_type"] == "named_person"
    assert found["refers_to"] == "Maria Lopez"
    lopez = [s for s in result["sources"] if s["source_type"] == "named_person"]
    assert len(lopez) == 1


@pytest.mark.parametrize("text,reason", [
    ("A senior official, who spoke on condition of anonymity because he was not authorized to speak publicly, "
     "said the talks had failed.", True),
    ("Sources said the talks had failed after midnight.", False),
])
def test_anonymity_reason(analyse, text, reason):
    found = next(a for a in analyse(text)["attributions"] if a["source_type"] == "anonymous")
    assert found["anonymity_reason_given"] is reason


def test_named_outlet_group_counts_once(analyse):
    text = ("The New York Times reported the deal on Monday. The Times said the deal was worth $5 million. "
            "The New York Times also said talks would resume.")
    sources = [s for s in analyse(text)["sources"] if s["source_type"] == "named_outlet"]
    assert len(sources) <= 2  # "The New York Times" mentions are grouped


@pytest.mark.parametrize("text,own_url,other_url", [
    ("The Washington Post has learned that the agency ignored the warnings for months.",
     "https://www.washingtonpost.com/politics/x", "https://www.nytimes.com/politics/x"),
    # Saved Ars Technica page: "Ars is asking … for comment" was a named person.
    ("Ars is asking the company for comment and will update this post if officials respond.",
     "https://arstechnica.com/gaming/2018/01/x/", "https://www.example.org/x"),
])
def test_own_outlet_is_self_when_the_url_says_so(analyzer, text, own_url, other_url):
    from sourcelight.serialize import to_api
    own = to_api(analyzer.analyze_text(text, url=own_url), "codepoints")
    other = to_api(analyzer.analyze_text(text, url=other_url), "codepoints")
    assert own["attributions"][0]["source_type"] == "self"
    assert other["attributions"][0]["source_type"] == "named_outlet"


@pytest.mark.parametrize("credit", ["Photo by Jane Quill/Getty Images", "Jane Quill/Getty Images for Vanity Fair",
                                    "Photo: Jane Quill/AP"])
def test_a_photo_credit_is_never_the_person_a_description_refers_to(analyse, credit):
    result = analyse(f"{credit}\n\nThe senator said the bill would pass this week.")
    found = find_attribution(result, source="The senator")
    assert found is not None
    assert "Quill" not in (found.get("refers_to") or "")
    assert not any("Quill" in s["name"] for s in result["sources"])


def test_a_poll_named_with_a_slash_is_not_a_credit(analyse):
    found = find_attribution(analyse("A new NBC News/AP poll shows that voters are split on the plan."), cue="shows")
    assert found is not None and "poll" in found["source_text"] and found["source_type"] == "document"


@pytest.mark.parametrize("text,name", [
    # The last person named is a man: "she" is the woman named before him (first name list).
    ("Maria Lopez, the union leader, met Tom Baker on Monday. She said the city had cut the shelter's funding.",
     "Lopez"),
    # A title decides, and a surname alone takes what the full mention said.
    ("Ms. Quill and Mr. Reed toured the plant. Quill praised the workers, and Reed left early. "
     "She said the plant would stay open.", "Quill"),
])
def test_a_pronoun_refers_to_a_person_it_agrees_with(analyse, text, name):
    result = analyse(text)
    found = find_attribution(result, source="She")
    assert found is not None and found["source_type"] == "named_person"
    assert name in (found.get("refers_to") or "")
    voice = next(s for s in result["sources"] if found["id"] in s["attributions"])
    assert name in voice["name"]


def test_a_pronoun_prefers_the_person_who_was_the_subject(analyse):
    # "He" after "X criticised Y": X, the one the sentence was about, not Y, named last.
    result = analyse("Senator John Reed criticised Mark Ellis on Monday. He said the plan would fail.")
    found = find_attribution(result, source="He")
    assert found is not None and "Reed" in (found.get("refers_to") or ""), found


def test_a_name_tagged_as_a_company_more_often_than_a_person_is_an_organisation(analyzer):
    # Saved NYT page: "Con Edison" tagged PERSON once (and ORG four times) was a named person.
    text = ("“It is not,” said Patrick McHugh, vice president of planning for Con Edison, which maintains "
            "90,000 miles of cable in the city. For days after a storm, Con Edison officials say, they deal "
            "with scores of fires. Winter can also bring an increase in gas-line breakages. Con Edison, which "
            "maintains 4,300 miles of gas mains in and around New York City, said it recorded 900 breaks last year. "
            "Even this past January, there were 750 leaks, Con Edison officials said.")
    doc = analyzer.nlp(text)
    assert [e.label_ for e in doc.ents if e.text == "Con Edison"].count("PERSON") == 1  # the model's slip
    typed = {text[r["source"][0]:r["source"][1]]: r["source_type"] for r in doc._.attributions if r.get("source")}
    company = [kind for source, kind in typed.items() if source.startswith("Con Edison,")]
    assert company == ["named_organization"], typed


def test_a_surname_the_tagger_took_for_a_common_noun_is_still_the_person(analyse):
    # Seen on a saved WebMD page: the second "Coombes" was tagged a plural common noun, a vague source.
    result = analyse("It refers to bacteria that can't be treated using two or more, says Brian K. Coombes, PhD, of "
                     "McMaster University in Ontario. \"Superbugs should be a concern to everyone,\" Coombes says.")
    alone = [at for at in attributions(result) if at["source_text"] == "Coombes"]
    assert [at["source_type"] for at in alone] == ["named_person"], attributions(result)


@pytest.mark.parametrize("text,source,expected", [
    # Seen on a saved Guardian page ("Ngātiwai believe …", a tribe): one capitalised word with a
    # plural verb is a people or a body.
    ("Elders gathered on the shore. Tainui believe the river is an ancestor.", "Tainui", "named_organization"),
    # Two people coordinated take a plural verb too.
    ("Smith and Jones say the plan will fail.", "Smith", "named_person"),
])
def test_a_name_with_a_plural_verb_is_a_people_or_a_body(analyse, text, source, expected):
    found = find_attribution(analyse(text), source=source)
    assert found is not None and found["source_type"] == expected, attributions(analyse(text))


@pytest.mark.parametrize("text,source", [
    # Saved Salon and ACLU pages: the small model's NER leaves these names untagged, or tags them a
    # person or a common noun.
    ("Uber said on Monday that its drivers would get new safety tools.", "Uber"),
    ("Facebook records this group of people as my contacts, even though I have never agreed to it.", "Facebook"),
])
def test_a_well_known_company_is_an_organisation(analyse, text, source):
    found = find_attribution(analyse(text), source=source)
    assert found is not None and found["source_type"] == "named_organization", attributions(analyse(text))


def test_a_surname_is_known_when_the_entity_took_in_a_possessive(analyzer):
    from sourcelight.detectors.source_context import _surname

    doc = analyzer.nlp("Edward Snowden’s lawyers said he would stay.")
    words = [t for t in doc if t.i < 3]  # "Edward Snowden’s", as the entity model sometimes takes it
    assert _surname(words).text == "Snowden"


@pytest.mark.parametrize("text,description,name", [
    # Seen on a saved Breitbart page: "the Snopes.com writer", after "Emery, a writer for … Snopes.com",
    # was a vague source of its own.
    ("Lund, a reporter for the local weekly, the Valley Star, went to the hearing. Lund asked the judge "
     "about the delay. The Valley Star reporter said the delay had cost the town dearly.",
     "The Valley Star reporter", "Lund"),
    # Seen on a saved BuzzFeed page: a lede's description named further down ("her mother, Fiona,").
    ("The father of a boy who fell from a school bus has described how his son lay in the road. "
     "Sam Okafor, 9, was taken to hospital. “Nobody stopped,” his father, Daniel, said. Daniel Okafor "
     "said he would sue.", "The father of a boy", "Daniel Okafor"),
    ("Chief inspector Mary Holt led the raid. The chief inspector said the drugs were worth millions.",
     "The chief inspector", "Mary Holt"),
])
def test_a_description_by_a_role_the_article_gives_a_named_person_is_that_person(analyse, text, description, name):
    result = analyse(text)
    found = source_typed(result, description, "named_person")
    named = [s for s in result["sources"] if s["source_type"] == "named_person"]
    assert [s["name"] for s in named] == [name], result["sources"]


@pytest.mark.parametrize("text,description", [
    # Words before the role that the name was never given: another holder of the role.
    ("Staff writer Paul Lee spoke first. The sports writer said the vote was fair.", "The sports writer"),
    ("Ann Cole, a reporter for the Star, asked first. The other reporter said the mayor had left.",
     "The other reporter"),
    # "The source", like "a source", is anonymous whoever else the article names.
    ("Tom Hale, the source of the leak, was fired. The source said the leak was deliberate.", "The source"),
])
def test_a_description_another_holder_of_the_role_could_fit_stays_unresolved(analyse, text, description):
    result = analyse(text)
    found = find_attribution(result, source=description)
    assert found is not None and found["source_type"] != "named_person", attributions(result)


def test_a_note_that_opens_with_a_name_keeps_its_capital(analyse):
    # The tooltip read "… reporting: al Hadath TV is a news outlet."
    result = analyse("Al Hadath TV reported a series of missile strikes on Monday.")
    source = next(s for s in result["spans"] if s["label"] == "source")
    assert "Al Hadath TV is a news outlet" in source["why"], source


@pytest.mark.parametrize("text,source,expected,name", [
    # Seen on a saved New York Times page: "Senator James Lankford, an Oklahoma Republican who warned …"
    # made "an Oklahoma Republican who" an organisation, and "Senator Mitch McConnell of Kentucky" a
    # person called Kentucky.
    ("Senator Ann Cole, an Ohio Republican who warned of the debt in the past, voted for the bill.",
     "an Ohio Republican", "named_person", "Ann Cole"),
    ("The mayor met Rosa Diaz, a nurse who said the ward was full.", "a nurse", "named_person", "Rosa Diaz"),
    ("In 2013, Senator Tom Reed of Nevada called the deficit “the issue of our era.”",
     "Senator Tom Reed of Nevada", "named_person", "Tom Reed"),
    # A name described beside it as a company is a company, whatever the name alone suggests.
    ("Pellow, a company that sells anvils, said it would close the plant.", "Pellow", "named_organization", "Pellow"),
])
def test_a_name_and_the_description_beside_it_are_one_source(analyse, text, source, expected, name):
    result = analyse(text)
    found = source_typed(result, source, expected)
    assert [s["name"] for s in result["sources"]] == [name], result["sources"]


def test_a_clause_cut_from_a_quoted_interjection_is_not_its_description(analyse):
    # A corpus article: "“Sheesh,” he blurts, breathless, telling …" hung "blurts" on "Sheesh".
    result = analyse("“Sheesh,” he blurts, breathless, telling Mr. Hall how late it was.")
    assert not any(s["name"].startswith(("“Sheesh", "Sheesh")) for s in result["sources"]), result["sources"]


@pytest.mark.parametrize("text,description,expected,name", [
    # Corpus articles: "The president-elect said" was a person called "elect".
    ("President-elect Ann Cole has named a new cabinet. Her choice points to a strategy by Cole to cut spending. "
     "The president-elect said the cabinet would be small.", "The president-elect", "named_person", "Ann Cole"),
    # With no one named so, the last person named may be the one leaving the office: not guessed.
    ("Now that the vote has made her governor-elect, Ann Cole met Tom Hale at the state house. "
     "Hale said the meeting was short. The governor-elect said the budget was short.",
     "The governor-elect", "official", None),
    # A corpus article: "The Prime Minister was keen …" after "Prime Minister Justin Trudeau … if Donald
    # Trump is elected" was Trump, the person named last; "The Senator" likewise.
    ("Prime Minister Ana Ruiz is preparing for refugees if Tom Hale wins in November. "
     "The Prime Minister said the country was ready.", "The Prime Minister", "named_person", "Ana Ruiz"),
    ("Senator Ted Lowe said he would endorse Tom Hale, but only if Hale backed the ban. "
     "The Senator said the ban was essential.", "The Senator", "named_person", "Ted Lowe"),
    # A capitalised title gives the role too: "the pope" is Pope Francis, not the senator he praised.
    ("Pope Francis praised Senator Tom Hale as a man of integrity. The pope said the talks had gone well.",
     "The pope", "named_person", "Pope Francis"),
])
def test_a_title_before_a_name_gives_the_name_its_role(analyse, text, description, expected, name):
    result = analyse(text)
    found = source_typed(result, description, expected)
    names = [s["name"] for s in result["sources"]]
    assert "elect" not in names and (name is None or name in names), result["sources"]
    if name is not None:
        voice = next(s for s in result["sources"] if s["name"] == name)
        assert any(a == found["id"] for a in voice["attributions"]), (voice, found)


@pytest.mark.parametrize("text,description,expected", [
    # Corpus articles: "the spokesman" after "a Television Academy spokesman said" was Trump, the
    # person named last, and "The woman" after "A third woman" the man she accused.
    ("A city hall spokesman said the mayor would not resign over the claims made by Tom Hale. "
     "“The claims are false,” the spokesman said.", "the spokesman", "official"),
    ("A third woman said she had met Tom Hale at a party in 2004. The woman said she had left early.",
     "The woman", "vague"),
])
def test_the_role_refers_back_to_the_unnamed_holder_just_quoted(analyse, text, description, expected):
    result = analyse(text)
    found = source_typed(result, description, expected)
    assert not any(s["name"].endswith("Hale") for s in result["sources"]), result["sources"]


def test_a_share_of_poll_respondents_keeps_its_number(analyse):
    # A corpus article: "86% of Democrats say …" lost "86%" (cut as if a foreign script glued to the
    # name) and "of Democrats" became an organisation.
    result = analyse("The poll of 1,000 voters was taken on Friday. The split is stark: 86% of Democrats say "
                     "the plan will work; 83% of Republicans say it will not.")
    found = find_attribution(result, source="86% of Democrats")
    assert found is not None and found["source_text"] == "86% of Democrats", attributions(result)
    assert found["source_type"] == "document", found


def test_a_role_before_a_name_makes_it_a_person_whatever_the_tagger_says(analyse):
    # A corpus article: "former ISIS sex slave Nadia Murad said", the name tagged an organisation.
    result = analyse("“The world must act,” former sex slave Nadia Murad said through a translator. "
                     "Murad spoke for an hour.")
    found = find_attribution(result, source="Nadia Murad")
    assert found is not None and found["source_type"] == "named_person", attributions(result)


@pytest.mark.parametrize("text,source,expected", [
    # A corpus article opened "Bengaluru: Recently one Karnataka minister was caught …", and the
    # dateline became a person whom every later "the minister" referred to.
    ("Mumbai: Recently one Maharashtra minister was caught sleeping during a long debate in the state "
     "assembly. The minister said he had been working all night.", "The minister", "official"),
    # A state as a headline's speaker is a body, not a person.
    ("Russia: We will respond to the sanctions.", "Russia", "named_organization"),
])
def test_a_place_before_a_colon_is_a_dateline_or_a_state(analyse, text, source, expected):
    result = analyse(text)
    found = source_typed(result, source, expected)
    assert "Mumbai" not in [s["name"] for s in result["sources"]], result["sources"]


def test_a_transcript_tag_of_initials_keeps_its_capitals(analyse):
    # A corpus interview's "DT:" lines were credited to "Dt".
    text = ("Our reporter sat down with the candidate on Tuesday for an hour.\n\n"
            "Q: What do you make of the latest polls in the state?\n\n"
            "TR: I think the polls are wrong and we will win the state by a lot.\n\n"
            "Q: Why do you think so?\n\n"
            "TR: Because the crowds at our rallies are the biggest anyone has seen.")
    names = [s["name"] for s in analyse(text)["sources"]]
    assert "TR" in names and "Tr" not in names, names


@pytest.mark.parametrize("text,pronoun,name", [
    # Corpus articles: "“I wouldn’t ascribe brilliant skills to Donald Trump,” he said" credited the
    # words to Trump, the person named inside them.
    ("Tom Hale, who studies the region, was not convinced. “I wouldn’t credit Ann Cole with a plan,” he said.",
     "he", "Tom Hale"),
    ("Maria Lopez leads the union. “Betsy is a person who will put kids first,” she said.", "she", "Maria Lopez"),
])
def test_a_pronoun_after_a_quote_is_not_the_person_the_quote_names(analyse, text, pronoun, name):
    result = analyse(text)
    found = next((a for a in attributions(result) if a["source_text"] == pronoun), None)
    assert found is not None and found["refers_to"] == name, attributions(result)


def test_two_roles_are_two_people_not_the_last_person_named(analyse):
    # A corpus article: "Michigan’s governor and attorney general echoed …" was Betsy DeVos.
    result = analyse("The pick was praised by Ann Cole. In her home state, Ohio’s governor and attorney general "
                     "echoed the remarks about her record.")
    roles = find_attribution(result, source="governor and attorney general")
    assert roles is not None and roles["source_type"] != "named_person", attributions(result)
