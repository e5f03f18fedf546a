"""The learned half of the overreach guard. A partner's phrasings and examples teach the learned tier what its
requests sound like; said in other words than any template or chat example, small talk or another partner's
requests can still be taught to it, and an attacker that drops whatever phrasing the template guard names gets in
(review R21). So, at ``tandem services add`` only (it trains the judge a few times: seconds), the learned tier is
built as the assistant builds it (``LearnedTier`` with the on-device e5 model, deciding at ``PLAIN_LEAD``, the
lowest lead it gives any capability, so that the guard fails closed), with and without the new partner, and the
partner is refused when, with it installed, more than ``ALLOWANCE`` sentences that the installed set reads right
(chat as chat, a request as its owner's) become its task. The allowance is fixed, not the installed set's own
misreads: those have nothing to do with the new partner, and an attacker dropping phrasings one at a time got in
under them with 8 sentences of others (review R21, after 9879659). A sentence the installed set already misreads is
not counted: a second cinema with the shipped cinema's examples makes the cinema keep three event-ticket requests
it already took, which is no harm of the new partner's. The taxi and flower partners of the tests take none.
The sentences judged are

- the chat examples (``chat_examples.toml``) and every other installed capability's own phrasings and
  spelled-out examples, each judged by tiers trained without it (``FOLDS`` folds by a stable hash: a sentence
  the judge learned proves nothing, so a partner could take all of them unseen); a capability the new partner
  merges into by declaring the same intent is its own: its sentences are not judged, but the chat is;
- the everyday sentences (``everyday.toml``), which no tier learns from.

Without the e5 model the check cannot be made, and the partner is refused (fails closed), saying why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from tandem.agent.capabilities import capabilities
from tandem.agent.intents import IntentSpec
from tandem.agent.learned import CHAT, PLAIN_LEAD, Embedder, LearnedTier, chat_examples, spelled
from tandem.agent.overreach import everyday

__all__ = ["ALLOWANCE", "FOLDS", "learned_overreach"]

ALLOWANCE = 2  # judged sentences a partner may take (noise of a legitimate neighbour); the test partners take 0
FOLDS = 2  # learned sentences are judged in this many held-out folds (each fold: two judges trained)
_SHOWN = 3  # sentences named in the refusal


def _fold(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % FOLDS


def _judged(others: Sequence[IntentSpec]) -> list[tuple[str, str | None, int | None]]:
    """(sentence, whose it is (None: nobody's), the chat fold it was held out of (None: learned by no one))."""
    out: list[tuple[str, str | None, int | None]] = [
        (text, None, _fold(text)) for sentences in chat_examples().values() for text in sentences]
    out += [(text, None, None) for sentences in everyday().values() for text in sentences]
    out += [(text, spec.name, _fold(text)) for spec in others
            for lang in dict.fromkeys((*spec.examples, *spec.phrasings)) for text in spelled(spec, lang)]
    return list(dict.fromkeys(out))


def learned_overreach(doc: dict[str, Any], installed: Iterable[dict[str, Any]],
                      embedder: Embedder | None = None) -> str | None:
    """Why the partner manifest ``doc`` takes, in the learned tier, small talk or the ``installed`` partners'
    requests (one line), or None. ``embedder``: the on-device e5 model unless given."""
    installed = list(installed)
    new = capabilities([doc])
    if not any(any(s.examples.values()) or any(s.phrasings.values()) for s in new):
        return None
    names = {s.name for s in new}
    if embedder is None:
        from tandem.errors import ModelUnavailable
        from tandem.models.embeddings import E5Embedder

        try:
            embedder = E5Embedder()
        except ModelUnavailable as exc:
            return f"its phrasings and examples cannot be checked without the on-device e5 model ({exc})"
    before, after = capabilities(installed), capabilities([*installed, doc])
    sentences = _judged([s for s in before if s.name not in names])
    taken: list[str] = []  # read right without the new partner, its task with it
    for held in range(FOLDS):
        judged = [(text, owner) for text, owner, fold in sentences if fold == held or (fold is None and held == 0)]
        out = {(owner or CHAT, text) for text, owner, fold in sentences if fold == held}
        texts = [text for text, _ in judged]
        # Judged at the lowest lead the tier gives any capability, not the assistant's own: the guard must not loosen
        # when LEAD is raised for accuracy (da83cb5, 4 -> 6, let R21's adaptive food squatter in); it fails closed.
        without, with_it = (LearnedTier(embedder, intents, cache=None, held_out=out, lead=PLAIN_LEAD)
                            .classify_many(texts) for intents in (before, after))
        for (text, owner), alone, joined in zip(judged, without, with_it, strict=True):
            if joined.intent in names and joined.intent != owner and alone.intent == owner:  # read right without it
                taken.append(text)
    if len(taken) <= ALLOWANCE:
        return None
    shown = ", ".join(repr(t) for t in taken[:_SHOWN]) + (f" and {len(taken) - _SHOWN} more" if len(taken) > _SHOWN
                                                          else "")
    return f"its phrasings and examples teach the learned tier to take {len(taken)} sentences that are small talk " \
           f"or other partners' requests ({shown}), which the installed partners read right"
