"""The parse engine: every file parsed in isolation (its own process, a time limit, a memory cap,
size and page caps), results cached by content hash, and a driver that loads them in batches.

One design serves national volume and hostile input alike: a file that raises, hangs, allocates
or carries a value that fits no column is one failed line; every other file loads.
"""
