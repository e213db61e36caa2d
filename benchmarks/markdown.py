"""How long the journal's Markdown renderer takes on the worst text a writer can send.

Each input of the corpus is a pattern known to make Markdown parsers slow (CommonMark's own
pathological tests, and the probe's thousands of unclosed "[a]("), repeated up to exactly
``MARKDOWN_LIMIT`` characters, the most any box accepts. Each is rendered through
``markdown_to_html`` (parser and sanitiser) a few times; printed: the best time of each input,
then the worst of those over the corpus, beside an ordinary entry of the same length.

    .venv/bin/python -m benchmarks.markdown      # or: make bench
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trainingsite.settings.test")
django.setup()

from journals.rendering import MARKDOWN_LIMIT, markdown_to_html  # noqa: E402

ROUNDS = 3


def at_limit(unit: str, *, head: str = "", tail: str = "") -> str:
    body = MARKDOWN_LIMIT - len(head) - len(tail)
    return head + (unit * (body // len(unit) + 1))[:body] + tail


def nested(opening: str, middle: str, closing: str) -> str:
    count = (MARKDOWN_LIMIT - len(middle)) // (len(opening) + len(closing))
    middle = at_limit(middle)[: MARKDOWN_LIMIT - count * (len(opening) + len(closing))]
    return opening * count + middle + closing * count


PATHOLOGICAL: dict[str, str] = {
    "unclosed links [a](": at_limit("[a]("),
    "unclosed links [a](b": at_limit("[a](b"),
    "unclosed brackets [": at_limit("["),
    "link closers ]": at_limit("]"),
    "nested brackets [[[a]]]": nested("[", "a", "]"),
    "nested links [a](b [a](b": at_limit("[a](b "),
    "link openers and emphasis closers": at_limit("[ a_"),
    "nested strong and emphasis": nested("*a **a ", "b", " a** a*"),
    "emphasis openers *a": at_limit("*a "),
    "emphasis closers a*": at_limit("a* "),
    "mismatched openers and closers": at_limit("*a_ "),
    "openers and closers multiple of 3": at_limit("a**b"),
    "underscores _a": at_limit("_a"),
    "backticks `a": at_limit("`a"),
    "backtick runs ``": "".join("`" * n + "a" for n in range(1, 200))[:MARKDOWN_LIMIT],
    "nested block quotes >": at_limit(">", tail=" a"),
    "nested lists": "".join("  " * i + "- a\n" for i in range(MARKDOWN_LIMIT // 100))[
        :MARKDOWN_LIMIT
    ],
    "list markers - - -": at_limit("- "),
    "reference definitions": at_limit("[a]: b\n"),
    "reference uses [a][b]": at_limit("[a][b]"),
    "collapsed references [a][]": at_limit("[a][]", head="[a]: /b\n\n"),
    "unclosed autolinks <http://": at_limit("<http://"),
    "unclosed angle <a": at_limit("<a"),
    "unclosed comments <!--": at_limit("<!--"),
    "unclosed link titles": at_limit('[a](b "'),
    "nested parentheses in a link": at_limit("(", head="[a](", tail=")"),
    "entities &#": at_limit("&#"),
    "backslashes \\": at_limit("\\"),
    "images ![a](": at_limit("![a]("),
    "setext headings": at_limit("a\n=\n"),
    "tabs and spaces": at_limit("\t \t- a\n"),
    "code fences ```": at_limit("```\n"),
}
ORDINARY = at_limit(
    "Today I helped Mr B fetch his meal. **It went well.** I asked before I helped.\n\n"
    "- I kept to my role\n- I told the officer\n\n"
)


def render_time(text: str) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        markdown_to_html(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    print(f"Markdown rendering at the limit ({MARKDOWN_LIMIT:,} characters), best of {ROUNDS}:")
    results = {name: render_time(text) for name, text in PATHOLOGICAL.items()}
    for name, seconds in sorted(results.items(), key=lambda item: -item[1]):
        print(f"  {name:38} {seconds * 1000:8.1f} ms")
    worst = max(results, key=results.get)
    print(f"  {'an ordinary entry':38} {render_time(ORDINARY) * 1000:8.1f} ms")
    print(
        f"Worst case over {len(results)} pathological inputs: {results[worst] * 1000:.1f} ms "
        f"({worst})"
    )


if __name__ == "__main__":
    main()
