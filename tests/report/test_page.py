"""The page: participant data escaped, no external reference, French or English, corrected."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from jumelage.report import build_report
from tests.report.conftest import metrics, table_rows
from tests.report.program import EVIL_FIRST, EVIL_LAST, EVIL_ORG, RUN_DATE

URL_ATTRIBUTES = ("src", "href", "srcset", "action", "formaction", "poster", "background", "data")


def test_participant_data_is_escaped(report):
    page = report.html
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//script") == []
    assert tree.xpath("//b") == [] and tree.xpath("//i") == []  # <b>/<i> from the data
    assert not [e for e in tree.iter() if any(a.startswith("on") for a in e.attrib)]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "O&#39;Brien &amp; &#34;fils&#34;" in page
    assert "R&amp;D &lt;b&gt;Québec&lt;/b&gt;" in page
    assert "&lt;i&gt;pêche&lt;/i&gt;" in page  # an unknown tag from a file
    assert "« &lt;a@b&gt; »" in page  # a quarantine reason quoting the bad value
    assert "Aucune rencontre &lt;depuis&gt; 21 jours &amp; plus" in page  # a flag's detail
    text = tree.text_content()
    assert f"{EVIL_FIRST} {EVIL_LAST}" in text  # shown as written, not interpreted
    assert EVIL_ORG in text


def test_page_has_no_external_reference(report):
    tree = lxml_html.fromstring(report.html)
    references = [
        (e.tag, a, e.get(a)) for e in tree.iter() if isinstance(e.tag, str)
        for a in URL_ATTRIBUTES if e.get(a) is not None
    ]  # fmt: skip
    assert references, "the page has links and images to check"
    outside = [r for r in references if not r[2].startswith(("data:", "#"))]
    assert outside == []
    assert tree.xpath("//link | //script | //iframe | //object | //embed") == []
    styles = " ".join(s.text_content() for s in tree.xpath("//style"))
    assert "@import" not in styles and "url(" not in styles and "@font-face" not in styles
    images = tree.xpath("//img")
    assert len(images) == 4
    assert all(i.get("src").startswith("data:image/png;base64,") for i in images)
    anchors = {a.get("href")[1:] for a in tree.xpath("//a[@href]")}
    assert anchors <= {e.get("id") for e in tree.xpath("//*[@id]")}


def test_sections_in_order_of_urgency(report):
    tree = lxml_html.fromstring(report.html)
    assert [s.get("id") for s in tree.xpath("//section")] == [
        "todo", "night", "pool", "proposals", "relationships", "emails", "health",
    ]  # fmt: skip
    assert "urgent" in tree.xpath("//section[@id='todo']")[0].get("class")


def test_english_report(scripted, program):
    config = program("").model_copy()
    english = config.model_copy(
        update={"program": config.program.model_copy(update={"language": "en"})}
    )
    report = build_report(scripted, english, RUN_DATE)
    tree = lxml_html.fromstring(report.html)
    assert tree.get("lang") == "en"
    assert [h.text_content().split()[0] for h in tree.xpath("//section/h2")] == [
        "To", "Last", "The", "Proposals", "Relationships", "Emails", "Fairness",
    ]  # fmt: skip
    assert "Daily report of October 15, 2026" in tree.text_content()
    assert "no mentor shares their language" in tree.text_content()
    assert metrics(report.html)["todo_total"] == "10"
    assert "## To do (10)" in report.markdown and "| 10 | items to handle |" in report.markdown
    assert not re.search(r"\b(personnes mentorées|À traiter|Courriels)\b", tree.text_content())


def test_corrected_report_is_marked(scripted, config):
    normal = build_report(scripted, config, RUN_DATE)
    corrected = build_report(scripted, config, RUN_DATE, corrected=True)
    assert "data-corrected" not in normal.html
    tree = lxml_html.fromstring(corrected.html)
    assert tree.xpath("//*[@data-corrected='true']")
    assert "(version corrigée)" in tree.findtext(".//title")
    assert "version corrigée" in corrected.markdown
    assert corrected.path == normal.path  # the date's report is rewritten
    assert corrected.path.read_text(encoding="utf-8") == corrected.html


def test_same_warehouse_same_page(scripted, config):
    first = build_report(scripted, config, RUN_DATE)
    again = build_report(scripted, config, RUN_DATE)
    assert first.html == again.html
    assert first.fingerprint == again.fingerprint


def test_no_table_has_a_column_left_empty(report):
    """A column shown is a column filled: each has a value in at least one row."""
    tree = lxml_html.fromstring(report.html)
    for table in tree.xpath("//table[@data-table]"):
        rows = table_rows(report.html, table.get("data-table"))
        if not rows:
            continue
        width = max(len(r) for r in rows)
        for column in range(width):
            cells = [r[column] for r in rows if len(r) > column]
            assert any(cells), (table.get("data-table"), column)


def test_every_relationship_shows_its_state(report):
    rows = table_rows(report.html, "relationships")
    assert rows and all(row[4] for row in rows), rows


def test_the_text_part_carries_the_essentials(report):
    """The daily report email's text part: à traiter item by item, the numbers, tonight's
    proposals, and where the full page is; never HTML (names are shown as written: plain
    text interprets nothing)."""
    text = report.text
    assert text.startswith("À TRAITER (10)")
    assert "jumelage emails resend " in text
    assert "CHIFFRES CLÉS" in text or "EN BREF" in text
    proposals = [line for line in text.splitlines() if " → " in line]
    tree = lxml_html.fromstring(report.html)
    shown = tree.xpath('//table[@data-table="proposals_tonight"]/tbody/tr')
    assert len(proposals) == len(shown) > 0
    assert text.rstrip().endswith(str(report.path))
    assert not re.search(r"</?(br|span|td|tr|th|table|p|div|ul|li|a|h\d)\b", text)


def test_long_lists_show_their_first_rows_and_say_where_the_rest_is(scripted, config, monkeypatch):
    """A launch night's thousands of proposals are not all written into the page (nor into
    the email that carries it): the first REPORT_ROWS, then how many more and where."""
    from jumelage.report import build

    full = build_report(scripted, config, RUN_DATE)
    proposals = table_rows(full.html, "proposals_tonight")
    waiting = table_rows(full.html, "pool_waiting")
    assert len(proposals) > 1 and len(waiting) > 1
    assert "data-more" not in full.html
    monkeypatch.setattr(build, "REPORT_ROWS", 1)
    short = build_report(scripted, config, RUN_DATE)
    assert table_rows(short.html, "proposals_tonight") == proposals[:1]
    assert table_rows(short.html, "pool_waiting") == waiting[:1]
    tree = lxml_html.fromstring(short.html)
    (note,) = tree.xpath('//table[@data-table="proposals_tonight"]/following-sibling::p[1]')
    assert note.get("data-more") == str(len(proposals) - 1)
    assert full.workbook.name in note.text_content()
    assert "« Propositions »" in note.text_content()
    assert len([line for line in short.text.splitlines() if " → " in line]) == 1
    assert f"{len(proposals) - 1} de plus" in short.text
