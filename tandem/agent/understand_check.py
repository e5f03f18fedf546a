"""The device model's second small job: when the learned tier is unsure, which of its likeliest capabilities the
request asks for, or none of them.

The learned tier decides most requests on its own in milliseconds. Near its "none of these" threshold, or when
two capabilities score alike, it is often wrong, and those are the requests worth seconds of the device model:

    check = CapabilityCheck(device, intents)
    offered = check.candidates(tier.scores(text), tier.threshold, tier.lead_of)   # () when the learned tier is sure
    check.decide(text, offered)                                     # (a name among ``offered`` or None, usage)

The model sees every installed capability's description (manifest data, so a partner's own capability is
described the same way) in a first system message that is the same for every request, so the device keeps its
evaluated state (``LlamaCppModel.fixed_length``); what varies, the answer grammar and the user's words, comes
after it. The grammar is an enum of the offered names and "none": the model may only choose a capability the
learned tier already placed near the top, never invent another, and "none" wins a tie (the model's log
probability of "none" at the token where the answers part, against the answer it chose). A model that fails
answers "none". So a question or small talk stays chat unless the model clearly reads an action the learned tier
also saw.

Measured (bench/understand.py --check): it does not pay yet. The learned tier is rarely unsure in the band chosen
on the tune half (8 of 593 report-half requests), and there the 1.5B's decisions were no better than the learned
tier's; so it is off unless a band is given (``Understander(check=BAND)``).

Measured again in session 18, as a yes/no verifier of every learned-tier act (not template hits): the 1.5B
(device:qwen2.5-1.5b, fixed system prefix kept, grammar enum yes/no, its yes-over-no log probability as margin) asked
"does the user ask the assistant to do <capability description>, or is it a question, complaint or remark?". Tune
part A of the seven sets (fast+learned; every out-of-scope learned act and every 4th in-scope one checked, 60 calls):
vetoing below a margin of -2 nats took the invented tasks de/en/zh 0/3/5 -> 0/0/2 but cost 8/3/3 right answers among
the quarter of in-scope acts checked (right 126 -> 118, 128 -> 125, 135 -> 132; at a margin of 0: 111, 117, 117), and
a call took p50 25.6 s / p95 39.3 s at load 8 on the 2 cores (the goal for requests the templates miss: p95 < 3 s).
It did not pay on A, so B was not run and nothing is wired (script: /tmp/und9/verify.py, notes-und9.md).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tandem.agent.intents import IntentSpec
from tandem.agent.learned import CHAT, decided
from tandem.errors import ContextOverflow, ModelError, NotFound
from tandem.models.base import Model, complete
from tandem.types import ChatRequest, Message, ResponseFormat, TokenLogprob, Usage

__all__ = ["BAND", "NONE", "Band", "CapabilityCheck", "lead_over_none", "unsure", "warm"]

NONE = "none"


@dataclass(frozen=True)
class Band:
    """Where the learned tier counts as unsure (chosen on part A of the bench's tune half, checked on part B)."""

    low: float  # a "none" decision whose best capability scores at least this is unsure
    high: float  # a capability decision scoring below this is unsure
    close: float  # ... and so is one whose runner-up capability scores within this of it
    k: int  # how many of the likeliest capabilities the model may choose among
    tie: float  # "none" wins unless the chosen answer is this much likelier (log probability, nats)


# Chosen with the default model (qwen2.5-coder-1.5b) on part A of the bench's tune half (docs/results/understanding.md,
# session 8): turning a "none" into a task never paid there (the band held questions near a capability, and the model
# called some of them actions), so ``low`` is out of reach and the model only confirms or vetoes an unsure capability;
# a confirmation needs a lead of 3 nats over "none". It changed nothing on part B and cost 1 item in en and zh on the
# report half, so the Understander runs no check unless given a band.
BAND = Band(low=1.01, high=0.6, close=0.0, k=3, tie=3.0)

_ASK = ("You sort what users write to an assistant. The assistant can do these actions:\n{actions}\n"
        "Answer with the name of the one action the user asks the assistant to do. Answer none when the user "
        "asks a question, makes small talk, greets or thanks, or wants anything these actions do not do. "
        "When in doubt, answer none.")


class CapabilityCheck:
    """Asks the device model which of the learned tier's top capabilities a request is, or none."""

    def __init__(self, model: Model, intents: Sequence[IntentSpec], band: Band = BAND) -> None:
        self.model, self.band = model, band
        self.names = {spec.name for spec in intents}
        actions = "\n".join(f"- {spec.name}: {spec.description}" for spec in intents)
        self.system = _ASK.format(actions=actions)

    def warm(self) -> bool:
        """Let the device evaluate and keep the fixed first message now, before the first unsure request."""
        return warm(self.model, self.system)

    def candidates(self, scores: dict[str, float], threshold: float,
                   lead: float | Callable[[str], float] = 1.0) -> tuple[str, ...]:
        """The installed capabilities to offer the model for ``scores`` (see ``unsure``)."""
        return unsure({k: v for k, v in scores.items() if k in self.names or k == CHAT}, threshold, self.band, lead)

    def decide(self, text: str, offered: Sequence[str]) -> tuple[str | None, Usage | None]:
        """The capability among ``offered`` that ``text`` asks for, or None (chat); and what the model spent on
        it (None: it was not asked, or did not answer)."""
        if not offered:
            return None, None
        choices = [NONE, *offered]
        request = ChatRequest(messages=(Message("system", self.system), Message("user", text)),
                              response_format=ResponseFormat("json_schema", {"enum": choices}), max_tokens=12,
                              temperature=0.0, seed=0, logprobs=20)
        try:
            result = complete(self.model, request)
            answer = json.loads(result.message.content or "")
        except (ModelError, ContextOverflow, NotFound, ValueError):  # no help from the model: none of them
            return None, None
        if answer not in offered or lead_over_none(result.logprobs) <= self.band.tie:
            return None, result.usage
        return str(answer), result.usage


def warm(model: Model, first: str, answer: ResponseFormat | None = None) -> bool:
    """Have ``model`` evaluate a request whose fixed part is the system message ``first`` and the ``answer`` format
    (one token answered), so that it keeps that part's state (``LlamaCppModel.fixed_length``) and a real request
    restores it instead of reading it. Nothing of the user's is in it. False when the model could not."""
    request = ChatRequest(messages=(Message("system", first), Message("user", "-")), max_tokens=1, temperature=0.0,
                          seed=0, response_format=answer or ResponseFormat())
    try:
        complete(model, request)
    except (ModelError, ContextOverflow, NotFound):
        return False
    return True


def unsure(scores: dict[str, float], threshold: float, band: Band = BAND,
           lead: float | Callable[[str], float] = 1.0) -> tuple[str, ...]:
    """The ``band.k`` likeliest capabilities when the learned tier is unsure of its ``scores`` (each capability's
    probability and "chat"'s), else (): it is sure when its best capability lies clearly below the none threshold,
    or clearly above it and above the runner-up. Whether it said "none" is the tier's own rule, ``learned.decided``
    (``threshold`` and ``lead``, which may be the tier's ``lead_of``: each capability's own lead)."""
    ranked = sorted(((name, p) for name, p in scores.items() if name != CHAT), key=lambda x: -x[1])
    if not ranked:
        return ()
    best = ranked[0][1]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    said_none = decided(scores, threshold, lead) is None
    doubt = best >= band.low if said_none else best < band.high or best - runner_up < band.close
    return tuple(name for name, _ in ranked[:band.k]) if doubt else ()


def lead_over_none(logprobs: Sequence[TokenLogprob]) -> float:
    """How much likelier (log probability, nats) the answer was than "none" where the two part: at the first token
    of the answer's name (after the opening quote), the chosen token against the tokens that begin "none". When
    no such token is among the model's likeliest, "none" is taken as likely as the least of them (so the lead is
    never overstated; an answer the grammar forced against the model's own likeliest tokens leads by nothing).
    Negative infinity when no name was written."""
    for entry in logprobs:
        if not entry.token.lstrip('" '):
            continue
        rivals = [t.logprob for t in entry.top if (p := t.token.lstrip('" ')) and NONE.startswith(p)]
        none = math.log(sum(math.exp(x) for x in rivals)) if rivals else min((t.logprob for t in entry.top),
                                                                              default=entry.logprob)
        return entry.logprob - none
    return -math.inf
