"""The course's plotting style: colour-blind-safe colours, markers and readable fonts.

Colours come from the Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2008),
which stays distinguishable for the common forms of colour blindness.  Groups are always
double-encoded: each colour has its own marker and line style, so a figure also reads in
greyscale.  Call :func:`use_course_style` once at the top of a notebook.
"""

from __future__ import annotations

import os
from functools import lru_cache
from itertools import cycle, islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib and seaborn are imported where a function needs them, so that
    from cycler import Cycler  # `python -m defection_course` (the teacher's commands) starts fast

#: Okabe-Ito colours, in the order the course uses them (yellow last: weak on white).
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish green": "#009E73",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "sky blue": "#56B4E9",
    "black": "#000000",
    "yellow": "#F0E442",
}
PALETTE: list[str] = list(OKABE_ITO.values())
MARKERS: list[str] = ["o", "s", "^", "D", "v", "P", "X", "*"]
#: A line style is a name or an on/off dash pattern ``(offset, (on, off, ...))``.
LineStyle = str | tuple[int, tuple[int, ...]]
LINESTYLES: list[LineStyle] = ["-", "--", ":", "-.", (0, (5, 1)), (0, (1, 1)), (0, (3, 1, 1, 1)), "-"]
#: Hatches for bars, so bar groups differ by more than colour.
HATCHES: list[str] = ["", "//", "..", "xx", "\\\\", "oo", "++", "--"]

#: Fixed encodings for groups that recur across lessons, so "women" looks the same everywhere.
GROUP_STYLE: dict[str, dict[str, object]] = {
    "female": {"color": OKABE_ITO["vermillion"], "marker": "o", "linestyle": "-"},
    "male": {"color": OKABE_ITO["blue"], "marker": "s", "linestyle": "--"},
    "total": {"color": OKABE_ITO["bluish green"], "marker": "^", "linestyle": "-"},
}

BASE_FONT_SIZE = 12

#: Fonts with Hangul, in order of preference (Debian/Ubuntu: fonts-noto-cjk; macOS: Apple SD Gothic
#: Neo; Windows: Malgun Gothic). Every Noto Sans CJK face covers Hangul. ``COURSE_HANGUL_FONTS``
#: (comma-separated) replaces the list.
HANGUL_FONTS: tuple[str, ...] = (
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Source Han Sans K",
    "Noto Sans CJK JP",
    "NanumGothic",
    "Apple SD Gothic Neo",
    "AppleGothic",
    "Malgun Gothic",
    "UnDotum",
)
FONT_HINT = (
    "No font with Hangul (Korean) was found, so Korean names and source titles show as empty boxes. "
    "Debian/Ubuntu: sudo apt-get install fonts-noto-cjk; Fedora: sudo dnf install "
    "google-noto-sans-cjk-fonts; macOS and Windows include one (Apple SD Gothic Neo, Malgun Gothic)."
)


def _candidates() -> tuple[str, ...]:
    names = os.environ.get("COURSE_HANGUL_FONTS", "").strip()
    return tuple(n.strip() for n in names.split(",") if n.strip()) if names else HANGUL_FONTS


@lru_cache(maxsize=4)
def _hangul_font(candidates: tuple[str, ...]) -> str | None:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    manager = font_manager.fontManager
    known = {f.name for f in manager.ttflist}
    for name in candidates:
        if name in known:
            return name
    # matplotlib's font cache may predate the font's installation: look at the font files too.
    added = False
    for path in font_manager.findSystemFonts():
        base = os.path.basename(path).lower()
        if not any(k in base for k in ("cjk", "nanum", "gothic", "kr", "han")) or "serif" in base:
            continue
        try:
            if 0xAC00 in FT2Font(path).get_charmap():  # 가, the first Hangul syllable
                manager.addfont(path)
                added = True
        except (OSError, RuntimeError, ValueError):
            continue
    if added:
        found = {f.name for f in manager.ttflist}
        for name in candidates:
            if name in found:
                return name
    return None


def hangul_font() -> str | None:
    """The family name of an installed font with Hangul glyphs (``None`` if there is none)."""
    return _hangul_font(_candidates())


#: How much the current style enlarges annotations and bar labels (see :func:`annotation_size`).
_ANNOTATION_SCALE = {"scale": 1.0}


def annotation_size(points: float) -> float:
    """The font size of an annotation or bar label drawn at ``points`` in the lessons' style.

    The lessons' figures use the size as written; the projector style (``make demo``) enlarges
    it with ``use_course_style(annotation_scale=...)``, as it enlarges titles and tick labels.
    """
    return points * _ANNOTATION_SCALE["scale"]


def use_course_style(font_scale: float = 1.0, annotation_scale: float | None = None) -> None:
    """Apply the course style to matplotlib and seaborn (idempotent).

    ``font_scale`` enlarges every text element, e.g. ``1.4`` for projecting in class;
    ``annotation_scale`` (default: ``font_scale``) enlarges annotations and bar labels, which
    are smaller to begin with. In Jupyter it also makes course errors (a damaged data file, an
    unknown table) show as one line instead of a traceback.
    """
    import matplotlib as mpl
    import seaborn as sns

    from .errors import install_ipython_handler

    _ANNOTATION_SCALE["scale"] = font_scale if annotation_scale is None else annotation_scale
    install_ipython_handler()
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=PALETTE,
        font_scale=font_scale,
        rc={"axes.prop_cycle": style_cycler()},
    )
    size = BASE_FONT_SIZE * font_scale
    mpl.rcParams.update(
        {
            "figure.figsize": (8.0, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "font.size": size,
            "axes.titlesize": size * 1.15,
            "axes.titleweight": "bold",
            "axes.labelsize": size,
            "xtick.labelsize": size * 0.9,
            "ytick.labelsize": size * 0.9,
            "legend.fontsize": size * 0.9,
            "legend.title_fontsize": size * 0.9,
            "lines.linewidth": 2.0,
            "lines.markersize": 6.0,
            "axes.spines.top": False,
            "axes.spines.right": False,
            # Stable output: no random salt in SVG ids, no version stamp in files.
            "svg.hashsalt": "defection-course",
        }
    )
    korean = hangul_font()
    if korean:  # glyphs DejaVu Sans lacks (Hangul) fall back to it; Latin text is unchanged
        mpl.rcParams["font.family"] = ["sans-serif", korean]


def style_cycler() -> Cycler:
    """A property cycle that changes colour, marker and line style together."""
    from matplotlib.rcsetup import cycler

    n = len(PALETTE)
    return cycler(color=PALETTE) + cycler(marker=MARKERS[:n]) + cycler(linestyle=LINESTYLES[:n])


def group_styles(groups: list[str]) -> dict[str, dict[str, object]]:
    """Colour, marker and line style for each group name, stable for known groups.

    Known groups (``female``, ``male``, ``total``) always get their fixed style; the
    others take the next unused palette entries in order.
    """
    styles: dict[str, dict[str, object]] = {}
    free = cycle(zip(PALETTE, MARKERS, LINESTYLES, HATCHES))
    used = {str(GROUP_STYLE[g]["color"]) for g in groups if str(g).lower() in GROUP_STYLE}
    for g in groups:
        known = GROUP_STYLE.get(str(g).lower())
        if known is not None:
            styles[g] = dict(known)
            continue
        for color, marker, ls, hatch in islice(free, 2 * len(PALETTE)):
            if color not in used:
                used.add(color)
                styles[g] = {"color": color, "marker": marker, "linestyle": ls, "hatch": hatch}
                break
        else:  # more groups than colours: reuse a colour, with a marker/line style not yet used
            k = len(styles)
            taken = {(s["marker"], str(s["linestyle"])) for s in styles.values()}
            marker, ls = next((m, ls) for ls in LINESTYLES for m in MARKERS if (m, str(ls)) not in taken)
            styles[g] = {
                "color": PALETTE[k % len(PALETTE)],
                "marker": marker,
                "linestyle": ls,
                "hatch": HATCHES[k % len(HATCHES)],
            }
    return styles


def check_fonts() -> bool:
    """Print whether Korean text will render (used by ``make lab``); never fails the caller."""
    font = hangul_font()
    if font:
        print(f"\u2714 Korean text: {font} is installed")
    else:
        print(f"~ {FONT_HINT}")
    return font is not None
