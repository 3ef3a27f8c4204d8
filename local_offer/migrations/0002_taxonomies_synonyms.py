"""The published taxonomies with their fixed ids, and a starting list of search synonyms."""

from django.db import migrations

DEFAULT_SYNONYMS = [
    "ASD, autism, autistic, autistic spectrum, ASC",
    "SALT, speech and language therapy, speech therapy, speech and language",
    "respite, short breaks, short break",
    "ADHD, attention deficit",
    "OT, occupational therapy",
    "CAMHS, mental health, emotional wellbeing",
    "SENCO, special educational needs coordinator",
    "IASS, SENDIASS, information advice and support",
    "wheelchair, physical disability, mobility",
    "deaf, hearing impairment, hearing loss",
    "blind, vision impairment, visual impairment, sight loss",
]


def seed(apps, schema_editor):
    from local_offer import vocabulary as v

    Taxonomy = apps.get_model("local_offer", "Taxonomy")
    Term = apps.get_model("local_offer", "TaxonomyTerm")
    Synonym = apps.get_model("local_offer", "Synonym")
    for code, (name, description, terms) in v.TAXONOMIES.items():
        taxonomy, _ = Taxonomy.objects.update_or_create(
            id=v.taxonomy_uuid(code),
            defaults={"code": code, "name": name, "description": description, "version": "1"},
        )
        for term_code, term_name in terms:
            Term.objects.update_or_create(
                id=v.term_uuid(code, term_code),
                defaults={"taxonomy": taxonomy, "code": term_code, "name": term_name},
            )
    if not Synonym.objects.exists():
        Synonym.objects.bulk_create(Synonym(words=w) for w in DEFAULT_SYNONYMS)


class Migration(migrations.Migration):
    dependencies = [("local_offer", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
