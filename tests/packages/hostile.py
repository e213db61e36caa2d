"""A package whose rich text carries script, event handlers, ``javascript:`` links and a frame,
as a stolen or careless export could."""

from packages.archive import Package
from packages.formats import to_toml

SLUG = "imported-hostile"

HOSTILE_HTML = (
    "<p>Wash your hands <b>always</b>.</p><script>window.__pwned = 1</script>"
    '<p><img src="x" onerror="window.__pwned = 2">'
    '<a href="javascript:window.__pwned=3">Click here</a></p>'
    '<iframe src="https://example.com"></iframe>'
)


def hostile_package() -> Package:
    session = {
        "slug": SLUG,
        "title": "Imported <script>window.__pwned=4</script> session",
        "module": "core",
        "duration": 30,
        "deliverer": "nurse",
        "summary": "<img src=x onerror=alert(1)> A summary.",
        "learning_outcomes": ["Spot a trick", "Stay safe", "Tell staff"],
        "safeguarding": {"html": HOSTILE_HTML},
        "body": [
            {
                "type": "section",
                "heading": "Hands",
                "text": {"html": HOSTILE_HTML},
                "slide_points": ["One", "Two"],
            },
            {"type": "trainer_note", "text": {"html": '<a href="javascript:alert(1)">x</a>'}},
        ],
    }
    return Package(
        "Hostile", "1", "now", "test", {f"sessions/{SLUG}.toml": to_toml(session).encode()}
    )
