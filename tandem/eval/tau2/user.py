"""A scripted customer for tau2 tasks, used where no user-simulator model is available.

tau2-bench plays the customer with an LLM that reads the task's scenario. This customer follows fixed
rules instead, so a run needs only the model under test and repeats exactly:

1. **Opening** (answering the agent's greeting): the scenario in the first person: ``reason_for_call``,
   then ``known_info``, then ``unknown_info`` ("You are Yusuf Rossi..." becomes "I am Yusuf Rossi...").
   The persona hints (``task_instructions``) are not used.
2. **Transfer**: when the agent says the user is being transferred to a human, the customer ends the
   conversation (``###TRANSFER###``, a user stop in tau2).
3. **Identity**: a question or request about e-mail, name, zip or user id gets known_info and unknown_info.
4. **Confirmation**: any other message asking to confirm or proceed gets "Yes, please go ahead."
5. **Anything else**: "anything else" questions get "No, that's all. ###STOP###".
6. **Requests**: a question or request naming a topic is answered with the sentences of the reason for
   the call on that topic (order, payment, address, cancellation reason, items). A question on no known topic, or
   whose answer is empty, is answered by restating the request.
7. **Statements** (no question): "OK." The second statement in a row ends the conversation.
8. **Giving up**: a reply the customer already gave in one of its last two turns (other than a
   confirmation), or reaching ``max_turns`` replies, ends the conversation with ``###STOP###``.

Unlike tau2's simulated customer, this one states the whole request at once and always confirms, so it
cannot test an agent's handling of piecemeal or changing requests, and conditional wishes ("if the agent
asks for confirmation, only exchange the lamp") reach the agent as written.
"""

from __future__ import annotations

import re

from tandem.eval.tau2.data import Scenario

__all__ = ["STOP", "TRANSFER", "ScriptedUser", "first_person", "sentences"]

STOP = "###STOP###"
TRANSFER = "###TRANSFER###"
CONFIRM = "Yes, please go ahead."
OK = "OK."
DONE = f"No, that's all. {STOP}"
GIVE_UP = f"Thank you, that is all. {STOP}"

_PRONOUNS = [  # (pattern, replacement), applied in order
    (r"\byou are\b", "I am"), (r"\byou were\b", "I was"), (r"\byou're\b", "I'm"), (r"\byou've\b", "I've"),
    (r"\byou'd\b", "I'd"), (r"\byou'll\b", "I'll"), (r"\byourself\b", "myself"), (r"\byours\b", "mine"),
    (r"\byour\b", "my"), (r"\byou name\b", "my name"),
    # "you" before another word is a subject ("the camera you received"), unless an object of a verb or
    # preposition ("asks you for"); anywhere else it is an object ("help you.")
    (r"(?<!\bto )(?<!\bfor )(?<!\bwith )(?<!\bof )(?<!\bfrom )(?<!\babout )(?<!\bask )(?<!\basks )"
     r"(?<!\btell )(?<!\btells )(?<!\bgive )(?<!\bgives )(?<!\bhelp )(?<!\blet )\byou\b(?= [a-z])", "I"),
    (r"(?<!\bthank )\byou\b", "me"),
]
_TRANSFERRED = re.compile(r"transferr(?:ed|ing) (?:you )?to a human", re.I)
_CONFIRMING = re.compile(r"\b(?:confirm|proceed|go ahead|shall i|should i|would you like me to|do you want me to|"
                         r"is (?:that|this|everything) correct|yes or no)\b|yes/no|\(yes\)", re.I)
_ANYTHING_ELSE = re.compile(r"\banything else\b|\bother (?:request|question)s?\b", re.I)
_REQUEST = re.compile(r"\?|\b(please (?:provide|share|tell|give|let)|could you|can you|may i|let me know)\b", re.I)
_IDENTITY = re.compile(r"e-?mail|name|zip|postal|user id|verify|authenticat|identif", re.I)
# topic -> (words in the agent's message that ask about it, words that mark a reason sentence about it)
_TOPICS: dict[str, tuple[str, str]] = {
    "order": (r"order (?:id|number)|which order|order #", r"order|#w\d"),
    "payment": (r"payment|\bpay\b|refund|card|paypal|gift", r"pay|refund|card|paypal|gift|credit"),
    "address": (r"address|ship", r"address|ship|move|live|home"),
    "reason": (r"reason|why", r"cancel|mistake|no longer|reason"),
    "items": (r"item|product|option|colou?r|size|prefer|variant|model", r"."),
}


def first_person(text: str) -> str:
    """The task author's "You want to..." as the customer would say it: "I want to..."."""
    out = text
    for pattern, replacement in _PRONOUNS:
        out = re.sub(pattern, replacement, out, flags=re.I)
    return out[:1].upper() + out[1:]


def sentences(text: str) -> list[str]:
    """Sentences of a scenario field (split after ``.``, ``!`` or ``?`` and at line breaks)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


class ScriptedUser:
    """One customer for one conversation; ``reply`` is called with each agent message in turn."""

    def __init__(self, scenario: Scenario, max_turns: int = 10) -> None:
        self.reason = sentences(first_person(scenario.reason))
        self.identity = sentences(first_person(scenario.known)) + sentences(first_person(scenario.unknown))
        self.max_turns = max_turns
        self.said: list[str] = []

    def opening(self) -> str:
        return self._say(" ".join(self.reason + self.identity))

    def reply(self, agent: str) -> str:
        """The customer's answer to one agent message (ends with ``###STOP###`` or ``###TRANSFER###`` when
        the customer ends the conversation)."""
        if len(self.said) >= self.max_turns:
            return self._say(GIVE_UP)
        answer = self._answer(agent)
        if answer != CONFIRM and answer in self.said[-2:]:
            return self._say(GIVE_UP)
        return self._say(answer)

    def _answer(self, agent: str) -> str:
        if _TRANSFERRED.search(agent):
            return TRANSFER
        if _IDENTITY.search(agent) and _REQUEST.search(agent):  # "your e-mail, so that I can proceed?" is not a yes
            return " ".join(self.identity) or "I don't know."
        if _CONFIRMING.search(agent):
            return CONFIRM
        if _ANYTHING_ELSE.search(agent):
            return DONE
        if _REQUEST.search(agent):
            return " ".join(self._about(agent)) or "My request: " + " ".join(self.reason)
        return GIVE_UP if self.said and self.said[-1] == OK else OK

    def _about(self, agent: str) -> list[str]:
        found: list[str] = []
        for asks, marks in _TOPICS.values():
            if re.search(asks, agent, re.I):
                found += [s for s in self.reason if re.search(marks, s, re.I) and s not in found]
        return found

    def _say(self, text: str) -> str:
        self.said.append(text)
        return text
