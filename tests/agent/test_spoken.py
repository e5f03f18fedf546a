"""What the assistant says out loud is data (``say.toml``, ``skill_texts.toml``): a confirmation in the task's
language with its day, time, price and how it is paid as people say them, and every language saying every
sentence."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

import tandem.agent
from tandem.agent.capabilities import capabilities
from tandem.agent.reply import describe
from tandem.agent.spoken import chat_guard, negated, read_change, say, sorry, unclaimed, unclear
from tandem.agent.tasks import PendingCall, Task, TaskState
from tandem.text import inside

FILM = {"film": "Dune", "cinema": "Lichtspiel", "tickets": 2, "starts_at": "2026-03-14 20:00", "total": 25,
        "currency": "EUR"}


def _task(language: str, summary: dict[str, object], state: TaskState = TaskState.AWAITING_CONFIRMATION) -> Task:
    return Task(id="t-1", conversation_id="c-1", intent="buy_movie_tickets", slots={}, state=state,
                language=language, call=PendingCall("cinema.buy", "lichtspiel.cinema", {}, True, summary))


@pytest.mark.parametrize(("language", "summary", "said"), [
    ("en", FILM, "Book 2 tickets for Dune at Lichtspiel on Saturday 14 March at 8 pm for 25 euros?"),
    ("de", FILM, "2 Karten für Dune im Lichtspiel am Samstag, 14. März um 20 Uhr für 25 Euro buchen?"),
    ("zh", {**FILM, "film": "沙丘", "cinema": "光影影城", "currency": "CNY"},
     "在光影影城订2张《沙丘》的票，3月14日星期六晚上8点，共25元，确认吗？"),
    ("en", {**FILM, "starts_at": "2026-03-14T09:05", "total": 12.5}, "Book 2 tickets for Dune at Lichtspiel on "
     "Saturday 14 March at 9:05 am for 12.50 euros?"),
    ("de", {**FILM, "starts_at": "2026-03-14T20:30", "total": 12.5}, "2 Karten für Dune im Lichtspiel am Samstag, "
     "14. März um 20 Uhr 30 für 12,50 Euro buchen?"),
    ("zh", {**FILM, "starts_at": "2026-03-14T14:30", "currency": "GBP"}, "在Lichtspiel订2张《Dune》的票，3月14日星期六"
     "下午2点30分，共25英镑，确认吗？"),
    ("fr", FILM, "Book 2 tickets for Dune at Lichtspiel on Saturday 14 March at 8 pm for 25 euros?"),
    ("de", {"note": "Milch"}, "Notiz: Milch. Bestätigen?"),  # a field by its name in German (say.toml's labels)
    ("en", {**FILM, "payment": "sandbox – test money, nothing is charged"}, "Book 2 tickets for Dune at Lichtspiel on "
     "Saturday 14 March at 8 pm for 25 euros (sandbox – test money, nothing is charged)?"),
    ("de", {"restaurant": "Kleine Tafel", "items": ["1 × Pizza"], "address": "Hauptstraße 5", "total": 12,
            "currency": "EUR", "payment": "Sandbox – Testgeld, es wird nichts abgebucht"},
     "1 Pizza bei Kleine Tafel an Hauptstraße 5 für 12 Euro (Sandbox – Testgeld, es wird nichts abgebucht) bestellen?"),
    ("zh", {"event": "新年音乐会", "venue": "国家大剧院", "tickets": 2, "starts_at": "2026-03-14 19:30", "total": 360,
            "currency": "CNY", "payment": "沙盒——测试资金，不会扣款"},
     "在国家大剧院订2张新年音乐会的票，3月14日星期六晚上7点30分，共360元（沙盒——测试资金，不会扣款），确认吗？"),
])
def test_a_confirmation_is_spoken_in_the_tasks_language(language: str, summary: dict[str, object],
                                                        said: str) -> None:
    assert say(_task(language, summary)) == said


@pytest.mark.parametrize(("language", "said"), [
    ("en", "Delete Zahnarzt on Sunday 6 December at 3 pm from your calendar?"),
    ("de", "Zahnarzt am Sonntag, 6. Dezember um 15 Uhr aus deinem Kalender löschen?"),
    ("zh", "把12月6日星期日下午3点的Zahnarzt从日历里删掉，确认吗？"),
])
def test_a_capability_with_its_own_sentence_is_spoken_with_it(language: str, said: str) -> None:
    """Deleting an appointment is no purchase: its own sentence (say.toml, under the capability's name) is spoken, in
    place of "event: Zahnarzt, starts_at: 2026-12-06T15:00. Shall I go ahead?"."""
    task = replace(_task(language, {"partner": "Tandem (on device)", "event": "Zahnarzt",
                                    "starts_at": "2026-12-06T15:00", "location": None}),
                   intent="cancel_calendar_event")
    assert say(task) == said
    # a capability named like a kind of summary gets no sentence with gaps ("Order  from  to ?"): its facts
    named = replace(task, intent="order", call=PendingCall("x", "x", {}, True, {"event": "Zahnarzt"}))
    assert "Zahnarzt" in say(named)


@pytest.mark.parametrize(("language", "said"), [
    ("en", "Cancel your tickets for Dune at Lichtspiel on Saturday 14 March at 8 pm (seats A1, A2) and get 25 euros "
     "back?"),
    ("de", "Deine Karten für Dune im Lichtspiel am Samstag, 14. März um 20 Uhr (Plätze A1, A2) stornieren und 25 Euro "
     "zurückbekommen?"),
    ("zh", "退掉Lichtspiel3月14日星期六晚上8点《Dune》的电影票（座位A1, A2），退回25欧元，确认吗？"),
])
def test_a_cinema_cancellation_is_spoken_with_its_seats_and_refund(language: str, said: str) -> None:
    """The cinema's cancellation has its own sentence; its seats, a list in the partner's answer, are said as a list
    is ("A1, A2", never "['A1', 'A2']"), and the total as the money given back."""
    summary = {"partner": "Lichtspiel Kinos", "order": "CIN-1", "seats": ["A1", "A2"],
               **{k: v for k, v in FILM.items() if k != "tickets"}}
    task = replace(_task(language, summary), intent="cancel_movie_tickets")
    assert say(task) == said
    assert "['A1'" not in say(replace(task, intent="other"))  # the facts of a capability without a sentence, too


@pytest.mark.parametrize(("language", "said"), [
    ("en", "2 found: Treffen mit Anna on Sunday 6 December at 10 am; Zahnarzt on Sunday 6 December at 3 pm."),
    ("de", "2 gefunden: Treffen mit Anna am Sonntag, 6. Dezember um 10 Uhr; Zahnarzt am Sonntag, 6. Dezember "
           "um 15 Uhr."),
    ("zh", "找到2项：12月6日星期日上午10点Treffen mit Anna；12月6日星期日下午3点Zahnarzt。"),
])
def test_a_read_only_answer_is_said_by_what_it_found(language: str, said: str) -> None:
    """"What's on my calendar tomorrow?" asked by voice is answered with the events, not with "Done."."""
    events = [{"id": "e1", "title": "Treffen mit\nAnna", "starts_at": "2026-12-06T10:00"},
              {"id": "e2", "title": "Zahnarzt", "starts_at": "2026-12-06T15:00"}]
    listing = replace(_task(language, {}, TaskState.DONE), intent="show_calendar", result=events,
                      call=PendingCall("office.list_events", "tandem.office", {}, False, {},
                                       {"name": "title", "time": "starts_at"}))
    assert say(listing) == said
    assert say(replace(listing, result=[])) == {"en": "I found nothing.", "de": "Ich habe nichts gefunden.",
                                                "zh": "没有找到。"}[language]


def test_a_failed_task_says_why_in_its_language() -> None:
    failed = replace(_task("zh", FILM, TaskState.FAILED), error="no seats")
    assert say(failed) == "没有成功：no seats"
    assert say(_task("de", FILM, TaskState.PLANNED)) == "Ich kümmere mich darum."
    assert sorry("zh") == "抱歉，我没听懂。" and sorry("fr") == "Sorry, I did not get that."


@pytest.mark.parametrize("name", ["say.toml", "skill_texts.toml"])
def test_every_language_says_every_sentence(name: str) -> None:
    def keys(table: dict[str, object], at: str = "") -> set[str]:
        return {f"{at}{k}" for k, v in table.items() if not isinstance(v, dict)} | \
            {key for k, v in table.items() if isinstance(v, dict) and k != "currencies"
             for key in keys(v, f"{at}{k}.")}

    tables = tomllib.loads((Path(tandem.agent.__file__).parent / name).read_text(encoding="utf-8"))
    assert {"en", "de", "zh"} <= set(tables)
    for language, table in tables.items():
        assert keys(table) == keys(tables["en"]), language


LINES = [
    ("en", "2 found: Standup (Sunday 6 December at 10 am), Zahnarzt (Sunday 6 December at 3:30 pm)"),
    ("de", "2 found: Standup (Sonntag, 6. Dezember um 10 Uhr), Zahnarzt (Sonntag, 6. Dezember um 15 Uhr 30)"),
]


@pytest.mark.parametrize(("language", "line"), LINES)
def test_a_list_answer_is_shown_by_the_fields_its_manifest_declares_with_times_in_the_users_language(
        language: str, line: str) -> None:
    """review R14-8: the items of a list answer were read by field names written in the agent ("title", "name",
    "text", "starts_at", "due_at") and the task line showed the partner's ISO time. A partner's own field names,
    declared in its manifest (``items``), name them, and the time is said in the task's language."""
    doc = {"id": "acme.calendar", "categories": ["calendar"], "tools": [{
        "name": "agenda", "intent": "show_agenda", "items": {"name": "subject", "time": "begins"}}]}
    (spec,) = capabilities([doc])
    assert spec.items == {"name": "subject", "time": "begins"}
    found = [{"id": "a1", "subject": "Standup", "begins": "2026-12-06T10:00"},
             {"id": "a2", "subject": "Zahnarzt", "begins": "2026-12-06T15:30:00"}]
    task = replace(_task(language, {}, TaskState.DONE), intent=spec.name, result=found,
                   call=PendingCall("acme.agenda", "acme.calendar", {}, False, {}, spec.items))
    assert describe(task).endswith(f"show_agenda: done — {line}"), describe(task)
    assert "Standup" in say(task) and "begins" not in say(task)
    undeclared = replace(task, call=PendingCall("acme.agenda", "acme.calendar", {}, False, {}))
    assert describe(undeclared).endswith("done — 2 found")  # nothing declared: counted, no field guessed


def test_a_time_in_a_read_only_answer_is_said_in_the_users_language() -> None:
    """walk4: a German line showed a partner's raw ISO time ("eta: 2026-12-06T18:40")."""
    task = replace(_task("de", {}, TaskState.DONE), intent="track_food_order",
                   result={"status": "on the way", "eta": "2026-12-06T18:40"},
                   call=PendingCall("f.track_order", "gabelpost.food", {}, False, {}))
    assert "Ankunft: Sonntag, 6. Dezember um 18 Uhr 40" in describe(task), describe(task)


@pytest.mark.parametrize(("answer", "claims"), [
    ("I've booked two tickets for Dune tonight. Enjoy the film!", True),
    ("Sure! I have cancelled your order and refunded the payment.", True),
    ("Your table is now reserved for 8 pm.", True),
    ("Ich habe deine Pizza-Bestellung storniert.", True),
    ("Deine Karten wurden erfolgreich gebucht!", True),
    ("好的，已为你退款，请注意查收。", True),
    ("我已经帮你订好了两张沙丘的票。", True),
    ("Ja, ich kann Ihnen ein Taxi zum Flughafen bestellen.", True),
    ("请告诉我您需要什么类型的火车票，我会为您订票。", True),
    ("I'm sorry, but I can't assist with that request.", False),
    ("Ich kann keine Bestellung stornieren.", False),
    ("Paris is the capital of France.", False),
    ("I cannot place orders myself, but the cinema's website sells tickets.", False),
    ("Die Hauptstadt von Frankreich ist Paris.", False),
    ("你好！有什么可以帮你的吗？", False),
])
def test_a_chat_answer_that_claims_an_act_no_task_did_gets_the_fact_after_it(answer: str, claims: bool) -> None:
    """walk4: with no task made, the chat model may still answer "I've booked …" (the SDK's "退掉它" got a refund
    dialogue). Its answer is kept, and one that claims an act is followed by the fact, in the user's language."""
    for language in ("en", "de", "zh"):
        guarded = unclaimed(answer, language)
        assert guarded.startswith(answer)
        assert (guarded != answer) == claims, (answer, language)
    assert "no task was made" in unclaimed("I've booked it.", "en")
    assert "keine Aufgabe" in unclaimed("Ich habe es gebucht.", "de")
    assert all(word in chat_guard("en") for word in ("cannot", "no task")) and "没有创建任何任务" in chat_guard("zh")


def test_a_refusal_is_told_from_a_no_that_names_an_act() -> None:
    """A no that refuses ("don't order it", "nicht bestellen", "不要") stays a no even to a task whose own act is a
    no-word; "cancel it", "Storniere sie", "取消它" are no refusal (confirming.take_turn asks those again)."""
    assert all(negated(t) for t in ("don't order it", "no thanks", "nicht bestellen", "nein", "不要", "别买了"))
    assert not any(negated(t) for t in ("cancel it", "Storniere sie", "取消它", "yes", "ja bitte"))


def test_words_in_a_row_are_read_by_one_helper_for_refusals_and_the_partner_guard() -> None:
    """Review (session 15): spoken.negated re-implemented overreach._inside; both ask tandem.text.inside."""
    assert inside(("don't",), ("i", "don't", "want", "it")) and inside(("不", "要"), ("我", "不", "要", "了"))
    assert not inside(("want", "i"), ("i", "want")) and not inside(("a", "b", "c"), ("a", "b"))
    assert inside((), ()) and inside((), ("a",))
    assert negated("I do not want it") and not negated("notably")  # words, not letters


@pytest.mark.parametrize(("language", "said"), [("en", "nothing was done"), ("de", "es wurde nichts ausgeführt"),
                                                ("zh", "什么都没有执行")])
def test_a_declined_cancellations_line_says_nothing_was_done(language: str, said: str) -> None:
    """review R15-5: a declined cancellation's line "cancel_food_order: cancelled" read as "your order is cancelled"
    while it stood; a cancelled task's line says that nothing was done."""
    declined = replace(_task(language, {}, TaskState.CANCELLED), intent="cancel_food_order")
    assert describe(declined) == f"[t-1] cancel_food_order: cancelled — {said}"


def test_the_question_asked_again_fits_a_cancellation_too() -> None:
    """review R15-9: asked again after "Storniere sie" to "Cancel order FD-1…?", "Say yes to confirm or no to cancel"
    invited the wrong answer (no keeps the order) and spoke of booking: the question names no act of its own."""
    for language, act in (("en", "cancel"), ("en", "book"), ("de", "abbrechen"), ("de", "gebucht"), ("zh", "取消")):
        assert act not in unclear(language).lower(), language


def test_a_change_at_a_confirmation_reads_a_date_in_digits_in_the_users_region() -> None:
    """review R17-10: "yes, but on 05/06" is 5 June in Germany and 6 May in the US, as a request says it."""
    now = dt.datetime(2026, 3, 1, 12, 0)
    for region, day in (("DE", "2026-06-05"), ("US", "2026-05-06")):
        change = read_change("yes, but on 05/06", now, "en", region)
        assert change is not None and change.when is not None and change.when.date == day, (region, change)


@pytest.mark.parametrize(("language", "said"), [("en", "starts: Saturday 14 March at 8 pm"),
                                                ("de", "Beginn: Samstag, 14. März um 20 Uhr"),
                                                ("zh", "开始时间: 3月14日星期六晚上8点")])
def test_a_confirmation_line_says_its_time_as_the_user_does(language: str, said: str) -> None:
    """The cinema's time in a confirmation line was the partner's "2026-03-14 20:00"; a time is said in the task's
    language, as a done line's already was."""
    line = describe(replace(_task(language, FILM), confirmation_id="c-1"))
    assert said in line and "2026-03-14" not in line, line


@pytest.mark.parametrize(("language", "said"), [("en", "I found nothing."), ("de", "Ich habe nichts gefunden."),
                                                ("zh", "没有找到。")])
def test_an_empty_list_answer_is_said_in_a_sentence_of_the_users_language(language: str, said: str) -> None:
    """"show_reminders: done — 0 found" (the web card: "Done (0)") to a German or Chinese user with no reminders: that
    nothing was found is said as a sentence in their language, on the task's line as aloud."""
    task = replace(_task(language, {}, TaskState.DONE), intent="show_reminders", result=[],
                   call=PendingCall("office.list_reminders", "tandem.office", {}, False, {}, {"name": "text"}))
    assert describe(task).endswith(f"show_reminders: done — {said}"), describe(task)
    assert say(task) == said and "0" not in describe(task).removeprefix("[t-1]")


@pytest.mark.parametrize(("language", "said"), [("zh", "日程: 牙医"), ("de", "Termin: Zahnarzt"),
                                                ("en", "appointment: dentist")])
def test_a_calendar_entry_is_named_an_appointment_not_a_show(language: str, said: str) -> None:
    """Review R18-1: say.toml names a field "event" as a ticketed show ("演出", "Veranstaltung"), so cancelling the
    dentist read "演出: 牙医". The office manifest titles its parameter as an appointment, and that title wins."""
    from tandem.agent.assistant import _labelled
    from tandem.agent.capabilities import shipped

    spec = next(s for s in shipped() if s.name == "cancel_calendar_event")
    call = PendingCall("office.delete_event", "tandem.office", {}, True,
                       {"event": said.split(": ")[1], "starts_at": "2026-12-08T15:00"})
    task = replace(_task(language, {}), intent=spec.name, call=_labelled(call, spec, language), confirmation_id="c-9")
    assert said in describe(task), describe(task)


@pytest.mark.parametrize(("language", "shown", "unnamed"), [
    ("de", "Status: wird zubereitet", "Status: bei der Küche"),
    ("zh", "状态: 制作中", "状态: bei der Küche"),
    ("en", "status: being prepared", "status: bei der Küche"),
])
def test_an_order_state_is_shown_and_said_in_the_users_language(language: str, shown: str, unnamed: str) -> None:
    """A German "Wo ist meine Bestellung?" was answered "Status: preparing", a cancellation asked about an order
    "Status: on_the_way": a partner's state is shown and said in the user's language (say.toml [<lang>.values]); a
    state nobody names stays as the partner sent it."""
    track = replace(_task(language, {}, TaskState.DONE), intent="track_food_order",
                    result={"order_id": "FD-1", "status": "preparing", "total": 12},
                    call=PendingCall("f.track_order", "gabelpost.food", {}, False, {}))
    assert shown in describe(track), describe(track)
    assert unnamed in describe(replace(track, result={"status": "bei der Küche"}))
    cancel = replace(_task(language, {"order": "FD-1", "status": "on the way"}), intent="cancel_food_order",
                     call=PendingCall("f.cancel_order", "gabelpost.food", {}, True, {"order": "FD-1",
                                                                                    "status": "on the way"}))
    on_the_way = {"de": "unterwegs", "zh": "配送中", "en": "on the way"}[language]
    assert on_the_way in say(cancel) and on_the_way in describe(cancel), (say(cancel), describe(cancel))
