from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "safeguarding.files"
    label = "files"
    verbose_name = "Generated files"
