"""The bottom layer: every business rule defined once, as pure data and small functions.

Readers, recognisers, checks, the warehouse SQL, pages and exports import from here; this package
imports nothing from the project (tests/test_architecture.py keeps it so). When a second copy of a
unit factor, tolerance, label or measure is about to be written anywhere else, it belongs here.

- `units`: amount units and their factors, half a unit of the last printed digit, money text.
- `changes`: the words of a stated change, its sign and the prior amount it implies.
- `labels`: Chinese labels of the warehouse's keys (stages, statuses, check groups, peer modes, topics).
- `templates`: the national templates (财预〔2016〕143号) as data maps: families, columns, required items.
- `measures`: the measures pages compare, their kinds, and the shares/rates defined once for SQL too.
"""
