from django.apps import AppConfig


class TrainerResourcesConfig(AppConfig):
    name = "trainer_resources"

    def ready(self):
        from courses.blocks import TRAINER
        from courses.chapters import register_chapters

        from .models import TrainerChapter

        register_chapters(TRAINER, TrainerChapter)
