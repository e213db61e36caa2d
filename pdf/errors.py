from kernel.errors import DomainError


class PrintingError(DomainError):
    """A printed document that cannot be built or asked for; ``code`` says which rule.

    In a module of its own so that the web side (services, views) can use it without
    loading WeasyPrint, which only the PDF pipeline and the worker need."""
