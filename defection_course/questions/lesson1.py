"""Lesson 1 exercises: defection history."""

from ..checks.spec import FigureRules, Question

QUESTIONS = [
    Question(
        qid="q1_1",
        lesson=1,
        variable="arrived_by_2016",
        claim="C2",
        kind="number",
        title="Everyone who had arrived by the end of 2016",
        unit=" people",
        hint="MOU's series starts with two columns covering many years (everyone up to 1998, and "
        "1999-2001) before its yearly figures from 2002; add those two to the yearly "
        "figures for 2002-2016.",
        mistakes={
            "only_2002_2016": "you added only the yearly figures for 2002-2016: that leaves out "
            "everyone who came before 2002 (the two opening columns of MOU's table).",
            "yearly_rows_from_1994": "you added every yearly row up to 2016, but the yearly rows "
            "before 2002 come from other sources and miss everyone who came "
            "before 1994; use MOU's opening columns instead.",
            "end_2015": "that is the total at the end of 2015; the question asks about the end of 2016.",
            "end_2017": "that is the total at the end of 2017; the question asks about the end of 2016.",
            "double_counted": "you counted 1999-2001 twice: the column 'mou_1999_2001' and the "
            "yearly rows 1999, 2000 and 2001 are the same people.",
        },
    ),
    Question(
        qid="q1_2",
        lesson=1,
        variable="share_last_15",
        claim="C3",
        kind="number",
        title="Share who arrived in the last 15 years (as of 2016)",
        unit="%",
        decimals=1,
        percent=True,
        hint="Divide the arrivals in the 15 calendar years 2002-2016 by everyone who had arrived "
        "by the end of 2016, multiply by 100 and round to one decimal.",
        mistakes={
            "window_2001_2016": "you counted 2001-2016: that is 16 years. The last 15 years up to "
            "and including 2016 are 2002-2016.",
            "window_2003_2016": "you counted 2003-2016: that is 14 years. The last 15 years up to "
            "and including 2016 are 2002-2016.",
            "as_of_2015": "you computed it as of the end of 2015 (2001-2015). The question asks as "
            "of the end of 2016.",
            "count_not_share": "you gave a count of people; the question asks for a share in percent.",
            "share_of_2025_total": "you divided by the total at the end of 2025; use the total at "
            "the end of 2016, the as-of date of the claim.",
        },
    ),
    Question(
        qid="q1_3",
        lesson=1,
        variable="women_share",
        claim="C4",
        kind="table",
        title="Women's share of arrivals, 2002-2011",
        columns=("year", "female_pct"),
        key_column="year",
        expected_rows=10,
        expected_span=(2002, 2011),
        decimals=1,
        hint="Filter arrivals_annual to 2002-2011, then compute 100 * female / total and round to "
        "one decimal in a new column called female_pct.",
        mistakes={
            "fractions": "your shares are fractions (0 to 1); the column asks for percentages: "
            "multiply by 100.",
            "men_share": "those are men's shares; the question asks for women's.",
        },
    ),
    Question(
        qid="q1_4",
        lesson=1,
        variable="sex_plot",
        claim="C4",
        kind="figure",
        title="Line chart of men and women arriving, 2002-2025",
        figure=FigureRules(kind="line", min_series=2, distinct_styles=True, data_decimals=0),
        hint="Reshape to long form with .melt(id_vars='year', value_vars=['male', 'female'], "
        "var_name='sex', value_name='arrivals'), then sns.lineplot(..., hue='sex', "
        "style='sex', markers=True).",
        mistakes={
            "with_total": "you also plotted the total; plot only men and women.",
            "years_from_1994": "plot 2002-2025 only: the split by sex starts in 2002.",
        },
    ),
    Question(
        qid="q1_5",
        lesson=1,
        variable="arrivals_2012_2019",
        claim="C1",
        kind="number",
        title="Arrivals 2012-2019, read from the arrivals explorer",
        unit=" people",
        hint="In the explorer, choose 2012 as first and 2019 as last year and read the total in "
        "the summary line; or add up the rows of arrivals_annual for 2012 to 2019.",
        mistakes={
            "through_2020": "you included 2020; the question stops at 2019, before the COVID-19 closure.",
            "from_2011": "you included 2011, Kim Jong-il's last full year; start at 2012.",
            "women_only": "that is women only; the question asks about everyone.",
        },
    ),
    Question(
        qid="q1_6",
        lesson=1,
        variable="revision_2006",
        claim="C2",
        kind="number",
        title="How much the 2006 figure was revised",
        unit=" people",
        hint="Use arrivals_provisional: find the row for 2006 reported by Yonhap in February 2007 "
        "and subtract its reported_value from the revised_value.",
        mistakes={
            "negative": "you subtracted the wrong way round: the revised series counts more people, "
            "so the answer is positive.",
            "dailynk_2009": "you used Daily NK's 2,018 (published in 2009); the question is about the "
            "figure reported in February 2007.",
        },
    ),
    Question(
        qid="q1_7",
        lesson=1,
        variable="answer_q1_7",
        claim="C3",
        kind="text",
        min_words=40,
        title="Is '95% arrived in the last 15 years' right?",
    ),
]
