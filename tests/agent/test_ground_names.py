"""A film named in another language than the partner's (walk4 W4-11): a Chinese user in Berlin asked for "沙丘" and the
Lichtspiel cinema, which lists "Dune", answered that it does not show it. The catalog gives a film's titles in every
language it names it in, and the agent reads all of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.skills import said_in
from tandem.agent.tasks import TaskState
from tandem.app.assistant import open_assistant
from tandem.config import load_settings
from tests.agent.conftest import partner_rows, write_profile

pytestmark = pytest.mark.anyio


async def test_a_film_said_in_the_users_language_is_found_in_the_partners(home: Path) -> None:
    write_profile(home, "DE")
    async with open_assistant(load_settings(region="DE")) as assistant:
        reply = await assistant.ask("订两张今晚八点的沙丘电影票")
        (task,) = reply.tasks
        assert task.intent == "buy_movie_tickets" and task.state == TaskState.AWAITING_CONFIRMATION, reply.text
        assert task.call is not None and task.call.summary["film"] == "Dune" and task.call.summary["tickets"] == 2


@pytest.mark.parametrize(("region", "said", "dish", "shown"), [
    ("DE", "帮我点一份披萨送到办公室", "Pizza Margherita", "玛格丽特披萨"),  # the Berlin catalog names it in German
    ("DE", "order a cheese spaetzle to the office", "Käsespätzle", "Cheese spaetzle"),
    ("CN", "order a peking duck to the office", "烤鸭", "Peking duck"),  # the Beijing catalog names it in Chinese
])
async def test_a_dish_said_in_the_users_language_is_found_on_the_partners_menu(home: Path, region: str, said: str,
                                                                               dish: str, shown: str) -> None:
    """"披萨" in Berlin: the restaurant search matched one name ("Pizza Margherita") with LIKE, so Gabelpost had no
    restaurant for it; the catalog names each dish in every language it serves (restaurants.json ``names``). The
    confirmation names it in the user's language too (review R17-2: "1 × 烤鸭" to an English user is no informed yes);
    the order is the partner's dish."""
    write_profile(home, region)
    async with open_assistant(load_settings(region=region)) as assistant:
        reply = await assistant.ask(said)
        (task,) = reply.tasks
        assert task.intent == "order_food" and task.state == TaskState.AWAITING_CONFIRMATION, reply.text
        assert task.call is not None and task.call.summary["items"] == [f"1 × {shown}"], task.call.summary
        task = await assistant.confirm(task.confirmation_id or "")
        assert task.state == TaskState.DONE, task
        food = "gabelpost.food" if region == "DE" else "kuaisong.food"
        (order,) = partner_rows(home, food, "SELECT items FROM orders")
        assert dish in order["items"], order


@pytest.mark.parametrize(("region", "said", "product", "shown"), [
    ("DE", "买一个电热水壶寄到办公室", "Wasserkocher Aqua 1,7 l", "电热水壶 Aqua 1.7升"),
    ("CN", "buy an electric kettle and send it to the office", "电热水壶 1.7升", "Electric kettle 1.7 l"),
])
async def test_a_product_said_in_the_users_language_is_found_in_the_partners_shop(home: Path, region: str, said: str,
                                                                                  product: str, shown: str) -> None:
    """Found by its name in the user's language, and confirmed by it: the confirmation named the partner's own product
    name ("Wasserkocher Aqua 1,7 l" to a Chinese user) although the search answer names it per language (``names``).
    The order itself is the partner's product (its cart), whatever language it is shown in."""
    write_profile(home, region)
    async with open_assistant(load_settings(region=region)) as assistant:
        reply = await assistant.ask(said)
        (task,) = reply.tasks
        assert task.intent == "buy_product" and task.state == TaskState.AWAITING_CONFIRMATION, reply.text
        assert task.call is not None and task.call.summary["item"] == shown, task.call.summary
        assert shown in reply.text and product not in reply.text, reply.text
        task = await assistant.confirm(task.confirmation_id or "")
        assert task.state == TaskState.DONE, task
        shop = "korbwerk.shopping" if region == "DE" else "haowuji.shopping"
        (order,) = partner_rows(home, shop, "SELECT lines FROM orders")
        assert product in order["lines"], order


def test_only_a_name_is_shown_in_the_users_language() -> None:
    """A step picked by another field (a manifest's ``pick = "sku"``) shows that field as the partner gives it: the
    item's name in the user's language is no sku (re-read of session 17: the sku became the Chinese name)."""
    item = {"sku": "K-17", "name": "Wasserkocher Aqua 1,7 l", "names": {"zh": "电热水壶 Aqua 1.7升"}}
    assert said_in(item, "zh", "sku") == "K-17"
    assert said_in(item, "zh") == "电热水壶 Aqua 1.7升"
    assert said_in(item, "en") == "Wasserkocher Aqua 1,7 l"
