"""The category tree every deployment starts with (food and fruit first). Idempotent: a category
whose slug exists is left as the operators may have edited it; missing ones are added."""

from django.db import migrations

TREE = [
    (
        "Fruit",
        "fruit",
        [
            ("Citrus", "citrus"),
            ("Berries", "berries"),
            ("Tropical fruit", "tropical-fruit"),
            ("Stone fruit", "stone-fruit"),
            ("Apples & pears", "apples-pears"),
            ("Melons", "melons"),
            ("Grapes", "grapes"),
        ],
    ),
    (
        "Vegetables",
        "vegetables",
        [
            ("Leafy greens", "leafy-greens"),
            ("Mushrooms", "mushrooms"),
            ("Roots & tubers", "roots-tubers"),
        ],
    ),
    (
        "Baked goods",
        "baked-goods",
        [
            ("Bread", "bread"),
            ("Pastries", "pastries"),
            ("Cakes", "cakes"),
        ],
    ),
    (
        "Snacks",
        "snacks",
        [
            ("Nuts & seeds", "nuts-seeds"),
            ("Dried fruit", "dried-fruit"),
        ],
    ),
    (
        "Drinks",
        "drinks",
        [
            ("Tea", "tea"),
            ("Coffee", "coffee"),
            ("Juice", "juice"),
        ],
    ),
    (
        "Pantry",
        "pantry",
        [
            ("Honey & jam", "honey-jam"),
            ("Rice & grains", "rice-grains"),
        ],
    ),
]


def seed(apps, schema_editor):
    Category = apps.get_model("commerce", "Category")
    for position, (name, slug, children) in enumerate(TREE):
        parent, _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
        for child_position, (child_name, child_slug) in enumerate(children):
            Category.objects.get_or_create(
                slug=child_slug,
                defaults={"name": child_name, "parent": parent, "position": child_position},
            )


class Migration(migrations.Migration):
    dependencies = [("commerce", "0002_sandbox_gateway")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
