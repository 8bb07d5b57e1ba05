"""Lesson 2 exercises: social origins."""

from ..checks.spec import FigureRules, Question

QUESTIONS = [
    Question(
        qid="q2_1",
        lesson=2,
        variable="workers_or_no_occupation_pct",
        claim="C4",
        kind="number",
        title="Share of workers and people with no registered occupation (c. 2024)",
        unit="%",
        decimals=1,
        percent=True,
        hint="Keep the rows of the c. 2024 snapshot (snapshot 'github_c2024'), add the 'total' of "
        "the rows whose category_group is 'workers' or 'not employed', divide by the 'total' "
        "of all its rows (children included), multiply by 100 and round to one decimal.",
        mistakes={
            "workers_only": "that is the share of workers alone; add the people with no "
            "registered occupation (category_group 'not employed').",
            "not_employed_only": "that is the share of people with no registered occupation alone; "
            "add the workers.",
            "with_service": "you also counted the service sector; the question asks only about "
            "workers and people with no registered occupation.",
            "with_children": "you also counted the children (category_group 'children') in the "
            "numerator; they belong only in the denominator.",
            "children_left_out_of_total": "you left the children out of the denominator; the "
            "question asks for a share of everyone in the table.",
            "snapshot_2020": "that is the September 2020 snapshot; the question asks about the "
            "c. 2024 one ('github_c2024').",
            "all_snapshots": "you added up every snapshot in the table; keep only the rows of "
            "'github_c2024'.",
        },
    ),
    Question(
        qid="q2_2",
        lesson=2,
        variable="border_provinces",
        claim="C5",
        kind="table",
        title="Shares of defectors and of the population in the four border provinces",
        columns=("province", "defector_share_pct", "population_share_pct"),
        key_column="province",
        expected_rows=4,
        decimals=1,
        hint="Defector share: a province's count divided by the sum of all rows of the c. 2024 "
        "province table (Nampo included). Population share: the province's 2008 population "
        "divided by the sum over the ten provinces (the rows with a value in borders_china). "
        "Then keep the rows where borders_china is True.",
        mistakes={
            "camps_in_population_total": "your population shares divide by the national total, "
            "which includes 702,372 people in military camps who "
            "live in no province; divide by the sum of the ten "
            "provinces.",
            "nampo_dropped": "your defector shares leave out the people from Nampo (it is not a "
            "row of the 2008 census, so a merge drops it); compute the shares "
            "over every row of the province table, or add Nampo to South "
            "Pyongan first.",
            "base_34134": "your defector shares divide by 34,134, the base of the other c. 2024 "
            "tables; the province table lists fewer people: divide by its own sum.",
            "fractions": "your shares are fractions (0 to 1); the columns ask for percentages: "
            "multiply by 100.",
        },
    ),
    Question(
        qid="q2_3",
        lesson=2,
        variable="north_hamgyong_ratio",
        claim="C5",
        kind="number",
        title="How over-represented is North Hamgyong?",
        decimals=1,
        hint="Divide North Hamgyong's share of defectors (%) by its share of the 2008 population "
        "(%), using the shares from your Q2.2 table, and round to one decimal.",
        mistakes={
            "inverted": "you divided the population share by the defector share; divide the other "
            "way round (defector share / population share), so that a number above 1 "
            "means over-represented.",
            "camps_in_population_total": "your population share divides by the national total, "
            "which includes the people in military camps; use the "
            "share of the population living in the provinces.",
            "difference": "you subtracted the two shares (a difference in percentage points); "
            "the question asks for a ratio: divide them.",
            "all_border_provinces": "that is the ratio for all four border provinces together; "
            "the question asks about North Hamgyong alone.",
        },
    ),
    Question(
        qid="q2_4",
        lesson=2,
        variable="education_plot",
        claim="C4",
        kind="figure",
        title="Fix the education plot (c. 2024, shares)",
        figure=FigureRules(kind="bar", min_series=1, data_decimals=1),
        hint="Filter the education table to snapshot 'github_c2024', compute "
        "share_pct = 100 * total / total.sum() rounded to one decimal, then "
        "sns.barplot(data=..., x='level', y='share_pct'), label both axes and set a title.",
        mistakes={
            "counts_2022": "you still plot the counts of the December 2022 snapshot: switch to the "
            "c. 2024 snapshot and plot shares (%), not numbers of people.",
            "counts_2024": "right snapshot, but you plot numbers of people; plot each level's share "
            "(%) of the snapshot.",
            "shares_2022": "shares, but of the December 2022 snapshot; the question asks for the "
            "c. 2024 one ('github_c2024').",
            "fractions": "you plot fractions (0 to 1); plot percentages: multiply by 100.",
        },
    ),
    Question(
        qid="q2_5",
        lesson=2,
        variable="women_top_age_count",
        claim="C4",
        kind="number",
        title="Women in the largest age band, September 2020 (explorer)",
        unit=" women",
        hint="In the explorer choose Breakdown 'age', the snapshot '2020-09 (mou_2020_09)' and Who "
        "'women'; the summary line names the largest band, and its bar shows the number of "
        "women in brackets.",
        mistakes={
            "everyone": "that is the number of people (men and women) in the largest band; set "
            "'Who' to women.",
            "men": "that is the number of men in their largest band; set 'Who' to women.",
            "snapshot_2024": "that is the c. 2024 snapshot; choose the September 2020 one (mou_2020_09).",
            "second_band": "that band is large, but it is not the largest among women: compare "
            "the bars again.",
            "share": "that is the band's share in percent; the question asks for the number of women in it.",
        },
    ),
    Question(
        qid="q2_6",
        lesson=2,
        variable="answer_q2_6",
        claim="C4",
        kind="text",
        min_words=60,
        title="Humble origin, from the border provinces?",
    ),
]
