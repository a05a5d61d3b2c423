"""A small OpenAI-compatible upstream that echoes the last user message: the demo provider of `radiant up` and the
fake upstream of tests and benchmarks (it records what it received, so a test can see exactly what reached it)."""
