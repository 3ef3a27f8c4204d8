"""The EHC pages link to Local Offer records through the core's registry (ehc.offer_links)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

from ehc import offer_links
from local_offer.links import resolve


def render(source: str, **context) -> str:
    return Template("{% load offer_links %}" + source).render(Context(context))


def test_without_a_record_topics_fall_back_to_the_fixed_pages(db):
    link = offer_links.offer_link(offer_links.MEDIATION)
    assert link.url.endswith("/local-offer/mediation-and-appeals/")
    assert link.url.startswith("http")  # absolute, for letters


def test_a_record_answering_the_topic_is_preferred(make_service, officer):
    iass = make_service(
        details_kw={"name": "SENDIASS", "description": "Free impartial advice."},
        council_kw={"schedule2_item": "information_advice", "locations": ()},
    )
    link = offer_links.offer_link(offer_links.INFORMATION_ADVICE)
    assert link.url.endswith(f"/local-offer/services/{iass.pk}/")
    html = render(
        '{% offer_link "information_advice" as l %}<a href="{{ l.url }}">{{ l.title }}</a>'
    )
    assert "SENDIASS in our Local Offer" in html


def test_the_named_setting_resolves_to_its_own_record(make_service):
    school = make_service(
        details_kw={"name": "Oakley Primary School"}, council_kw={"schedule2_item": "schools"}
    )
    assert offer_links.offer_link(offer_links.SETTING, "oakley primary school").url.endswith(
        f"/services/{school.pk}/"
    )
    assert offer_links.offer_link(offer_links.SETTING, "Nowhere School") is None


def test_no_resolver_means_no_link(db, monkeypatch):
    monkeypatch.setattr(offer_links, "_RESOLVERS", [])
    assert offer_links.offer_link(offer_links.MEDIATION) is None
    assert render('{% offer_link "mediation" as l %}[{{ l }}]') == "[None]"


def test_unknown_topic_is_a_programming_error(db):
    with pytest.raises(ValueError):
        offer_links.offer_link("weather")
    with pytest.raises(TemplateSyntaxError):
        render('{% offer_link "weather" as l %}')


def test_registered_once(db):
    assert offer_links._RESOLVERS.count(resolve) == 1


def test_request_start_page_links_to_the_advice_service(client, db, team):
    html = client.get("/request/").content.decode()
    assert "/local-offer/information-advice/" in html


def test_decision_notice_rights_link_to_mediation_and_advice(db):
    from datetime import date

    from django.template.loader import render_to_string

    html = render_to_string(
        "ehc/notices/_rights.html",
        {
            "notice": {"appeal_by": date(2027, 1, 1), "mediation_contact_by": date(2027, 1, 1)},
            "mediation_adviser": "Mediation Co",
            "iass_contact": "SENDIASS",
        },
    )
    assert "/local-offer/mediation-and-appeals/" in html
    assert "/local-offer/information-advice/" in html
