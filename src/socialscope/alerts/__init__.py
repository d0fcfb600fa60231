"""Alerts: rules from the config, evaluated over registered metrics, delivered once per
incident (log and signed webhooks through a durable outbox), with a history in the store.

Modules: ``conditions`` (the condition grammar), ``rules`` (the config models),
``engine`` (evaluate rules at an ``as_of``), ``incidents`` (the ok → firing → resolved
state machine, history and outbox rows), ``delivery`` (signed payloads, retries),
``service`` (the threads of ``socialscope serve``), ``history`` and ``replay``
(``socialscope alerts history|test``).
"""
