"""Lesson 4 exercises: the East-bloc comparison."""

from ..checks.spec import FigureRules, Question

QUESTIONS = [
    Question(
        qid="q4_1",
        lesson=4,
        variable="flight_1949_1961",
        claim="C9",
        kind="table",
        title="People leaving East Germany each year, 1949-1961 (refugee series)",
        columns=("year", "persons"),
        key_column="year",
        expected_rows=13,
        expected_span=(1949, 1961),
        hint="Keep the rows of gdr_emigration whose series is 'notaufnahme_refugees' and whose "
        "year is between 1949 and 1961 (both included), then keep the columns year and "
        "persons.",
        mistakes={
            "thousands": "your figures are in thousands; the column persons counts people, so "
            "give the numbers as they are in the table.",
            "cumulative": "those are running totals; the question asks for the number who left in "
            "each year, not the total so far.",
            "other_1961_series": "for 1961 you took the row of the other series (permitted "
            "emigrants and refugees), which probably counts only the months "
            "after the Wall was built; take every year from the refugee "
            "series 'notaufnahme_refugees'.",
        },
    ),
    Question(
        qid="q4_2",
        lesson=4,
        variable="rate_1956",
        claim="C9",
        kind="number",
        title="East Germans leaving per 100,000 inhabitants in 1956",
        unit=" per 100,000",
        hint="Estimate the 1956 population from the two East German checkpoints in populations "
        "(1950 and 1961): 1956 is 6/11 of the way from 1950 to 1961, or use "
        "np.interp(1956, [1950, 1961], [pop_1950, pop_1961]). Then divide the people who "
        "left in 1956 by that population and multiply by 100,000.",
        mistakes={
            "per_1000": "that is a rate per 1,000 inhabitants; the question asks per 100,000 "
            "(multiply by 100,000, not 1,000).",
            "percent": "that is a percentage (people per 100 inhabitants); the question asks per 100,000.",
            "population_1989": "you divided by East Germany's population in 1989; use the "
            "population of 1956, when these people left.",
            "population_1950": "you divided by the 1950 population without interpolating; "
            "estimate the 1956 population between the 1950 and 1961 "
            "checkpoints.",
            "population_1961": "you divided by the 1961 population without interpolating; "
            "estimate the 1956 population between the 1950 and 1961 "
            "checkpoints.",
            "persons_not_rate": "that is the number of people who left, not a rate: divide by "
            "the population and multiply by 100,000.",
        },
    ),
    Question(
        qid="q4_3",
        lesson=4,
        variable="gdr_own_count",
        claim="C9",
        kind="choice",
        title="Which 1989 count is the East German leadership's own?",
        options=("203,000", "324,776", "343,900", "344,000", "388,396"),
        hint="Look at the five rows of gdr_emigration for 1989 (or eastbloc.gdr_counts(1989)) "
        "and read the columns series, source_id and note.",
        mistakes={
            "343,900": "that is West Germany's count of East Germans who moved or fled there, "
            "as published by Statista, not the GDR's own.",
            "324,776": "that is the West German Interior Ministry's count of East Germans who "
            "stayed in the West from 1 January to 13 December, as reported in the "
            "American press, not the GDR's own.",
            "344,000": "that is a rounded figure printed by a Hamburg newspaper (Hamburger "
            "Abendblatt), not the GDR's own.",
            "388,396": "that is Wendt's count of all registered moves to West Germany, a wider "
            "count derived from two of his totals, not the GDR's own.",
        },
    ),
    Question(
        qid="q4_4",
        lesson=4,
        variable="stasi_plot",
        claim="C9",
        kind="figure",
        title="Line chart of the Stasi's successful escapes and non-returners, 1976-1988",
        figure=FigureRules(kind="line", min_series=2, distinct_styles=True, data_decimals=0),
        hint="Keep the years 1976-1988, reshape with .melt(id_vars='year', value_vars="
        "['successful_escapes', 'of_which_non_returners'], var_name='kind', "
        "value_name='people'), then sns.lineplot(..., hue='kind', style='kind', "
        "markers=True).",
        mistakes={
            "with_1989": "you included 1989: that figure covers only 1 January to 8 October and "
            "has no split, so plot 1976-1988.",
            "with_prevented": "you also plotted the attempts that were stopped; plot only the "
            "successful escapes and the non-returners.",
        },
    ),
    Question(
        qid="q4_5",
        lesson=4,
        variable="mean_years_before_end",
        claim="C9",
        kind="number",
        title="Mean number of years elite defectors left before their regime ended",
        unit=" years",
        decimals=1,
        hint="Use the column years_before_regime_end of eastbloc_elite_defections. pandas' "
        ".mean() skips the empty value of a regime that has not ended; round to one "
        "decimal.",
        mistakes={
            "median": "that is the median; the question asks for the mean (the average).",
            "cuba_as_zero": "you counted del Pino (Cuba) as 0 years; Cuba's regime has not ended, "
            "so his value is missing, not zero: leave him out.",
            "cuba_as_zero_median": "that is the median, with del Pino (Cuba) counted as 0 years; "
            "the question asks for the mean, leaving out the regime that "
            "has not ended.",
        },
    ),
    Question(
        qid="q4_6",
        lesson=4,
        variable="gordievsky_years",
        claim="C9",
        kind="number",
        title="Years Gordievsky left before the Soviet regime ended, read from the explorer",
        unit=" years",
        hint="In the explorer choose 'USSR' and read the number at the end of Gordievsky's bar "
        "(or open 'Show the data' under the chart).",
        mistakes={
            "belenko": "that is the longest gap in the USSR selection (Viktor Belenko's); read "
            "Gordievsky's own bar.",
            "median_ussr": "that is the median of the Soviet defectors in the summary line "
            "(and Shevchenko's own figure); read Gordievsky's own bar.",
            "end_year": "that is the year the Soviet Union ended; the question asks how many "
            "years before the end he left.",
            "defection_year": "that is the year he defected; the question asks how many years "
            "before the end of the regime that was.",
        },
    ),
    Question(
        qid="q4_7",
        lesson=4,
        variable="answer_q4_7",
        claim="C9",
        kind="text",
        min_words=60,
        title="Did elite defections destabilise the East European regimes?",
    ),
]
