"""Written answers: flagged for the teacher on evidence measured outside the checks, never marked down.

Genuine English is taken from texts the word-order model never saw (the teaching guide, the
instructor guide, the solutions' model answers); filler is generated from them (their own
words shuffled), from the lessons' vocabulary, and from Latin. The rates measured here are the
ones the report quotes.
"""

from __future__ import annotations

import random
import re

import pytest
from support import ROOT, answer_cases

from defection_course.checks import result_for
from defection_course.checks.spec import RECORDED, evaluate
from defection_course.checks.written import PLACEHOLDER, course_text, placeholder_reason, words
from defection_course.grading.reports import row_for
from defection_course.grading.runner import Graded
from defection_course.questions import QUESTIONS

CASES = answer_cases()
WRITTEN = sorted(q for q in QUESTIONS if QUESTIONS[q].kind == "text")
MODEL_ANSWERS = [CASES[q]["expected"]["value"] for q in WRITTEN]

#: the q1_7 model answer in Korean (its figures unchanged)
KOREAN = (
    "작성 당시를 기준으로 하면 강한 근거로 뒷받침된다. 사설 직전의 마지막 온전한 해인 2015년 말 기준으로, "
    "입국자 28,794명 가운데 95.1%가 2001-2015년에 들어왔다. 1년 뒤인 2016년 말 기준으로는 2002-2016년의 "
    "15년이 93.4%를, 16년을 세면 95.3%를 주므로, 기준 연도에 따라 답이 약 2%포인트 달라진다. 이 주장은 "
    "시간이 지나며 맞지 않게 되었다. 2025년 기준으로는 직전 15년 동안 입국한 비율이 40.9%에 불과한데, "
    "2011년 이후 입국자가 줄었기 때문이다. 한계: 이 수치는 입국자 수이지 남한에 사는 사람 수가 아니며, "
    "초기 집계는 서로 다른 시점부터 시작한다."
)
#: a q5_6 answer that cites no figure (the model answer's reasoning, its numbers left out)
ENGLISH_NO_DIGITS = (
    "C7, that Kim Jong-un kills senior officials where his predecessors seldom did, is the claim I am "
    "least sure of; I judge it partly supported, on weak evidence. I would change my verdict if a second "
    "source confirmed the executions, for example court records or testimony from several independent "
    "defectors, and if the same definition, executed officials only, were used for both leaders. Today "
    "the comparison comes from South Korea's intelligence service alone, and several reports of "
    "executions proved wrong, such as Yonhap's report of Ri Yong-gil's execution, which cited unnamed "
    "officials."
)
LATIN = re.findall(
    r"[a-z]+",
    "sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium "
    "totam rem aperiam eaque ipsa quae ab illo inventore veritatis et quasi architecto beatae vitae dicta "
    "sunt explicabo nemo enim ipsam voluptatem quia voluptas sit aspernatur aut odit aut fugit sed quia "
    "consequuntur magni dolores eos qui ratione voluptatem sequi nesciunt neque porro quisquam est qui "
    "dolorem",
)


def _prose_chunks(text: str, size: int = 60) -> list[str]:
    """Paragraph prose of a Markdown file (no code, tables, headings, comments) in chunks of size+ words."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"`[^`]*`", "", text)  # inline code (commands, file names) is not prose
    skip = ("|", "#", "<", "+++", "---", "!", "*Source")
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip() and not p.lstrip().startswith(skip)]
    out: list[str] = []
    buf: list[str] = []
    for p in paragraphs:
        buf += p.split()
        if len(buf) >= size:
            out.append(" ".join(buf))
            buf = []
    return out


def genuine_texts() -> list[str]:
    """Genuine English the model never saw: the teaching guide, the instructor guide, the model answers."""
    held_out = [ROOT / "docs" / "teaching.md", ROOT / "notebooks" / "instructor_guide.md"]
    chunks = [c for p in held_out for c in _prose_chunks(p.read_text(encoding="utf-8"))]
    return chunks + MODEL_ANSWERS


def shuffled_texts() -> list[str]:
    """Filler made of course words: each genuine text's own words shuffled, and lesson-vocabulary samples."""
    rng = random.Random(2016)
    out = []
    for text in genuine_texts():
        w = text.split()
        rng.shuffle(w)
        out.append(" ".join(w))
    vocabulary = re.findall(r"[a-z]+", re.sub(r"```.*?```", " ", course_text(), flags=re.S).lower())
    out += [" ".join(rng.sample(vocabulary, 60)) for _ in range(30)]
    return out


def latin_texts() -> list[str]:
    """56 words of Latin filler ending with a year and a claim, as the issue's attempt did."""
    return [" ".join(random.Random(i).sample(LATIN, 56)) + ", 2016, C3." for i in range(20)]


def test_the_lessons_are_there_to_model_word_order():
    assert len(words(course_text())) > 20000


def test_genuine_english_is_almost_never_flagged():
    texts = genuine_texts()
    flagged = [t[:80] for t in texts if placeholder_reason(t)]
    assert len(texts) >= 50
    # measured: 0 of 55 (December 2026); a flag is only a note for the teacher, but keep them rare
    assert len(flagged) / len(texts) <= 0.03, flagged


def test_shuffled_course_words_are_flagged():
    texts = shuffled_texts()
    caught = sum(placeholder_reason(t) is not None for t in texts)
    assert len(texts) >= 80
    assert caught / len(texts) >= 0.75, f"{caught} of {len(texts)}"  # measured: see the report


def test_latin_filler_is_flagged():
    for text in latin_texts():
        assert placeholder_reason(text) == "not English and not the course's words (e.g. Latin filler)"


@pytest.mark.parametrize("text", [KOREAN, ENGLISH_NO_DIGITS, *MODEL_ANSWERS])
def test_genuine_answers_in_korean_or_without_digits_are_recorded_without_a_flag(text):
    for qid in WRITTEN:
        r = result_for(qid, text)
        assert r.status == RECORDED and (r.flags == () or r.flags[0].startswith("shorter")), (qid, r)
    r = result_for("q1_7", text)
    assert r.status == RECORDED and r.flags == (), r


def test_korean_is_read_as_words():
    assert len(words(KOREAN)) > 50
    assert words("北朝鮮の亡命") == ["北", "朝", "鮮", "の", "亡", "命"]


FAMILIES = {
    "genuine": lambda: genuine_texts()[:5],
    "shuffled": lambda: shuffled_texts()[:5],
    "latin": lambda: latin_texts()[:5],
    "korean": lambda: [KOREAN],
    "short": lambda: ["Yes, it is right.", "예, 맞습니다."],
    "repeated": lambda: ["x " * 60],
    "lorem": lambda: ["Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 8],
    "check line": lambda: ["My answer.\ncheck('q1_7', answer_q1_7)\n" + ENGLISH_NO_DIGITS],
}


@pytest.mark.parametrize("family", FAMILIES)
def test_no_written_answer_is_ever_scored_zero_by_a_heuristic(family):
    """Whatever the text, it is recorded (the teacher marks it) and the gradebook says 'to mark'."""
    for qid in WRITTEN:
        q = QUESTIONS[qid]
        for text in FAMILIES[family]():
            r = evaluate(q, {"type": "string", "value": text})
            assert r.status == RECORDED, (qid, family, r)
            assert PLACEHOLDER not in r.message + r.note  # the learner is never accused
            g = Graded("s", "graded", {qid: r})
            assert row_for(g, [q], {}, {})[qid] == "to mark"


@pytest.mark.parametrize(
    "filler",
    ["테스트 답변 " * 20, "答案" * 40, "ответ " * 40],
    ids=["Korean", "Chinese", "Russian"],
)
def test_repeated_filler_is_flagged_in_any_script(filler):
    assert placeholder_reason(filler) == "the same few words repeated"
    r = result_for("q1_7", filler)
    assert r.status == RECORDED and any("the same few words repeated" in f for f in r.flags), r
