"""Case-page panels that apps contribute: the staff case page includes each registered template,
in order, with the page's context (`case`, `page`). The core names no app; an app registers its
panel in its AppConfig.ready()."""

CASE_PANELS: list[str] = []


def register_case_panel(template_name: str) -> None:
    if template_name not in CASE_PANELS:
        CASE_PANELS.append(template_name)
