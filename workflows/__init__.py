"""django-viewflow flows: each node calls an ehc service and holds no business rule itself."""
