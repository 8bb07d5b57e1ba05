"""One module per lesson: its constants, the charts behind its interactive, the interactive's
view (a pure function of the control values) and its widget front end.

``history`` (lesson 1), ``origins`` (2), ``purges`` (3), ``eastbloc`` (4), ``evidence`` (5).
The lessons themselves compute every claim's test in the open with pandas and seaborn; what
lives here is what a learner need not read: the explorers' plumbing and the few functions the
exercise solutions still import. Shared plumbing stays in :mod:`defection_course.charts`
(``_new``, ``empty_figure``, era shading), :mod:`defection_course.interactives` (``View``) and
:mod:`defection_course.widgets` (``Interactive``, ``_dropdown``, ``YearRange``).
"""
