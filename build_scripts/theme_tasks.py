"""Split the start of Material for MkDocs' script into short tasks that each follow a frame.

Material's bundle.js sets up everything in the task that evaluates it, and
mounts the page's components in DOMContentLoaded's task. On the chapter, in
Chromium 156 on 2 cores, the first of those took 40 to 120 ms and the second
20 to 60 ms, each over the 50 ms at which a task delays the reader's input.
Much of that time was not Material's own code: its first reads of scroll
offsets and sizes, and clipboard.js's `document.queryCommandSupported`, made
Chromium style and lay out all the text parsed since the last frame.

The build edits the script so that those parts run later, each in a task of
its own that a timeout queues right after the next frame, when layout is up
to date:

1. instant navigation's set-up, which intercepts links and fetches the sitemap;
2. the clipboard set-up and the patch that locks scrolling under the search;
3. the header's controls (palette, search, dialog and the like), mounted when
   Material subscribes to its components, which it now does in such a task;
4. the announcement of the first page on `document$`, which mounts the
   content's components (table of contents, sidebars, header title, the
   button back to the top) and passes the page to the widgets' subscription.

The viewport's first scroll offset is read when something first subscribes
to it, no longer when the script runs. `window.document$` and Material's
other observables still exist once the script has run, so the scripts after
it can subscribe as before. A click on a link before the first of those
tasks has run loads the page in full, as without instant navigation. In a
tab that is hidden while it loads, browsers run no frames, so these parts
wait until the reader shows the tab.

NOTE: a search shortcut key (`s`, `f` or `/`) pressed before the header
controls are mounted, about a frame after the script has run, is lost.
"""

from __future__ import annotations

import re
from pathlib import Path

from theme_start import THEME_SCRIPTS, ThemeChangedError, single_file

# Put after the edited script's last statement, on the same line, so that no line of the
# source map moves. A `mkdocs build --dirty` keeps the edited file, and finding this
# comment there distinguishes that file from one whose code has moved.
EDITED_MARK = "/* Start-up split into tasks by build_scripts/theme_tasks.py */"
LAST_STATEMENT_END = re.compile(r"(?=\n//# sourceMappingURL=|\s*$)")

# The pieces of Material's script that are edited, as its minifier writes them. The names
# are the minifier's, so they are matched, not spelled out, and may contain a `$`.
ANNOUNCE_DOCUMENT = re.compile(
    r'(?P<listen>[\w$]+\(document,"DOMContentLoaded",\{once:!0\}\)\.subscribe\(\(\)=>)'
    r"(?P<announce>[\w$]+\.next\(document\))\)"
)
SET_UP_INSTANT_NAVIGATION = re.compile(
    r'(?P<feature>[\w$]+\("navigation\.instant"\)&&)'
    r"(?P<setup>[\w$]+\(\{sitemap\$:[\w$]+,location\$:[\w$]+,viewport\$:[\w$]+,progress\$:[\w$]+\}\)\.subscribe\([\w$]+\));"
)
SET_UP_CLIPBOARD = re.compile(r"(?<=;)(?P<setup>[\w$]+\(\{alert\$:[\w$]+\}\));")
LOCK_SCROLL = re.compile(r"(?<=;)(?P<setup>[\w$]+\(\{viewport\$:[\w$]+,tablet\$:[\w$]+\}\));")
# The controls' merge, which calls each mount function at once, and the content's, which
# Material already wraps in defer() and so mounts only on subscription.
MOUNT_CONTROLS = re.compile(
    r'(?P<name>[\w$]+)=(?P<merge>[\w$]+)\((?P<mounts>\.\.\.[\w$]+\("consent"\)[^;]*?)\),'
    r'(?P<content>[\w$]+=(?P<defer>[\w$]+)\(\(\)=>(?P=merge)\(\.\.\.[\w$]+\("announce"\))'
)
SUBSCRIBE_COMPONENTS = re.compile(r"(?P<components>[\w$]+)\.subscribe\(\);(?=window\.document\$=)")
# The viewport's offset: scroll and resize events, starting with the offset read at once.
WATCH_VIEWPORT_OFFSET = re.compile(
    r"(?P<head>function [\w$]+\(\)\{return )"
    r'(?P<watch>[\w$]+\([\w$]+\(window,"scroll",\{passive:!0\}\),[\w$]+\(window,"resize",\{passive:!0\}\)\)'
    r"\.pipe\([\w$]+\((?P<read>[\w$]+)\),[\w$]+\((?P=read)\(\)\)\))\}"
)


def _after_next_frame(code: str) -> str:
    """Return a statement that runs code in a task of its own right after the next frame."""
    return f"requestAnimationFrame(()=>setTimeout(()=>{code}))"


def _edit_once(pattern: re.Pattern[str], replace, text: str, description: str, script: str) -> str:
    """Return text with pattern's one match replaced, or raise ThemeChangedError naming the description."""
    edited, count = pattern.subn(replace, text)
    if count != 1:
        raise ThemeChangedError(f"{script} has {count} copies of {description}, expected 1")
    return edited


def split_startup(site_dir: Path) -> Path:
    """Edit the built bundle.js so that its set-up and first mounting run in separate tasks after frames.

    Returns the file changed, which is left alone when it has been edited
    already. Raises ThemeChangedError when there is no bundle.js or any of the
    seven pieces of code is not found exactly once, so that a Material upgrade
    that changes them is noticed.
    """
    script = single_file(site_dir, THEME_SCRIPTS)
    text = script.read_text(encoding="utf-8")
    if EDITED_MARK in text:
        return script
    name = str(script.relative_to(site_dir))
    controls = list(MOUNT_CONTROLS.finditer(text))
    if len(controls) != 1:
        raise ThemeChangedError(f"{name} has {len(controls)} copies of the header controls' mounting, expected 1")
    defer = controls[0]["defer"]

    edits = [
        (
            ANNOUNCE_DOCUMENT, "the first page's announcement on document$",
            lambda match: f"{match['listen']}{_after_next_frame(match['announce'])})",
        ),
        (
            SET_UP_INSTANT_NAVIGATION, "instant navigation's set-up",
            lambda match: f"{match['feature']}{_after_next_frame(match['setup'])};",
        ),
        (SET_UP_CLIPBOARD, "the clipboard set-up", lambda match: f"{_after_next_frame(match['setup'])};"),
        (LOCK_SCROLL, "the scroll lock's set-up", lambda match: f"{_after_next_frame(match['setup'])};"),
        (
            MOUNT_CONTROLS, "the header controls' mounting",
            lambda match: f"{match['name']}={defer}(()=>{match['merge']}({match['mounts']})),{match['content']}",
        ),
        (
            SUBSCRIBE_COMPONENTS, "the subscription to the components",
            lambda match: f"{_after_next_frame(match['components'] + '.subscribe()')};",
        ),
        (
            WATCH_VIEWPORT_OFFSET, "the viewport offset's first read",
            lambda match: f"{match['head']}{defer}(()=>{match['watch']})}}",
        ),
    ]
    for pattern, description, replace in edits:
        text = _edit_once(pattern, replace, text, description, name)
    script.write_text(LAST_STATEMENT_END.sub(EDITED_MARK, text, count=1), encoding="utf-8")
    return script
