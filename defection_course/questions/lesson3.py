"""Lesson 3 exercises: elite defections and reported purges."""

from ..checks.spec import FigureRules, Question

INSS_OPTIONS = (
    "executions of officials only",
    "executions and purges, of officials and ordinary residents",
    "public executions of anyone",
    "officials executed up to May 2015",
)
MOTIVE_OPTIONS = ("it supports C8", "it contradicts C8", "it cannot test C8")

QUESTIONS = [
    Question(
        qid="q3_1",
        lesson=3,
        variable="cases_2016",
        claim="C6",
        kind="number",
        title="Known elite defections in 2016",
        unit=" cases",
        hint="Filter elite to the rows whose year is 2016 and count them with len(...); keep "
        "every category and both confirmation statuses.",
        mistakes={
            "all_years": "you counted the whole list; the question asks only about 2016.",
            "reported_only": "you counted only the cases that were reported; count every 2016 "
            "case, confirmed or not.",
            "confirmed_only": "you counted only the confirmed cases; count every 2016 case, "
            "confirmed or not.",
            "diplomats_only": "you counted only diplomats; the question asks about every kind "
            "of elite defector in the list.",
            "kim_jong_un_era": "you counted every case from Kim Jong-un's era (2012 on); the "
            "question asks only about 2016.",
        },
    ),
    Question(
        qid="q3_2",
        lesson=3,
        variable="confirmed_pct_2016",
        claim="C6",
        kind="number",
        title="Share of the 2016 cases that were officially confirmed",
        unit="%",
        decimals=1,
        percent=True,
        hint="Among the 2016 rows, divide the number whose confirmation is 'confirmed' by the "
        "number of 2016 rows, multiply by 100 and round to one decimal.",
        mistakes={
            "reported_share": "that is the share that was only reported; the question asks for "
            "the share that was confirmed.",
            "of_all_cases": "you divided by every case in the list; divide by the 2016 cases only.",
            "all_years_share": "that is the confirmed share of the whole list (all years); the "
            "question asks about 2016 only.",
            "count_not_share": "you gave a count of cases; the question asks for a share in percent.",
        },
    ),
    Question(
        qid="q3_3",
        lesson=3,
        variable="elite_plot",
        claim="C6",
        kind="figure",
        title="Line chart of listed elite defections per year, by confirmation, 1990-2023",
        figure=FigureRules(kind="line", min_series=2, distinct_styles=True, data_decimals=0),
        hint="Count the cases per year and status with pd.crosstab(elite['year'], "
        "elite['confirmation']), add the missing years with .reindex(range(1990, 2024), "
        "fill_value=0), reshape with .reset_index().melt(id_vars='year', "
        "var_name='confirmation', value_name='cases'), then sns.lineplot(..., "
        "hue='confirmation', style='confirmation', markers=True).",
        mistakes={
            "no_zero_years": "your lines only have the years with at least one case; plot the "
            "years without a listed case as 0 (use .reindex(..., "
            "fill_value=0)).",
            "listed_years_all": "your lines only have the years with at least one case, back to "
            "1953: plot 1990-2023, and give the years without a listed case "
            "a 0 (use .reindex(..., fill_value=0)).",
            "from_1953": "plot 1990-2023 only, not the whole list from 1953.",
            "to_2025": "plot 1990-2023: the list has no year after 2023, so stop there.",
        },
    ),
    Question(
        qid="q3_4",
        lesson=3,
        variable="contradicted_reports",
        claim="C7",
        kind="table",
        title="Purge reports from Kim Jong-un's era that were later contradicted",
        columns=("year", "person"),
        hint="Filter reports to leader 'Kim Jong-un' and later_status 'contradicted: "
        "reappeared' (the exact text), then keep the columns year and person.",
        mistakes={
            "with_disputed": "you also kept the disputed reports; the question asks only for those "
            "contradicted when the person reappeared.",
            "disputed_only": "those are the disputed reports; the question asks for those "
            "contradicted when the person reappeared.",
            "not_contradicted": "those are the reports that were NOT contradicted; the question "
            "asks for the contradicted ones.",
            "empty": "your table is empty: check the exact spelling of the status, "
            "'contradicted: reappeared', and of the leader, 'Kim Jong-un'.",
        },
    ),
    Question(
        qid="q3_5",
        lesson=3,
        variable="contradicted_pct",
        claim="C7",
        kind="number",
        title="Share of Kim Jong-un-era purge reports later contradicted",
        unit="%",
        decimals=1,
        percent=True,
        hint="Among the reports whose leader is 'Kim Jong-un', divide the number whose "
        "later_status is 'contradicted: reappeared' by the number of reports, multiply by "
        "100 and round to one decimal.",
        mistakes={
            "all_eras": "you divided by the reports from every era, including Kim Jong-il's; keep "
            "only Kim Jong-un's era.",
            "with_disputed": "you counted the disputed reports as contradicted; count only "
            "'contradicted: reappeared'.",
            "executions_only": "you looked only at the reports of executions; the question asks "
            "about every report from the era, whatever the reported fate.",
            "count_not_share": "you gave a count of reports; the question asks for a share in percent.",
        },
    ),
    Question(
        qid="q3_6",
        lesson=3,
        variable="doubtful_reports",
        claim="C7",
        kind="number",
        title="Reports from Kim Jong-un's era contradicted or disputed (explorer)",
        unit=" reports",
        hint="In the explorer, select only 'Kim Jong-un' under Era, and both 'disputed' and "
        "'contradicted: reappeared' under Report status (Ctrl-click or Cmd-click to pick "
        "two), then read the number of cases in the summary line.",
        mistakes={
            "contradicted_only": "that is the number contradicted only; also select 'disputed'.",
            "disputed_only": "that is the number disputed only; also select 'contradicted: reappeared'.",
            "all_statuses": "you left every report status selected; select only 'disputed' and "
            "'contradicted: reappeared'.",
            "default_view": "that is the explorer's default view (every era and status); change "
            "both selections.",
            "not_contradicted": "that is the number of reports that were not contradicted; select "
            "'disputed' and 'contradicted: reappeared' instead.",
        },
    ),
    Question(
        qid="q3_7",
        lesson=3,
        variable="inss_340_counts",
        claim="C7",
        kind="choice",
        title="What the INSS's '340' counts",
        options=INSS_OPTIONS,
        hint="Find the row inss_2016_340 in purge_counts and read its columns counts and scope.",
        mistakes={
            "executions of officials only": "that is how many English-language reports put it, "
            "but read the counts and scope columns: the study "
            "counted more than executions, and more than officials.",
            "public executions of anyone": "that describes a different figure, the intelligence "
            "service's count for 2013; find the row inss_2016_340.",
            "officials executed up to May 2015": "that describes the intelligence service's "
            "'about 70'; find the row inss_2016_340.",
        },
    ),
    Question(
        qid="q3_8",
        lesson=3,
        variable="motives_verdict",
        claim="C8",
        kind="choice",
        title="Can the motives survey test claim C8?",
        options=MOTIVE_OPTIONS,
        hint="Ask who answered the survey, and whether 'economic hardship' as one's own motive is "
        "the same thing as the judgement C8 describes.",
        mistakes={
            "it supports C8": "check who was asked: the survey covers all defectors, not elite "
            "members, and the motive it records is personal hardship.",
            "it contradicts C8": "a fall in 'economic hardship' among all defectors says little "
            "about elite members: check who was asked.",
        },
    ),
    Question(
        qid="q3_9",
        lesson=3,
        variable="answer_q3_9",
        claim="C7",
        kind="text",
        min_words=60,
        title="Do the data support claim C7?",
    ),
]
