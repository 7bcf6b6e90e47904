"""Whatever participants type in their names, the HTML shows it as text, never as markup."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from jumelage.notify import render
from tests.notify.helpers import context_for, person

names = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
    ),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and s)


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


LAYOUT_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "body",
    "div",
    "p",
    "strong",
    "h2",
    "ul",
    "li",
    "a",
    "br",
    "hr",
}


@settings(max_examples=60, deadline=None)
@given(first=names, organization=names)
def test_any_name_is_text_in_html(first, organization):
    who = person(first, "Nom", "x@example.org", organization=organization)
    r = render(
        "proposal",
        "fr",
        context_for("proposal", mentee=who, mentor=who),
        program_name="Connexion Cadres",
        mailbox="mentorat@example.org",
    )
    parser = Collector()
    parser.feed(r.html)
    assert set(parser.tags) <= LAYOUT_TAGS
    text = "".join(parser.text)
    assert f"Bonjour {first}," in text
    assert organization in text
    assert f"Bonjour {first}," in r.text
