"""The application layer: what the shells (``tandem.cli``, ``tandem.api``) share.

It builds the assistant, its stores and models from settings and holds the logic both shells call, so
neither shell imports the other (import-linter checks it in ``make lint``):

- ``assistant``: the service hub as the agent's toolset, and ``open_assistant(settings)``
- ``voice``: hear a recording, answer it, speak the reply
- ``memory``: preferences from sentences, recommendations from the partners' catalogs, feedback
- ``profile``: the profile for display (token masked) and changes applied all or none
- ``privacy``: the user's GDPR export, with the conversations and stored responses the shells keep
- ``stored``: the Responses API's stored responses (``previous_response_id``)
"""

__all__: list[str] = []
