"""The "Trainer material" collection: documents in it (material for the Trainer Resource Book,
forms with answers) are served to facilitators, local trainers and the education department
only, through Wagtail's collection privacy (a view restriction to those groups)."""

from django.db import migrations

TRAINER_MATERIAL = "Trainer material"
READERS = ["Facilitator", "Local trainer", "Education department"]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # django-treebeard's, 4 characters a level
STEP = 4


def step(number: int) -> str:
    digits = ""
    for _ in range(STEP):
        number, digit = divmod(number, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    return digits


def create_trainer_material(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Restriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    Group = apps.get_model("auth", "Group")
    root = Collection.objects.get(depth=1)
    children = Collection.objects.filter(depth=2, path__startswith=root.path)
    collection = children.filter(name=TRAINER_MATERIAL).first()
    if collection is None:
        last = children.order_by("-path").first()
        number = int(last.path[-STEP:], len(ALPHABET)) + 1 if last else 1
        collection = Collection.objects.create(
            name=TRAINER_MATERIAL, path=root.path + step(number), depth=2, numchild=0
        )
        root.numchild = children.count()
        root.save(update_fields=["numchild"])
    restriction, _ = Restriction.objects.get_or_create(
        collection=collection, defaults={"restriction_type": "groups"}
    )
    restriction.restriction_type = "groups"
    restriction.save()
    restriction.groups.set(Group.objects.filter(name__in=READERS))


class Migration(migrations.Migration):
    # Made as trainingsite's migrations; databases that ran them there count them as run.
    replaces = [("trainingsite", "0004_trainer_material_collection")]
    dependencies = [
        ("kernel", "0003_evaluation_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_trainer_material, migrations.RunPython.noop)]
