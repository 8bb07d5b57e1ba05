"""One module per lesson: its data functions, the chart behind its interactive, the interactive's
view (a pure function of the control values) and its widget front end.

``history`` (lesson 1, with the arrivals series and eras the other lessons share), ``origins``
(2), ``purges`` (3), ``eastbloc`` (4), ``evidence`` (5). The lessons compute every claim's test
in the open with pandas and seaborn; what lives here is what a learner need not read: the
explorers' plumbing and the functions the exercises import (``from defection_course.lessons
import history``). Shared plumbing is in :mod:`defection_course.charts` (``new_figure``,
``empty_figure``) and :mod:`defection_course.interactives` (``View``, ``problem``,
``Interactive``, ``dropdown``, ``YearRange``); :mod:`defection_course.widgets` lists the
explorers by the names the notebooks call.
"""
