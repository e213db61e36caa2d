"""How the site names the people who use it, and how it writes their words to spreadsheets."""

NO_ACCOUNT = "Someone who no longer has an account"


def person_name(user) -> str:
    """A user's full name, or their username when they gave none; ``NO_ACCOUNT`` when the
    account was deleted since (``None``)."""
    if user is None:
        return NO_ACCOUNT
    return user.get_full_name() or user.get_username()


def spreadsheet_cell(value):
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe. Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
