"""Every tagged flowable draws and splits through the Tagged mixin (a class of its own must not shadow it).

CI's fuzz test found the bug this guards against: ScriptParagraph defined split() itself, so
its parts lost their structure tag and a split heading its bookmark.
"""

from __future__ import annotations

import brochure.paragraph
import brochure.story
from brochure.canvas import Tagged


def subclasses(cls: type) -> set[type]:
    out = set(cls.__subclasses__())
    for sub in list(out):
        out |= subclasses(sub)
    return out


def test_no_tagged_flowable_shadows_the_mixins_draw_or_split() -> None:
    assert brochure.paragraph.ScriptParagraph in subclasses(Tagged)
    assert brochure.story.TaggedParagraph in subclasses(Tagged)
    for cls in subclasses(Tagged):
        assert cls.drawOn is Tagged.drawOn, f"{cls.__name__}.drawOn shadows Tagged.drawOn"
        assert cls.split is Tagged.split, f"{cls.__name__}.split shadows Tagged.split"
