"""The Local Offer's addresses: the open data feed, the public directory, providers, officers."""

from django.urls import path

from local_offer import api_views, provider_views, staff_views, views

openreferral_patterns = [
    path("", api_views.api_root, name="root"),
    path("services", api_views.services_list, name="services"),
    path("services/<str:service_id>", api_views.service_detail, name="service"),
    path("taxonomies", api_views.taxonomies_list, name="taxonomies"),
    path("taxonomies/<str:taxonomy_id>", api_views.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", api_views.taxonomy_terms_list, name="taxonomy_terms"),
    path("taxonomy_terms/<str:term_id>", api_views.taxonomy_term_detail, name="taxonomy_term"),
    path("service_at_locations", api_views.service_at_locations_list, name="service_at_locations"),
    path(
        "service_at_locations/<str:sal_id>",
        api_views.service_at_location_detail,
        name="service_at_location",
    ),
]

public_patterns = [
    path("", views.directory, name="directory"),
    path("services/<uuid:service_id>/", views.service_detail, name="service"),
    path("services/<uuid:service_id>/shortlist/", views.shortlist_toggle, name="shortlist_toggle"),
    path("services/<uuid:service_id>/report/", views.problem_report, name="report"),
    path("shortlist/", views.shortlist, name="shortlist"),
    path("comment/", views.comment, name="comment"),
    path("comment/sent/", views.comment_sent, name="comment_sent"),
    path("you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
    path("<slug:slug>/", views.statutory_page, name="statutory"),
]

provider_patterns = [
    path("", provider_views.provider_services, name="services"),
    path(
        "services/<uuid:service_id>/change/",
        provider_views.provider_service_change,
        name="change",
    ),
    path(
        "services/<uuid:service_id>/confirm/",
        provider_views.provider_service_confirm,
        name="confirm",
    ),
]

staff_patterns = [
    path("", staff_views.overview, name="overview"),
    path("changes/<int:change_id>/", staff_views.change_decide, name="change"),
    path("schedule-2/", staff_views.completeness, name="completeness"),
    path("comments/<int:comment_id>/", staff_views.comment_answer, name="comment"),
    path("comments/<int:comment_id>/done/", staff_views.comment_action_done, name="action_done"),
    path("you-said-we-did/", staff_views.publish, name="publish"),
    path("synonyms/", staff_views.synonyms, name="synonyms"),
]
