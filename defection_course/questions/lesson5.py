"""Lesson 5 exercises: the capstone."""

from ..checks.spec import FigureRules, Question

QUESTIONS = [
    Question(
        qid="q5_1",
        lesson=5,
        variable="first_year_below_half",
        claim="C3",
        kind="number",
        thousands=False,
        title="First year in which the 15-year share fell below half",
        hint="Loop over the years 2010-2025 and stop at the first one where "
        "history.share_in_last_years(year, 15) is below 50.",
        mistakes={
            "still_above": "in that year the share was still above 50%; look one year later.",
            "last_not_first": "the share was already below 50% the year before: the question asks "
            "for the first such year.",
            "window_10": "that is the answer for a 10-year window; use 15 years.",
        },
    ),
    Question(
        qid="q5_2",
        lesson=5,
        variable="share_not_holding",
        claim="C7",
        kind="number",
        unit="%",
        decimals=1,
        percent=True,
        title="Share of purge reports contradicted or disputed",
        hint="Count the rows whose later_status is 'contradicted: reappeared' or 'disputed', divide "
        "by the number of rows in the table, multiply by 100 and round to one decimal.",
        mistakes={
            "contradicted_only": "you counted only the reports contradicted by a reappearance; "
            "include the disputed ones too.",
            "kim_jong_un_only": "you kept only Kim Jong-un's era; the question asks about every row.",
            "count_not_share": "you gave a count of cases; the question asks for a percentage.",
        },
    ),
    Question(
        qid="q5_3",
        lesson=5,
        variable="untestable_claim",
        claim="C8",
        kind="choice",
        options=("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9"),
        title="The claim these data cannot test",
        hint="Look at claims.CLAIMS: which claim is about why people defect, and which table is "
        "its evidence in evidence.CLAIM_TABLES?",
        mistakes={
            "c7": "C7 rests on many reports, mostly intelligence briefings: weak, but not a single "
            "survey of all defectors.",
            "c6": "C6 rests on a list of cases and aggregate claims, not on a survey.",
        },
    ),
    Question(
        qid="q5_4",
        lesson=5,
        variable="recency_plot",
        claim="C3",
        kind="figure",
        title="Line chart of the recency share for 10- and 15-year windows",
        figure=FigureRules(kind="line", min_series=2, distinct_styles=True, data_decimals=1),
        hint="Concatenate the two curves with a 'window' column, then sns.lineplot(..., hue='window', "
        "style='window', markers=True) and label the axes.",
        mistakes={
            "one_window": "you plotted only one window; plot 10 and 15 years.",
            "windows_14_15": "plot the 10- and 15-year windows (not 14).",
        },
    ),
    Question(
        qid="q5_5",
        lesson=5,
        variable="answer_q5_5",
        claim="all",
        kind="text",
        min_words=80,
        title="Overall verdict on the op-ed's conclusion",
    ),
    Question(
        qid="q5_6",
        lesson=5,
        variable="answer_q5_6",
        claim="any",
        kind="text",
        min_words=50,
        title="What evidence would change your verdict",
    ),
]
