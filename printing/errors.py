class PrintingError(Exception):
    """A printed document that cannot be built or asked for; ``code`` says which rule.

    In a module of its own so that the web side (services, views) can use it without
    loading WeasyPrint, which only the PDF pipeline and the worker need."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
