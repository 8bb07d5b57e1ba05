"""One module per lesson: the figure, interactive view and explorer each lesson's widget needs.

The shared plumbing stays where it was: :class:`~defection_course.interactives.View`,
:class:`~defection_course.widgets.Interactive`, :class:`~defection_course.widgets.YearRange`,
the chart helpers and era shading in :mod:`defection_course.charts`. The lessons compute
their claims in the open with pandas and seaborn; these modules only drive the widgets.
"""
