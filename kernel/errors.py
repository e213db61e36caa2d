class DomainError(Exception):
    """A rule refused something. ``code`` says which rule (for code and tests); ``message``
    says it to a person, in plain words. Each app's services raise their own subclass."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
