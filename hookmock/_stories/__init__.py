"""Stories: the chain of events one real action produces, sharing ids, objects and a clock.

``hookmock.story(provider, name, seed=..., **params)`` tells one; ``hookmock.stories(provider)``
lists them. A provider defines its stories (:class:`StoryDef`, told through a :class:`Teller`)
and returns them from :meth:`hookmock.Provider.stories`.
"""

from __future__ import annotations

from ._define import Param, StoryDef
from ._story import Story, stories, story
from ._tell import Teller

__all__ = ["Param", "Story", "StoryDef", "Teller", "stories", "story"]
