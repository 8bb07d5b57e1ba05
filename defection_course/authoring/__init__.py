"""Authoring tools: what maintainers run to turn the course's sources into what learners get.

``questions`` reads each exercise question's one definition (in its solution's MyST source)
and writes the runtime specs, the hashed keys and the generated answer cases; ``harness``
is the small piece of it that runs inside the solution notebook's kernel.
"""
