import threading

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from printing.builds import watch_for_abandoned_builds


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker that builds the printed books (the 'printing' task backend). "
        "Beside its queue it watches for builds whose worker died and queues them again."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(backend_name="printing", reload=False)

    def handle(self, *args, **options):
        stop = threading.Event()
        watcher = threading.Thread(
            target=watch_for_abandoned_builds, args=(stop,), name="abandoned-builds", daemon=True
        )
        watcher.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
