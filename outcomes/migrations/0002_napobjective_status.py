from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="napobjective",
            name="status",
            field=models.CharField(
                choices=[("active", "Active"), ("withdrawn", "Withdrawn")],
                default="active",
                max_length=10,
            ),
        ),
    ]
