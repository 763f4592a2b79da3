from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "problems"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        import os

        if os.environ.get("SPOJSCORE_LISTEN") == "1":
            from . import notify

            notify.start()
